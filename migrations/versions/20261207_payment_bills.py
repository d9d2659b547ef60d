"""bills (SKRD/SKPD), payments reported by the bank, SNAP calls seen; a step's billing rule

Revision ID: payment0001
Revises: uxscreens0001
Create Date: 2026-12-07 21:01:23.423135
"""
from alembic import op
import sqlalchemy as sa
import services.db


revision = 'payment0001'
down_revision = 'berkas0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('snap_call',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.String(length=64), nullable=False),
    sa.Column('external_id', sa.String(length=64), nullable=False),
    sa.Column('day', sa.String(length=10), nullable=False),
    sa.Column('path', sa.String(length=120), nullable=False),
    sa.Column('received_at', services.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_snap_call')),
    sa.UniqueConstraint('partner_id', 'external_id', 'day', name=op.f('uq_snap_call_partner_id_external_id_day'))
    )
    op.create_table('bill',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=False),
    sa.Column('kind', sa.Enum('skrd', 'skpd', name='billkind', native_enum=False, length=20), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=True),
    sa.Column('legal_basis', sa.Text(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('lines', sa.JSON(), nullable=False),
    sa.Column('rounding', sa.BigInteger(), nullable=False),
    sa.Column('issued_at', services.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('due_at', services.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('va_number', sa.String(length=28), nullable=False),
    sa.Column('state', sa.Enum('unpaid', 'paid', 'cancelled', 'expired', name='billstate', native_enum=False, length=20), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('paid_at', services.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', services.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cancel_reason', sa.Text(), nullable=False),
    sa.Column('replaces_id', sa.Integer(), nullable=True),
    sa.Column('reminded_at', services.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_bill_agency_id_agency')),
    sa.ForeignKeyConstraint(['issued_by_id'], ['user_account.id'], name=op.f('fk_bill_issued_by_id_user_account')),
    sa.ForeignKeyConstraint(['replaces_id'], ['bill.id'], name=op.f('fk_bill_replaces_id_bill')),
    sa.ForeignKeyConstraint(['request_id'], ['service_request.id'], name=op.f('fk_bill_request_id_service_request')),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_bill_task_id_task')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bill')),
    sa.UniqueConstraint('number', name=op.f('uq_bill_number')),
    sa.UniqueConstraint('va_number', name=op.f('uq_bill_va_number'))
    )
    with op.batch_alter_table('bill', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bill_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bill_request_id'), ['request_id'], unique=False)
        batch_op.create_index('ix_bill_state_due', ['state', 'due_at'], unique=False)

    op.create_table('payment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bank_reference', sa.String(length=64), nullable=False),
    sa.Column('bill_id', sa.Integer(), nullable=True),
    sa.Column('paid_to', sa.String(length=64), nullable=False),
    sa.Column('channel', sa.Enum('va', 'qris', 'statement', name='paymentchannel', native_enum=False, length=20), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('paid_at', services.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('recorded_at', services.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('settled', sa.Boolean(), nullable=False),
    sa.Column('flag', sa.Enum('wrong_amount', 'cancelled_bill', 'expired_bill', 'already_paid', 'unknown_bill', name='paymentflag', native_enum=False, length=20), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('reconciled_on', sa.String(length=10), nullable=False),
    sa.Column('decision', sa.Enum('refund', 'accept', name='treasurerdecision', native_enum=False, length=20), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', services.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['bill_id'], ['bill.id'], name=op.f('fk_payment_bill_id_bill')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_payment_decided_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment')),
    sa.UniqueConstraint('bank_reference', name=op.f('uq_payment_bank_reference'))
    )
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_bill_id'), ['bill_id'], unique=False)
        batch_op.create_index('ix_payment_paid_at', ['paid_at'], unique=False)

    with op.batch_alter_table('workflow_step', schema=None) as batch_op:
        batch_op.add_column(sa.Column('billing', sa.JSON(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('workflow_step', schema=None) as batch_op:
        batch_op.drop_column('billing')

    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.drop_index('ix_payment_paid_at')
        batch_op.drop_index(batch_op.f('ix_payment_bill_id'))

    op.drop_table('payment')
    with op.batch_alter_table('bill', schema=None) as batch_op:
        batch_op.drop_index('ix_bill_state_due')
        batch_op.drop_index(batch_op.f('ix_bill_request_id'))
        batch_op.drop_index(batch_op.f('ix_bill_agency_id'))

    op.drop_table('bill')
    op.drop_table('snap_call')
