"""staff session versions, login lockout, revocation reason categories

Revision ID: 7c1f3a9e2b40
Revises: 20261129trusta
Create Date: 2026-11-29 19:30:00
"""
from alembic import op
import sqlalchemy as sa
import services.db


revision = '7c1f3a9e2b40'
down_revision = "20261129trusta"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('failed_logins', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('locked_until', services.db.UTCDateTime(timezone=True), nullable=True))
    # Usernames are compared lower-cased from now on; fold existing ones where no other
    # account already holds the folded name.
    op.execute(
        "UPDATE user_account SET username = lower(username) WHERE username <> lower(username) "
        "AND NOT EXISTS (SELECT 1 FROM user_account AS other "
        "WHERE other.username = lower(user_account.username))"
    )
    op.create_table('login_failure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('username', sa.String(length=60), nullable=False),
    sa.Column('at', services.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_failure'))
    )
    with op.batch_alter_table('login_failure', schema=None) as batch_op:
        batch_op.create_index('ix_login_failure_address_at', ['address', 'at'], unique=False)
    with op.batch_alter_table('issued_document', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revoked_category', sa.Enum('data_error', 'replaced', 'holder_request', 'issued_in_error', name='revocationreason', native_enum=False, length=20), nullable=True))
    op.execute("UPDATE issued_document SET revoked_category = 'issued_in_error' "
               "WHERE revoked_at IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table('issued_document', schema=None) as batch_op:
        batch_op.drop_column('revoked_category')
    with op.batch_alter_table('login_failure', schema=None) as batch_op:
        batch_op.drop_index('ix_login_failure_address_at')
    op.drop_table('login_failure')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('locked_until')
        batch_op.drop_column('failed_logins')
        batch_op.drop_column('session_version')
