"""Numbers and dates as editors and Ads Manager write them, in French or English.

Each parser raises `ValueError` with a French message saying what is expected.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

# Spaces used as thousands separators: plain, no-break, narrow no-break, thin.
_SPACES = re.compile(r"[ \u00a0\u202f\u2009']")
_DAY_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d")
EMPTY = {"", "-", "—"}
# Once separators are normalised: plain digits, and a decimal part for amounts. No exponent
# (`1e6`), no `_` and no other script's digits, which Decimal and int would also take.
_AMOUNT = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_COUNT = re.compile(r"-?[0-9]+")
# Far above any promotion (the magazine spends ~300 EUR a month): a larger amount is a mistake,
# and one beyond ~10^26 would fail the report's formatting.
MAX_AMOUNT = Decimal(1_000_000)


def _normalise_separators(text: str, *, integer: bool) -> str:
    """`1.234,56`, `1,234.56`, `57 000`, `100,00` -> `1234.56`, `57000`, `100.00`."""
    text = _SPACES.sub("", text)
    if "," in text and "." in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        return text.replace(thousands, "").replace(decimal_mark, ".")
    for mark in (",", "."):
        if mark not in text:
            continue
        parts = text.split(mark)
        grouped = len(parts) > 2 or (len(parts[-1]) == 3 and parts[0] not in ("", "0", "-0"))
        if integer or grouped:
            # Several marks, or one before exactly three digits: thousands.
            if all(len(p) == 3 for p in parts[1:]):
                return "".join(parts)
            if integer:
                raise ValueError
        return text.replace(mark, ".")
    return text


def parse_amount(raw: str) -> Decimal:
    """An amount in euros: `100`, `100,00`, `1 234,50 €`, `1,234.50`, `EUR 12.5`."""
    text = raw.strip().replace("€", "").replace("EUR", "").strip()
    try:
        normalised = _normalise_separators(text, integer=False)
        if not _AMOUNT.fullmatch(normalised):
            raise ValueError
        amount = Decimal(normalised)
    except (InvalidOperation, ValueError):
        raise ValueError(f"« {raw} » n'est pas un montant ; attendu : un montant en euros "
                         "(ex. 100 ou 87,40)") from None
    if abs(amount) > MAX_AMOUNT:
        raise ValueError(f"« {raw} » dépasse 1 000 000 € ; attendu : le montant en euros d'une promotion")
    return amount


def parse_count(raw: str) -> int:
    """A whole number, thousands separated or not: `57000`, `57 000`, `57.000`, `57,000`."""
    text = raw.strip()
    try:
        normalised = _normalise_separators(text, integer=True)
        if not _COUNT.fullmatch(normalised):
            raise ValueError
        return int(normalised)
    except ValueError:
        raise ValueError(f"« {raw} » n'est pas un nombre entier ; attendu : un nombre entier "
                         "(ex. 57000 ou 57 000)") from None


def parse_day(raw: str) -> date:
    """A day: `2019-04-23` (Ads Manager, data file) or `23/04/2019` (French exports)."""
    text = raw.strip()
    for fmt in _DAY_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"« {raw} » n'est pas une date valable ; attendu : AAAA-MM-JJ "
                     "(ex. 2019-04-23)")
