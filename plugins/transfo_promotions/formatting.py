"""French numbers, amounts and dates for the report, through Babel."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from babel.numbers import format_currency, format_decimal, format_percent
from transfo_i18n.dates import format_date

NONE = "—"


def money(amount: Decimal | None, locale: str = "fr_BE") -> str:
    """`100,00 €`"""
    return NONE if amount is None else format_currency(amount, "EUR", locale=locale)


def money_fine(amount: Decimal | None, locale: str = "fr_BE") -> str:
    """Small amounts such as a cost per read, to the hundredth of a cent: `0,0286 €`."""
    if amount is None:
        return NONE
    return format_currency(amount, "EUR", format="#,##0.0000\u00a0¤", locale=locale,
                           currency_digits=False)


def number(value: int | Decimal | None, locale: str = "fr_BE", digits: int = 0) -> str:
    """`57 000`, `1,7`"""
    if value is None:
        return NONE
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=locale)


def percent(value: Decimal | None, locale: str = "fr_BE") -> str:
    """`4,95 %`"""
    return NONE if value is None else format_percent(value, format="#,##0.00\u00a0%", locale=locale)


def day(value: date, locale: str = "fr_BE") -> str:
    """`24 avril 2019`"""
    return format_date(value, "long", locale=locale)


def month(key: str, locale: str = "fr_BE") -> str:
    """`2019-04` -> `avril 2019`"""
    return format_date(date(int(key[:4]), int(key[5:7]), 1), "month", locale=locale)
