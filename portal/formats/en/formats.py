# International English, as the SCO secretariat writes it: "1 September 2018",
# not the US "Sept. 1, 2018".
DATE_FORMAT = "j F Y"
# A time names its zone (T): editors in six time zones schedule pages in the admin.
DATETIME_FORMAT = "j F Y, H:i T"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
