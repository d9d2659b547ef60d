"""Catalog models: agencies, services and their published versions, fields, steps, holidays."""

from __future__ import annotations

import enum
import secrets
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
    false,
    insert,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from services.db import Base, UTCDateTime, enum_column, utcnow


class AgencyKind(enum.Enum):
    DINAS = "dinas"
    BADAN = "badan"
    KECAMATAN = "kecamatan"
    KELURAHAN = "kelurahan"


class FieldType(enum.Enum):
    TEXT = "text"
    LONG_TEXT = "long_text"
    NUMBER = "number"
    RUPIAH = "rupiah"
    DATE = "date"
    CHOICE = "choice"
    YES_NO = "yes_no"
    NIK = "nik"
    PHONE = "phone"
    EMAIL = "email"
    ADDRESS = "address"


class ProductKind(enum.Enum):
    """What the citizen receives: only a ``document`` is issued (and signed) by this system."""

    DOCUMENT = "document"  # issued and signed here (PAdES PDF)
    EXTERNAL = "external"  # issued by another system (SIAK, OSS-RBA, SIMBG); its number is recorded
    ITEM = "item"  # a physical product to collect, such as the KTP-el card
    ANSWER = "answer"  # a reply, for information services


class FeeKind(enum.Enum):
    FREE = "free"  # no charge, by the named legal basis
    TARIFF = "tariff"  # a fixed amount set by a named Perda
    ASSESSED = "assessed"  # set during processing (SKRD) by the step that assesses it


class ClockStart(enum.Enum):
    """When the SLA clock of a request starts."""

    SUBMISSION = "submission"
    COMPLETE_FILE = "complete_file"  # when a step marks the file complete ("berkas lengkap")


class HolidayKind(enum.Enum):
    """A national holiday and a regional one close every unit; on cuti bersama a unit serves
    or not, and counts it as a working day or not, by its own choice."""

    NATIONAL = "nasional"  # libur nasional (SKB 3 Menteri)
    CUTI_BERSAMA = "cuti_bersama"
    REGIONAL = "daerah"  # libur daerah, set by the city


class VersionState(enum.Enum):
    DRAFT = "draft"
    PUBLISHED = "published"
    RETIRED = "retired"


class Agency(Base):
    __tablename__ = "agency"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[AgencyKind] = mapped_column(enum_column(AgencyKind))
    name_id: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(120), default="")
    office_hours: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The weekdays this agency serves ("mon-sat" at an MPP); empty: the city's week.
    work_week: Mapped[str] = mapped_column(String(40), default="", server_default="")
    # Whether this agency's SLAs count cuti bersama as working days.
    counts_cuti_bersama: Mapped[bool] = mapped_column(Boolean, default=False,
                                                      server_default=false())
    # The Maklumat Pelayanan (UU 25/2009 Pasal 22): the unit's public promise, who signed it, when.
    maklumat_id: Mapped[str] = mapped_column(Text, default="", server_default="")
    maklumat_en: Mapped[str] = mapped_column(Text, default="", server_default="")
    maklumat_signer: Mapped[str] = mapped_column(String(200), default="", server_default="")
    maklumat_date: Mapped[date | None] = mapped_column(Date, nullable=True)

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_id


class Category(Base):
    __tablename__ = "category"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_id: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    icon: Mapped[str] = mapped_column(String(40), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_id


class Service(Base):
    """A public service; what it asks and how it is routed live in its versions."""

    __tablename__ = "service"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("service_version.id", use_alter=True), nullable=True
    )

    category: Mapped[Category] = relationship()
    versions: Mapped[list[ServiceVersion]] = relationship(
        back_populates="service",
        foreign_keys="ServiceVersion.service_id",
        order_by="ServiceVersion.number",
    )
    current_version: Mapped[ServiceVersion | None] = relationship(
        foreign_keys=[current_version_id], post_update=True
    )


