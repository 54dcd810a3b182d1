/*
 * Wagtail 8 admin strings (JavaScript) missing from its zh_Hans catalogue, supplied by our djangojs catalogues (locale/).
 * Never loaded: `makemessages -d djangojs` reads these calls (see portal/core/admin_catalogue.py).
 */
/* eslint-disable no-undef */
const wagtailStrings = [
  gettext("(%(number)s new items in this menu)"),
  gettext("(1 new item in this menu)"),
  gettext("(New)"),
  ngettext("%(num)s error", "%(num)s errors", 2),
  ngettext("%(num)s min", "%(num)s mins", 2),
  ngettext("%(num)s pixel", "%(num)s pixels", 2),
  gettext("%(time_zone_option)s: %(localized_time_zone_label)s"),
  gettext("A network error occurred."),
  gettext("A server error occurred."),
  gettext("Autosave in progress…"),
  gettext("Blocks"),
  gettext("Changes have been autosaved."),
  gettext("Complex"),
  gettext("Error while sending preview data."),
  gettext("Fair"),
  gettext("Good"),
  gettext("Insert a block"),
  gettext("Split block"),
  gettext("Write something or type ‘/’ to insert a block"),
];
