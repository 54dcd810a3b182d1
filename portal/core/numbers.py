"""Numbers written for machines: SVG, CSS, JSON and ``data-`` attributes.

Django localises numbers in templates (``606,0`` in Russian), which is right
for a reader's text and wrong for every attribute a browser parses: the map
and the charts came out garbled in Russian. Whatever a browser reads as a
number goes through :func:`plain_number` (in templates: ``{{ x|num }}``), which
always writes a dot, never groups digits and never depends on the language.
"""

from decimal import Decimal


def plain_number(value, places=2):
    """``1234.5`` -> ``"1234.5"``, ``3.0`` -> ``"3"``, ``True`` -> ``"1"``; anything else -> ``"0"``.

    At most ``places`` decimals (SVG coordinates need no more), trailing zeros dropped.
    """
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return "0"
    if isinstance(value, (float, Decimal)):
        if value != value or value in (float("inf"), float("-inf")):  # NaN, infinities
            return "0"
        text = f"{value:.{places}f}".rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text
    return "0"
