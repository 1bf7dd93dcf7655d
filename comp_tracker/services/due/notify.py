"""The due job's e-mail: one message per run, listing the flags not e-mailed before.

Delivery is at least once. The notice rows are written only after the mail server has accepted
the message, so a run whose mail fails leaves its alerts unsent and the next run sends them again;
if the database failed in the instant between the two, the next run would send them a second
time, never zero times. Alerts HR has already acknowledged are not mailed.
"""

from __future__ import annotations

import datetime as dt
import smtplib
import ssl
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from comp_tracker.domain import Flag, Stage
from comp_tracker.services.context import Context
from comp_tracker.services.due.alerts import FlagAlert, mark_notified

_STAGES = (Stage.OVERDUE, Stage.IN_WINDOW, Stage.UPCOMING)


class MailError(RuntimeError):
    """The mail server could not be reached or refused the message: one line for the operator."""


@dataclass(frozen=True)
class Mail:
    """Where and how to send; the password is kept out of ``repr``."""

    host: str
    port: int
    security: str  # "starttls", "ssl" or "none"
    sender: str
    recipients: tuple[str, ...]
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 30.0


@dataclass(frozen=True)
class Notice:
    """What a run mailed: the flags it sent, and how many still flagged were mailed before."""

    sent: list[FlagAlert]
    sent_before: int
    skipped_acknowledged: int


def subject(as_of: dt.date, flags: Sequence[Flag]) -> str:
    """Short enough for one header line: the counts by stage and the date."""
    counts = ", ".join(
        f"{n} {stage.value}"
        for stage in _STAGES
        if (n := sum(1 for f in flags if f.stage is stage))
    )
    return f"comp-tracker: {counts} (as of {as_of.isoformat()})"


def compose(
    mail: Mail,
    as_of: dt.date,
    within: int,
    alerts: Sequence[FlagAlert],
    sent_before: int,
    render: Callable[[Sequence[Flag]], str],
) -> EmailMessage:
    """The message: a summary line, the new flags as the job's text table, where to look next."""
    flags = [alert.flag for alert in alerts]
    message = EmailMessage()
    message["Subject"] = subject(as_of, flags)
    message["From"] = mail.sender
    message["To"] = ", ".join(mail.recipients)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=mail.sender.rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to a job
    later = f"\n{sent_before} more still flagged were e-mailed before." if sent_before else ""
    message.set_content(
        f"comp-tracker's due job flagged these installments as of {as_of.isoformat()} "
        f"(not e-mailed before):\n\n"
        f"{render(flags)}{later}\n"
        f"Upcoming: the payment date is within the next {within} business days. In window: pay "
        "by the deadline. Overdue: interest at the agreement's rate runs every day until it is "
        "paid.\n\n"
        "To see them all: comp-tracker alerts. To mark one seen: comp-tracker alerts ack ID.\n"
    )
    return message


def send(mail: Mail, message: EmailMessage) -> list[str]:
    """Hand the message to the mail server; return the recipients it accepted.

    Raises MailError, in one line that never shows the password, if it accepted none.
    """
    where = f"{mail.host}:{mail.port}"
    try:
        context = ssl.create_default_context()
        server: smtplib.SMTP
        if mail.security == "ssl":
            server = smtplib.SMTP_SSL(mail.host, mail.port, timeout=mail.timeout, context=context)
        else:
            server = smtplib.SMTP(mail.host, mail.port, timeout=mail.timeout)
        with server:
            if mail.security == "starttls":
                server.starttls(context=context)
            if mail.username:
                server.login(mail.username, mail.password or "")
            refused = server.send_message(message)
    except smtplib.SMTPAuthenticationError as exc:
        raise MailError(f"the mail server {where} refused the login: {_reason(exc)}") from None
    except smtplib.SMTPRecipientsRefused as exc:
        raise MailError(
            f"the mail server {where} refused every recipient: {', '.join(exc.recipients)}"
        ) from None
    except smtplib.SMTPResponseException as exc:
        raise MailError(f"the mail server {where} refused the message: {_reason(exc)}") from None
    except TimeoutError:
        raise MailError(
            f"the mail server {where} did not answer within {mail.timeout:g} s"
        ) from None
    except (OSError, smtplib.SMTPException) as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise MailError(f"cannot send mail through {where}: {reason}") from None
    # Accepted for some recipients only: it was sent, and the notice records who got it.
    return [r for r in mail.recipients if r not in refused]


def _reason(exc: smtplib.SMTPResponseException) -> str:
    detail = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else ""
    return f"{exc.smtp_code} {detail}".strip()


def notify(
    ctx: Context,
    as_of: dt.date,
    within: int,
    alerts: Sequence[FlagAlert],
    mail: Mail,
    render: Callable[[Sequence[Flag]], str],
) -> Notice:
    """E-mail the flags of this run not mailed before (nor acknowledged); record the notices.

    Nothing to send, no message. A MailError leaves every alert unsent (no notice is written).
    """
    fresh = [a for a in alerts if not a.notified and not a.acknowledged]
    sent_before = sum(1 for a in alerts if a.notified)
    skipped = sum(1 for a in alerts if a.acknowledged and not a.notified)
    if fresh:
        accepted = send(mail, compose(mail, as_of, within, fresh, sent_before, render))
        mark_notified(ctx, [a.alert_id for a in fresh], accepted)
    return Notice(sent=fresh, sent_before=sent_before, skipped_acknowledged=skipped)
