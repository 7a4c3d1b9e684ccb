"""Configuration: typed settings from the environment, and where the app's folders are.

Every setting is an environment variable named as in the README's configuration table
(``DRAFT_TTL_HOURS``, not ``INTAKE_DRAFT_TTL_HOURS``). A value of the wrong type, or any
variable starting with ``INTAKE_`` that is not a setting, stops the app at start-up with a
``ConfigError`` naming the variable. ``Settings.flask_config`` turns the settings into the
Flask config mapping the code reads (``app.config["..."]``).
"""

import difflib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from .keys import PURPOSE_KEYS, derived_key


class ConfigError(RuntimeError):
    """The environment does not describe a configuration the app may start with."""


DEV_SECRET = "dev-only-not-secret"  # noqa: S105 - refused outside development and testing  # nosec B105
PREFIX = "INTAKE_"
# Variables with the prefix that are not settings of the app: the test suite's screenshots.
OTHER_PREFIXED_VARIABLES = frozenset({"INTAKE_SCREENSHOTS"})
# Never repeated in an error message.
SECRET_VARIABLES = frozenset({"SECRET_KEY", "DATABASE_URL", "REDIS_URL"})

PACKAGE_DIR = Path(__file__).resolve().parent


def folder(name: str) -> Path:
    """The app's ``templates``, ``static`` or ``migrations`` folder.

    A wheel carries each inside the package as ``intake/_<name>`` (see ``hatch_build.py``); a
    source checkout, and an editable install of it, has them at its top level."""
    bundled = PACKAGE_DIR / f"_{name}"
    return bundled if bundled.is_dir() else PACKAGE_DIR.parent / name


def default_instance_path() -> str | None:
    """``instance/`` in a source checkout; installed from a wheel, ``None``: Flask's own default
    (``<prefix>/var/intake-instance``). ``INTAKE_INSTANCE_PATH`` overrides both."""
    if (PACKAGE_DIR / "_templates").is_dir():
        return None
    return str(PACKAGE_DIR.parent / "instance")


Count = Annotated[int, Field(ge=1)]
NonNegative = Annotated[int, Field(ge=0)]


