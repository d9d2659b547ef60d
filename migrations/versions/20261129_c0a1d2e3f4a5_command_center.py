"""command center: request outcome columns, agency targets

Revision ID: c0a1d2e3f4a5
Revises: 55bdc5741333
Create Date: 2026-11-29 19:40:00
"""
from alembic import op
import sqlalchemy as sa
import services.db


revision = 'c0a1d2e3f4a5'
down_revision = '55bdc5741333'
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


def downgrade() -> None:
    op.drop_table('agency_target')
    with op.batch_alter_table('service_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_request_decided_at'))
        batch_op.drop_column('decided_on_time')
        batch_op.drop_column('working_days_used')
        batch_op.drop_column('decided_at')
        batch_op.drop_column('returned_for_info')
        batch_op.drop_column('stopped_days')
