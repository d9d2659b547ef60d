"""berkas: structured requirements and retention of a service version, stored files, uploads and
the clerk's requirement checks

Revision ID: berkas0001
Revises: uxscreens0001
Create Date: 2026-12-07 00:00:00
"""
from alembic import op
import sqlalchemy as sa
import services.db


revision = 'berkas0001'
down_revision = "tracking0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('service_version', schema=None) as batch_op:
        batch_op.add_column(sa.Column('requirement_items', sa.JSON(), server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('retention_years', sa.Integer(), server_default='5', nullable=False))
    op.create_table('stored_blob',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('media_type', sa.String(length=40), nullable=False),
    sa.Column('key_id', sa.String(length=40), nullable=False),
    sa.Column('created_at', services.db.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stored_blob')),
    sa.UniqueConstraint('digest', name=op.f('uq_stored_blob_digest'))
    )
    op.create_table('berkas_upload',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=40), nullable=False),
    sa.Column('blob_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('media_type', sa.String(length=40), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('pages', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=60), nullable=False),
    sa.Column('uploaded_at', services.db.UTCDateTime(), nullable=False),
    sa.Column('requirement_key', sa.String(length=60), nullable=True),
    sa.Column('request_id', sa.Integer(), nullable=True),
    sa.Column('complaint_id', sa.Integer(), nullable=True),
    sa.Column('linked_at', services.db.UTCDateTime(), nullable=True),
    sa.Column('replaced_at', services.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['blob_id'], ['stored_blob.id'], name=op.f('fk_berkas_upload_blob_id_stored_blob')),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaint.id'], name=op.f('fk_berkas_upload_complaint_id_complaint')),
    sa.ForeignKeyConstraint(['request_id'], ['service_request.id'], name=op.f('fk_berkas_upload_request_id_service_request')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_berkas_upload')),
    sa.UniqueConstraint('token', name=op.f('uq_berkas_upload_token'))
    )
    with op.batch_alter_table('berkas_upload', schema=None) as batch_op:
        batch_op.create_index('ix_berkas_upload_loose', ['request_id', 'complaint_id', 'uploaded_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_berkas_upload_blob_id'), ['blob_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_berkas_upload_request_id'), ['request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_berkas_upload_complaint_id'), ['complaint_id'], unique=False)
    op.create_table('requirement_check',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('requirement_key', sa.String(length=60), nullable=False),
    sa.Column('verdict', sa.Enum('sesuai', 'tidak_sesuai', 'kurang', name='verdict', native_enum=False, length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('checked_by_id', sa.Integer(), nullable=True),
    sa.Column('checked_at', services.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['checked_by_id'], ['user_account.id'], name=op.f('fk_requirement_check_checked_by_id_user_account')),
    sa.ForeignKeyConstraint(['request_id'], ['service_request.id'], name=op.f('fk_requirement_check_request_id_service_request')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_requirement_check')),
    sa.UniqueConstraint('request_id', 'requirement_key', name=op.f('uq_requirement_check_request_id_requirement_key'))
    )
    with op.batch_alter_table('requirement_check', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_requirement_check_request_id'), ['request_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('requirement_check', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_requirement_check_request_id'))
    op.drop_table('requirement_check')
    with op.batch_alter_table('berkas_upload', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_berkas_upload_complaint_id'))
        batch_op.drop_index(batch_op.f('ix_berkas_upload_request_id'))
        batch_op.drop_index(batch_op.f('ix_berkas_upload_blob_id'))
        batch_op.drop_index('ix_berkas_upload_loose')
    op.drop_table('berkas_upload')
    op.drop_table('stored_blob')
    with op.batch_alter_table('service_version', schema=None) as batch_op:
        batch_op.drop_column('retention_years')
        batch_op.drop_column('requirement_items')
