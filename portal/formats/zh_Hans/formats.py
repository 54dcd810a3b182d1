# A time names its zone (T): editors in six time zones schedule pages in the admin.
DATETIME_FORMAT = "Y年n月j日 H:i T"
# Amounts in Chinese group thousands with commas: "850,000 USD", never "850000 USD".
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
