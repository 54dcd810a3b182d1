from django.urls import path

from search.api import search_api, suggest_api

urlpatterns = [
    path("search/", search_api, name="search_api"),
    path("search/suggest/", suggest_api, name="search_suggest_api"),
]
