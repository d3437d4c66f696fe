"""Indexes for the incident list's sorts and counts, the deadline scan and the daily report.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27

Indexes only: no table, column or row changes, so an upgrade keeps every record
and a downgrade just drops them again.

- ``ix_incident_deleted`` (partial: deleted rows only) lets the list count the
  live incidents as "all minus deleted" instead of reading 200,000 index entries,
  and a text search count as "index matches minus deleted matches".
- ``ix_incident_caller`` / ``ix_incident_address``: the list sorted by caller or
  address walks an index instead of sorting 200,000 rows for one screen.
- One index per vocabulary column of the list, (column, received_at, deleted_at),
  and ``ix_incident_unit`` again with deleted_at: a filter on one of them is
  counted from its index alone, and a sort by one reads each value's rows newest
  first from it (services/incidents.py), so even a value with no row costs one
  look-up instead of a walk through every incident.
- ``ix_coercive_measure_states``: the deadline states read every open measure's
  kind, start and person from the index alone (no 50,000 row look-ups);
  ``ix_case_open``: likewise every open case's kind, acceptance and registration;
  ``ix_case_person_deleted`` (partial: deleted rows only) finds the persons whose
  measures no longer count without reading every person.
- ``ix_follow_up_contacted`` / ``ix_review_step_reviewed``: the daily report's
  counts for one day become index range scans.
"""

from collections.abc import Sequence

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The incident list's filter and sort columns with a vocabulary (a few values each).
_VOCABULARY_COLUMNS = ("category", "key_category", "disposition", "watch_state", "follow_up_state")


def upgrade() -> None:
    """Upgrade schema."""
    op.create_index(
        "ix_incident_deleted",
        "incident",
        ["deleted_at"],
        unique=False,
        sqlite_where=sa.text("deleted_at IS NOT NULL"),
    )
    op.create_index("ix_incident_caller", "incident", ["caller_name", "received_at"], unique=False)
    op.create_index("ix_incident_address", "incident", ["address", "received_at"], unique=False)
    for column in _VOCABULARY_COLUMNS:
        # follow_up_state also carries what the follow-up rule asks about (key or not,
        # category), so "待回访/逾期未回访" is counted from the index alone.
        extra = ["is_key", "category"] if column == "follow_up_state" else []
        op.create_index(
            f"ix_incident_{column}",
            "incident",
            [column, "received_at", "deleted_at", *extra],
            unique=False,
        )
    op.drop_index("ix_incident_unit", table_name="incident")
    op.create_index(
        "ix_incident_unit", "incident", ["unit_id", "received_at", "deleted_at"], unique=False
    )
    op.create_index(
        "ix_coercive_measure_states",
        "coercive_measure",
        ["ended_at", "deleted_at", "kind", "started_at", "id", "person_id"],
        unique=False,
    )
    op.create_index(
        "ix_case_open",
        "case",
        ["closed_at", "deleted_at", "kind", "registered_at", "accepted_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_case_person_deleted",
        "case_person",
        ["deleted_at"],
        unique=False,
        sqlite_where=sa.text("deleted_at IS NOT NULL"),
    )
    op.create_index(
        "ix_follow_up_contacted",
        "follow_up",
        ["contacted_at", "method", "satisfaction"],
        unique=False,
    )
    op.create_index(
        "ix_review_step_reviewed", "review_step", ["reviewed_at", "decision"], unique=False
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index("ix_review_step_reviewed", table_name="review_step")
    op.drop_index("ix_follow_up_contacted", table_name="follow_up")
    op.drop_index("ix_case_person_deleted", table_name="case_person")
    op.drop_index("ix_case_open", table_name="case")
    op.drop_index("ix_coercive_measure_states", table_name="coercive_measure")
    op.drop_index("ix_incident_unit", table_name="incident")
    op.create_index("ix_incident_unit", "incident", ["unit_id", "received_at"], unique=False)
    for column in reversed(_VOCABULARY_COLUMNS):
        op.drop_index(f"ix_incident_{column}", table_name="incident")
    op.drop_index("ix_incident_address", table_name="incident")
    op.drop_index("ix_incident_caller", table_name="incident")
    op.drop_index("ix_incident_deleted", table_name="incident")
