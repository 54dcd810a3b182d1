"""Operations: the commands that set up, fill, back up and restore a portal.

``setup_portal`` (site tree and languages), ``import_content`` and its
importer (``operations.importing``, the one way content arrives in bulk),
``load_demo``, ``ensure_demo_admin``, ``backup`` and ``restore``. It stands on
the reader's site (``website``) and everything below; nothing imports it.
"""
