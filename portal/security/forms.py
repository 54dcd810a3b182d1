"""The admin's login form with throttling (``WAGTAILADMIN_USER_LOGIN_FORM``)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.forms.auth import LoginForm

from portal.security import throttle


class ThrottledLoginForm(LoginForm):
    error_messages = {
        **LoginForm.error_messages,
        "locked": _("Too many failed attempts. This account is locked from your address; try again later."),
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        if username:
            verdict = throttle.check(username, self.request)
            if verdict.locked:
                raise forms.ValidationError(self.error_messages["locked"], code="locked")
            if not verdict.allowed:
                raise forms.ValidationError(
                    ngettext(
                        "Too many failed attempts. Wait %(seconds)d second before trying again.",
                        "Too many failed attempts. Wait %(seconds)d seconds before trying again.",
                        verdict.wait,
                    )
                    % {"seconds": verdict.wait},
                    code="throttled",
                )
        return super().clean()
