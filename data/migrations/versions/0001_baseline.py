"""The schema of 0.1.0, which created its tables without Alembic.

A store from that version has the tables but no alembic_version row; the store
stamps it with this revision and upgrades from here. A new store is created
from the current tables and stamped with the head instead.

Revision ID: 0001
Revises:
"""
revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
