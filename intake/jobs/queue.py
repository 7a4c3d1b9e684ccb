"""The job queue: one Huey whose storage the settings choose, and jobs that follow commits.

Storage: ``REDIS_URL`` set, Redis (any number of workers on any number of machines take jobs
from it); otherwise a SQLite file (``JOBS_SQLITE_PATH``, by default ``jobs.sqlite3`` in the
instance folder), which needs no server and serves the workers of one machine.

A job that follows a change is queued only once the change is committed:
``enqueue_after_commit`` keeps the call on the session, and it is sent when that session's
transaction commits, or dropped when it rolls back. A crash between the commit and the
sending is repaired by the feature's periodic sweep, which queues again any row that has
waited too long; each job claims its row with a conditional UPDATE, so a job that runs twice
does the work once.
"""

import functools
import logging
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from huey import Huey
from huey.signals import SIGNAL_ERROR
from huey.storage import BlackHoleStorage, RedisStorage, SqliteStorage
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction, scoped_session

from intake.database import AnySession
from intake.extensions import db

from . import leases
from .models import JobFailure

log = logging.getLogger(__name__)

# Until an app is configured, nothing is stored (an import alone queues nothing anywhere).
huey = Huey("intake", results=False, utc=True, storage_class=BlackHoleStorage)
PENDING_KEY = "intake.jobs.after_commit"
_state: dict[str, Any] = {}


def storage_description(config: dict | Any) -> str:
    url = config.get("REDIS_URL")
    where = f"redis {_without_password(url)}" if url else f"sqlite {config['JOBS_SQLITE_PATH']}"
    return f"{where} queue {config.get('JOBS_QUEUE', 'intake')}"


def _without_password(url: str) -> str:
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.rpartition('@')[2]}"


def configure(app: Flask) -> None:
    """Point the queue at this app's storage; the jobs run in this app's context."""
    url, name = app.config.get("REDIS_URL"), app.config.get("JOBS_QUEUE", "intake")
    where = (url, name, app.config["JOBS_SQLITE_PATH"])
    if _state.get("where") != where:
        if url:
            huey.storage = RedisStorage(name, url=url, blocking=True, read_timeout=1)
        else:
            path = Path(app.config["JOBS_SQLITE_PATH"])
            path.parent.mkdir(parents=True, exist_ok=True)
            huey.storage = SqliteStorage(name, filename=str(path), timeout=10)
        _state["where"] = where
    _state["app"] = app


def app_for_jobs() -> Flask:
    app = _state.get("app")
    if app is None:
        raise RuntimeError("the job queue is not configured: create the app first")
    return app


def job(
    name: str,
    *,
    retries: int = 0,
    retry_delay: float = 0,
    retry_backoff: float = 1.0,
    context: bool = False,
) -> Callable[[Callable[..., Any]], Any]:
    """A task run by a worker inside an app context, its session removed afterwards.
    With ``context``, the function is given ``task`` (``task.retries`` is the tries left)."""

    def decorator(fn: Callable[..., Any]) -> Any:
        @functools.wraps(fn)
        def run(*args: Any, **kwargs: Any) -> Any:
            with app_for_jobs().app_context():
                try:
                    return fn(*args, **kwargs)
                finally:
                    db.session.remove()

        return huey.task(
            retries=retries,
            retry_delay=retry_delay,
            retry_backoff=retry_backoff,
            context=context,
            name=name,
        )(run)

    return decorator


def periodic(name: str, schedule: Callable[..., bool], *, lease: timedelta) -> Callable:
    """A periodic task (Huey's; only a scheduler process queues them) that runs its body
    only while holding the lease of its name: however many schedulers queued it and however
    many workers took the copies, one sweep runs at a time."""

    def decorator(fn: Callable[[], Any]) -> Any:
        @functools.wraps(fn)
        def run() -> None:
            with app_for_jobs().app_context():
                try:
                    with leases.exclusive(name, lease) as held:
                        if held:
                            fn()
                            db.session.commit()
                        else:
                            log.info("%s: already running elsewhere, skipped", name)
                finally:
                    db.session.remove()

        wrapper = huey.periodic_task(schedule, name=name)(run)
        wrapper.sweep = fn  # the body, for `flask jobs sweep` and the tests
        return wrapper

    return decorator


# --- after commit -----------------------------------------------------------------------------


def enqueue_after_commit(task: Any, *args: Any, session: AnySession | None = None) -> None:
    """Queue ``task(*args)`` once the session's current transaction commits; never if it
    rolls back."""
    target = session if session is not None else db.session
    plain: Session = target() if isinstance(target, scoped_session) else target
    plain.info.setdefault(PENDING_KEY, []).append((task, args))


@event.listens_for(Session, "after_commit")
def _send_pending(session: Session) -> None:
    for task, args in session.info.pop(PENDING_KEY, ()):
        try:
            task(*args)
        except Exception:
            # The row is committed; the feature's sweep queues it again.
            log.exception("could not queue %s%r; the sweep will", task.name, args)


@event.listens_for(Session, "after_transaction_end")
def _drop_pending(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(PENDING_KEY, None)  # rolled back or closed without a commit


# --- failures ---------------------------------------------------------------------------------


@huey.signal(SIGNAL_ERROR)
def _record_failure(signal: str, task: Any, exc: BaseException | None = None) -> None:
    """A job that failed on its last try is kept, with its reason, for `flask jobs status`."""
    if task.retries:
        return  # it will be tried again
    with app_for_jobs().app_context():
        try:
            db.session.add(
                JobFailure(
                    task=task.name[:120],
                    task_id=str(task.id)[:64],
                    arguments=repr(task.args)[:500],
                    reason=f"{type(exc).__name__}: {exc}"[:4000],
                    attempts=1 + (getattr(task, "default_retries", 0) or 0),
                )
            )
            db.session.commit()
        except Exception:
            log.exception("could not record the failure of %s", task.name)
        finally:
            db.session.remove()
