"""Ground floor: what protects the portal and its editors.

Content-Security-Policy (``middleware``), admin login throttling
(``throttle``, ``forms``), editor groups and section permissions
(``groups``), upload checks (``uploads``). Imports nothing from the content,
search or home apps.
"""
