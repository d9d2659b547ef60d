"""signing officials: the pejabat's jabatan, NIP, signing credential and lockout; sign steps;
decision templates; signed decisions' content, signer, hash and time-stamp

Revision ID: signing0001
Revises: uxscreens0001
Create Date: 2026-12-07 00:00:00
"""
from alembic import op
import sqlalchemy as sa
import services.db


revision = 'signing0001'
down_revision = 'trust0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('jabatan', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('nip', sa.String(length=18), server_default='', nullable=False))
        batch_op.add_column(sa.Column('signing_credential', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('signing_failures', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('signing_locked_until', services.db.UTCDateTime(), nullable=True))
    with op.batch_alter_table('workflow_step', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signs', sa.Boolean(), server_default='0', nullable=False))
    with op.batch_alter_table('service_version', schema=None) as batch_op:
        batch_op.add_column(sa.Column('decision', sa.JSON(), nullable=True))
    with op.batch_alter_table('issued_document', schema=None) as batch_op:
        batch_op.add_column(sa.Column('content', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('signed_at', services.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('signed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('signer_jabatan', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('signer_nip', sa.String(length=18), server_default='', nullable=False))
        batch_op.add_column(sa.Column('pdf_sha256', sa.String(length=64), server_default='', nullable=False))
        batch_op.add_column(sa.Column('earlier_sha256', sa.JSON(), server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('timestamped_at', services.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('timestamp_expires_at', services.db.UTCDateTime(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_issued_document_signed_by_id_user_account'), 'user_account', ['signed_by_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_issued_document_pdf_sha256'), ['pdf_sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_issued_document_timestamp_expires_at'), ['timestamp_expires_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('issued_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_issued_document_timestamp_expires_at'))
        batch_op.drop_index(batch_op.f('ix_issued_document_pdf_sha256'))
        batch_op.drop_constraint(batch_op.f('fk_issued_document_signed_by_id_user_account'), type_='foreignkey')
        for column in ('timestamp_expires_at', 'timestamped_at', 'earlier_sha256', 'pdf_sha256',
                       'signer_nip',
                       'signer_jabatan', 'signed_by_id', 'signed_at', 'content'):
            batch_op.drop_column(column)
    with op.batch_alter_table('service_version', schema=None) as batch_op:
        batch_op.drop_column('decision')
    with op.batch_alter_table('workflow_step', schema=None) as batch_op:
        batch_op.drop_column('signs')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        for column in ('signing_locked_until', 'signing_failures', 'signing_credential', 'nip',
                       'jabatan'):
            batch_op.drop_column(column)
