"""The accounts' part of the schedule: old sign-in throttle rows and ended staff sessions
removed on time."""

import logging
from datetime import timedelta

from huey import crontab

from intake.jobs.queue import periodic

from . import services

log = logging.getLogger(__name__)


@periodic("accounts.purge-sign-in-attempts", crontab(minute="*"), lease=timedelta(minutes=5))
def purge_sign_in_attempts() -> None:
    removed = services.purge_old_attempts()
    if removed:
        log.info("removed %d old sign-in attempts", removed)


@periodic("accounts.purge-sessions", crontab(minute="*"), lease=timedelta(minutes=5))
def purge_sessions() -> None:
    removed = services.purge_ended_sessions()
    if removed:
        log.info("removed %d ended staff sessions", removed)
