from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """The public search: index documents, analysis, indexing pipeline, queries, views."""

    name = "search"
    label = "portal_search"
    verbose_name = _("Search")

    def ready(self):
        # The one spot where content changes are turned into indexing work.
        from search import signals

        signals.connect()
        # Issue 5: rebuild the query-understanding label tables when names change.
        from search import expansion

        expansion.connect()
