"""Configuration from the environment, with safe defaults for the embedded database."""

import os
from pathlib import Path


class ConfigError(RuntimeError):
    """The environment does not describe a configuration the app may start with."""


DEV_SECRET = "dev-only-not-secret"  # noqa: S105 - refused outside development and testing


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def load_config(instance_path: str, overrides: dict | None = None) -> dict:
    """Build the config mapping; ``overrides`` (tests) win over the environment."""
    env = os.environ
    overrides = dict(overrides or {})
    mode = overrides.get("INTAKE_ENV") or env.get("INTAKE_ENV", "development")
    if mode not in {"development", "testing", "production"}:
        raise ConfigError(f"INTAKE_ENV must be development, testing or production, not {mode!r}")
    sqlite_path = Path(instance_path) / "intake.sqlite3"
    config = {
        "INTAKE_ENV": mode,
        "SECRET_KEY": env.get("SECRET_KEY") or DEV_SECRET,
        "SQLALCHEMY_DATABASE_URI": env.get("DATABASE_URL") or f"sqlite:///{sqlite_path}",
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        # Five attachments of 10 MB plus the form fields around them.
        "MAX_CONTENT_LENGTH": int(env.get("MAX_CONTENT_LENGTH", 52 * 1024 * 1024)),
        "ATTACHMENT_MAX_COUNT": 5,
        "DRAFT_TTL_HOURS": int(env.get("DRAFT_TTL_HOURS", 72)),
        # Status look-ups: this many failures from one address (or on one tracking number)
        # inside the window, and further tries are refused until the window passes.
        "LOOKUP_MAX_FAILURES": int(env.get("LOOKUP_MAX_FAILURES", 5)),
        "LOOKUP_MAX_FAILURES_PER_TRACKING": int(env.get("LOOKUP_MAX_FAILURES_PER_TRACKING", 20)),
        "LOOKUP_WINDOW_MINUTES": int(env.get("LOOKUP_WINDOW_MINUTES", 15)),
        # How long a request waits for a lock before failing with a clear "try again" page
        # (SQLite's busy timeout; PostgreSQL's lock_timeout).
        "DB_LOCK_TIMEOUT_MS": int(env.get("DB_LOCK_TIMEOUT_MS", 5000)),
        "PROXY_FIX_HOPS": int(env.get("PROXY_FIX_HOPS", 0)),
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).parent / "translations"),
        "LANGUAGES": {"en": "English", "es": "Español"},
        "WTF_CSRF_TIME_LIMIT": None,  # the draft expires; a token that dies mid-form loses work
        "SIGNIN_WINDOW_MINUTES": int(env.get("SIGNIN_WINDOW_MINUTES", 15)),
        "SIGNIN_MAX_FAILURES_PER_ACCOUNT": int(env.get("SIGNIN_MAX_FAILURES_PER_ACCOUNT", 5)),
        "SIGNIN_MAX_FAILURES_PER_CLIENT": int(env.get("SIGNIN_MAX_FAILURES_PER_CLIENT", 20)),
        "STAFF_IDLE_MINUTES": int(env.get("STAFF_IDLE_MINUTES", 30)),
        "TOTP_ISSUER": env.get("TOTP_ISSUER", "intake"),
        # argon2id cost. The test configuration makes hashing cheap: the suite creates
        # thousands of accounts, and the cost is not what the tests are about.
        "ARGON2_TIME_COST": int(env.get("ARGON2_TIME_COST", 1 if mode == "testing" else 3)),
        "ARGON2_MEMORY_KIB": int(
            env.get("ARGON2_MEMORY_KIB", 1024 if mode == "testing" else 65536)
        ),
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
        # Oversight. Published counts below k are shown as "fewer than k" (with complementary
        # suppression), and the open data leaves out a county with fewer than k complaints.
        "OVERSIGHT_SUPPRESSION_K": int(env.get("OVERSIGHT_SUPPRESSION_K", 11)),
        # A registered jurisdiction is flagged when its profiling complaints in the last
        # PROFILING_FLAG_WINDOW_DAYS reach PROFILING_FLAG_THRESHOLD.
        "PROFILING_FLAG_THRESHOLD": int(env.get("PROFILING_FLAG_THRESHOLD", 5)),
        "PROFILING_FLAG_WINDOW_DAYS": int(env.get("PROFILING_FLAG_WINDOW_DAYS", 90)),
        "OPEN_DATA_BATCH_SIZE": int(env.get("OPEN_DATA_BATCH_SIZE", 2000)),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool(env.get("SESSION_COOKIE_SECURE"), mode == "production"),
        "SESSION_COOKIE_NAME": "intake_session",
        "PERMANENT_SESSION_LIFETIME": 60 * 60 * 12,
    }
    # PDF documents: taken from the environment only when set, so that their defaults (20
    # seconds a render, 5,000 cases an export) stay with the code that uses them.
    for name, kind in (("PDF_RENDER_TIMEOUT_SECONDS", float), ("DOCUMENT_EXPORT_MAX_CASES", int)):
        if env.get(name):
            config[name] = kind(env[name])
    config.update(overrides)
    if str(config["SQLALCHEMY_DATABASE_URI"]).startswith("postgresql"):
        options = dict(config["SQLALCHEMY_ENGINE_OPTIONS"])
        connect_args = dict(options.get("connect_args", {}))
        connect_args.setdefault("options", f"-c lock_timeout={int(config['DB_LOCK_TIMEOUT_MS'])}")
        options["connect_args"] = connect_args
        options.setdefault("pool_pre_ping", True)
        config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    if mode == "production" and config["SECRET_KEY"] in {DEV_SECRET, "", None}:
        raise ConfigError("SECRET_KEY must be set to a long random value in production")
    if mode == "production" and len(str(config["SECRET_KEY"])) < 32:
        raise ConfigError("SECRET_KEY must be at least 32 characters in production")
    return config