class ServiceVersion(Base):
    """One published (or draft) edition of a service's standard, form and workflow."""

    __tablename__ = "service_version"
    __table_args__ = (UniqueConstraint("service_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"))
    number: Mapped[int] = mapped_column(Integer)
    state: Mapped[VersionState] = mapped_column(enum_column(VersionState))
    name_id: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    description_id: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    requirements_id: Mapped[list[str]] = mapped_column(JSON, default=list)
    requirements_en: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The requirements structured (services.catalog.requirements): key, name, kind, required,
    # show_if, formats and limits; requirements_id/en above are their wording, kept in step.
    requirement_items: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list,
                                                                    server_default="[]")
    # Years the documents of a finished request are kept before the retention job removes them.
    retention_years: Mapped[int] = mapped_column(Integer, default=5, server_default="5")
    procedure_id: Mapped[list[str]] = mapped_column(JSON, default=list)
    procedure_en: Mapped[list[str]] = mapped_column(JSON, default=list)
    # 0 means the same working day ("selesai di tempat").
    duration_days: Mapped[int] = mapped_column(Integer)
    clock_start: Mapped[ClockStart] = mapped_column(enum_column(ClockStart),
                                                    default=ClockStart.SUBMISSION)
    fee: Mapped[int] = mapped_column(Integer, default=0)
    fee_kind: Mapped[FeeKind] = mapped_column(enum_column(FeeKind), default=FeeKind.FREE)
    # The legal basis of the fee: why it is free, the Perda of the tariff or of the levy assessed.
    fee_basis_id: Mapped[str] = mapped_column(Text, default="")
    fee_basis_en: Mapped[str] = mapped_column(Text, default="")
    # The fee is a regional tax (pajak daerah, assessed by SKPD: reklame), not a levy (retribusi).
    fee_is_tax: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    product_id: Mapped[str] = mapped_column(String(300))
    product_en: Mapped[str] = mapped_column(String(300))
    product_kind: Mapped[ProductKind] = mapped_column(enum_column(ProductKind),
                                                      default=ProductKind.DOCUMENT)
    # For an external product: the system that issues it (SIAK, OSS-RBA, SIMBG).
    external_system: Mapped[str] = mapped_column(String(60), default="")
    # Where the citizen collects the product (item, external).
    collection_id: Mapped[str] = mapped_column(String(300), default="")
    collection_en: Mapped[str] = mapped_column(String(300), default="")
    # Dasar hukum (UU 25/2009 Pasal 21 huruf a), one legal instrument a line.
    legal_basis_id: Mapped[list[str]] = mapped_column(JSON, default=list)
    legal_basis_en: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Sarana, prasarana dan/atau fasilitas; jaminan pelayanan (Pasal 21 huruf g, l, m).
    facilities_id: Mapped[str] = mapped_column(Text, default="")
    facilities_en: Mapped[str] = mapped_column(Text, default="")
    guarantee_id: Mapped[str] = mapped_column(Text, default="")
    guarantee_en: Mapped[str] = mapped_column(Text, default="")
    # The other components of Pasal 21 (huruf h, i, k, m, n): kept for the unit's management.
    competence_id: Mapped[str] = mapped_column(Text, default="", server_default="")
    competence_en: Mapped[str] = mapped_column(Text, default="", server_default="")
    supervision_id: Mapped[str] = mapped_column(Text, default="", server_default="")
    supervision_en: Mapped[str] = mapped_column(Text, default="", server_default="")
    staffing_id: Mapped[str] = mapped_column(Text, default="", server_default="")
    staffing_en: Mapped[str] = mapped_column(Text, default="", server_default="")
    safety_id: Mapped[str] = mapped_column(Text, default="", server_default="")
    safety_en: Mapped[str] = mapped_column(Text, default="", server_default="")
    evaluation_id: Mapped[str] = mapped_column(Text, default="", server_default="")
    evaluation_en: Mapped[str] = mapped_column(Text, default="", server_default="")
    # How the standard was set: the SK penetapan, after public consultations (Pasal 20).
    decree_number: Mapped[str] = mapped_column(String(120), default="", server_default="")
    decree_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    # [{"date": "2026-02-10", "participants": "...", "summary": "..."}]
    consultations: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list,
                                                                server_default="[]")
    # Other words citizens search with (IMB for PBG, e-KTP for KTP-el, miskin for SKTM).
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    # One title per form page: [{"page": 1, "id": "Data bangunan", "en": "The building"}].
    page_titles: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list,
                                                              server_default="[]")
    product_validity_days: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # The decision template of a ``document`` product (services.documents.decision): its
    # classification code, title, what it decides and which answers and records it shows.
    decision: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    complaint_channel_id: Mapped[str] = mapped_column(String(300), default="")
    complaint_channel_en: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    service: Mapped[Service] = relationship(back_populates="versions", foreign_keys=[service_id])
    fields: Mapped[list[FormField]] = relationship(
        back_populates="version",
        order_by="(FormField.page, FormField.position)",
        cascade="all, delete-orphan",
    )
    steps: Mapped[list[WorkflowStep]] = relationship(
        back_populates="version",
        order_by="(WorkflowStep.stage, WorkflowStep.position)",
        cascade="all, delete-orphan",
    )

    def text(self, attribute: str, lang: str) -> Any:
        """Return the id or en variant of a bilingual attribute such as ``name``."""
        return getattr(self, f"{attribute}_{'en' if lang == 'en' else 'id'}")

    def page_title(self, page: int, lang: str) -> str:
        """The title of one page of the form ("Data bangunan"); empty when the catalog has none."""
        for entry in self.page_titles or []:
            if entry.get("page") == page:
                return str(entry.get("en" if lang == "en" else "id") or "")
        return ""


