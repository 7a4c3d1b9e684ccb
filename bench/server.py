"""A fresh database, migrated, and the app served by gunicorn on loopback for a benchmark."""

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
BACKENDS = ("sqlite", "postgresql")
POSTGRES_HOST = "127.0.0.1:5432"
# Per run: two benchmarks at once must not drop each other's database.
POSTGRES_DB = f"intake_bench_{os.getpid()}"
STARTUP_TIMEOUT = 30.0
SHUTDOWN_TIMEOUT = 20.0


class BackendUnavailable(RuntimeError):
    """The database server for a backend cannot be reached: skip that backend."""


@dataclass(frozen=True)
class Server:
    backend: str
    base_url: str
    database_url: str  # SQLAlchemy URL, for sections that check what was stored
    workers: int
    log_path: Path  # gunicorn's and the app's log output


@contextmanager
def serve(backend: str, *, workers: int) -> Iterator[Server]:
    """Migrate a fresh ``backend`` database and serve the app on it until the block ends."""
    with (
        tempfile.TemporaryDirectory(prefix=f"intake-bench-{backend}-") as tmp,
        fresh_database(backend, Path(tmp)) as database_url,
        serve_database(backend, database_url, workers=workers, instance=Path(tmp)) as server,
    ):
        yield server


def app_environment(database_url: str, instance: Path, secret_key: str | None = None) -> dict:
    """The environment the app runs in under the bench: production settings on plain http."""
    return {
        **os.environ,
        "INTAKE_ENV": "production",
        "SECRET_KEY": secret_key or secrets.token_urlsafe(36),  # 48 characters
        "SESSION_COOKIE_SECURE": "0",  # the bench speaks plain http on loopback
        "DATABASE_URL": database_url,
        "INTAKE_INSTANCE_PATH": str(instance),
    }


@contextmanager
def serve_database(
    backend: str,
    database_url: str,
    *,
    workers: int,
    instance: Path,
    secret_key: str | None = None,
) -> Iterator[Server]:
    """Migrate the database at ``database_url`` (it may hold data) and serve the app on it,
    with a job worker beside it (bulk exports are made by workers)."""
    env = app_environment(database_url, instance, secret_key)
    migrate(env)
    with _gunicorn("app:app", env, backend, database_url, workers, instance) as server:
        yield server


@contextmanager
def serve_floor(
    backend: str, database_url: str, *, workers: int, instance: Path
) -> Iterator[Server]:
    """The stack's floor (bench/fortunes.py) on the database at ``database_url``, served as
    the app is: the same gunicorn settings, workers and environment."""
    env = app_environment(database_url, instance)
    with _gunicorn(
        "bench.fortunes:create_app()", env, backend, database_url, workers, instance
    ) as server:
        yield server


@contextmanager
def _gunicorn(
    app: str, env: dict, backend: str, database_url: str, workers: int, instance: Path
) -> Iterator[Server]:
    port = _free_port()
    log_path = instance / f"gunicorn-{port}.log"
    worker_log = (instance / f"worker-{port}.log").open("wb")
    worker = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "flask", "--app", "app", "jobs", "worker"],
        cwd=ROOT, env=env, stdout=worker_log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    command = [
        sys.executable, "-m", "gunicorn", app,
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers),
        # Worker class, threads and timeout from gunicorn.conf.py, as in production.
        "--graceful-timeout", str(int(SHUTDOWN_TIMEOUT / 2)),
    ]  # fmt: skip
    with log_path.open("wb") as log:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            base_url = f"http://127.0.0.1:{port}"
            _wait_until_healthy(base_url, process, log_path)
            yield Server(backend, base_url, database_url, workers, log_path)
        finally:
            _stop(process)
            _stop(worker)
            worker_log.close()


@contextmanager
def fresh_database(backend: str, instance: Path) -> Iterator[str]:
    """An empty database; yields its SQLAlchemy URL. The PostgreSQL one is dropped after."""
    if backend == "sqlite":
        yield f"sqlite:///{instance / 'intake-bench.sqlite3'}"
        return
    if backend != "postgresql":
        raise ValueError(f"unknown backend {backend!r}")
    name = sql.Identifier(POSTGRES_DB)
    _postgres_admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
    _postgres_admin(sql.SQL("CREATE DATABASE {}").format(name))
    try:
        yield f"postgresql+psycopg://postgres@{POSTGRES_HOST}/{POSTGRES_DB}"
    finally:
        _postgres_admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))


def ensure_postgres_database(name: str) -> None:
    """Create the PostgreSQL database ``name`` unless it exists (its data is kept)."""
    with suppress(psycopg.errors.DuplicateDatabase):
        _postgres_admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _postgres_admin(statement: sql.Composed) -> None:
    try:
        conn = psycopg.connect(
            f"postgresql://postgres@{POSTGRES_HOST}/postgres", autocommit=True, connect_timeout=3
        )
    except psycopg.OperationalError as error:
        reason = str(error).strip().splitlines()[0]
        raise BackendUnavailable(
            f"PostgreSQL on {POSTGRES_HOST} is not reachable: {reason}"
        ) from error
    with conn:
        conn.execute(statement)


def migrate(env: dict[str, str]) -> None:
    result = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "flask", "--app", "app", "db", "upgrade"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise RuntimeError(f"flask db upgrade failed:\n{result.stderr[-3000:]}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_healthy(base_url: str, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    with httpx.Client(base_url=base_url, timeout=2.0, trust_env=False) as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited at start:\n{_tail(log_path)}")
            try:
                if client.get("/healthz").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
    raise RuntimeError(
        f"/healthz did not answer within {STARTUP_TIMEOUT:.0f} s:\n{_tail(log_path)}"
    )


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM (gunicorn's graceful stop), then SIGKILL if it is still running."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=SHUTDOWN_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _tail(path: Path, lines: int = 40) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


# "ERROR:intake.errors:database unavailable: ...", gunicorn's "[...] [ERROR] ...", and the last
# line of a traceback ("sqlalchemy.exc.IntegrityError: ...").
_ERROR_LINE = re.compile(r"^(ERROR:.*|\[.*?\] \[\d+\] \[ERROR\] .*|[\w.]+(?:Error|Exception): .*)$")
_GUNICORN_PREFIX = re.compile(r"^\[.*?\] \[\d+\] ")


def log_errors(log_path: Path) -> Counter[str]:
    """Error lines in the server's log, counted, without timestamps and process ids."""
    found: Counter[str] = Counter()
    for line in log_path.read_text(errors="replace").splitlines():
        if _ERROR_LINE.match(line):
            found[_GUNICORN_PREFIX.sub("", line)[:200]] += 1
    return found
