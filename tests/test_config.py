"""The due job's mail settings: from the config file or the environment, the password from the
environment only."""

from __future__ import annotations

import re

import pytest

from comp_tracker.config import ConfigError, SmtpSecurity, load_settings


@pytest.fixture
def config(tmp_path, monkeypatch):
    path = tmp_path / "config.toml"
    monkeypatch.setenv("COMP_TRACKER_CONFIG", str(path))
    for name in ("HOST", "PORT", "SECURITY", "SENDER", "RECIPIENTS", "PASSWORD", "USERNAME"):
        monkeypatch.delenv(f"COMP_TRACKER_SMTP_{name}", raising=False)
    return path


def test_mail_settings_from_the_file_with_the_environment_winning(config, monkeypatch):
    config.write_text(
        'smtp_host = "mail.hecla.example"\n'
        'smtp_security = "ssl"\n'
        'smtp_sender = "comp-tracker@hecla.example"\n'
        'smtp_recipients = ["payroll@hecla.example", "hr@hecla.example"]\n',
        encoding="utf-8",
    )
    settings = load_settings()
    assert (settings.smtp_host, settings.smtp_security, settings.smtp_port) == (
        "mail.hecla.example",
        SmtpSecurity.SSL,
        None,  # the security's usual port: 465
    )
    assert settings.smtp_recipients == ["payroll@hecla.example", "hr@hecla.example"]

    monkeypatch.setenv("COMP_TRACKER_SMTP_RECIPIENTS", " treasury@hecla.example ,cfo@hecla.example")
    monkeypatch.setenv("COMP_TRACKER_SMTP_PASSWORD", "s3cret")
    settings = load_settings()
    assert settings.smtp_recipients == ["treasury@hecla.example", "cfo@hecla.example"]
    assert settings.smtp_password is not None
    assert settings.smtp_password.get_secret_value() == "s3cret"
    assert "s3cret" not in repr(settings) + str(settings)


def test_a_password_in_the_file_is_refused(config):
    config.write_text('smtp_password = "s3cret"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_settings()
    assert "smtp_password is not read from the config file" in str(refused.value)
    assert "s3cret" not in str(refused.value)


def test_a_bad_value_names_where_it_came_from(config, monkeypatch):
    config.write_text("smtp_port = 70000\n", encoding="utf-8")
    expected = f"^{re.escape(str(config))}: smtp_port = 70000: Input should be"
    with pytest.raises(ConfigError, match=expected):
        load_settings()
    monkeypatch.setenv("COMP_TRACKER_SMTP_PORT", "seven")
    with pytest.raises(ConfigError, match=r"^COMP_TRACKER_SMTP_PORT = 'seven': Input should be"):
        load_settings()
