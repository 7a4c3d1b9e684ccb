"""Work that runs on its own: the job queue (Huey), worker heartbeats, leases and the schedule.

Low in the layers: it knows nothing of the features. A feature that needs work done later
defines its tasks with ``intake.jobs.queue.job`` (or ``periodic``) and asks for them with
``enqueue_after_commit``; the factory imports every feature, so a worker knows every task.
"""
