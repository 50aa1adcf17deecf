"""printed credit reports: number, subject as shown, date, issue time, digest

Revision ID: 0009_issued_reports
Revises: 0008_subject_names
Create Date: 2026-12-03 16:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_issued_reports"
down_revision = "0008_subject_names"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "issued_reports",
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("subject_shown", sa.Text(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("number"),
    )


def downgrade() -> None:
    op.drop_table("issued_reports")
