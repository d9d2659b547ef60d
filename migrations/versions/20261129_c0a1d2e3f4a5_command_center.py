"""command center: request outcome columns, agency targets

Revision ID: c0a1d2e3f4a5
Revises: 7c1e0b5a9d14
Create Date: 2026-11-29 19:40:00
"""
from alembic import op
import sqlalchemy as sa
import services.db


revision = 'c0a1d2e3f4a5'
down_revision = '7c1e0b5a9d14'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('service_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('stopped_days', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('returned_for_info', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('decided_at', services.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('working_days_used', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('decided_on_time', sa.Boolean(), nullable=True))
        batch_op.create_index(batch_op.f('ix_service_request_decided_at'), ['decided_at'], unique=False)
    op.create_table('agency_target',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('on_time_percent', sa.Integer(), nullable=True),
    sa.Column('ikm', sa.Numeric(precision=5, scale=2), nullable=True),
    sa.Column('complaints_resolved_percent', sa.Integer(), nullable=True),
    sa.Column('updated_at', services.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_agency_target_agency_id_agency')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agency_target')),
    sa.UniqueConstraint('agency_id', 'year', name=op.f('uq_agency_target_agency_id_year'))
    )
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_done_at'), ['done_at'], unique=False)
        batch_op.create_index('ix_task_status_agency', ['status', 'agency_id', 'due_at'], unique=False)
    op.create_table('rollup_requests',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('submitted', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day', 'agency_id', 'channel', name=op.f('pk_rollup_requests'))
    )
    op.create_table('rollup_kiosks',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kiosk_id', sa.Integer(), nullable=False),
    sa.Column('submitted', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day', 'kiosk_id', name=op.f('pk_rollup_kiosks'))
    )
    op.create_table('rollup_decisions',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('working_days', sa.Integer(), nullable=False),
    sa.Column('decided', sa.Integer(), nullable=False),
    sa.Column('rejected', sa.Integer(), nullable=False),
    sa.Column('returned', sa.Integer(), nullable=False),
    sa.Column('days_saved', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day', 'agency_id', 'service_id', 'working_days', name=op.f('pk_rollup_decisions'))
    )
    op.create_table('rollup_tasks',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('decided', sa.Integer(), nullable=False),
    sa.Column('on_time', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day', 'agency_id', name=op.f('pk_rollup_tasks'))
    )
    op.create_table('rollup_state',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('through_day', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_rollup_state'))
    )


def downgrade() -> None:
    for table in ('rollup_state', 'rollup_tasks', 'rollup_decisions', 'rollup_kiosks',
                  'rollup_requests'):
        op.drop_table(table)
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.drop_index('ix_task_status_agency')
        batch_op.drop_index(batch_op.f('ix_task_done_at'))
    op.drop_table('agency_target')
    with op.batch_alter_table('service_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_request_decided_at'))
        batch_op.drop_column('decided_on_time')
        batch_op.drop_column('working_days_used')
        batch_op.drop_column('decided_at')
        batch_op.drop_column('returned_for_info')
        batch_op.drop_column('stopped_days')
