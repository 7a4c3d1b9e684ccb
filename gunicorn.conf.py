"""gunicorn's settings for `gunicorn app:app` (it reads this file from the working directory).

Threaded workers: a worker streaming a long download (the open-data file of a million
complaints takes over a minute) keeps sending gunicorn its heartbeat from its main thread, so it
is not killed as stuck at ``timeout`` half-way through the file, as a sync worker would be.
PDF rendering is serialised per worker by intake/documents/pdf.py's lock.
"""

import os

worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1)))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))


def post_worker_init(worker):
    """Compile every template before this worker takes a request. Jinja otherwise compiles
    each on its first use, which added about 250 ms to the first oversight dashboard a new
    worker served (five templates); all 60 take about 0.35 s once, at start-up."""
    env = getattr(worker.wsgi, "jinja_env", None)
    if env is not None:
        for name in env.list_templates(filter_func=lambda name: name.endswith(".html")):
            env.get_template(name)
