"""kiosk session generations; refused (unknown) API keys in the call log

Revision ID: trust0001
Revises: uxscreens0001
Create Date: 2026-12-07 21:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'trust0001'
down_revision = 'standard0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('kiosk', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_generation', sa.Integer(), server_default='0',
                                      nullable=False))
    with op.batch_alter_table('api_key_call', schema=None) as batch_op:
        batch_op.alter_column('api_key_id', existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    op.execute("DELETE FROM api_key_call WHERE api_key_id IS NULL")
    with op.batch_alter_table('api_key_call', schema=None) as batch_op:
        batch_op.alter_column('api_key_id', existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table('kiosk', schema=None) as batch_op:
        batch_op.drop_column('session_generation')
