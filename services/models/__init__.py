"""All models, imported together so the metadata is complete."""

from services.models.accounts import Role, User
from services.models.audit import AuditRecord
from services.models.catalog import (
    Agency,
    AgencyKind,
    Category,
    FieldType,
    FormField,
    Holiday,
    Service,
    ServiceVersion,
    VersionState,
    WorkflowStep,
)
from services.models.kiosks import Kiosk, PrinterState, PrintJob, PrintJobState
from services.models.requests import (
    Channel,
    Event,
    IssuedDocument,
    RequestStatus,
    ServiceRequest,
    Task,
    TaskOutcome,
    TaskStatus,
)
from services.models.surveys import SurveyResponse, SurveySource, SurveyTaken

__all__ = [
    "Agency",
    "AgencyKind",
    "AuditRecord",
    "Category",
    "Channel",
    "Event",
    "FieldType",
    "FormField",
    "Holiday",
    "IssuedDocument",
    "Kiosk",
    "PrintJob",
    "PrintJobState",
    "PrinterState",
    "RequestStatus",
    "Role",
    "Service",
    "ServiceRequest",
    "ServiceVersion",
    "SurveyResponse",
    "SurveySource",
    "SurveyTaken",
    "Task",
    "TaskOutcome",
    "TaskStatus",
    "User",
    "VersionState",
    "WorkflowStep",
]
