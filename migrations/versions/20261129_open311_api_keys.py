"""API keys for other systems, the audit of their calls, and the key that made a request.

Revision ID: a311c0de0001
Revises: ikm20261129
Create Date: 2026-11-29 19:24:44.004187
"""
from alembic import op
import sqlalchemy as sa
import services.db


revision = 'a311c0de0001'
down_revision = 'ikm20261129'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('api_key',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('owner_system', sa.String(length=120), nullable=False),
    sa.Column('prefix', sa.String(length=16), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('scopes', sa.JSON(), nullable=False),
    sa.Column('rate_limit', sa.String(length=60), nullable=False),
    sa.Column('created_at', services.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('revoked_at', services.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_used_at', services.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_api_key_created_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_key')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_api_key_key_hash'))
    )
    op.create_table('api_key_call',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('api_key_id', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=10), nullable=False),
    sa.Column('route', sa.String(length=200), nullable=False),
    sa.Column('status', sa.Integer(), nullable=False),
    sa.Column('at', services.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['api_key_id'], ['api_key.id'], name=op.f('fk_api_key_call_api_key_id_api_key')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_key_call'))
    )
    with op.batch_alter_table('api_key_call', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_key_call_api_key_id'), ['api_key_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_api_key_call_at'), ['at'], unique=False)

    with op.batch_alter_table('service_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('api_key_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_service_request_api_key_id'), ['api_key_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_service_request_api_key_id_api_key'), 'api_key', ['api_key_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('service_request', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_service_request_api_key_id_api_key'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_service_request_api_key_id'))
        batch_op.drop_column('api_key_id')

    with op.batch_alter_table('api_key_call', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_key_call_at'))
        batch_op.drop_index(batch_op.f('ix_api_key_call_api_key_id'))

    op.drop_table('api_key_call')
    op.drop_table('api_key')
