"""initial schema

Revision ID: 55bdc5741333
Revises: 
Create Date: 2026-11-25 08:19:21.216690
"""
from alembic import op
import sqlalchemy as sa
import services.db


revision = '55bdc5741333'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('agency',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.Enum('dinas', 'badan', 'kecamatan', 'kelurahan', name='agencykind', native_enum=False, length=20), nullable=False),
    sa.Column('name_id', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('email', sa.String(length=120), nullable=False),
    sa.Column('office_hours', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agency')),
    sa.UniqueConstraint('code', name=op.f('uq_agency_code'))
    )
    op.create_table('category',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name_id', sa.String(length=120), nullable=False),
    sa.Column('name_en', sa.String(length=120), nullable=False),
    sa.Column('icon', sa.String(length=40), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_category')),
    sa.UniqueConstraint('code', name=op.f('uq_category_code'))
    )
    op.create_table('holiday',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('name_id', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_holiday')),
    sa.UniqueConstraint('day', name=op.f('uq_holiday_day'))
    )
    op.create_table('kiosk',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('location', sa.String(length=300), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=True),
    sa.Column('token_hash', sa.String(length=128), nullable=True),
    sa.Column('enrolment_code_hash', sa.String(length=128), nullable=True),
    sa.Column('enrolment_expires_at', services.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('in_service', sa.Boolean(), nullable=False),
    sa.Column('out_of_service_note', sa.String(length=300), nullable=False),
    sa.Column('revoked_at', services.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_heartbeat_at', services.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('printer_state', sa.Enum('unknown', 'ready', 'paper_low', 'out_of_paper', 'offline', 'error', name='printerstate', native_enum=False, length=20), nullable=False),
    sa.Column('client_version', sa.String(length=40), nullable=False),
    sa.Column('paper_width_mm', sa.Integer(), nullable=False),
    sa.Column('created_at', services.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_kiosk_agency_id_agency')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kiosk')),
    sa.UniqueConstraint('code', name=op.f('uq_kiosk_code')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_kiosk_token_hash'))
    )
    op.create_table('service',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('current_version_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('fk_service_category_id_category')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service')),
    sa.UniqueConstraint('code', name=op.f('uq_service_code'))
    )
    op.create_table('user_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=60), nullable=False),
    sa.Column('full_name', sa.String(length=120), nullable=False),
    sa.Column('email', sa.String(length=120), nullable=False),
    sa.Column('password_hash', sa.String(length=256), nullable=False),
    sa.Column('role', sa.Enum('admin', 'supervisor', 'clerk', 'officer', name='role', native_enum=False, length=20), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', services.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', services.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_user_account_agency_id_agency')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_account')),
    sa.UniqueConstraint('username', name=op.f('uq_user_account_username'))
    )
    op.create_table('audit_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('entity', sa.String(length=60), nullable=False),
    sa.Column('entity_key', sa.String(length=120), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('created_at', services.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_audit_record_actor_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_record'))
    )
    with op.batch_alter_table('audit_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_record_created_at'), ['created_at'], unique=False)

    op.create_table('service_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('draft', 'published', 'retired', name='versionstate', native_enum=False, length=20), nullable=False),
    sa.Column('name_id', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('description_id', sa.Text(), nullable=False),
    sa.Column('description_en', sa.Text(), nullable=False),
    sa.Column('requirements_id', sa.JSON(), nullable=False),
    sa.Column('requirements_en', sa.JSON(), nullable=False),
    sa.Column('procedure_id', sa.JSON(), nullable=False),
    sa.Column('procedure_en', sa.JSON(), nullable=False),
    sa.Column('duration_days', sa.Integer(), nullable=False),
    sa.Column('fee', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.String(length=300), nullable=False),
    sa.Column('product_en', sa.String(length=300), nullable=False),
    sa.Column('product_validity_days', sa.Integer(), nullable=True),
    sa.Column('complaint_channel_id', sa.String(length=300), nullable=False),
    sa.Column('complaint_channel_en', sa.String(length=300), nullable=False),
    sa.Column('created_at', services.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('published_at', services.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'], name=op.f('fk_service_version_service_id_service')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_version')),
    sa.UniqueConstraint('service_id', 'number', name=op.f('uq_service_version_service_id_number'))
    )
    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f('fk_service_current_version_id_service_version'),
            'service_version', ['current_version_id'], ['id'])
    op.create_table('form_field',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('type', sa.Enum('text', 'long_text', 'number', 'rupiah', 'date', 'choice', 'yes_no', 'nik', 'phone', 'email', 'address', name='fieldtype', native_enum=False, length=20), nullable=False),
    sa.Column('label_id', sa.String(length=300), nullable=False),
    sa.Column('label_en', sa.String(length=300), nullable=False),
    sa.Column('help_id', sa.String(length=500), nullable=False),
    sa.Column('help_en', sa.String(length=500), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('constraints', sa.JSON(), nullable=False),
    sa.Column('choices', sa.JSON(), nullable=False),
    sa.Column('page', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('show_if', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['version_id'], ['service_version.id'], name=op.f('fk_form_field_version_id_service_version'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_form_field')),
    sa.UniqueConstraint('version_id', 'key', name=op.f('uq_form_field_version_id_key'))
    )
    op.create_table('service_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tracking_code', sa.String(length=16), nullable=False),
    sa.Column('pin_hash', sa.String(length=256), nullable=False),
    sa.Column('service_version_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('submitted', 'in_progress', 'needs_info', 'approved', 'rejected', 'completed', 'cancelled', name='requeststatus', native_enum=False, length=20), nullable=False),
    sa.Column('channel', sa.Enum('kiosk', 'web', 'api', 'open311', 'counter', name='channel', native_enum=False, length=20), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('applicant_nik', sa.String(length=16), nullable=False),
    sa.Column('applicant_name', sa.String(length=120), nullable=False),
    sa.Column('applicant_phone', sa.String(length=20), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('kiosk_id', sa.Integer(), nullable=True),
    sa.Column('officer_id', sa.Integer(), nullable=True),
    sa.Column('idempotency_key', sa.String(length=200), nullable=True),
    sa.Column('payload_digest', sa.String(length=64), nullable=False),
    sa.Column('created_at', services.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('due_at', services.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('clock_stopped_at', services.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_at', services.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['kiosk_id'], ['kiosk.id'], name=op.f('fk_service_request_kiosk_id_kiosk')),
    sa.ForeignKeyConstraint(['officer_id'], ['user_account.id'], name=op.f('fk_service_request_officer_id_user_account')),
    sa.ForeignKeyConstraint(['service_version_id'], ['service_version.id'], name=op.f('fk_service_request_service_version_id_service_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_request')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_service_request_idempotency_key')),
    sa.UniqueConstraint('tracking_code', name=op.f('uq_service_request_tracking_code'))
    )
    with op.batch_alter_table('service_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_request_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_request_kiosk_id'), ['kiosk_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_request_service_version_id'), ['service_version_id'], unique=False)
        batch_op.create_index('ix_service_request_status_due', ['status', 'due_at'], unique=False)

    op.create_table('workflow_step',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name_id', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=True),
    sa.Column('agency_field', sa.String(length=60), nullable=True),
    sa.Column('agency_map', sa.JSON(), nullable=False),
    sa.Column('sla_days', sa.Integer(), nullable=False),
    sa.Column('condition', sa.JSON(), nullable=True),
    sa.Column('forward_to', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_workflow_step_agency_id_agency')),
    sa.ForeignKeyConstraint(['version_id'], ['service_version.id'], name=op.f('fk_workflow_step_version_id_service_version'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workflow_step'))
    )
    op.create_table('issued_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('issued_at', services.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('valid_until', services.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', services.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_reason', sa.Text(), nullable=False),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_issued_document_agency_id_agency')),
    sa.ForeignKeyConstraint(['request_id'], ['service_request.id'], name=op.f('fk_issued_document_request_id_service_request')),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['user_account.id'], name=op.f('fk_issued_document_revoked_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_issued_document')),
    sa.UniqueConstraint('number', name=op.f('uq_issued_document_number')),
    sa.UniqueConstraint('request_id', name=op.f('uq_issued_document_request_id'))
    )
    op.create_table('print_job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kiosk_id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('state', sa.Enum('pending', 'sent', 'printed', 'failed', 'cancelled', name='printjobstate', native_enum=False, length=20), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.Column('created_at', services.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', services.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('printed_at', services.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['kiosk_id'], ['kiosk.id'], name=op.f('fk_print_job_kiosk_id_kiosk')),
    sa.ForeignKeyConstraint(['request_id'], ['service_request.id'], name=op.f('fk_print_job_request_id_service_request')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_print_job'))
    )
    with op.batch_alter_table('print_job', schema=None) as batch_op:
        batch_op.create_index('ix_print_job_kiosk_state', ['kiosk_id', 'state'], unique=False)
        batch_op.create_index(batch_op.f('ix_print_job_request_id'), ['request_id'], unique=False)

    op.create_table('task',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('step_id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'ready', 'claimed', 'waiting', 'done', 'skipped', name='taskstatus', native_enum=False, length=20), nullable=False),
    sa.Column('outcome', sa.Enum('approved', 'rejected', 'forwarded', name='taskoutcome', native_enum=False, length=20), nullable=True),
    sa.Column('claimed_by_id', sa.Integer(), nullable=True),
    sa.Column('claimed_at', services.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ready_at', services.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('due_at', services.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('done_at', services.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('overdue_since', services.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_task_agency_id_agency')),
    sa.ForeignKeyConstraint(['claimed_by_id'], ['user_account.id'], name=op.f('fk_task_claimed_by_id_user_account')),
    sa.ForeignKeyConstraint(['request_id'], ['service_request.id'], name=op.f('fk_task_request_id_service_request')),
    sa.ForeignKeyConstraint(['step_id'], ['workflow_step.id'], name=op.f('fk_task_step_id_workflow_step')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task'))
    )
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_claimed_by_id'), ['claimed_by_id'], unique=False)
        batch_op.create_index('ix_task_queue', ['agency_id', 'status', 'due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_request_id'), ['request_id'], unique=False)

    op.create_table('event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_label', sa.String(length=120), nullable=False),
    sa.Column('from_status', sa.Enum('submitted', 'in_progress', 'needs_info', 'approved', 'rejected', 'completed', 'cancelled', name='requeststatus', native_enum=False, length=20), nullable=True),
    sa.Column('to_status', sa.Enum('submitted', 'in_progress', 'needs_info', 'approved', 'rejected', 'completed', 'cancelled', name='requeststatus', native_enum=False, length=20), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('created_at', services.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_event_actor_id_user_account')),
    sa.ForeignKeyConstraint(['request_id'], ['service_request.id'], name=op.f('fk_event_request_id_service_request')),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_event_task_id_task')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event'))
    )
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_request_id'), ['request_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_service_current_version_id_service_version'), type_='foreignkey')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_request_id'))

    op.drop_table('event')
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_request_id'))
        batch_op.drop_index('ix_task_queue')
        batch_op.drop_index(batch_op.f('ix_task_claimed_by_id'))

    op.drop_table('task')
    with op.batch_alter_table('print_job', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_print_job_request_id'))
        batch_op.drop_index('ix_print_job_kiosk_state')

    op.drop_table('print_job')
    op.drop_table('issued_document')
    op.drop_table('workflow_step')
    with op.batch_alter_table('service_request', schema=None) as batch_op:
        batch_op.drop_index('ix_service_request_status_due')
        batch_op.drop_index(batch_op.f('ix_service_request_service_version_id'))
        batch_op.drop_index(batch_op.f('ix_service_request_kiosk_id'))
        batch_op.drop_index(batch_op.f('ix_service_request_created_at'))

    op.drop_table('service_request')
    op.drop_table('form_field')
    op.drop_table('service_version')
    with op.batch_alter_table('audit_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_record_created_at'))

    op.drop_table('audit_record')
    op.drop_table('user_account')
    op.drop_table('service')
    op.drop_table('kiosk')
    op.drop_table('holiday')
    op.drop_table('category')
    op.drop_table('agency')
