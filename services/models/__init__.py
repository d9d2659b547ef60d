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
from services.models.performance import (
    AgencyTarget,
    RollupDecisions,
    RollupKiosks,
    RollupRequests,
    RollupState,
    RollupTasks,
)
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

__all__ = [
    "Agency",
    "AgencyTarget",
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
    "RollupDecisions",
    "RollupKiosks",
    "RollupRequests",
    "RollupState",
    "RollupTasks",
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
