"""Amounts of money as French readers write them, from Babel's locale data."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_decimal


def euros(amount: Decimal, locale: str = "fr_BE") -> str:
    """`2450` -> `2 450 €`, `12.5` -> `12,50 €` (the locale's group separator, a no-break space
    before the sign); whole amounts without decimals."""
    pattern = "#,##0" if amount == amount.to_integral_value() else "#,##0.00"
    return f"{format_decimal(amount, format=pattern, locale=locale)}\u00a0€"
