"""shared rate-limit counters and the per-code PIN lockout

Revision ID: 20261129trusta
Revises: 20261129speed
Create Date: 2026-11-29 19:30:00
"""
from alembic import op
import sqlalchemy as sa
import services.db


revision = '20261129trusta'
down_revision = '20261129speed'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('rate_limit_counter',
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('hits', sa.Integer(), nullable=False),
    sa.Column('window_ends_at', services.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_rate_limit_counter'))
    )
    with op.batch_alter_table('rate_limit_counter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rate_limit_counter_window_ends_at'), ['window_ends_at'], unique=False)

    op.create_table('pin_lockout',
    sa.Column('tracking_code', sa.String(length=20), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failure_at', services.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('locked_until', services.db.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('tracking_code', name=op.f('pk_pin_lockout'))
    )
    with op.batch_alter_table('pin_lockout', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pin_lockout_last_failure_at'), ['last_failure_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('pin_lockout', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pin_lockout_last_failure_at'))
    op.drop_table('pin_lockout')
    with op.batch_alter_table('rate_limit_counter', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rate_limit_counter_window_ends_at'))
    op.drop_table('rate_limit_counter')
