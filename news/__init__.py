"""Content: news items and events, one page type with a ``kind``.

The type declares itself in ``type_options`` (``portal.core.content_types``) and
its translated fields in ``translation.py``.
"""
