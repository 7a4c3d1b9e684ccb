"""Jobs: leases, workers seen, failed jobs; exports made by workers and resumable.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04

- job_leases: a named right to run something until it expires (one sweep at a time, the N
  export slots).
- job_workers: each worker and scheduler process and its last heartbeat.
- job_failures: jobs that failed on their last try, with the reason.
- document_exports: the language it is made in (a worker has no request to ask) and why it
  failed; document_export_parts: the case each part belongs to and, on a case's last part,
  its ZIP entry, so that another worker can go on from the last case stored.
"""

import sqlalchemy as sa
from alembic import op

import intake.database

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "job_leases",
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("holder", sa.String(length=120), nullable=False),
        sa.Column("acquired_at", intake.database.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", intake.database.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_job_leases")),
    )
    op.create_table(
        "job_workers",
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("queue", sa.String(length=40), nullable=False),
        sa.Column("started_at", intake.database.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", intake.database.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_job_workers")),
    )
    with op.batch_alter_table("job_workers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_job_workers_last_seen_at"), ["last_seen_at"], unique=False
        )
    op.create_table(
        "job_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task", sa.String(length=120), nullable=False),
        sa.Column("task_id", sa.String(length=64), nullable=False),
        sa.Column("arguments", sa.String(length=500), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("failed_at", intake.database.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_failures")),
    )
    with op.batch_alter_table("job_failures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_job_failures_failed_at"), ["failed_at"], unique=False)
    with op.batch_alter_table("document_exports", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("language", sa.String(length=2), nullable=False, server_default="en")
        )
        batch_op.add_column(sa.Column("failure_reason", sa.Text(), nullable=True))
    with op.batch_alter_table("document_export_parts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("complaint_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("entry", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("document_export_parts", schema=None) as batch_op:
        batch_op.drop_column("entry")
        batch_op.drop_column("complaint_id")
    with op.batch_alter_table("document_exports", schema=None) as batch_op:
        batch_op.drop_column("failure_reason")
        batch_op.drop_column("language")
    with op.batch_alter_table("job_failures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_job_failures_failed_at"))
    op.drop_table("job_failures")
    with op.batch_alter_table("job_workers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_job_workers_last_seen_at"))
    op.drop_table("job_workers")
    op.drop_table("job_leases")