class Settings(BaseSettings):
    """The settings the environment may give, each under its variable's name.

    Build them with ``Settings.load``: it also refuses unknown ``INTAKE_`` variables and a
    production start without a real secret, and reports errors as ``ConfigError``."""

    model_config = SettingsConfigDict(
        case_sensitive=True,
        # VAR= means "not set" (as SECRET_KEY=, DATABASE_URL= and SESSION_COOKIE_SECURE= did).
        env_ignore_empty=True,
        extra="forbid",
        frozen=True,
        validate_default=True,
    )

    INTAKE_ENV: Literal["development", "testing", "production"] = "development"
    # Where the SQLite database (by default) lives; see default_instance_path.
    INTAKE_INSTANCE_PATH: str | None = None
    SECRET_KEY: str = DEV_SECRET
    # Old session keys still accepted while their sessions run out, comma-separated.
    SECRET_KEY_FALLBACKS: str = ""
    # One key a job (intake/keys.py); in development and tests derived from SECRET_KEY.
    ACCESS_CODE_KEY: str | None = None
    RECORD_ID_KEY: str | None = None
    THROTTLE_KEY: str | None = None
    # Default: SQLite in the instance folder.
    DATABASE_URL: str | None = None
    # Five attachments of 10 MB plus the form fields around them.
    MAX_CONTENT_LENGTH: Count = 52 * 1024 * 1024
    DRAFT_TTL_HOURS: Count = 72
    # Status look-ups: this many failures from one address (or on one tracking number)
    # inside the window, and further tries are refused until the window passes.
    LOOKUP_MAX_FAILURES: Count = 5
    LOOKUP_MAX_FAILURES_PER_TRACKING: Count = 20
    LOOKUP_WINDOW_MINUTES: Count = 15
    # How long a request waits for a lock before failing with a clear "try again" page
    # (SQLite's busy timeout; PostgreSQL's lock_timeout).
    DB_LOCK_TIMEOUT_MS: NonNegative = 5000
    PROXY_FIX_HOPS: NonNegative = 0
    SIGNIN_WINDOW_MINUTES: Count = 15
    SIGNIN_MAX_FAILURES_PER_ACCOUNT: Count = 5
    SIGNIN_MAX_FAILURES_PER_CLIENT: Count = 20
    STAFF_IDLE_MINUTES: Count = 30
    TOTP_ISSUER: str = "intake"
    # argon2id cost; default 3 passes over 64 MiB, 1 over 1 MiB in testing (the suite creates
    # thousands of accounts, and the cost is not what the tests are about).
    ARGON2_TIME_COST: Count | None = None
    ARGON2_MEMORY_KIB: Annotated[int, Field(ge=8)] | None = None
    # Oversight. Published counts below k are shown as "fewer than k" (with complementary
    # suppression), and the open data leaves out a county with fewer than k complaints.
    OVERSIGHT_SUPPRESSION_K: Count = 11
    # A registered jurisdiction is flagged when its profiling complaints in the last
    # PROFILING_FLAG_WINDOW_DAYS reach PROFILING_FLAG_THRESHOLD.
    PROFILING_FLAG_THRESHOLD: Count = 5
    PROFILING_FLAG_WINDOW_DAYS: Count = 90
    OPEN_DATA_BATCH_SIZE: Count = 2000
    # Default: on in production.
    SESSION_COOKIE_SECURE: bool | None = None
    # PDF documents: in the Flask config only when set, so that their defaults (20 seconds a
    # render, 5,000 cases an export) stay with the code that uses them.
    PDF_RENDER_TIMEOUT_SECONDS: Annotated[float, Field(gt=0)] | None = None
    DOCUMENT_EXPORT_MAX_CASES: Count | None = None
    # The job queue (intake/jobs): Redis when set (production: every worker on every machine
    # takes jobs from it); otherwise a SQLite file, by default jobs.sqlite3 in the instance
    # folder (one machine, no server).
    REDIS_URL: str | None = None
    JOBS_SQLITE_PATH: str | None = None
    # The queue's name in its storage: installations (or test runs) sharing a Redis differ.
    JOBS_QUEUE: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]{1,40}$")] = "intake"
    # Bulk exports made at once across the installation; the others wait their turn.
    EXPORTS_AT_ONCE: Count = 2
    # An export whose worker has not written for this long is taken over by another worker.
    EXPORT_STALE_SECONDS: Count = 90

    @field_validator("INTAKE_INSTANCE_PATH", "JOBS_SQLITE_PATH")
    @classmethod
    def _absolute(cls, value: str | None) -> str | None:
        return None if value is None else str(Path(value).expanduser().resolve())

    @classmethod
    def load(cls, overrides: Mapping[str, Any] | None = None) -> "Settings":
        """The settings from the environment, ``overrides`` winning.

        Overrides (tests' ``create_app(config)``) may hold any Flask config key; those that
        are settings are validated like the environment."""
        check_prefixed_variables(os.environ)
        given = {key: value for key, value in (overrides or {}).items() if key in cls.model_fields}
        try:
            settings = cls(**given)
        except ValidationError as error:
            raise ConfigError(_describe(error)) from None
        settings._check_production()
        return settings

    def _check_production(self) -> None:
        if self.INTAKE_ENV != "production":
            return
        if self.SECRET_KEY in {DEV_SECRET, ""}:
            raise ConfigError("SECRET_KEY must be set to a long random value in production")
        if len(self.SECRET_KEY) < 32:
            raise ConfigError("SECRET_KEY must be at least 32 characters in production")
        missing = [name for name in PURPOSE_KEYS if not getattr(self, name)]
        if missing:
            raise ConfigError(
                f"{', '.join(missing)} must be set in production: each key has one job"
                " (see the README's key rotation)"
            )
        short = [name for name in PURPOSE_KEYS if len(getattr(self, name)) < 32]
        if short:
            raise ConfigError(f"{', '.join(short)} must be at least 32 characters in production")
        values = [self.SECRET_KEY, *self.fallbacks, *(getattr(self, n) for n in PURPOSE_KEYS)]
        if len(set(values)) != len(values):
            raise ConfigError("SECRET_KEY, its fallbacks and each purpose's key must all differ")

    @property
    def fallbacks(self) -> list[str]:
        return [key.strip() for key in self.SECRET_KEY_FALLBACKS.split(",") if key.strip()]

    def purpose_key(self, name: str) -> str:
        return getattr(self, name) or derived_key(self.SECRET_KEY, name)

    @property
    def testing(self) -> bool:
        return self.INTAKE_ENV == "testing"

    def flask_config(self, instance_path: str, overrides: Mapping[str, Any] | None = None) -> dict:
        """The Flask config mapping; ``overrides`` that are not settings are applied as given."""
        sqlite_path = Path(instance_path) / "intake.sqlite3"
        config: dict[str, Any] = {
            "INTAKE_ENV": self.INTAKE_ENV,
            "SECRET_KEY": self.SECRET_KEY,
            "SECRET_KEY_FALLBACKS": self.fallbacks,
            **{name: self.purpose_key(name) for name in PURPOSE_KEYS},
            "SQLALCHEMY_DATABASE_URI": self.DATABASE_URL or f"sqlite:///{sqlite_path}",
            "SQLALCHEMY_ENGINE_OPTIONS": {},
            "MAX_CONTENT_LENGTH": self.MAX_CONTENT_LENGTH,
            "ATTACHMENT_MAX_COUNT": 5,
            "DRAFT_TTL_HOURS": self.DRAFT_TTL_HOURS,
            "LOOKUP_MAX_FAILURES": self.LOOKUP_MAX_FAILURES,
            "LOOKUP_MAX_FAILURES_PER_TRACKING": self.LOOKUP_MAX_FAILURES_PER_TRACKING,
            "LOOKUP_WINDOW_MINUTES": self.LOOKUP_WINDOW_MINUTES,
            "DB_LOCK_TIMEOUT_MS": self.DB_LOCK_TIMEOUT_MS,
            "PROXY_FIX_HOPS": self.PROXY_FIX_HOPS,
            "BABEL_DEFAULT_LOCALE": "en",
            "BABEL_TRANSLATION_DIRECTORIES": str(PACKAGE_DIR / "translations"),
            "LANGUAGES": {"en": "English", "es": "Español"},
            "WTF_CSRF_TIME_LIMIT": None,  # the draft expires; a token that dies mid-form loses work
            "SIGNIN_WINDOW_MINUTES": self.SIGNIN_WINDOW_MINUTES,
            "SIGNIN_MAX_FAILURES_PER_ACCOUNT": self.SIGNIN_MAX_FAILURES_PER_ACCOUNT,
            "SIGNIN_MAX_FAILURES_PER_CLIENT": self.SIGNIN_MAX_FAILURES_PER_CLIENT,
            "STAFF_IDLE_MINUTES": self.STAFF_IDLE_MINUTES,
            "TOTP_ISSUER": self.TOTP_ISSUER,
            "ARGON2_TIME_COST": self.ARGON2_TIME_COST or (1 if self.testing else 3),
            "ARGON2_MEMORY_KIB": self.ARGON2_MEMORY_KIB or (1024 if self.testing else 65536),
            # Target days in each status before a case counts as overdue.
            "STATUS_TARGET_DAYS": {
                "received": 3,
                "triage": 14,
                "awaiting_information": 30,
                "oig_review": 30,
                "component_referral": 90,
                "investigation": 120,
                "findings_review": 14,
                "recommendations_issued": 60,
            },
            "OVERSIGHT_SUPPRESSION_K": self.OVERSIGHT_SUPPRESSION_K,
            "PROFILING_FLAG_THRESHOLD": self.PROFILING_FLAG_THRESHOLD,
            "PROFILING_FLAG_WINDOW_DAYS": self.PROFILING_FLAG_WINDOW_DAYS,
            "OPEN_DATA_BATCH_SIZE": self.OPEN_DATA_BATCH_SIZE,
            "SESSION_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SAMESITE": "Lax",
            "SESSION_COOKIE_SECURE": (
                self.INTAKE_ENV == "production"
                if self.SESSION_COOKIE_SECURE is None
                else self.SESSION_COOKIE_SECURE
            ),
            "SESSION_COOKIE_NAME": "intake_session",
            "PERMANENT_SESSION_LIFETIME": 60 * 60 * 12,
            "REDIS_URL": self.REDIS_URL,
            "JOBS_SQLITE_PATH": self.JOBS_SQLITE_PATH or str(Path(instance_path) / "jobs.sqlite3"),
            "JOBS_QUEUE": self.JOBS_QUEUE,
            "EXPORTS_AT_ONCE": self.EXPORTS_AT_ONCE,
            "EXPORT_STALE_SECONDS": self.EXPORT_STALE_SECONDS,
        }
        if self.PDF_RENDER_TIMEOUT_SECONDS is not None:
            config["PDF_RENDER_TIMEOUT_SECONDS"] = self.PDF_RENDER_TIMEOUT_SECONDS
        if self.DOCUMENT_EXPORT_MAX_CASES is not None:
            config["DOCUMENT_EXPORT_MAX_CASES"] = self.DOCUMENT_EXPORT_MAX_CASES
        config.update(
            {k: v for k, v in (overrides or {}).items() if k not in type(self).model_fields}
        )
        if str(config["SQLALCHEMY_DATABASE_URI"]).startswith("postgresql"):
            options = dict(config["SQLALCHEMY_ENGINE_OPTIONS"])
            connect_args = dict(options.get("connect_args", {}))
            connect_args.setdefault("options", f"-c lock_timeout={config['DB_LOCK_TIMEOUT_MS']}")
            options["connect_args"] = connect_args
            options.setdefault("pool_pre_ping", True)
            config["SQLALCHEMY_ENGINE_OPTIONS"] = options
        return config


