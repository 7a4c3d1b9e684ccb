"""Documents: administrators' letter wording, letters kept with cases, bulk exports.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21

- letter_templates: every save of a letter's wording is a row; the newest per kind and
  language is used, none means the built-in wording (templates/documents/letters/). Nothing
  is seeded: the built-in wording lives in one place, the repository.
- case_letters: each letter generated for a case, with the words as filled in and its PDF.
- document_exports / document_export_parts: a ZIP of case summaries, written in parts as it
  is made and downloaded part by part; rows expire.
"""

import sqlalchemy as sa
from alembic import op

import intake.database


revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# The vocabularies at this revision (intake/documents/models.py).
LETTER_KINDS = "'acknowledgment', 'request_information', 'referral_notice', 'closure'"
LETTER_LANGUAGES = "'en', 'es'"
EXPORT_STATUSES = "'queued', 'running', 'done', 'failed'"


def upgrade():
    op.create_table(
        "letter_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", intake.database.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            f"kind IN ({LETTER_KINDS})", name=op.f("ck_letter_templates_kind_known")
        ),
        sa.CheckConstraint(
            f"language IN ({LETTER_LANGUAGES})", name=op.f("ck_letter_templates_language_known")
        ),
        sa.CheckConstraint(
            "length(subject) BETWEEN 1 AND 200", name=op.f("ck_letter_templates_subject_length")
        ),
        sa.CheckConstraint(
            "length(body) BETWEEN 1 AND 20000", name=op.f("ck_letter_templates_body_length")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_letter_templates_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letter_templates")),
    )
    with op.batch_alter_table("letter_templates", schema=None) as batch_op:
        batch_op.create_index(
            "ix_letter_templates_current", ["kind", "language", "id"], unique=False
        )

    op.create_table(
        "case_letters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=True),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", intake.database.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.CheckConstraint(f"kind IN ({LETTER_KINDS})", name=op.f("ck_case_letters_kind_known")),
        sa.CheckConstraint(
            f"language IN ({LETTER_LANGUAGES})", name=op.f("ck_case_letters_language_known")
        ),
        sa.CheckConstraint("size_bytes > 0", name=op.f("ck_case_letters_not_empty")),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaints.id"],
            name=op.f("fk_case_letters_complaint_id_complaints"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_case_letters_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["letter_templates.id"],
            name=op.f("fk_case_letters_template_id_letter_templates"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_letters")),
    )
    with op.batch_alter_table("case_letters", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_case_letters_complaint_id"), ["complaint_id"], unique=False
        )

    op.create_table(
        "document_exports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("redacted", sa.Boolean(), nullable=False),
        sa.Column("complaint_ids", sa.JSON(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("created_at", intake.database.UTCDateTime(timezone=True), nullable=False),
        sa.Column("heartbeat_at", intake.database.UTCDateTime(timezone=True), nullable=True),
        sa.Column("finished_at", intake.database.UTCDateTime(timezone=True), nullable=True),
        sa.Column("expires_at", intake.database.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            f"status IN ({EXPORT_STATUSES})", name=op.f("ck_document_exports_status_known")
        ),
        sa.CheckConstraint(
            "done BETWEEN 0 AND total", name=op.f("ck_document_exports_progress_in_range")
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["users.id"],
            name=op.f("fk_document_exports_requested_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_exports")),
    )
    with op.batch_alter_table("document_exports", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_document_exports_expires_at"), ["expires_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_document_exports_requested_by_id"), ["requested_by_id"], unique=False
        )

    op.create_table(
        "document_export_parts",
        sa.Column("export_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["export_id"],
            ["document_exports.id"],
            name=op.f("fk_document_export_parts_export_id_document_exports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("export_id", "seq", name=op.f("pk_document_export_parts")),
    )


def downgrade():
    op.drop_table("document_export_parts")
    with op.batch_alter_table("document_exports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_exports_requested_by_id"))
        batch_op.drop_index(batch_op.f("ix_document_exports_expires_at"))
    op.drop_table("document_exports")
    with op.batch_alter_table("case_letters", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_letters_complaint_id"))
    op.drop_table("case_letters")
    with op.batch_alter_table("letter_templates", schema=None) as batch_op:
        batch_op.drop_index("ix_letter_templates_current")
    op.drop_table("letter_templates")
