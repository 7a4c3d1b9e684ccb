"""Health for load balancers and orchestrators: `/healthz` (live: the database answers) and
`/readyz` (ready: also the job queue answers and a worker was seen within a minute).
`/healthz?ready=1` is `/readyz`."""

from flask import Blueprint, request

from . import worker

bp = Blueprint("jobs_health", __name__)


def _answer(ready: bool):
    found = worker.problems(ready)
    if found:
        return {"status": "unavailable", "problems": found}, 503
    return {"status": "ok"}


@bp.route("/healthz")
def health():
    return _answer(ready=request.args.get("ready") == "1")


@bp.route("/readyz")
def ready():
    return _answer(ready=True)
