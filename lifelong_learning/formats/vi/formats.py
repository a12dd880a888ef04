"""Vietnamese number and date formats: 1.234,5 and 25/11/2026.

Django's own "vi" formats leave numbers ungrouped; official statistics group
thousands with a dot.
"""

DATE_FORMAT = r"\N\g\à\y d \t\h\á\n\g n \n\ă\m Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = r"H:i \N\g\à\y d \t\h\á\n\g n \n\ă\m Y"
SHORT_DATETIME_FORMAT = "H:i d/m/Y"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
