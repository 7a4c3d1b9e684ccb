"""The complaints' part of the schedule: expired drafts removed on time."""

import logging
from datetime import timedelta

from huey import crontab

from intake.jobs.queue import periodic

from . import drafts

log = logging.getLogger(__name__)


@periodic("complaints.purge-drafts", crontab(minute="*"), lease=timedelta(minutes=5))
def purge_expired_drafts() -> None:
    removed = drafts.purge_expired()
    if removed:
        log.info("removed %d expired drafts", removed)
