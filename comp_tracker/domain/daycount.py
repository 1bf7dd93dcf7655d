"""Day-count conventions for late interest, named as finance names them.

Agreement, paragraph 3: "the amount unpaid shall bear interest at a rate of ten percent per
annum". Interest is simple: principal x rate x year fraction, where the year fraction between two
dates follows the agreement's day count:

* ``ACT/365F`` (Actual/365 Fixed, the default): actual days / 365, leap years included.
* ``ACT/360``: actual days / 360.
* ``30/360`` (30/360 Bond Basis, ISDA 2006 4.16(f)): every month 30 days, the year 360.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum


class DayCount(StrEnum):
    ACT_365F = "ACT/365F"
    ACT_360 = "ACT/360"
    THIRTY_360 = "30/360"

    def days(self, start: dt.date, end: dt.date) -> int:
        """Days counted from ``start`` (excluded) to ``end`` (included)."""
        if self is DayCount.THIRTY_360:
            return days_30_360(start, end)
        return (end - start).days

    @property
    def basis(self) -> int:
        return 365 if self is DayCount.ACT_365F else 360

    def year_fraction(self, start: dt.date, end: dt.date) -> Decimal:
        return Decimal(self.days(start, end)) / Decimal(self.basis)


def days_30_360(start: dt.date, end: dt.date) -> int:
    """30/360 Bond Basis: D1 = min(D1, 30); D2 = min(D2, 30) if D1 is then 30."""
    d1 = min(start.day, 30)
    d2 = end.day
    if d1 == 30 and d2 == 31:
        d2 = 30
    return 360 * (end.year - start.year) + 30 * (end.month - start.month) + (d2 - d1)
