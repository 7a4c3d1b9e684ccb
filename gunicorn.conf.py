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
