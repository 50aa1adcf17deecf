"""linkage candidates carry the agency whose record they link

Revision ID: 0010_link_candidate_agency
Revises: 0009_issued_reports
Create Date: 2026-12-03 19:40:00

A candidate is seen and reviewed only by the agency that sent its record (and by admins), so
two agencies may queue records with the same key: the key is unique per agency. Candidates
queued before this revision have no agency and are left to admins.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_link_candidate_agency"
down_revision = "0009_issued_reports"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("link_candidates") as batch:
        batch.add_column(sa.Column("source_agency", sa.Text(), nullable=True))
        batch.drop_constraint("uq_link_candidate", type_="unique")
        batch.create_unique_constraint(
            "uq_link_candidate", ["source_agency", "record_key", "subject_id"]
        )
        batch.create_index("ix_link_candidates_source_agency", ["source_agency"])


def downgrade() -> None:
    with op.batch_alter_table("link_candidates") as batch:
        batch.drop_index("ix_link_candidates_source_agency")
        batch.drop_constraint("uq_link_candidate", type_="unique")
        batch.create_unique_constraint("uq_link_candidate", ["record_key", "subject_id"])
        batch.drop_column("source_agency")
