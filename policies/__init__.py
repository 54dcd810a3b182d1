"""Content: policy documents (type, number, issuing body, dates, status, files per language, relations).

The type declares itself in ``type_options`` (``portal.core.content_types``) and
its translated fields in ``translation.py``.
"""
