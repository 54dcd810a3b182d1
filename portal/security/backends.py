"""Django's model backend, refusing any password check for a throttled username and address.

Raising ``PermissionDenied`` stops ``authenticate()`` before the password is
checked, whatever login view is used (the admin's form also says why, see
``forms.ThrottledLoginForm``).
"""

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from portal.security import throttle


class ThrottledModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is not None and not throttle.check(username, request).allowed:
            raise PermissionDenied
        return super().authenticate(request, username=username, password=password, **kwargs)
