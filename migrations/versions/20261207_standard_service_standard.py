"""the whole service standard (UU 25/2009 Pasal 21), its SK and consultations, the Maklumat;
holiday kinds, agency work weeks, deemed approval of business-permit steps

Revision ID: standard0001
Revises: uxscreens0001
Create Date: 2026-12-07 00:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'standard0001'
down_revision = 'frontoffice01'
branch_labels = None
depends_on = None

VERSION_TEXTS = ('competence', 'supervision', 'staffing', 'safety', 'evaluation')


def upgrade() -> None:
    with op.batch_alter_table('holiday', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.Enum('nasional', 'cuti_bersama', 'daerah', name='holidaykind', native_enum=False, length=20), server_default='nasional', nullable=False))
        batch_op.add_column(sa.Column('provisional', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.add_column(sa.Column('work_week', sa.String(length=40), server_default='', nullable=False))
        batch_op.add_column(sa.Column('counts_cuti_bersama', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('maklumat_id', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('maklumat_en', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('maklumat_signer', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('maklumat_date', sa.Date(), nullable=True))
    with op.batch_alter_table('service_version', schema=None) as batch_op:
        for name in VERSION_TEXTS:
            for lang in ('id', 'en'):
                batch_op.add_column(sa.Column(f'{name}_{lang}', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('decree_number', sa.String(length=120), server_default='', nullable=False))
        batch_op.add_column(sa.Column('decree_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('consultations', sa.JSON(), server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('fee_is_tax', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('workflow_step', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deemed_approval', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('workflow_step', schema=None) as batch_op:
        batch_op.drop_column('deemed_approval')
    with op.batch_alter_table('service_version', schema=None) as batch_op:
        for name in ('fee_is_tax', 'consultations', 'decree_date', 'decree_number'):
            batch_op.drop_column(name)
        for name in reversed(VERSION_TEXTS):
            for lang in ('en', 'id'):
                batch_op.drop_column(f'{name}_{lang}')
    with op.batch_alter_table('agency', schema=None) as batch_op:
        for name in ('maklumat_date', 'maklumat_signer', 'maklumat_en', 'maklumat_id',
                     'counts_cuti_bersama', 'work_week'):
            batch_op.drop_column(name)
    with op.batch_alter_table('holiday', schema=None) as batch_op:
        batch_op.drop_column('provisional')
        batch_op.drop_column('kind')
