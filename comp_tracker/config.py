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
"""

from __future__ import annotations

import getpass
import os
from pathlib import Path

import platformdirs
from pydantic import Field, ValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

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
            TomlConfigSettingsSource(settings_cls, toml_file=config_file()),
        )


def load_settings(*, database_url: str | None = None, actor: str | None = None) -> Settings:
    """Settings with command-line values taking precedence; bad config is a ConfigError."""
    explicit = os.environ.get("COMP_TRACKER_CONFIG")
    if explicit and not Path(explicit).is_file():
        # A typo here would otherwise send the records to the default database unnoticed.
        raise ConfigError(f'COMP_TRACKER_CONFIG = "{explicit}": no such file')
    overrides = {k: v for k, v in (("database_url", database_url), ("actor", actor)) if v}
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error["loc"])
        raise ConfigError(
            f"{config_file()}: {where} = {error.get('input')!r}: {error['msg']}"
        ) from None
    except (OSError, ValueError) as exc:  # an unreadable or malformed TOML file
        raise ConfigError(f"{config_file()}: {exc}") from None


def database_url(settings: Settings) -> str:
    """The configured URL, or the default SQLite file (created 0600 in a 0700 directory)."""
    if settings.database_url:
        return settings.database_url
    path = default_database_path()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def actor(settings: Settings) -> str:
    if settings.actor and settings.actor.strip():
        return settings.actor.strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry, as in some containers
        return f"uid {os.getuid()}"
