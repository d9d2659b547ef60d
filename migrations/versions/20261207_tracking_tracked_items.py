"""tracked items: a complaint's idempotency column named for the digest it holds, as a
request's is; a print job names its complaint by a foreign key, no longer inside its payload

Revision ID: tracking0001
Revises: uxscreens0001
Create Date: 2026-12-07 21:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'tracking0001'
down_revision = 'uxscreens0001'
branch_labels = None
depends_on = None

PRINT_JOB = sa.table('print_job', sa.column('id', sa.Integer),
                     sa.column('request_id', sa.Integer),
                     sa.column('complaint_id', sa.Integer),
                     sa.column('payload', sa.JSON))


def upgrade() -> None:
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.drop_constraint('uq_complaint_idempotency_key', type_='unique')
        batch_op.alter_column('idempotency_key', new_column_name='idempotency_digest',
                              existing_type=sa.String(length=200), type_=sa.String(length=64),
                              existing_nullable=True)
    # A second batch: SQLite's table copy loses a constraint made in the renaming batch.
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_complaint_idempotency_digest'),
                                          ['idempotency_digest'])
    with op.batch_alter_table('print_job', schema=None) as batch_op:
        batch_op.add_column(sa.Column('complaint_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_print_job_complaint_id'), ['complaint_id'],
                              unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_print_job_complaint_id_complaint'),
                                    'complaint', ['complaint_id'], ['id'])
        batch_op.create_check_constraint(
            'one_tracked_item', 'request_id IS NULL OR complaint_id IS NULL')
    # The complaint each job named in its payload becomes the job's foreign key.
    bind = op.get_bind()
    rows = bind.execute(sa.select(PRINT_JOB.c.id, PRINT_JOB.c.payload)
                        .where(PRINT_JOB.c.request_id.is_(None))).all()
    for job_id, payload in rows:
        complaint_id = (payload or {}).get('complaint_id')
        if not isinstance(complaint_id, int):
            continue
        rest = {key: value for key, value in payload.items() if key != 'complaint_id'}
        bind.execute(PRINT_JOB.update().where(PRINT_JOB.c.id == job_id)
                     .values(complaint_id=complaint_id, payload=rest))


def downgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.select(PRINT_JOB.c.id, PRINT_JOB.c.complaint_id, PRINT_JOB.c.payload)
                        .where(PRINT_JOB.c.complaint_id.is_not(None))).all()
    for job_id, complaint_id, payload in rows:
        bind.execute(PRINT_JOB.update().where(PRINT_JOB.c.id == job_id)
                     .values(payload={**(payload or {}), 'complaint_id': complaint_id}))
    with op.batch_alter_table('print_job', schema=None) as batch_op:
        batch_op.drop_constraint('one_tracked_item', type_='check')
        batch_op.drop_constraint(batch_op.f('fk_print_job_complaint_id_complaint'),
                                 type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_print_job_complaint_id'))
        batch_op.drop_column('complaint_id')
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_complaint_idempotency_digest'), type_='unique')
        batch_op.alter_column('idempotency_digest', new_column_name='idempotency_key',
                              existing_type=sa.String(length=64), type_=sa.String(length=200),
                              existing_nullable=True)
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_complaint_idempotency_key', ['idempotency_key'])
