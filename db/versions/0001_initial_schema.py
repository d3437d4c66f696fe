"""Initial schema: the whole station domain, plus the triggers that keep signed
review steps and the audit trail unchangeable.

Revision ID: 0001
Revises:
Create Date: 2026-11-27

Column types are written out plainly (no application types), so this file stays
valid whatever later versions of the models look like.
"""

from collections.abc import Sequence

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Enforced by the database itself so that no code path, not even one that
# bypasses the services, can alter a signed opinion or rewrite history.
_IMMUTABLE = {
    "review_step": "a signed review step never changes; record a new step instead",
    "audit_entry": "the audit trail is append-only",
}


# The text search over incidents (lawsup_desktop/store/search.py): FTS5 tables
# and the triggers that mark changed incidents for re-indexing.
_SEARCH_INDEX = (
    "CREATE TABLE IF NOT EXISTS incident_search_doc ( key INTEGER PRIMARY KEY, incident_id VARCHAR(36) NOT NULL UNIQUE, text TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS incident_search_pending ( incident_id VARCHAR(36) NOT NULL PRIMARY KEY) WITHOUT ROWID",
    "CREATE VIRTUAL TABLE IF NOT EXISTS incident_search_tri USING fts5(text, content='incident_search_doc', content_rowid='key', tokenize='trigram case_sensitive 1')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS incident_search_uni USING fts5( chars, content='', tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER IF NOT EXISTS incident_search_on_insert AFTER INSERT ON incident BEGIN INSERT OR IGNORE INTO incident_search_pending (incident_id) VALUES (new.id); END",
    "CREATE TRIGGER IF NOT EXISTS incident_search_on_update AFTER UPDATE OF incident_no, address, summary, caller_name, handling_notes ON incident BEGIN INSERT OR IGNORE INTO incident_search_pending (incident_id) VALUES (new.id); END",
    "CREATE TRIGGER IF NOT EXISTS incident_search_on_delete AFTER DELETE ON incident BEGIN INSERT OR IGNORE INTO incident_search_pending (incident_id) VALUES (old.id); END",
)


def _create_search_index() -> None:
    for statement in _SEARCH_INDEX:
        op.execute(statement)


