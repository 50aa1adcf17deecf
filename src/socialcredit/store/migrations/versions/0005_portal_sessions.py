"""portal sessions: the sign-in cookie holds a session token, not the API key

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 08:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "portal_sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["key_id"], ["api_keys.id"]),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    op.create_index(op.f("ix_portal_sessions_key_id"), "portal_sessions", ["key_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_portal_sessions_key_id"), table_name="portal_sessions")
    op.drop_table("portal_sessions")