def check_prefixed_variables(environ: Mapping[str, str]) -> None:
    """Refuse a variable starting with ``INTAKE_`` that is not a setting (a misspelling, or a
    setting given the prefix it does not take), suggesting the nearest setting."""
    known = set(Settings.model_fields)
    unknown = sorted(
        name
        for name in environ
        if name.startswith(PREFIX) and name not in known and name not in OTHER_PREFIXED_VARIABLES
    )
    if not unknown:
        return
    problems = []
    for name in unknown:
        # INTAKE_DRAFT_TTL_HOURS: the setting without the prefix; INTAKE_EVN: INTAKE_ENV.
        close = [
            match
            for candidate in (name, name.removeprefix(PREFIX))
            for match in difflib.get_close_matches(candidate, known, n=1, cutoff=0.75)
        ]
        hint = f"; did you mean {close[0]}?" if close else " (the settings are in the README)"
        problems.append(f"unknown setting {name}{hint}")
    raise ConfigError("\n".join(problems))


def _describe(error: ValidationError) -> str:
    problems = []
    for item in error.errors():
        name = str(item["loc"][0]) if item["loc"] else "?"
        shown = "" if name in SECRET_VARIABLES else f"={item.get('input')!r}"
        problems.append(f"invalid setting {name}{shown}: {item['msg']}")
    return "\n".join(problems)
