"""Where comp-tracker keeps its data, and which database and actor a command uses.

Read by every command that touches the database (never by ``schedule``, which must start fast and
so never imports pydantic). The database URL comes from, first to last:

1. ``--db URL`` on the command line;
2. the ``COMP_TRACKER_DATABASE_URL`` environment variable;
3. ``database_url`` in the config file (``config.toml`` in the user config directory, or the file
   named by ``COMP_TRACKER_CONFIG``);
4. the default: an SQLite file in the user data directory, created with permissions 0600.

The actor written into the audit log comes from ``--actor``, then ``COMP_TRACKER_ACTOR``, then
``actor`` in the config file, then the operating-system user.

The accrual exports' journal entries post to the ``account_*`` settings (environment or file),
by default "Compensation expense", "Accrued compensation", "Interest expense", "Interest payable"
and "Cash".

The due job's e-mail (``due --notify``) is configured by the ``smtp_*`` settings, from the
environment (``COMP_TRACKER_SMTP_HOST`` ...) or the config file, except the password: it is read
from ``COMP_TRACKER_SMTP_PASSWORD`` only, never from the file, and never printed.
"""

from __future__ import annotations

import getpass
import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import platformdirs
from pydantic import AfterValidator, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from comp_tracker.domain.accruals import Accounts

APP_NAME = "comp-tracker"


class ConfigError(ValueError):
    """A bad configuration file or environment variable: one line for the user."""


def config_file() -> Path:
    """The config file: ``$COMP_TRACKER_CONFIG`` or ``config.toml`` in the user config dir."""
    explicit = os.environ.get("COMP_TRACKER_CONFIG")
    if explicit:
        return Path(explicit)
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_database_path() -> Path:
    return data_dir() / "comp-tracker.db"


class SmtpSecurity(StrEnum):
    STARTTLS = "starttls"  # plain connection upgraded with STARTTLS (port 587)
    SSL = "ssl"  # TLS from the first byte (port 465)
    NONE = "none"  # no encryption: only for a relay on this machine or in a test


DEFAULT_SMTP_PORTS = {SmtpSecurity.STARTTLS: 587, SmtpSecurity.SSL: 465, SmtpSecurity.NONE: 25}


class _ConfigFile(TomlConfigSettingsSource):
    """The TOML config file, which may not hold the SMTP password."""

    def __call__(self) -> dict[str, Any]:
        values = super().__call__()
        if "smtp_password" in values:
            raise ConfigError(
                f"{config_file()}: smtp_password is not read from the config file (it would sit "
                "there in plain text): set COMP_TRACKER_SMTP_PASSWORD in the job's environment"
            )
        return values


def _account_name(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("an account name cannot be blank")
    if any(c < " " for c in value):
        raise ValueError("an account name must be one line")
    return value


#: The name of a ledger account in the accrual exports' journal: one line, 1 to 200 characters.
AccountName = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_account_name)]


class Settings(BaseSettings):
    """Settings from the environment (``COMP_TRACKER_*``) and the config file."""

    model_config = SettingsConfigDict(env_prefix="COMP_TRACKER_", extra="forbid")

    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL: sqlite:///path/file.db or "
        "postgresql+psycopg://user@host:5432/name. Empty means the default SQLite file.",
    )
    actor: str | None = Field(
        default=None, description="Who is recording, for the audit log (default: the OS user)."
    )
    smtp_host: str | None = Field(default=None, description="The mail server for due --notify.")
    smtp_port: int | None = Field(
        default=None, ge=1, le=65535, description="Default: 587 (starttls), 465 (ssl), 25 (none)."
    )
    smtp_security: SmtpSecurity = Field(
        default=SmtpSecurity.STARTTLS, description="starttls, ssl or none."
    )
    smtp_username: str | None = Field(default=None, description="Login, if the server asks.")
    smtp_password: SecretStr | None = Field(
        default=None, description="Only from COMP_TRACKER_SMTP_PASSWORD; never printed."
    )
    smtp_sender: str | None = Field(default=None, description="The From address.")
    smtp_recipients: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Who gets the e-mail: a list in the file, comma-separated in the environment.",
    )
    smtp_timeout: float = Field(
        default=30.0, gt=0, le=600, description="Seconds to wait for the mail server."
    )

    account_compensation_expense: AccountName = Field(
        default="Compensation expense",
        description="Debited with the compensation earned (accrual exports' journal).",
    )
    account_accrued_compensation: AccountName = Field(
        default="Accrued compensation",
        description="The liability for compensation earned and not yet paid.",
    )
    account_interest_expense: AccountName = Field(
        default="Interest expense", description="Late interest."
    )
    account_interest_payable: AccountName = Field(
        default="Interest payable", description="The liability for late interest not yet paid."
    )
    account_cash: AccountName = Field(default="Cash", description="Credited with each payment.")

    @field_validator("smtp_recipients", mode="before")
    @classmethod
    def _split_recipients(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (
            init_settings,
            env_settings,
            _ConfigFile(settings_cls, toml_file=config_file()),
        )


def load_settings(*, database_url: str | None = None, actor: str | None = None) -> Settings:
    """Settings with command-line values taking precedence; bad config is a ConfigError."""
    explicit = os.environ.get("COMP_TRACKER_CONFIG")
    if explicit and not Path(explicit).is_file():
        # A typo here would otherwise send the records to the default database unnoticed.
        raise ConfigError(f'COMP_TRACKER_CONFIG = "{explicit}": no such file')
    overrides: dict[str, Any] = {
        k: v for k, v in (("database_url", database_url), ("actor", actor)) if v
    }
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error["loc"])
        shown = "(hidden)" if where == "smtp_password" else repr(error.get("input"))
        variable = f"COMP_TRACKER_{where.upper()}"
        if variable in os.environ:  # the environment wins over the file: say which was read
            raise ConfigError(f"{variable} = {shown}: {error['msg']}") from None
        raise ConfigError(f"{config_file()}: {where} = {shown}: {error['msg']}") from None
    except ConfigError:
        raise
    except (OSError, ValueError) as exc:  # an unreadable or malformed TOML file
        raise ConfigError(f"{config_file()}: {exc}") from None


def database_url(settings: Settings) -> str:
    """The configured URL, or the default SQLite file (created 0600 in a 0700 directory)."""
    if settings.database_url:
        return settings.database_url
    path = default_database_path()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def accounts(settings: Settings) -> Accounts:
    """The ledger accounts of the accrual exports' journal entries."""
    return Accounts(
        compensation_expense=settings.account_compensation_expense,
        accrued_compensation=settings.account_accrued_compensation,
        interest_expense=settings.account_interest_expense,
        interest_payable=settings.account_interest_payable,
        cash=settings.account_cash,
    )


def actor(settings: Settings) -> str:
    if settings.actor and settings.actor.strip():
        return settings.actor.strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry, as in some containers
        return f"uid {os.getuid()}"
