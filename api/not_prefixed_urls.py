"""A URL map of the API alone, named as ``request.urlconf`` on the API's 404 answers.

LocaleMiddleware answers a 404 outside the language prefixes with a redirect to
``/<lang>/…`` when that path exists; under the site's catch-all page route it
always does, which would turn an API 404 into a redirect to an HTML page. This
map has no i18n patterns, so LocaleMiddleware leaves the JSON 404 alone.
"""

from django.urls import include, path

from api.urls import api_patterns
from api.urls import urlpatterns as api_urls

urlpatterns = [path("api/", include(api_patterns, namespace="api_v1")), path("api/", include(api_urls))]
