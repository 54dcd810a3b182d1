"""RSS and Atom feeds per language for the sections whose type declares ``feed=True``.

``/<lang>/feeds/<api_name>/rss.xml`` and ``…/atom.xml`` (news, projects,
policies): the language comes from the URL prefix, each item's title and
summary are shown in it (or in the first fallback language that has them).
"""

from datetime import date, datetime, time

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from portal.core import content_types
from portal.core.translated import shown
from website.sections import sections

FEED_SIZE = 30


def feed_section(name):
    """``(name, Section)`` of the feed ``name`` (a type's ``api_name``); 404 if it has none."""
    options = content_types.by_api_name(name)
    if options is None or not options.feed:
        raise Http404
    for section in sections():
        if section.model is options.model:
            return name, section
    raise Http404


class SectionFeed(Feed):
    def get_object(self, request, section):
        self.request = request
        return feed_section(section)

    def title(self, obj):
        _name, section = obj
        index_title = shown(section.index, "title") if section.index else section.label
        return f"{index_title} · {_('SCO Environmental Cooperation Portal')}"

    def link(self, obj):
        _name, section = obj
        if section.index:
            return section.index.get_url(request=self.request)
        return f"/{translation.get_language()}/"

    def description(self, obj):
        _name, section = obj
        return _("The latest %(section)s on the SCO Environmental Cooperation Portal.") % {
            "section": section.label
        }

    def items(self, obj):
        _name, section = obj
        return list(section.latest(limit=FEED_SIZE))

    def item_title(self, item):
        return str(shown(item, "title"))

    def item_description(self, item):
        return str(shown(item, "summary") or "")

    def item_link(self, item):
        return item.get_url(request=self.request)

    def item_guid(self, item):
        return self.request.build_absolute_uri(item.get_url(request=self.request))

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        value = getattr(item, item.type_options.listing_date, None) or item.first_published_at
        if isinstance(value, date) and not isinstance(value, datetime):
            value = timezone.make_aware(datetime.combine(value, time(12)), timezone.get_default_timezone())
        return value

    def item_updateddate(self, item):
        return item.last_published_at


class SectionAtomFeed(SectionFeed):
    feed_type = Atom1Feed
    subtitle = SectionFeed.description
