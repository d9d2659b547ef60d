"""speed-2: a partial index of each agency's ready tasks in queue order, for the claim's pick

Revision ID: speed2claims01
Revises: c0a1d2e3f4a5
Create Date: 2026-11-29 23:20:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'speed2claims01'
down_revision = 'c0a1d2e3f4a5'
branch_labels = None
depends_on = None

READY = sa.text("status = 'ready'")


def upgrade() -> None:
    op.create_index('ix_task_ready', 'task', ['agency_id', 'due_at', 'id'], unique=False,
                    postgresql_where=READY, sqlite_where=READY)


def downgrade() -> None:
    op.drop_index('ix_task_ready', table_name='task')