def _create_immutability_triggers() -> None:
    for table, reason in _IMMUTABLE.items():
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{reason}'); END"
            )


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor_id", sa.String(length=36), nullable=True),
        sa.Column("actor_name", sa.String(length=50), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=36), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entry")),
    )
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.create_index("ix_audit_entry_entity", ["entity_id", "at"], unique=False)

    op.create_table(
        "bulletin_issue",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("period_from", sa.Date(), nullable=False),
        sa.Column("period_to", sa.Date(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bulletin_issue")),
        sa.UniqueConstraint("year", "number", name=op.f("uq_bulletin_issue_year_number")),
    )
    op.create_table(
        "deadline_rule",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name_zh", sa.String(length=100), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("citation", sa.String(length=200), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("warn_days", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deadline_rule")),
        sa.UniqueConstraint("code", name=op.f("uq_deadline_rule_code")),
    )
    op.create_table(
        "guidance",
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("attachment_sha256", sa.String(length=64), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guidance")),
    )
    op.create_table(
        "holiday_period",
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("is_workday", sa.Boolean(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_holiday_period")),
    )
    op.create_table(
        "problem_type",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name_zh", sa.String(length=50), nullable=False),
        sa.Column("name_en", sa.String(length=100), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_problem_type")),
        sa.UniqueConstraint("code", name=op.f("uq_problem_type_code")),
    )
    op.create_table(
        "station",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("is_local", sa.Boolean(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_station")),
        sa.UniqueConstraint("code", name=op.f("uq_station_code")),
    )
    op.create_table(
        "sync_conflict",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_conflict")),
    )
    with op.batch_alter_table("sync_conflict", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_conflict_record_id"), ["record_id"], unique=False)

    op.create_table(
        "sync_history",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("server_time", sa.String(length=40), nullable=False),
        sa.Column("pushed", sa.Integer(), nullable=False),
        sa.Column("pulled", sa.Integer(), nullable=False),
        sa.Column("conflicts", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("error_zh", sa.Text(), nullable=False),
        sa.Column("error_en", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_history")),
    )
    op.create_table(
        "sync_meta",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_sync_meta")),
    )
    op.create_table(
        "sync_outbox",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("op_id", sa.String(length=36), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=True),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("reason_zh", sa.Text(), nullable=False),
        sa.Column("reason_en", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_sync_outbox")),
        sa.UniqueConstraint("op_id", name=op.f("uq_sync_outbox_op_id")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("sync_outbox", schema=None) as batch_op:
        batch_op.create_index("ix_sync_outbox_record", ["record_id", "state"], unique=False)

    op.create_table(
        "sync_record_state",
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("server_version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("entity", "record_id", name=op.f("pk_sync_record_state")),
    )
    op.create_table(
        "unit",
        sa.Column("station_id", sa.String(length=36), nullable=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=True),
        sa.Column("leader_id", sa.String(length=36), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["leader_id"], ["officer.id"], name=op.f("fk_unit_leader_id_officer"), use_alter=True
        ),
        sa.ForeignKeyConstraint(
            ["station_id"], ["station.id"], name=op.f("fk_unit_station_id_station")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit")),
    )
    op.create_table(
        "officer",
        sa.Column("unit_id", sa.String(length=36), nullable=True),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("badge_no", sa.String(length=20), nullable=True),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("phone", sa.String(length=30), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_officer_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_officer")),
    )
    op.create_table(
        "incident",
        sa.Column("incident_no", sa.String(length=64), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("is_key", sa.Boolean(), nullable=False),
        sa.Column("key_category", sa.String(length=32), nullable=True),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("caller_name", sa.String(length=50), nullable=False),
        sa.Column("caller_phone", sa.String(length=30), nullable=False),
        sa.Column("unit_id", sa.String(length=36), nullable=True),
        sa.Column("handling_officer_id", sa.String(length=36), nullable=True),
        sa.Column("disposition", sa.String(length=32), nullable=True),
        sa.Column("handling_notes", sa.Text(), nullable=False),
        sa.Column("watch_state", sa.String(length=32), nullable=False),
        sa.Column("follow_up_state", sa.String(length=32), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["handling_officer_id"],
            ["officer.id"],
            name=op.f("fk_incident_handling_officer_id_officer"),
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_incident_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident")),
        sa.UniqueConstraint("incident_no", name=op.f("uq_incident_incident_no")),
    )
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.create_index(
            "ix_incident_key_watch",
            ["is_key", "watch_state", "received_at", "deleted_at", "id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_incident_list",
            [
                "received_at",
                "id",
                "deleted_at",
                "category",
                "is_key",
                "key_category",
                "disposition",
                "unit_id",
                "watch_state",
                "follow_up_state",
            ],
            unique=False,
        )
        batch_op.create_index("ix_incident_unit", ["unit_id", "received_at"], unique=False)

    op.create_table(
        "score_entry",
        sa.Column("officer_id", sa.String(length=36), nullable=True),
        sa.Column("unit_id", sa.String(length=36), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("rule_code", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("confirmed_on", sa.Date(), nullable=True),
        sa.Column("source_entity", sa.String(length=40), nullable=True),
        sa.Column("source_id", sa.String(length=36), nullable=True),
        sa.Column("objection", sa.Text(), nullable=False),
        sa.Column("objection_at", sa.DateTime(), nullable=True),
        sa.Column("objection_upheld", sa.Boolean(), nullable=True),
        sa.Column("objection_decision", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["officer_id"], ["officer.id"], name=op.f("fk_score_entry_officer_id_officer")
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_score_entry_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_score_entry")),
    )
    with op.batch_alter_table("score_entry", schema=None) as batch_op:
        batch_op.create_index(
            "ix_score_entry_subject", ["officer_id", "unit_id", "occurred_on"], unique=False
        )

    op.create_table(
        "warning_clearance",
        sa.Column("subject_id", sa.String(length=36), nullable=False),
        sa.Column("rule_code", sa.String(length=40), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("cleared_by_id", sa.String(length=36), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["cleared_by_id"],
            ["officer.id"],
            name=op.f("fk_warning_clearance_cleared_by_id_officer"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warning_clearance")),
    )
    with op.batch_alter_table("warning_clearance", schema=None) as batch_op:
        batch_op.create_index(
            "ix_warning_clearance_subject", ["subject_id", "rule_code"], unique=False
        )

    op.create_table(
        "workstation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("station_id", sa.String(length=36), nullable=False),
        sa.Column("operator_id", sa.String(length=36), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("set_up_at", sa.DateTime(), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["operator_id"], ["officer.id"], name=op.f("fk_workstation_operator_id_officer")
        ),
        sa.ForeignKeyConstraint(
            ["station_id"], ["station.id"], name=op.f("fk_workstation_station_id_station")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workstation")),
    )
    op.create_table(
        "case",
        sa.Column("case_no", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("cause", sa.String(length=100), nullable=False),
        sa.Column("unit_id", sa.String(length=36), nullable=True),
        sa.Column("lead_officer_id", sa.String(length=36), nullable=True),
        sa.Column("incident_id", sa.String(length=36), nullable=True),
        sa.Column("accepted_at", sa.DateTime(), nullable=True),
        sa.Column("registered_at", sa.DateTime(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incident.id"], name=op.f("fk_case_incident_id_incident")
        ),
        sa.ForeignKeyConstraint(
            ["lead_officer_id"], ["officer.id"], name=op.f("fk_case_lead_officer_id_officer")
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_case_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case")),
        sa.UniqueConstraint("case_no", name=op.f("uq_case_case_no")),
    )
    with op.batch_alter_table("case", schema=None) as batch_op:
        batch_op.create_index("ix_case_accepted_at", ["accepted_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_incident_id"), ["incident_id"], unique=False)
        batch_op.create_index(
            "ix_case_list",
            ["deleted_at", "accepted_at", "id", "kind", "unit_id", "lead_officer_id"],
            unique=False,
        )

    op.create_table(
        "follow_up",
        sa.Column("incident_id", sa.String(length=36), nullable=False),
        sa.Column("method", sa.String(length=32), nullable=False),
        sa.Column("party_name", sa.String(length=50), nullable=False),
        sa.Column("party_role", sa.String(length=32), nullable=False),
        sa.Column("party_phone", sa.String(length=30), nullable=False),
        sa.Column("contacted_at", sa.DateTime(), nullable=False),
        sa.Column("officer_id", sa.String(length=36), nullable=True),
        sa.Column("checks", sa.JSON(), nullable=False),
        sa.Column("satisfaction", sa.String(length=32), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incident.id"], name=op.f("fk_follow_up_incident_id_incident")
        ),
        sa.ForeignKeyConstraint(
            ["officer_id"], ["officer.id"], name=op.f("fk_follow_up_officer_id_officer")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up")),
    )
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_follow_up_incident_id"), ["incident_id"], unique=False)

    op.create_table(
        "watch_review",
        sa.Column("incident_id", sa.String(length=36), nullable=False),
        sa.Column("reviewer_id", sa.String(length=36), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(), nullable=False),
        sa.Column("problem_type_id", sa.String(length=36), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("responsible_unit_id", sa.String(length=36), nullable=True),
        sa.Column("responsible_officer_id", sa.String(length=36), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incident.id"], name=op.f("fk_watch_review_incident_id_incident")
        ),
        sa.ForeignKeyConstraint(
            ["problem_type_id"],
            ["problem_type.id"],
            name=op.f("fk_watch_review_problem_type_id_problem_type"),
        ),
        sa.ForeignKeyConstraint(
            ["responsible_officer_id"],
            ["officer.id"],
            name=op.f("fk_watch_review_responsible_officer_id_officer"),
        ),
        sa.ForeignKeyConstraint(
            ["responsible_unit_id"],
            ["unit.id"],
            name=op.f("fk_watch_review_responsible_unit_id_unit"),
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"], ["officer.id"], name=op.f("fk_watch_review_reviewer_id_officer")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watch_review")),
    )
    with op.batch_alter_table("watch_review", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_watch_review_incident_id"), ["incident_id"], unique=False
        )

    op.create_table(
        "case_audit",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("form_no", sa.String(length=40), nullable=False),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.Column("proposed_handling", sa.Text(), nullable=False),
        sa.Column("review_points", sa.JSON(), nullable=False),
        sa.Column("problems_found", sa.Text(), nullable=False),
        sa.Column("is_major", sa.Boolean(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], name=op.f("fk_case_audit_case_id_case")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_audit")),
        sa.UniqueConstraint("form_no", name=op.f("uq_case_audit_form_no")),
    )
    with op.batch_alter_table("case_audit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_audit_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            "ix_case_audit_newest", ["case_id", "deleted_at", "created_at", "id"], unique=False
        )
        batch_op.create_index(
            "ix_case_audit_submitted", ["submitted_at", "deleted_at", "case_id", "id"], unique=False
        )

    op.create_table(
        "case_officer",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("officer_id", sa.String(length=36), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case.id"], name=op.f("fk_case_officer_case_id_case")
        ),
        sa.ForeignKeyConstraint(
            ["officer_id"], ["officer.id"], name=op.f("fk_case_officer_officer_id_officer")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_officer")),
        sa.UniqueConstraint(
            "case_id", "officer_id", name=op.f("uq_case_officer_case_id_officer_id")
        ),
    )
    with op.batch_alter_table("case_officer", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_case_officer_officer_id"), ["officer_id"], unique=False
        )

    op.create_table(
        "case_person",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=True),
        sa.Column("gender", sa.String(length=32), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("phone", sa.String(length=30), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], name=op.f("fk_case_person_case_id_case")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_person")),
    )
    with op.batch_alter_table("case_person", schema=None) as batch_op:
        batch_op.create_index("ix_case_person_case", ["id", "deleted_at", "case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_person_case_id"), ["case_id"], unique=False)

    op.create_table(
        "procuratorate_review",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("decision", sa.String(length=32), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case.id"], name=op.f("fk_procuratorate_review_case_id_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_procuratorate_review")),
    )
    with op.batch_alter_table("procuratorate_review", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_procuratorate_review_case_id"), ["case_id"], unique=False
        )

    op.create_table(
        "coercive_measure",
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["case_person.id"],
            name=op.f("fk_coercive_measure_person_id_case_person"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coercive_measure")),
    )
    with op.batch_alter_table("coercive_measure", schema=None) as batch_op:
        batch_op.create_index(
            "ix_coercive_measure_kind", ["kind", "deleted_at", "person_id"], unique=False
        )
        batch_op.create_index("ix_coercive_measure_open", ["ended_at", "kind"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_coercive_measure_person_id"), ["person_id"], unique=False
        )

    op.create_table(
        "rectification",
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("incident_id", sa.String(length=36), nullable=True),
        sa.Column("follow_up_id", sa.String(length=36), nullable=True),
        sa.Column("audit_id", sa.String(length=36), nullable=True),
        sa.Column("watch_review_id", sa.String(length=36), nullable=True),
        sa.Column("source_note", sa.String(length=200), nullable=False),
        sa.Column("problem_type_id", sa.String(length=36), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("risk_level", sa.String(length=32), nullable=False),
        sa.Column("responsible_unit_id", sa.String(length=36), nullable=True),
        sa.Column("responsible_officer_id", sa.String(length=36), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("measures", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("verification_note", sa.Text(), nullable=False),
        sa.Column("no_evidence_reason", sa.Text(), nullable=False),
        sa.Column("signed_off_at", sa.DateTime(), nullable=True),
        sa.Column("signed_off_by_id", sa.String(length=36), nullable=True),
        sa.Column("bureau_supervised", sa.Boolean(), nullable=False),
        sa.Column("assigning_authority", sa.String(length=100), nullable=False),
        sa.Column("escalation_level", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["audit_id"], ["case_audit.id"], name=op.f("fk_rectification_audit_id_case_audit")
        ),
        sa.ForeignKeyConstraint(
            ["follow_up_id"], ["follow_up.id"], name=op.f("fk_rectification_follow_up_id_follow_up")
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incident.id"], name=op.f("fk_rectification_incident_id_incident")
        ),
        sa.ForeignKeyConstraint(
            ["problem_type_id"],
            ["problem_type.id"],
            name=op.f("fk_rectification_problem_type_id_problem_type"),
        ),
        sa.ForeignKeyConstraint(
            ["responsible_officer_id"],
            ["officer.id"],
            name=op.f("fk_rectification_responsible_officer_id_officer"),
        ),
        sa.ForeignKeyConstraint(
            ["responsible_unit_id"],
            ["unit.id"],
            name=op.f("fk_rectification_responsible_unit_id_unit"),
        ),
        sa.ForeignKeyConstraint(
            ["signed_off_by_id"],
            ["officer.id"],
            name=op.f("fk_rectification_signed_off_by_id_officer"),
        ),
        sa.ForeignKeyConstraint(
            ["watch_review_id"],
            ["watch_review.id"],
            name=op.f("fk_rectification_watch_review_id_watch_review"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rectification")),
        sa.UniqueConstraint("number", name=op.f("uq_rectification_number")),
    )
    with op.batch_alter_table("rectification", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_rectification_incident_id"), ["incident_id"], unique=False
        )
        batch_op.create_index(
            "ix_rectification_ledger",
            [
                "due_date",
                "number",
                "state",
                "deleted_at",
                "risk_level",
                "source",
                "escalation_level",
                "bureau_supervised",
                "responsible_unit_id",
                "responsible_officer_id",
                "problem_type_id",
                "id",
            ],
            unique=False,
        )
        batch_op.create_index("ix_rectification_officer", ["responsible_officer_id"], unique=False)
        batch_op.create_index(
            "ix_rectification_state_due",
            [
                "state",
                "deleted_at",
                "due_date",
                "number",
                "risk_level",
                "source",
                "escalation_level",
                "bureau_supervised",
                "responsible_unit_id",
                "responsible_officer_id",
                "problem_type_id",
                "id",
            ],
            unique=False,
        )
        batch_op.create_index("ix_rectification_unit", ["responsible_unit_id"], unique=False)

    op.create_table(
        "review_step",
        sa.Column("audit_id", sa.String(length=36), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=32), nullable=False),
        sa.Column("opinion", sa.Text(), nullable=False),
        sa.Column("reviewer_id", sa.String(length=36), nullable=False),
        sa.Column("entered_by_id", sa.String(length=36), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["audit_id"], ["case_audit.id"], name=op.f("fk_review_step_audit_id_case_audit")
        ),
        sa.ForeignKeyConstraint(
            ["entered_by_id"], ["officer.id"], name=op.f("fk_review_step_entered_by_id_officer")
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"], ["officer.id"], name=op.f("fk_review_step_reviewer_id_officer")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_step")),
        sa.UniqueConstraint(
            "audit_id", "round", "level", name=op.f("uq_review_step_audit_id_round_level")
        ),
    )
    with op.batch_alter_table("review_step", schema=None) as batch_op:
        batch_op.create_index(
            "ix_review_step_decision", ["decision", "level", "audit_id", "round"], unique=False
        )

    op.create_table(
        "attachment",
        sa.Column("rectification_id", sa.String(length=36), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["rectification_id"],
            ["rectification.id"],
            name=op.f("fk_attachment_rectification_id_rectification"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachment")),
    )
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_attachment_rectification_id"), ["rectification_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_attachment_sha256"), ["sha256"], unique=False)

    op.create_table(
        "deadline_adjustment",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("measure_id", sa.String(length=36), nullable=True),
        sa.Column("rule_code", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=True),
        sa.Column("ends_at", sa.DateTime(), nullable=True),
        sa.Column("extra_days", sa.Integer(), nullable=True),
        sa.Column("approval", sa.String(length=200), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case.id"], name=op.f("fk_deadline_adjustment_case_id_case")
        ),
        sa.ForeignKeyConstraint(
            ["measure_id"],
            ["coercive_measure.id"],
            name=op.f("fk_deadline_adjustment_measure_id_coercive_measure"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deadline_adjustment")),
    )
    with op.batch_alter_table("deadline_adjustment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_deadline_adjustment_case_id"), ["case_id"], unique=False
        )

    op.create_table(
        "rectification_event",
        sa.Column("rectification_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("from_state", sa.String(length=32), nullable=True),
        sa.Column("to_state", sa.String(length=32), nullable=True),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("actor_id", sa.String(length=36), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["officer.id"], name=op.f("fk_rectification_event_actor_id_officer")
        ),
        sa.ForeignKeyConstraint(
            ["rectification_id"],
            ["rectification.id"],
            name=op.f("fk_rectification_event_rectification_id_rectification"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rectification_event")),
    )
    with op.batch_alter_table("rectification_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_rectification_event_rectification_id"),
            ["rectification_id"],
            unique=False,
        )
    _create_immutability_triggers()
    _create_search_index()


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("rectification_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rectification_event_rectification_id"))

    op.drop_table("rectification_event")
    with op.batch_alter_table("deadline_adjustment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deadline_adjustment_case_id"))

    op.drop_table("deadline_adjustment")
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attachment_sha256"))
        batch_op.drop_index(batch_op.f("ix_attachment_rectification_id"))

    op.drop_table("attachment")
    with op.batch_alter_table("review_step", schema=None) as batch_op:
        batch_op.drop_index("ix_review_step_decision")

    op.drop_table("review_step")
    with op.batch_alter_table("rectification", schema=None) as batch_op:
        batch_op.drop_index("ix_rectification_unit")
        batch_op.drop_index("ix_rectification_state_due")
        batch_op.drop_index("ix_rectification_officer")
        batch_op.drop_index("ix_rectification_ledger")
        batch_op.drop_index(batch_op.f("ix_rectification_incident_id"))

    op.drop_table("rectification")
    with op.batch_alter_table("coercive_measure", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coercive_measure_person_id"))
        batch_op.drop_index("ix_coercive_measure_open")
        batch_op.drop_index("ix_coercive_measure_kind")

    op.drop_table("coercive_measure")
    with op.batch_alter_table("procuratorate_review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_procuratorate_review_case_id"))

    op.drop_table("procuratorate_review")
    with op.batch_alter_table("case_person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_person_case_id"))
        batch_op.drop_index("ix_case_person_case")

    op.drop_table("case_person")
    with op.batch_alter_table("case_officer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_officer_officer_id"))

    op.drop_table("case_officer")
    with op.batch_alter_table("case_audit", schema=None) as batch_op:
        batch_op.drop_index("ix_case_audit_submitted")
        batch_op.drop_index("ix_case_audit_newest")
        batch_op.drop_index(batch_op.f("ix_case_audit_case_id"))

    op.drop_table("case_audit")
    with op.batch_alter_table("watch_review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_watch_review_incident_id"))

    op.drop_table("watch_review")
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follow_up_incident_id"))

    op.drop_table("follow_up")
    with op.batch_alter_table("case", schema=None) as batch_op:
        batch_op.drop_index("ix_case_list")
        batch_op.drop_index(batch_op.f("ix_case_incident_id"))
        batch_op.drop_index("ix_case_accepted_at")

    op.drop_table("case")
    op.drop_table("workstation")
    with op.batch_alter_table("warning_clearance", schema=None) as batch_op:
        batch_op.drop_index("ix_warning_clearance_subject")

    op.drop_table("warning_clearance")
    with op.batch_alter_table("score_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_score_entry_subject")

    op.drop_table("score_entry")
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.drop_index("ix_incident_unit")
        batch_op.drop_index("ix_incident_list")
        batch_op.drop_index("ix_incident_key_watch")

    op.drop_table("incident")
    op.drop_table("officer")
    op.drop_table("unit")
    op.drop_table("sync_record_state")
    with op.batch_alter_table("sync_outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_sync_outbox_record")

    op.drop_table("sync_outbox")
    op.drop_table("sync_meta")
    op.drop_table("sync_history")
    with op.batch_alter_table("sync_conflict", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sync_conflict_record_id"))

    op.drop_table("sync_conflict")
    op.drop_table("station")
    op.drop_table("problem_type")
    op.drop_table("holiday_period")
    op.drop_table("guidance")
    op.drop_table("deadline_rule")
    op.drop_table("bulletin_issue")
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_entry_entity")

    op.drop_table("audit_entry")
