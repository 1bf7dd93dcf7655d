"""What an event would do, before it is recorded: the previews of the terminal UI's event forms.

The forms that record a payment, a termination, a change in control or an amendment show, before
anything is saved, what the change would do: how a payment is applied (interest first, then
principal) and what stays owed; which installments a termination accelerates or forfeits, their
new deadlines and each agreement's new end date; what a change in control forfeits; the schedule
after an amendment.

Each preview is the plan of the change (:mod:`comp_tracker.services.events.recording`' ``plan_*``,
which the record commits), shaped for its form: a preview that raises
:class:`~comp_tracker.domain.AgreementError` or :class:`~comp_tracker.services.context.ServiceError`
names the field the save would refuse, with the same message, and the form shows it beside that
field. Nothing here writes.

    preview_payment             a payment applied
    preview_termination         each of the employee's agreements, the termination applied
    preview_change_in_control   every agreement of the company, the event applied
    preview_amendment           the schedule after an amendment

What the forms offer before anything is typed is in :mod:`comp_tracker.services.events.choices`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from comp_tracker.domain import (
    Amendment,
    AppliedPayment,
    Installment,
    InstallmentState,
    Payment,
    Schedule,
    TerminationReason,
    owed,
    standing_of,
)
from comp_tracker.domain.money import ZERO
from comp_tracker.domain.planner import Amend, ControlChange, Effect, Pay, Plan, Terminate
from comp_tracker.services.context import Context
from comp_tracker.services.events import recording as events
from comp_tracker.services.events.recording import PAYMENT


def _later(effect: Effect, date: dt.date, as_of: dt.date | None) -> Schedule | None:
    """The schedule with the event as of the app's as-of date, when that is after the event."""
    if as_of is None or as_of <= date:
        return None
    return effect.after(as_of)


def _accepted(planned: Plan) -> Effect:
    """The one agreement a payment or an amendment changes; raises what the save would refuse."""
    planned.refuse()
    [effect] = planned.effects
    return effect


# -- payments ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PaymentPreview:
    """A payment as the engine would apply it."""

    payment: Payment
    #: What the installment (or, with none named, the agreement) owed on the date before it.
    owed_before: Decimal
    #: The parts of it going to each installment's interest and principal.
    applied: AppliedPayment
    #: The agreement as of the payment date, with the payment.
    after: Schedule
    #: The same as of the app's as-of date, when that is later than the payment.
    later: Schedule | None
    #: The agreement's version read: saving with it refuses a change someone made in between.
    version: int

    @property
    def owed_after(self) -> Decimal:
        if self.payment.installment is None:
            return standing_of(self.after).owed
        return owed(self.after.installments[self.payment.installment - 1])


def preview_payment(
    ctx: Context,
    agreement: str,
    date: dt.date,
    amount: Decimal,
    installment: int | None = None,
    *,
    as_of: dt.date | None = None,
) -> PaymentPreview:
    """What :func:`~comp_tracker.services.events.recording.record_payment` would record: its plan;
    raises what it would refuse (an overpayment, a forfeited installment, a date before the
    agreement)."""
    planned = events.plan_payment(ctx, agreement, date, amount, installment, today=as_of or date)
    effect = _accepted(planned)
    step = planned.steps[0].change
    assert isinstance(step, Pay)
    before = effect.before(date)
    after = effect.after(date)
    applied = next(p for p in after.payments if p.ref == PAYMENT)
    if installment is None:
        owed_before = standing_of(before).owed
    else:
        owed_before = owed(before.installments[installment - 1])
    return PaymentPreview(
        payment=step.payment,
        owed_before=owed_before,
        applied=applied,
        after=after,
        later=_later(effect, date, as_of),
        version=effect.version,
    )


# -- terminations and changes in control ------------------------------------------------------


class Outcome(StrEnum):
    """What an event does to an installment."""

    ACCELERATED = "accelerated"
    FORFEITED = "forfeited"
    UNCHANGED = "unchanged"  # it was due on or before the event, or paid


@dataclass(frozen=True, slots=True)
class InstallmentChange:
    """One installment on the event's date, without and with the event."""

    before: InstallmentState
    after: InstallmentState

    @property
    def outcome(self) -> Outcome:
        if self.after.accelerated and not self.before.accelerated:
            return Outcome.ACCELERATED
        if self.after.forfeited_on is not None and self.before.forfeited_on is None:
            return Outcome.FORFEITED
        return Outcome.UNCHANGED


