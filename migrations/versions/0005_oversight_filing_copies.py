"""Oversight speed: the filing time copied onto allegations and agencies.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21

The dashboard counts allegations and agencies over a filing range; joining each with a
million complaints cost a third of a second or more. Each row now carries its complaint's
filing time, held equal to it by a foreign key on (complaint, filing time), with an index
that holds what is counted, and the agency and allegation filter indexes take the filing
time too. See ``_filed_with`` in intake/complaints/models.py.

On PostgreSQL, also extended statistics on the filing month, so the planner expects a dozen
months in a year rather than a group per complaint (it then hashes in parallel instead of
sorting half a million rows).
"""

import sqlalchemy as sa
from alembic import op

import intake.database

# revision identifiers, used by Alembic.
revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# Table -> what its oversight index holds after the filing time.
COUNTED = {"allegations": ["category", "finding"], "complaint_agencies": ["agency"]}
# Table -> (its filter index from 0004, the column the filter is on): the filters now take
# a filing range too.
FILTERED = {
    "allegations": ("ix_allegations_category_complaint", "category"),
    "complaint_agencies": ("ix_complaint_agencies_agency_complaint", "agency"),
}
MONTH_STATISTICS = "st_complaints_filed_month"


def upgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.create_unique_constraint("uq_complaints_id_submitted_at", ["id", "submitted_at"])
    for table, counted in COUNTED.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column(
                    "complaint_submitted_at",
                    intake.database.UTCDateTime(timezone=True),
                    nullable=True,
                )
            )
        # The table names are this file's constants, not input.
        if postgresql:
            op.execute(  # noqa: S608
                f"UPDATE {table} SET complaint_submitted_at = complaints.submitted_at"
                f" FROM complaints WHERE complaints.id = {table}.complaint_id"
            )
        else:
            op.execute(  # noqa: S608
                f"UPDATE {table} SET complaint_submitted_at = (SELECT submitted_at FROM"
                f" complaints WHERE complaints.id = {table}.complaint_id)"
            )
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("complaint_submitted_at", nullable=False)
            batch_op.drop_constraint(f"fk_{table}_complaint_id_complaints", type_="foreignkey")
            batch_op.create_foreign_key(
                f"fk_{table}_complaint_filed",
                "complaints",
                ["complaint_id", "complaint_submitted_at"],
                ["id", "submitted_at"],
                ondelete="CASCADE",
                onupdate="CASCADE",
            )
            batch_op.create_index(
                f"ix_{table}_filed", ["complaint_submitted_at", *counted], unique=False
            )
            old_index, code = FILTERED[table]
            batch_op.drop_index(old_index)
            batch_op.create_index(
                f"ix_{table}_{code}_filed",
                [code, "complaint_submitted_at", "complaint_id"],
                unique=False,
            )
    if postgresql:
        op.execute(
            f"CREATE STATISTICS {MONTH_STATISTICS} (ndistinct) ON"
            " (date_trunc('month', timezone('UTC', submitted_at))), incident_state, status"
            " FROM complaints"
        )
        op.execute("ANALYZE complaints")


def downgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    if postgresql:
        op.execute(f"DROP STATISTICS IF EXISTS {MONTH_STATISTICS}")
    for table in COUNTED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            old_index, code = FILTERED[table]
            batch_op.drop_index(f"ix_{table}_{code}_filed")
            batch_op.create_index(old_index, [code, "complaint_id"], unique=False)
            batch_op.drop_index(f"ix_{table}_filed")
            batch_op.drop_constraint(f"fk_{table}_complaint_filed", type_="foreignkey")
            batch_op.create_foreign_key(
                f"fk_{table}_complaint_id_complaints",
                "complaints",
                ["complaint_id"],
                ["id"],
                ondelete="CASCADE",
            )
            batch_op.drop_column("complaint_submitted_at")
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.drop_constraint("uq_complaints_id_submitted_at", type_="unique")
