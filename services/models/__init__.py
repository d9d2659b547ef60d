"""All models, imported together so the metadata is complete."""

from services.models.accounts import LoginFailure, Role, User
from services.models.audit import AuditRecord
from services.models.catalog import (
    Agency,
    AgencyKind,
    CatalogState,
    Category,
    ClockStart,
    FeeKind,
    FieldType,
    FormField,
    Holiday,
    ProductKind,
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
    RevocationReason,
    ServiceRequest,
    Task,
    TaskOutcome,
    TaskStatus,
)
from services.models.security import PinLockout, RateLimitCounter

__all__ = [
    "Agency",
    "CatalogState",
    "AgencyKind",
    "AuditRecord",
    "Category",
    "Channel",
    "ClockStart",
    "Event",
    "FeeKind",
    "FieldType",
    "FormField",
    "Holiday",
    "IssuedDocument",
    "Kiosk",
    "PinLockout",
    "LoginFailure",
    "PrintJob",
    "PrintJobState",
    "PrinterState",
    "RateLimitCounter",
    "ProductKind",
    "RequestStatus",
    "RevocationReason",
    "Role",
    "Service",
    "ServiceRequest",
    "ServiceVersion",
    "Task",
    "TaskOutcome",
    "TaskStatus",
    "User",
    "VersionState",
    "WorkflowStep",
]
