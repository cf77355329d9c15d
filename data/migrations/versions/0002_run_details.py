"""Run details (stage durations, Prefect flow run id) and open-ended text columns.

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Columns filled from outside data that 0.1.0 declared with a length. SQLite
# ignores declared lengths, so only PostgreSQL needs them widened (and copying
# every SQLite table in batch mode would gain nothing).
WIDENED = {
    "sources": {"id": 512},
    "documents": {"source_id": 512, "published": 32, "pmid": 16, "pmcid": 16, "doi": 256,
                  "nct_id": 16},
    "claims": {"quantity_unit": 32},
    "outcomes": {"measure": 64, "unit": 32, "p": 32},
    "collection_state": {"key": 1024},
}


def upgrade() -> None:
    op.add_column("runs", sa.Column("durations", sa.JSON()))
    op.add_column("runs", sa.Column("flow_run_id", sa.String(36)))
    if op.get_bind().dialect.name == "postgresql":
        for table, columns in WIDENED.items():
            for column, length in columns.items():
                op.alter_column(table, column, type_=sa.Text(), existing_type=sa.String(length))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table, columns in WIDENED.items():
            for column, length in columns.items():
                op.alter_column(table, column, type_=sa.String(length), existing_type=sa.Text())
    # Plain DROP COLUMN (SQLite >= 3.35): a batch copy of `runs` would trip the
    # foreign keys that point at it.
    op.drop_column("runs", "flow_run_id")
    op.drop_column("runs", "durations")
