"""product kinds, fee kinds, the service standard, file-complete SLA clock, signed documents

Revision ID: 20261129products
Revises: 7c1f3a9e2b40
Create Date: 2026-11-29 19:40:00
"""
from alembic import op
import sqlalchemy as sa
import services.db


revision = '20261129products'
down_revision = '7c1f3a9e2b40'
branch_labels = None
depends_on = None


def _enum(*values: str, name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=20)


def upgrade() -> None:
    with op.batch_alter_table('service_version', schema=None) as batch_op:
        batch_op.add_column(sa.Column('clock_start', _enum('submission', 'complete_file', name='clockstart'), nullable=False, server_default='submission'))
        batch_op.add_column(sa.Column('fee_kind', _enum('free', 'tariff', 'assessed', name='feekind'), nullable=False, server_default='free'))
        batch_op.add_column(sa.Column('fee_basis_id', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('fee_basis_en', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('product_kind', _enum('document', 'external', 'item', 'answer', name='productkind'), nullable=False, server_default='document'))
        batch_op.add_column(sa.Column('external_system', sa.String(length=60), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('collection_id', sa.String(length=300), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('collection_en', sa.String(length=300), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('legal_basis_id', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('legal_basis_en', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('facilities_id', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('facilities_en', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('guarantee_id', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('guarantee_en', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('keywords', sa.JSON(), nullable=False, server_default='[]'))
    with op.batch_alter_table('workflow_step', schema=None) as batch_op:
        batch_op.add_column(sa.Column('marks_complete', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('assesses_fee', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('service_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('file_complete_at', services.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('assessed_fee', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('fee_reference', sa.String(length=100), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('external_number', sa.String(length=100), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('external_issued_on', sa.Date(), nullable=True))
    with op.batch_alter_table('issued_document', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signed_pdf', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('signer', sa.String(length=300), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('issued_document', schema=None) as batch_op:
        batch_op.drop_column('signer')
        batch_op.drop_column('signed_pdf')
    with op.batch_alter_table('service_request', schema=None) as batch_op:
        for name in ('external_issued_on', 'external_number', 'fee_reference', 'assessed_fee',
                     'file_complete_at'):
            batch_op.drop_column(name)
    with op.batch_alter_table('workflow_step', schema=None) as batch_op:
        batch_op.drop_column('assesses_fee')
        batch_op.drop_column('marks_complete')
    with op.batch_alter_table('service_version', schema=None) as batch_op:
        for name in ('keywords', 'guarantee_en', 'guarantee_id', 'facilities_en', 'facilities_id',
                     'legal_basis_en', 'legal_basis_id', 'collection_en', 'collection_id',
                     'external_system', 'product_kind', 'fee_basis_en', 'fee_basis_id',
                     'fee_kind', 'clock_start'):
            batch_op.drop_column(name)