@dataclass(frozen=True, slots=True)
class AgreementEffect:
    """What a termination or a change in control does to one agreement."""

    agreement: str
    employee: str
    company: str
    #: For a termination: whether its reason accelerates under this agreement (None otherwise).
    accelerates: bool | None
    #: The agreement as of the event's date, without and with the event.
    before: Schedule
    after: Schedule
    #: With the event, as of the app's as-of date when that is later.
    later: Schedule | None

    @property
    def changes(self) -> tuple[InstallmentChange, ...]:
        return tuple(
            InstallmentChange(b, a)
            for b, a in zip(self.before.installments, self.after.installments, strict=True)
        )

    @property
    def warnings(self) -> tuple[str, ...]:
        """What the engine noted about this event (choices the agreement does not settle)."""
        return tuple(w for w in self.after.warnings if w not in self.before.warnings)

    @property
    def forfeited(self) -> Decimal:
        return sum((c.after.principal_forfeited for c in self.changes), ZERO) - sum(
            (c.before.principal_forfeited for c in self.changes), ZERO
        )


@dataclass(frozen=True, slots=True)
class OwnerEventPreview:
    """A termination (of an employee) or a change in control (of a company), applied to every
    agreement of theirs in force on its date."""

    date: dt.date
    effects: tuple[AgreementEffect, ...]
    #: Agreements of the owner that take effect after the date: the event does not touch them.
    not_affected: tuple[str, ...]


def _owner_preview(planned: Plan, as_of: dt.date | None) -> OwnerEventPreview:
    """A termination's or change in control's plan, as its form shows it; raises what the save
    would refuse."""
    planned.refuse()
    [step] = planned.steps
    change = step.change
    assert isinstance(change, Terminate | ControlChange)
    date = change.date
    reason = change.termination.reason if isinstance(change, Terminate) else None
    return OwnerEventPreview(
        date,
        tuple(
            AgreementEffect(
                agreement=effect.agreement,
                employee=effect.terms.employee,
                company=effect.terms.company,
                accelerates=None if reason is None else reason in effect.terms.accelerate_on,
                before=effect.before(date),
                after=effect.after(date),
                later=_later(effect, date, as_of),
            )
            for effect in step.effects
        ),
        step.not_affected,
    )


def preview_termination(
    ctx: Context,
    employee: str,
    date: dt.date,
    reason: TerminationReason,
    *,
    company: str | None = None,
    as_of: dt.date | None = None,
) -> OwnerEventPreview:
    """What :func:`~comp_tracker.services.events.recording.record_termination` would do to each of
    the employee's agreements in force on ``date``; raises what it would refuse."""
    planned = events.plan_termination(
        ctx, employee, date, reason, company=company, today=as_of or date
    )
    return _owner_preview(planned, as_of)


def preview_change_in_control(
    ctx: Context, company: str, date: dt.date, *, as_of: dt.date | None = None
) -> OwnerEventPreview:
    """What :func:`~comp_tracker.services.events.recording.record_change_in_control` would do to
    each agreement of the company in force on ``date``; raises what it would refuse."""
    planned = events.plan_change_in_control(ctx, company, date, today=as_of or date)
    return _owner_preview(planned, as_of)


# -- amendments -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AmendmentPreview:
    amendment: Amendment
    #: As of the amendment's date, without and with it.
    before: Schedule
    after: Schedule
    #: With it, as of the app's as-of date when that is later.
    later: Schedule | None
    version: int

    @property
    def shown(self) -> Schedule:
        """The schedule after, as of the later of the amendment's date and the app's date."""
        return self.later or self.after


def preview_amendment(
    ctx: Context,
    agreement: str,
    date: dt.date,
    *,
    expires: dt.date | None = None,
    installments: Sequence[Installment] | None = None,
    as_of: dt.date | None = None,
) -> AmendmentPreview:
    """What :func:`~comp_tracker.services.events.recording.record_amendment` would record; raises
    what it would refuse (no change at all, an installment due before the amendment or after the
    expiry, replacing an installment with money paid on it)."""
    planned = events.plan_amendment(
        ctx, agreement, date, expires=expires, installments=installments, today=as_of or date
    )
    effect = _accepted(planned)
    change = planned.steps[0].change
    assert isinstance(change, Amend)
    return AmendmentPreview(
        amendment=change.amendment,
        before=effect.before(date),
        after=effect.after(date),
        later=_later(effect, date, as_of),
        version=effect.version,
    )
