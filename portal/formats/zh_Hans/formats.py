# Amounts in Chinese group thousands with commas: "850,000 USD", never "850000 USD".
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
