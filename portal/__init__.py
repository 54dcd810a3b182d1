"""The Django project and the ground floor.

``settings/`` (per environment), ``urls.py`` (the URL map), ``wsgi.py``; the
ground every app stands on: ``languages.py`` (the language list, defined
once), ``core`` (taxonomy, the content-page base, the content-type registry)
and ``security``. Nothing here imports an app of a higher floor.
"""
