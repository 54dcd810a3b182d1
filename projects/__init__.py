"""Content: cooperation projects and training programmes (sessions, participants), programme series.

Each page type declares itself in ``type_options`` (``portal.core.content_types``)
and its translated fields in ``translation.py``.
"""
