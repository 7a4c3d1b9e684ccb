"""Settings from the environment: defaults, types, unknown INTAKE_ variables, production secrets.

These build the settings directly (no database); the environment is emptied of every setting
first, so the machine's own variables do not leak in."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from intake.config import DEV_SECRET, ConfigError, Settings, folder
from intake.factory import create_app

ROOT = Path(__file__).resolve().parent.parent
GOOD_SECRET = "s" * 32
# Production's one key a job, each different.
PURPOSE_KEYS = {"ACCESS_CODE_KEY": "a" * 32, "RECORD_ID_KEY": "r" * 32, "THROTTLE_KEY": "t" * 32}


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for name in list(os.environ):
        if name in Settings.model_fields or name.startswith("INTAKE_"):
            monkeypatch.delenv(name)


def test_defaults():
    settings = Settings.load()
    assert settings.INTAKE_ENV == "development"
    assert settings.SECRET_KEY == DEV_SECRET
    config = settings.flask_config("/srv/instance")
    assert config["SQLALCHEMY_DATABASE_URI"] == "sqlite:////srv/instance/intake.sqlite3"
    assert config["SQLALCHEMY_ENGINE_OPTIONS"] == {}
    expected = {
        "DB_LOCK_TIMEOUT_MS": 5000,
        "DRAFT_TTL_HOURS": 72,
        "LOOKUP_MAX_FAILURES": 5,
        "LOOKUP_MAX_FAILURES_PER_TRACKING": 20,
        "LOOKUP_WINDOW_MINUTES": 15,
        "SIGNIN_MAX_FAILURES_PER_ACCOUNT": 5,
        "SIGNIN_MAX_FAILURES_PER_CLIENT": 20,
        "SIGNIN_WINDOW_MINUTES": 15,
        "STAFF_IDLE_MINUTES": 30,
        "TOTP_ISSUER": "intake",
        "PROXY_FIX_HOPS": 0,
        "OVERSIGHT_SUPPRESSION_K": 11,
        "PROFILING_FLAG_THRESHOLD": 5,
        "PROFILING_FLAG_WINDOW_DAYS": 90,
        "OPEN_DATA_BATCH_SIZE": 2000,
        "MAX_CONTENT_LENGTH": 52 * 1024 * 1024,
        "SESSION_COOKIE_SECURE": False,
        "ARGON2_TIME_COST": 3,
        "ARGON2_MEMORY_KIB": 65536,
    }
    assert {key: config[key] for key in expected} == expected
    # Their defaults live with the code that uses them (pdf.py, exports.py).
    assert "PDF_RENDER_TIMEOUT_SECONDS" not in config
    assert "DOCUMENT_EXPORT_MAX_CASES" not in config


def test_defaults_that_follow_the_mode():
    testing = Settings.load({"INTAKE_ENV": "testing"}).flask_config("/i")
    assert (testing["ARGON2_TIME_COST"], testing["ARGON2_MEMORY_KIB"]) == (1, 1024)
    production = Settings.load(
        {"INTAKE_ENV": "production", "SECRET_KEY": GOOD_SECRET, **PURPOSE_KEYS}
    )
    assert production.flask_config("/i")["SESSION_COOKIE_SECURE"] is True


def test_values_from_the_environment(monkeypatch):
    monkeypatch.setenv("DRAFT_TTL_HOURS", "5")
    monkeypatch.setenv("PDF_RENDER_TIMEOUT_SECONDS", "7.5")
    monkeypatch.setenv("DOCUMENT_EXPORT_MAX_CASES", "10")
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "0")
    monkeypatch.setenv("TOTP_ISSUER", "")  # empty: not set
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u@h/db")
    monkeypatch.setenv("INTAKE_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", GOOD_SECRET)
    for name, value in PURPOSE_KEYS.items():
        monkeypatch.setenv(name, value)
    config = Settings.load().flask_config("/i")
    assert config["DRAFT_TTL_HOURS"] == 5
    assert config["PDF_RENDER_TIMEOUT_SECONDS"] == 7.5
    assert config["DOCUMENT_EXPORT_MAX_CASES"] == 10
    assert config["SESSION_COOKIE_SECURE"] is False
    assert config["TOTP_ISSUER"] == "intake"
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"
    assert config["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"] == {
        "options": "-c lock_timeout=5000"
    }


def test_overrides_win_and_may_hold_any_flask_key(monkeypatch):
    monkeypatch.setenv("STAFF_IDLE_MINUTES", "45")
    overrides = {"STAFF_IDLE_MINUTES": 1, "SQLALCHEMY_DATABASE_URI": "sqlite://", "X": 1}
    config = Settings.load(overrides).flask_config("/i", overrides)
    assert config["STAFF_IDLE_MINUTES"] == 1
    assert config["SQLALCHEMY_DATABASE_URI"] == "sqlite://"
    assert config["X"] == 1


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DRAFT_TTL_HOURS", "abc", "DRAFT_TTL_HOURS='abc': Input should be a valid integer"),
        ("DRAFT_TTL_HOURS", "0", "DRAFT_TTL_HOURS='0': Input should be greater than"),
        ("PROXY_FIX_HOPS", "-1", "PROXY_FIX_HOPS='-1'"),
        ("PDF_RENDER_TIMEOUT_SECONDS", "soon", "PDF_RENDER_TIMEOUT_SECONDS='soon'"),
        ("SESSION_COOKIE_SECURE", "maybe", "SESSION_COOKIE_SECURE='maybe'"),
        ("INTAKE_ENV", "staging", "INTAKE_ENV='staging': Input should be 'development'"),
    ],
)
def test_a_wrong_type_is_refused_naming_the_variable(monkeypatch, name, value, message):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=re.escape("invalid setting " + message)):
        Settings.load()


def test_every_wrong_value_is_named_at_once(monkeypatch):
    monkeypatch.setenv("DRAFT_TTL_HOURS", "abc")
    monkeypatch.setenv("STAFF_IDLE_MINUTES", "half an hour")
    with pytest.raises(ConfigError) as raised:
        Settings.load()
    assert "DRAFT_TTL_HOURS" in str(raised.value) and "STAFF_IDLE_MINUTES" in str(raised.value)


def test_a_wrong_override_is_refused_too():
    with pytest.raises(ConfigError, match="invalid setting OPEN_DATA_BATCH_SIZE='many'"):
        Settings.load({"OPEN_DATA_BATCH_SIZE": "many"})


def test_create_app_stops_before_anything_else(monkeypatch):
    monkeypatch.setenv("DRAFT_TTL_HOURS", "abc")
    with pytest.raises(ConfigError, match="DRAFT_TTL_HOURS"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("INTAKE_EVN", "INTAKE_EVN; did you mean INTAKE_ENV?"),
        ("INTAKE_DRAFT_TTL_HOURS", "INTAKE_DRAFT_TTL_HOURS; did you mean DRAFT_TTL_HOURS?"),
        ("INTAKE_SECRET_KEY", "INTAKE_SECRET_KEY; did you mean SECRET_KEY?"),
        ("INTAKE_INSTANCE_PATHS", "INTAKE_INSTANCE_PATHS; did you mean INTAKE_INSTANCE_PATH?"),
        ("INTAKE_FOO", "INTAKE_FOO (the settings are in the README)"),
    ],
)
def test_an_unknown_intake_variable_is_refused(monkeypatch, name, message):
    monkeypatch.setenv(name, "1")
    with pytest.raises(ConfigError, match=re.escape("unknown setting " + message)):
        Settings.load()


def test_known_intake_variables_and_unprefixed_strangers_are_accepted(monkeypatch, tmp_path):
    monkeypatch.setenv("INTAKE_ENV", "testing")
    monkeypatch.setenv("INTAKE_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("INTAKE_SCREENSHOTS", str(tmp_path))  # the browser tests' option
    monkeypatch.setenv("DRAFT_TTL_HOUR", "1")  # not ours to judge: no prefix
    config = Settings.load().model_dump()
    assert config["INTAKE_INSTANCE_PATH"] == str(tmp_path)
    assert config["DRAFT_TTL_HOURS"] == 72


def test_a_relative_instance_path_is_made_absolute(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("INTAKE_INSTANCE_PATH", "here")
    path = Settings.load().INTAKE_INSTANCE_PATH
    assert path == str(tmp_path.resolve() / "here")


@pytest.mark.parametrize("secret", [None, "", DEV_SECRET, "short", "x" * 31])
def test_production_refuses_a_missing_or_short_secret(monkeypatch, secret):
    monkeypatch.setenv("INTAKE_ENV", "production")
    if secret is not None:
        monkeypatch.setenv("SECRET_KEY", secret)
    with pytest.raises(ConfigError, match="SECRET_KEY") as raised:
        Settings.load()
    if secret:
        assert secret not in str(raised.value) or secret == DEV_SECRET


def test_production_accepts_a_long_secret_from_the_environment_or_an_override(monkeypatch):
    monkeypatch.setenv("INTAKE_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", GOOD_SECRET)
    for name, value in PURPOSE_KEYS.items():
        monkeypatch.setenv(name, value)
    assert Settings.load().SECRET_KEY == GOOD_SECRET
    monkeypatch.setenv("SECRET_KEY", "short")
    assert Settings.load({"SECRET_KEY": "o" * 40}).SECRET_KEY == "o" * 40
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        Settings.load({"SECRET_KEY": "short"})


def test_development_and_testing_accept_the_development_secret():
    for mode in ("development", "testing"):
        assert Settings.load({"INTAKE_ENV": mode}).SECRET_KEY == DEV_SECRET


def test_the_readme_documents_every_setting():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Configuration (environment)", 1)[1].split("\n## ", 1)[0]
    first_column = [line.split("|")[1] for line in table.splitlines() if line.startswith("| `")]
    documented = {name for cell in first_column for name in re.findall(r"`([A-Z0-9_]+)`", cell)}
    gunicorn = {"WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_TIMEOUT"}
    assert documented - gunicorn <= set(Settings.model_fields), documented - gunicorn
    assert set(Settings.model_fields) <= documented, set(Settings.model_fields) - documented


def test_a_source_checkout_uses_its_top_level_folders():
    for name in ("templates", "static", "migrations"):
        assert folder(name) == ROOT / name


def test_the_flask_command_reports_a_configuration_error_without_a_traceback(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in Settings.model_fields}
    env.update(DRAFT_TTL_HOURS="abc", INTAKE_INSTANCE_PATH=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "routes"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 1
    assert "invalid setting DRAFT_TTL_HOURS='abc'" in result.stderr
    assert "Traceback" not in result.stderr
