"""speed: keep only a digest of each idempotency key (PINs no longer derivable from the
database); the catalog generation that per-process catalog caches check

Revision ID: 20261129speed
Revises: 55bdc5741333
Create Date: 2026-11-29 19:40:00
"""
import hashlib

import sqlalchemy as sa
from alembic import op

revision = '20261129speed'
down_revision = '55bdc5741333'
branch_labels = None
depends_on = None


def upgrade() -> None:
    catalog_state = op.create_table('catalog_state',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('generation', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalog_state'))
    )
    op.bulk_insert(catalog_state, [{'id': 1, 'generation': 0}])
    with op.batch_alter_table('service_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('idempotency_digest', sa.String(length=64), nullable=True))
    # The digest of every stored key, then the keys themselves go.
    bind = op.get_bind()
    table = sa.table('service_request', sa.column('id', sa.Integer),
                     sa.column('idempotency_key', sa.String),
                     sa.column('idempotency_digest', sa.String))
    rows = bind.execute(sa.select(table.c.id, table.c.idempotency_key)
                        .where(table.c.idempotency_key.is_not(None))).all()
    for row_id, key in rows:
        bind.execute(table.update().where(table.c.id == row_id).values(
            idempotency_digest=hashlib.sha256(key.encode()).hexdigest()))
    with op.batch_alter_table('service_request', schema=None) as batch_op:
        batch_op.drop_constraint('uq_service_request_idempotency_key', type_='unique')
        batch_op.drop_column('idempotency_key')
        batch_op.create_unique_constraint(batch_op.f('uq_service_request_idempotency_digest'),
                                          ['idempotency_digest'])


def downgrade() -> None:
    op.drop_table('catalog_state')
    # The keys cannot come back from their digests; retries of older requests start afresh.
    with op.batch_alter_table('service_request', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_service_request_idempotency_digest'),
                                 type_='unique')
        batch_op.drop_column('idempotency_digest')
        batch_op.add_column(sa.Column('idempotency_key', sa.String(length=200), nullable=True))
        batch_op.create_unique_constraint('uq_service_request_idempotency_key',
                                          ['idempotency_key'])
