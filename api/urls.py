from django.urls import path, re_path

from api import views

app_name = "api_v1"
urlpatterns = [
    path("", views.root, name="root"),
    path("openapi.json", views.openapi_json, name="openapi"),
    path("docs/", views.docs, name="docs"),
    re_path(r"^(?P<resource>[a-z_-]+)/export\.(?P<fmt>csv|json|xml)$", views.export, name="export"),
    path("<str:resource>/", views.listing, name="list"),
    path("<str:resource>/<str:key>/", views.detail, name="detail"),
]
