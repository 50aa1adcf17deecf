"""events carry their source agency; measures in force for measure events

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 07:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

events = sa.table(
    "events",
    sa.column("id", sa.Integer),
    sa.column("agency", sa.String),
    sa.column("payload", sa.JSON),
)


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("agency", sa.String(length=64), nullable=True))
    _backfill_event_agencies()
    op.create_table(
        "measures_in_force",
        sa.Column("key", sa.String(length=512), nullable=False),
        sa.Column("subject_id", sa.String(length=18), nullable=False),
        sa.Column("category", sa.String(length=128), nullable=True),
        sa.Column("disclosure", sa.String(length=16), nullable=False),
        sa.Column("agency", sa.String(length=64), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_index(
        op.f("ix_measures_in_force_subject_id"), "measures_in_force", ["subject_id"], unique=False
    )


def _backfill_event_agencies() -> None:
    """Earlier events kept their source agency only in the payload."""
    db = op.get_bind()
    for row in db.execute(sa.select(events.c.id, events.c.payload)).all():
        agency = (row.payload or {}).get("agency")
        if agency:
            db.execute(events.update().where(events.c.id == row.id).values(agency=agency))


def downgrade() -> None:
    op.drop_index(op.f("ix_measures_in_force_subject_id"), table_name="measures_in_force")
    op.drop_table("measures_in_force")
    with op.batch_alter_table("events") as batch:
        batch.drop_column("agency")
