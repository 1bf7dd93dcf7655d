"""The due job's e-mail, against a real SMTP server on loopback, on SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
import ssl
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from mailserver import free_port, smtp_server
from support import BAKER, BAKER_FILE, day

from comp_tracker.domain import Flag
from comp_tracker.services.agreements import importing as agreements
from comp_tracker.services.due.alerts import acknowledge, list_alerts, record_alerts
from comp_tracker.services.due.job import find_due
from comp_tracker.services.due.notify import Mail, MailError, notify


@pytest.fixture
def baker(ctx):
    agreements.import_files(ctx, [BAKER_FILE])
    return ctx


def lines(flags: Sequence[Flag]) -> str:
    return "".join(f"{f.agreement} #{f.installment} {f.stage.value} {f.owed}\n" for f in flags)


def mail_to(port: int, **changes: Any) -> Mail:
    settings: dict[str, Any] = {
        "host": "127.0.0.1",
        "port": port,
        "security": "none",
        "sender": "comp-tracker@hecla.example",
        "recipients": ("payroll@hecla.example", "hr@hecla.example"),
        "timeout": 5.0,
    }
    return Mail(**(settings | changes))


def flag_and_notify(ctx, as_of: str, mail: Mail):
    alerts = record_alerts(ctx, find_due(ctx, day(as_of)))
    return notify(ctx, day(as_of), 3, alerts, mail, lines)


def notified(ctx) -> list[tuple[int, str, bool]]:
    return [
        (a.installment, a.stage.value, a.notified_at is not None)
        for a in reversed(list_alerts(ctx, include_acknowledged=True))
    ]


def test_one_message_lists_the_new_flags_and_the_next_run_sends_nothing(baker):
    with smtp_server() as inbox:
        notice = flag_and_notify(baker, "2002-07-05", mail_to(inbox.port))
        assert [a.flag.installment for a in notice.sent] == [1]
        [received] = inbox.received
        assert received.mail_from == "comp-tracker@hecla.example"
        assert received.rcpt_tos == ["payroll@hecla.example", "hr@hecla.example"]
        message = received.message
        assert message["Subject"] == "comp-tracker: 1 overdue (as of 2002-07-05)"
        assert message["To"] == "payroll@hecla.example, hr@hecla.example"
        assert message["Auto-Submitted"] == "auto-generated"
        body = received.body
        assert f"{BAKER} #1 overdue 66036.16\n" in body  # 66,000.00 and two days' interest
        assert "within the next 3 business days" in body
        assert "comp-tracker alerts ack ID" in body

        # Run again the same day: the alert was e-mailed, so nothing is sent.
        again = flag_and_notify(baker, "2002-07-05", mail_to(inbox.port))
        assert (again.sent, again.sent_before) == ([], 1)
        assert len(inbox.received) == 1
    assert notified(baker) == [(1, "overdue", True)]


def test_a_later_stage_is_a_new_alert_and_mailed_with_what_was_mailed_before_counted(baker):
    with smtp_server() as inbox:
        flag_and_notify(baker, "2002-06-27", mail_to(inbox.port))  # 1 upcoming
        notice = flag_and_notify(baker, "2002-07-02", mail_to(inbox.port))  # 1 in window
        assert [(a.flag.installment, a.flag.stage.value) for a in notice.sent] == [(1, "in window")]
        assert [r.message["Subject"] for r in inbox.received] == [
            "comp-tracker: 1 upcoming (as of 2002-06-27)",
            "comp-tracker: 1 in window (as of 2002-07-02)",
        ]


def test_a_mail_server_that_is_down_leaves_the_alerts_unsent_for_the_next_run(baker):
    port = free_port()  # nothing listens here
    with pytest.raises(MailError, match=rf"cannot send mail through 127\.0\.0\.1:{port}: "):
        flag_and_notify(baker, "2002-07-05", mail_to(port))
    assert notified(baker) == [(1, "overdue", False)]

    with smtp_server() as inbox:
        notice = flag_and_notify(baker, "2002-07-05", mail_to(inbox.port))
        assert [a.flag.installment for a in notice.sent] == [1]
        assert len(inbox.received) == 1
    assert notified(baker) == [(1, "overdue", True)]


def test_an_acknowledged_alert_is_not_mailed(baker):
    [alert] = record_alerts(baker, find_due(baker, day("2002-07-05")))
    acknowledge(baker, alert.alert_id, "paid by wire this morning")
    with smtp_server() as inbox:
        notice = flag_and_notify(baker, "2002-07-05", mail_to(inbox.port))
        assert (notice.sent, notice.skipped_acknowledged) == ([], 1)
        assert inbox.received == []


def test_the_server_login_uses_the_password_and_a_refused_one_is_never_shown(baker):
    with smtp_server(password="s3cret-Pa55") as inbox:
        wrong = mail_to(inbox.port, username="payroll-bot", password="wrong-Pa55")
        with pytest.raises(MailError) as refused:
            flag_and_notify(baker, "2002-07-05", wrong)
        assert str(refused.value).startswith(
            f"the mail server 127.0.0.1:{inbox.port} refused the login: 535"
        )
        assert "Pa55" not in str(refused.value)
        assert "Pa55" not in repr(wrong)
        assert (inbox.logins, inbox.received) == ([], [])
        assert notified(baker) == [(1, "overdue", False)]

        good = mail_to(inbox.port, username="payroll-bot", password="s3cret-Pa55")
        flag_and_notify(baker, "2002-07-05", good)
        assert inbox.logins == ["payroll-bot"]
        assert len(inbox.received) == 1
    assert notified(baker) == [(1, "overdue", True)]


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, made with the openssl command."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    where = tmp_path_factory.mktemp("tls")
    cert, key = where / "cert.pem", where / "key.pem"
    request = "req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1"
    names = "subjectAltName=IP:127.0.0.1"
    subprocess.run(
        ["openssl", *request.split(), "-addext", names, "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key


def test_starttls_is_used_and_the_server_certificate_is_checked(baker, certificate, monkeypatch):
    cert, key = certificate
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    with smtp_server(tls=tls) as inbox:
        mail = mail_to(inbox.port, security="starttls")
        # Signed by nobody this machine trusts: refused, and nothing is recorded as sent.
        with pytest.raises(MailError, match="CERTIFICATE_VERIFY_FAILED"):
            flag_and_notify(baker, "2002-07-05", mail)
        assert notified(baker) == [(1, "overdue", False)]
        # A plain connection to a server that requires STARTTLS is refused too.
        with pytest.raises(MailError, match="refused the message: 530"):
            flag_and_notify(baker, "2002-07-05", mail_to(inbox.port, security="none"))

        monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # now this machine trusts it
        flag_and_notify(baker, "2002-07-05", mail)
        assert len(inbox.received) == 1
    assert notified(baker) == [(1, "overdue", True)]