class FormField(Base):
    __tablename__ = "form_field"
    __table_args__ = (UniqueConstraint("version_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("service_version.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(60))
    type: Mapped[FieldType] = mapped_column(enum_column(FieldType))
    label_id: Mapped[str] = mapped_column(String(300))
    label_en: Mapped[str] = mapped_column(String(300))
    help_id: Mapped[str] = mapped_column(String(500), default="")
    help_en: Mapped[str] = mapped_column(String(500), default="")
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    # min, max, min_length, max_length, pattern; see services.catalog.schema
    constraints: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # [{"value": ..., "label_id": ..., "label_en": ...}] for choice fields
    choices: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    page: Mapped[int] = mapped_column(Integer, default=1)
    position: Mapped[int] = mapped_column(Integer, default=0)
    # {"field": key, "op": "eq", "value": ...}; see services.conditions
    show_if: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)

    version: Mapped[ServiceVersion] = relationship(back_populates="fields")

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_id

    def help(self, lang: str) -> str:
        return self.help_en if lang == "en" else self.help_id


class WorkflowStep(Base):
    """A step of a service's workflow; steps sharing a stage run in parallel."""

    __tablename__ = "workflow_step"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("service_version.id", ondelete="CASCADE"))
    stage: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name_id: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"), nullable=True)
    # When set, the owning agency is picked by this field's answer through agency_map.
    agency_field: Mapped[str | None] = mapped_column(String(60), nullable=True)
    agency_map: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    sla_days: Mapped[int] = mapped_column(Integer)
    condition: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    # Agency codes this step's clerks may forward the task to.
    forward_to: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Approving this step declares the file complete ("berkas lengkap"): the SLA clock of a
    # service counted from a complete file starts then.
    marks_complete: Mapped[bool] = mapped_column(Boolean, default=False)
    # The clerk of this step records the assessed fee (SKRD) of an ``assessed`` service.
    assesses_fee: Mapped[bool] = mapped_column(Boolean, default=False)
    # How that step bills the fee (services.payments.tariffs.parse_billing): SKRD or SKPD, the
    # tariff lines that compute it from the answers, rounding, due days, what expiry does.
    billing: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    # A business-permit step whose SLA passes is deemed approved ("fiktif positif", PP 28/2025).
    deemed_approval: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # A ``sign`` step: the agency's signing official (pejabat) signs the decision here.
    signs: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")

    version: Mapped[ServiceVersion] = relationship(back_populates="steps")
    agency: Mapped[Agency | None] = relationship()

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_id


class Holiday(Base):
    __tablename__ = "holiday"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    name_id: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    kind: Mapped[HolidayKind] = mapped_column(enum_column(HolidayKind), default=HolidayKind.NATIONAL,
                                              server_default=HolidayKind.NATIONAL.value)
    # Entered before the SKB of its year is signed: the dates may still move.
    provisional: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class CatalogState(Base):
    """One row: the catalog's generation, a fresh random number whenever anything in the catalog
    (services, versions, fields, steps, agencies, categories, holidays) changes, so every
    process knows when its cached copy of the published catalog is stale."""

    __tablename__ = "catalog_state"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    generation: Mapped[int] = mapped_column(BigInteger, default=0)


CATALOG_MODELS = (Agency, Category, Service, ServiceVersion, FormField, WorkflowStep, Holiday)


def new_catalog_generation(session: Session) -> None:
    """Mark the catalog changed, in the same transaction as the change. Random rather than
    counted, so a rolled-back change never leaves two catalogs under one number."""
    generation = secrets.randbits(62)
    updated = session.execute(update(CatalogState).where(CatalogState.id == 1)
                              .values(generation=generation))
    if not updated.rowcount:  # type: ignore[attr-defined]
        session.execute(insert(CatalogState).values(id=1, generation=generation))


@event.listens_for(Session, "before_flush")
def _catalog_changed(session: Session, _context: object, _instances: object) -> None:
    changed = (*session.new, *session.dirty, *session.deleted)
    if any(isinstance(obj, CATALOG_MODELS) for obj in changed):
        new_catalog_generation(session)
