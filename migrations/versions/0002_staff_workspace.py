"""Staff workspace: accounts, sessions, review columns, notes, recommendations, search index.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21

Full-text search lives outside the models (it differs by database):
PostgreSQL gets a `complaint_search` table with a tsvector and a GIN index;
SQLite gets an FTS5 virtual table of the same name. intake/queue/search.py keeps both filled.
"""

import sqlalchemy as sa
from alembic import op

import intake.database


revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# The agencies vocabulary at this revision (intake/reference/categories.py AGENCIES).
AGENCY_CODES = ", ".join(
    f"'{code}'" for code in ("ice", "cbp", "uscis", "tsa", "other_dhs", "local_police", "not_sure")
)


# The columns the review queue filters on at this revision, carried in its indexes.
QUEUE_FILTER_COLUMNS = [
    "status",
    "status_changed_at",
    "assignee_id",
    "incident_state",
    "incident_county_fips",
    "channel",
    "language",
]


def _without(columns: list[str], column: str) -> list[str]:
    return [name for name in columns if name != column]


def upgrade():
    op.create_table(
        "sign_in_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_key", sa.String(length=64), nullable=False),
        sa.Column("client_key", sa.String(length=64), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.Column("attempted_at", intake.database.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_attempts")),
    )
    with op.batch_alter_table("sign_in_attempts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sign_in_attempts_account_key"), ["account_key"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_sign_in_attempts_attempted_at"), ["attempted_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_sign_in_attempts_client_key"), ["client_key"], unique=False
        )

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("totp_secret", sa.String(length=64), nullable=False),
        sa.Column("totp_enrolled_at", intake.database.UTCDateTime(timezone=True), nullable=True),
        sa.Column("totp_last_step", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", intake.database.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", intake.database.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_users_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_users_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    op.create_table(
        "staff_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", intake.database.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", intake.database.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", intake.database.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_staff_sessions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_staff_sessions_token_hash")),
    )
    with op.batch_alter_table("staff_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_sessions_user_id"), ["user_id"], unique=False)

    op.create_table(
        "user_roles",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.CheckConstraint(
            "role IN ('intake_specialist', 'investigator', 'supervisor', 'analyst', 'administrator')",
            name=op.f("ck_user_roles_role_known"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_user_roles_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "role", name=op.f("pk_user_roles")),
    )
    op.create_table(
        "case_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", intake.database.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "length(body) BETWEEN 1 AND 20000", name=op.f("ck_case_notes_body_length")
        ),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaints.id"],
            name=op.f("fk_case_notes_complaint_id_complaints"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_case_notes_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_notes")),
    )
    with op.batch_alter_table("case_notes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_case_notes_complaint_id"), ["complaint_id"], unique=False
        )

    op.create_table(
        "recommendations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("agency_response", sa.String(length=20), nullable=True),
        sa.Column("response_notes", sa.Text(), nullable=True),
        sa.Column(
            "response_recorded_at", intake.database.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("response_recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", intake.database.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("updated_at", intake.database.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "agency_response IS NULL OR agency_response IN ('concur', 'partially_concur', 'non_concur')",
            name=op.f("ck_recommendations_agency_response_known"),
        ),
        sa.CheckConstraint(
            "(agency_response IS NULL) = (response_recorded_at IS NULL)",
            name=op.f("ck_recommendations_response_dated"),
        ),
        sa.CheckConstraint(
            "length(body) BETWEEN 1 AND 20000", name=op.f("ck_recommendations_body_length")
        ),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaints.id"],
            name=op.f("fk_recommendations_complaint_id_complaints"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_recommendations_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["response_recorded_by_id"],
            ["users.id"],
            name=op.f("fk_recommendations_response_recorded_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_recommendations_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recommendations")),
    )
    with op.batch_alter_table("recommendations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_recommendations_complaint_id"), ["complaint_id"], unique=False
        )

    with op.batch_alter_table("allegations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("finding", sa.String(length=24), nullable=True))
        batch_op.add_column(sa.Column("finding_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("finding_at", intake.database.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_allegations_finding_by_id_users"), "users", ["finding_by_id"], ["id"]
        )

    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("message_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("uploaded_by_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_attachments_message_id"), ["message_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_attachments_uploaded_by_id_users"), "users", ["uploaded_by_id"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_attachments_message_id_complaint_messages"),
            "complaint_messages",
            ["message_id"],
            ["id"],
            ondelete="SET NULL",
        )

    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index(
            "ix_audit_events_object", ["object_type", "object_id", "seq"], unique=False
        )

    with op.batch_alter_table("complaint_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sent_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_complaint_messages_sent_by_id_users"), "users", ["sent_by_id"], ["id"]
        )

    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "status_changed_at", intake.database.UTCDateTime(timezone=True), nullable=True
            )
        )
        batch_op.add_column(sa.Column("closure_reason", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("referral_agency", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("duplicate_of_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("assignee_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
        batch_op.add_column(sa.Column("created_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("updated_by_id", sa.Integer(), nullable=True))
        batch_op.drop_index(batch_op.f("ix_complaints_status"))
        batch_op.drop_index(batch_op.f("ix_complaints_submitted_at"))
        # The review queue: a keyset order, then every column the queue filters on, so a
        # page's ids come from the index alone (intake/complaints/models.py).
        batch_op.create_index(
            "ix_complaints_assignee_queue",
            ["assignee_id", "submitted_at", "id", "status"],
            unique=False,
        )
        batch_op.create_index(
            "ix_complaints_queue", ["submitted_at", "id", *QUEUE_FILTER_COLUMNS], unique=False
        )
        batch_op.create_index(
            "ix_complaints_status_age", ["status", "status_changed_at", "id"], unique=False
        )
        batch_op.create_index(
            "ix_complaints_status_clock",
            ["status_changed_at", "id", *_without(QUEUE_FILTER_COLUMNS, "status_changed_at")],
            unique=False,
        )
        batch_op.create_index(
            "ix_complaints_search_lookup",
            [
                "id",
                "submitted_at",
                "status_changed_at",
                *_without(QUEUE_FILTER_COLUMNS, "status_changed_at"),
            ],
            unique=False,
        )
        batch_op.create_index(
            "ix_complaints_status_queue",
            ["status", "submitted_at", "id", *_without(QUEUE_FILTER_COLUMNS, "status")],
            unique=False,
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_complaints_assignee_id_users"), "users", ["assignee_id"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_complaints_updated_by_id_users"), "users", ["updated_by_id"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_complaints_created_by_id_users"), "users", ["created_by_id"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_complaints_duplicate_of_id_complaints"),
            "complaints",
            ["duplicate_of_id"],
            ["id"],
        )

    # Existing rows: the status clock starts at filing; closed rows (demo data only before this
    # revision) get the one reason that claims nothing about the outcome.
    op.execute("UPDATE complaints SET status_changed_at = submitted_at")
    op.execute(
        "UPDATE complaints SET closure_reason = 'insufficient_information' WHERE status = 'closed'"
    )
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.alter_column(
            "status_changed_at",
            existing_type=intake.database.UTCDateTime(timezone=True),
            nullable=False,
        )
        batch_op.alter_column("version", existing_type=sa.Integer(), server_default=None)
        batch_op.create_check_constraint(
            "closed_with_reason",
            "(status = 'closed') = (closure_reason IS NOT NULL) AND (closure_reason IS NULL OR "
            "closure_reason IN ('recommendations_resolved', 'no_violation', 'investigated_by_oig', "
            "'referred_elsewhere', 'no_jurisdiction', 'insufficient_information', 'duplicate', "
            "'withdrawn'))",
        )
        batch_op.create_check_constraint(
            "referral_agency_known",
            f"referral_agency IS NULL OR referral_agency IN ({AGENCY_CODES})",
        )
        batch_op.create_check_constraint(
            "duplicate_names_original",
            "(closure_reason = 'duplicate') = (duplicate_of_id IS NOT NULL)",
        )
        batch_op.create_check_constraint(
            "not_own_duplicate", "duplicate_of_id IS NULL OR duplicate_of_id <> id"
        )

    with op.batch_alter_table("allegations", schema=None) as batch_op:
        batch_op.create_check_constraint(
            "finding_known",
            "finding IS NULL OR finding IN ('substantiated', 'not_substantiated', 'unfounded', "
            "'unable_to_determine', 'no_jurisdiction')",
        )

    _create_search_index()


def _create_search_index():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE TABLE complaint_search ("
            " complaint_id integer PRIMARY KEY REFERENCES complaints (id) ON DELETE CASCADE,"
            " document tsvector NOT NULL)"
        )
        op.execute(
            "CREATE INDEX ix_complaint_search_document ON complaint_search USING GIN (document)"
        )
        # Word frequencies for thousands of words, not the default hundreds: the planner then
        # tells a rare search from a common one (intake/queue/search.py relies on it).
        op.execute("ALTER TABLE complaint_search ALTER COLUMN document SET STATISTICS 1000")
    else:
        # rowid is the complaint id. Accents are folded so "Jose" finds "José".
        op.execute(
            "CREATE VIRTUAL TABLE complaint_search USING fts5("
            "document, tokenize='unicode61 remove_diacritics 2')"
        )


def downgrade():
    op.execute("DROP TABLE complaint_search")
    with op.batch_alter_table("allegations", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_allegations_finding_known"), type_="check")
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        for name in (
            "closed_with_reason",
            "referral_agency_known",
            "duplicate_names_original",
            "not_own_duplicate",
        ):
            batch_op.drop_constraint(batch_op.f(f"ck_complaints_{name}"), type_="check")
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_complaints_duplicate_of_id_complaints"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_complaints_created_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_complaints_updated_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("fk_complaints_assignee_id_users"), type_="foreignkey")
        batch_op.drop_index("ix_complaints_status_queue")
        batch_op.drop_index("ix_complaints_search_lookup")
        batch_op.drop_index("ix_complaints_status_clock")
        batch_op.drop_index("ix_complaints_status_age")
        batch_op.drop_index("ix_complaints_queue")
        batch_op.drop_index("ix_complaints_assignee_queue")
        batch_op.create_index(
            batch_op.f("ix_complaints_submitted_at"), ["submitted_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_complaints_status"), ["status"], unique=False)
        batch_op.drop_column("updated_by_id")
        batch_op.drop_column("created_by_id")
        batch_op.drop_column("version")
        batch_op.drop_column("assignee_id")
        batch_op.drop_column("duplicate_of_id")
        batch_op.drop_column("referral_agency")
        batch_op.drop_column("closure_reason")
        batch_op.drop_column("status_changed_at")

    with op.batch_alter_table("complaint_messages", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_complaint_messages_sent_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_column("sent_by_id")

    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_events_object")

    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_attachments_message_id_complaint_messages"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_attachments_uploaded_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_attachments_message_id"))
        batch_op.drop_column("uploaded_by_id")
        batch_op.drop_column("message_id")

    with op.batch_alter_table("allegations", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_allegations_finding_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_column("finding_at")
        batch_op.drop_column("finding_by_id")
        batch_op.drop_column("finding")

    with op.batch_alter_table("recommendations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recommendations_complaint_id"))

    op.drop_table("recommendations")
    with op.batch_alter_table("case_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_notes_complaint_id"))

    op.drop_table("case_notes")
    op.drop_table("user_roles")
    with op.batch_alter_table("staff_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_sessions_user_id"))

    op.drop_table("staff_sessions")
    op.drop_table("users")
    with op.batch_alter_table("sign_in_attempts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sign_in_attempts_client_key"))
        batch_op.drop_index(batch_op.f("ix_sign_in_attempts_attempted_at"))
        batch_op.drop_index(batch_op.f("ix_sign_in_attempts_account_key"))

    op.drop_table("sign_in_attempts")
