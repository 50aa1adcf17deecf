"""audit log: pending entries, the Merkle tree's frontier, signed tree heads, public reads

Revision ID: 0007
Revises: 0006_linkage
Create Date: 2026-12-03 13:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006_linkage"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_pending",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.Text(), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.String(length=18), nullable=True),
        sa.Column("purpose", sa.Text(), nullable=True),
        sa.Column("result", sa.Text(), nullable=True),
        sa.Column("revisions", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    tree = op.create_table(
        "audit_tree",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("frontier", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    # Entries already in the log are added to the tree by the first seal.
    op.bulk_insert(tree, [{"id": 1, "size": 0, "frontier": []}])
    op.create_table(
        "audit_heads",
        sa.Column("tree_size", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("timestamp", sa.BigInteger(), nullable=False),
        sa.Column("root_hash", sa.String(length=64), nullable=False),
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("signature", sa.String(length=128), nullable=False),
        sa.Column("frontier", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("tree_size"),
    )
    op.create_table(
        "public_reads",
        sa.Column("subject_id", sa.String(length=18), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("reads", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("subject_id", "day", "actor"),
    )


def downgrade() -> None:
    op.drop_table("public_reads")
    op.drop_table("audit_heads")
    op.drop_table("audit_tree")
    op.drop_table("audit_pending")
