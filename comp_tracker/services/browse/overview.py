"""The UI's home: what needs attention on a day, from the due job's own module (not a second
implementation), with the job's alerts that HR has not acknowledged yet, and totals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from comp_tracker.domain import Flag, Stage
from comp_tracker.domain.money import ZERO
from comp_tracker.services.context import Context
from comp_tracker.services.due.alerts import AlertLine, list_alerts
from comp_tracker.services.due.job import find_due

#: Upcoming means within this many business days, as for the due job's default.
WITHIN = 3


@dataclass(frozen=True)
class StageTotal:
    count: int
    principal: Decimal
    interest: Decimal
    daily_interest: Decimal

    @property
    def owed(self) -> Decimal:
        return self.principal + self.interest


@dataclass(frozen=True)
class Attention:
    as_of: dt.date
    within: int
    flags: list[Flag]  # the due job's order: by deadline, then stage, company, employee
    alerts: list[AlertLine]  # not acknowledged, newest first
    totals: dict[Stage, StageTotal]

    @property
    def next_payment(self) -> Flag | None:
        """The earliest payment still to make that is not yet late."""
        return next((f for f in self.flags if f.stage is not Stage.OVERDUE), None)


def attention(ctx: Context, as_of: dt.date, within: int = WITHIN) -> Attention:
    report = find_due(ctx, as_of, within)
    totals = {}
    for stage in Stage:
        flags = [f for f in report.flags if f.stage is stage]
        totals[stage] = StageTotal(
            len(flags),
            sum((f.principal_owed for f in flags), ZERO),
            sum((f.interest_owed for f in flags), ZERO),
            sum((f.daily_interest for f in flags), ZERO),
        )
    return Attention(as_of, within, report.flags, list_alerts(ctx), totals)
