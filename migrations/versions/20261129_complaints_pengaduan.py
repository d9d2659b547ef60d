"""complaints (pengaduan): categories, complaints, forwardings with answers, reopen requests
and the complaint history. The user role gains 'koordinator'; roles are stored as plain strings
(a non-native enum without a check constraint), so that needs no schema change.

Revision ID: c0a1b2c3d4e5
Revises: 20261129products
Create Date: 2026-11-29 19:24:31.189497
"""
from alembic import op
import sqlalchemy as sa
import services.db


revision = 'c0a1b2c3d4e5'
down_revision = '20261129products'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('complaint_category',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name_id', sa.String(length=120), nullable=False),
    sa.Column('name_en', sa.String(length=120), nullable=False),
    sa.Column('forward_days', sa.Integer(), nullable=False),
    sa.Column('answer_days', sa.Integer(), nullable=False),
    sa.Column('default_agency_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['default_agency_id'], ['agency.id'], name=op.f('fk_complaint_category_default_agency_id_agency')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint_category')),
    sa.UniqueConstraint('code', name=op.f('uq_complaint_category_code'))
    )
    op.create_table('complaint',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tracking_code', sa.String(length=16), nullable=False),
    sa.Column('pin_hash', sa.String(length=256), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('location', sa.String(length=300), nullable=False),
    sa.Column('privacy', sa.Enum('public', 'confidential', 'anonymous', name='privacy', native_enum=False, length=20), nullable=False),
    sa.Column('complainant_nik', sa.String(length=16), nullable=True),
    sa.Column('complainant_name', sa.String(length=120), nullable=True),
    sa.Column('complainant_phone', sa.String(length=20), nullable=True),
    sa.Column('channel', sa.Enum('kiosk', 'web', 'api', 'open311', 'counter', name='channel', native_enum=False, length=20), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('kiosk_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('submitted', 'forwarded', 'answered', 'reopen_requested', 'resolved', 'closed', 'closed_unconfirmed', 'declined', name='complaintstatus', native_enum=False, length=20), nullable=False),
    sa.Column('idempotency_key', sa.String(length=200), nullable=True),
    sa.Column('payload_digest', sa.String(length=64), nullable=False),
    sa.Column('created_at', services.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('forward_due_at', services.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('forward_overdue_since', services.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('agency_text', sa.Text(), nullable=False),
    sa.Column('confirm_due_at', services.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('rating', sa.SmallInteger(), nullable=True),
    sa.Column('resolved', sa.Boolean(), nullable=True),
    sa.Column('rated_at', services.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('published', sa.Boolean(), nullable=False),
    sa.Column('public_text', sa.Text(), nullable=False),
    sa.Column('published_at', services.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_at', services.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('close_reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['complaint_category.id'], name=op.f('fk_complaint_category_id_complaint_category')),
    sa.ForeignKeyConstraint(['kiosk_id'], ['kiosk.id'], name=op.f('fk_complaint_kiosk_id_kiosk')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_complaint_idempotency_key')),
    sa.UniqueConstraint('tracking_code', name=op.f('uq_complaint_tracking_code'))
    )
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaint_category_id'), ['category_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaint_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaint_published'), ['published'], unique=False)
        batch_op.create_index('ix_complaint_status_created', ['status', 'created_at'], unique=False)

    op.create_table('complaint_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_label', sa.String(length=120), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=True),
    sa.Column('from_status', sa.Enum('submitted', 'forwarded', 'answered', 'reopen_requested', 'resolved', 'closed', 'closed_unconfirmed', 'declined', name='complaintstatus', native_enum=False, length=20), nullable=True),
    sa.Column('to_status', sa.Enum('submitted', 'forwarded', 'answered', 'reopen_requested', 'resolved', 'closed', 'closed_unconfirmed', 'declined', name='complaintstatus', native_enum=False, length=20), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('public_note', sa.Boolean(), nullable=False),
    sa.Column('internal', sa.Boolean(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('created_at', services.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_complaint_event_actor_id_user_account')),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_complaint_event_agency_id_agency')),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaint.id'], name=op.f('fk_complaint_event_complaint_id_complaint')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint_event'))
    )
    with op.batch_alter_table('complaint_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaint_event_complaint_id'), ['complaint_id'], unique=False)

    op.create_table('complaint_forwarding',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('open', 'answered', 'withdrawn', name='forwardingstate', native_enum=False, length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('forwarded_at', services.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('due_at', services.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('overdue_since', services.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('answered_at', services.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_complaint_forwarding_agency_id_agency')),
    sa.ForeignKeyConstraint(['answered_by_id'], ['user_account.id'], name=op.f('fk_complaint_forwarding_answered_by_id_user_account')),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaint.id'], name=op.f('fk_complaint_forwarding_complaint_id_complaint')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint_forwarding')),
    sa.UniqueConstraint('complaint_id', 'agency_id', name=op.f('uq_complaint_forwarding_complaint_id_agency_id'))
    )
    with op.batch_alter_table('complaint_forwarding', schema=None) as batch_op:
        batch_op.create_index('ix_complaint_forwarding_queue', ['agency_id', 'state', 'due_at'], unique=False)

    op.create_table('complaint_reopen_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('requested_at', services.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decision', sa.Enum('reopened', 'closed', name='reopendecision', native_enum=False, length=20), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=False),
    sa.Column('decided_at', services.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaint.id'], name=op.f('fk_complaint_reopen_request_complaint_id_complaint')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_complaint_reopen_request_decided_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint_reopen_request'))
    )
    with op.batch_alter_table('complaint_reopen_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaint_reopen_request_complaint_id'), ['complaint_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('complaint_reopen_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaint_reopen_request_complaint_id'))

    op.drop_table('complaint_reopen_request')
    with op.batch_alter_table('complaint_forwarding', schema=None) as batch_op:
        batch_op.drop_index('ix_complaint_forwarding_queue')

    op.drop_table('complaint_forwarding')
    with op.batch_alter_table('complaint_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaint_event_complaint_id'))

    op.drop_table('complaint_event')
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.drop_index('ix_complaint_status_created')
        batch_op.drop_index(batch_op.f('ix_complaint_published'))
        batch_op.drop_index(batch_op.f('ix_complaint_created_at'))
        batch_op.drop_index(batch_op.f('ix_complaint_category_id'))

    op.drop_table('complaint')
    op.drop_table('complaint_category')
