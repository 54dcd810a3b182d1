# Django's Russian formats, but a time names its zone (T): editors in six time zones schedule
# pages in the admin.
DATETIME_FORMAT = "j E Y г. G:i T"
