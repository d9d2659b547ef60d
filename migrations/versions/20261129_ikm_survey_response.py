"""ikm: survey_response (IKM answers, never the applicant) and survey_taken (one per request)

Revision ID: ikm20261129
Revises: c0a1b2c3d4e5
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa
import services.db


revision = 'ikm20261129'
down_revision = 'c0a1b2c3d4e5'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('survey_taken',
    sa.Column('subject', sa.String(length=60), nullable=False),
    sa.PrimaryKeyConstraint('subject', name=op.f('pk_survey_taken'))
    )
    op.create_table('survey_response',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=True),
    sa.Column('service_version_id', sa.Integer(), nullable=True),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.Enum('kiosk', 'web', 'api', 'open311', 'counter', name='channel', native_enum=False, length=20), nullable=True),
    sa.Column('kiosk_id', sa.Integer(), nullable=True),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('source', sa.Enum('kiosk', 'web', 'paper', 'api', name='surveysource', native_enum=False, length=20), nullable=False),
    sa.Column('u1', sa.SmallInteger(), nullable=False),
    sa.Column('u2', sa.SmallInteger(), nullable=False),
    sa.Column('u3', sa.SmallInteger(), nullable=False),
    sa.Column('u4', sa.SmallInteger(), nullable=False),
    sa.Column('u5', sa.SmallInteger(), nullable=False),
    sa.Column('u6', sa.SmallInteger(), nullable=False),
    sa.Column('u7', sa.SmallInteger(), nullable=False),
    sa.Column('u8', sa.SmallInteger(), nullable=False),
    sa.Column('u9', sa.SmallInteger(), nullable=False),
    sa.Column('created_at', services.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("period LIKE '____-__'", name=op.f('ck_survey_response_period_yyyy_mm')),
    sa.CheckConstraint('u1 BETWEEN 1 AND 4', name=op.f('ck_survey_response_u1_1_to_4')),
    sa.CheckConstraint('u2 BETWEEN 1 AND 4', name=op.f('ck_survey_response_u2_1_to_4')),
    sa.CheckConstraint('u3 BETWEEN 1 AND 4', name=op.f('ck_survey_response_u3_1_to_4')),
    sa.CheckConstraint('u4 BETWEEN 1 AND 4', name=op.f('ck_survey_response_u4_1_to_4')),
    sa.CheckConstraint('u5 BETWEEN 1 AND 4', name=op.f('ck_survey_response_u5_1_to_4')),
    sa.CheckConstraint('u6 BETWEEN 1 AND 4', name=op.f('ck_survey_response_u6_1_to_4')),
    sa.CheckConstraint('u7 BETWEEN 1 AND 4', name=op.f('ck_survey_response_u7_1_to_4')),
    sa.CheckConstraint('u8 BETWEEN 1 AND 4', name=op.f('ck_survey_response_u8_1_to_4')),
    sa.CheckConstraint('u9 BETWEEN 1 AND 4', name=op.f('ck_survey_response_u9_1_to_4')),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_survey_response_agency_id_agency')),
    sa.ForeignKeyConstraint(['kiosk_id'], ['kiosk.id'], name=op.f('fk_survey_response_kiosk_id_kiosk')),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'], name=op.f('fk_survey_response_service_id_service')),
    sa.ForeignKeyConstraint(['service_version_id'], ['service_version.id'], name=op.f('fk_survey_response_service_version_id_service_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_response'))
    )
    with op.batch_alter_table('survey_response', schema=None) as batch_op:
        batch_op.create_index('ix_survey_response_agency_period', ['agency_id', 'period'], unique=False)
        batch_op.create_index('ix_survey_response_service_period', ['service_id', 'period'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('survey_response', schema=None) as batch_op:
        batch_op.drop_index('ix_survey_response_service_period')
        batch_op.drop_index('ix_survey_response_agency_period')

    op.drop_table('survey_response')
    op.drop_table('survey_taken')
