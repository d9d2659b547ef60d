"""kiosk officer calls (a citizen asks for the petugas pendamping); form page titles

Revision ID: uxscreens0001
Revises: speed2claims01
Create Date: 2026-11-30 00:00:00
"""
from alembic import op
import sqlalchemy as sa
import services.db


revision = 'uxscreens0001'
down_revision = "speed2claims01"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('service_version', schema=None) as batch_op:
        batch_op.add_column(sa.Column('page_titles', sa.JSON(), server_default='[]', nullable=False))
    op.create_table('officer_call',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kiosk_id', sa.Integer(), nullable=False),
    sa.Column('raised_at', services.db.UTCDateTime(), nullable=False),
    sa.Column('acknowledged_at', services.db.UTCDateTime(), nullable=True),
    sa.Column('acknowledged_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['acknowledged_by_id'], ['user_account.id'], name=op.f('fk_officer_call_acknowledged_by_id_user_account')),
    sa.ForeignKeyConstraint(['kiosk_id'], ['kiosk.id'], name=op.f('fk_officer_call_kiosk_id_kiosk')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_officer_call'))
    )
    with op.batch_alter_table('officer_call', schema=None) as batch_op:
        batch_op.create_index('ix_officer_call_open', ['acknowledged_at', 'raised_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_officer_call_kiosk_id'), ['kiosk_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('officer_call', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_officer_call_kiosk_id'))
        batch_op.drop_index('ix_officer_call_open')
    op.drop_table('officer_call')
    with op.batch_alter_table('service_version', schema=None) as batch_op:
        batch_op.drop_column('page_titles')
