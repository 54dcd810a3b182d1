"""The portal's own date and number formats, where Django's defaults read badly.

``FORMAT_MODULE_PATH`` points here; Django reads each setting from these
modules first and from its own locale formats for everything not set here.
"""
