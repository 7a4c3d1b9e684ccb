"""The status look-up's part of the schedule: old look-up throttle rows removed on time."""

import logging
from datetime import timedelta

from huey import crontab

from intake.jobs.queue import periodic

from . import services

log = logging.getLogger(__name__)


@periodic("tracking.purge-lookup-failures", crontab(minute="*"), lease=timedelta(minutes=5))
def purge_lookup_failures() -> None:
    removed = services.purge_old_failures()
    if removed:
        log.info("removed %d old look-up failures", removed)
