"""Builders for signing tests: a KRK service whose decision the Kepala Dinas PUPR signs, its
clerks and officials, and a request waiting in the signing queue."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from services.documents.decision import Signatory, render_decision_pdf
from services.models import IssuedDocument, Role, ServiceRequest, User
from services.workflow.tasks import StepRecord, approve_task
from tests.builders import field_def, make_catalog, service_def, step_def
from tests.builders.workflow import make_staff, open_task, submit
from tests.signing_support import DPMPTSP, PUPR

CITY = "Kota Contoh"
RECORDS = {"kdb": "60", "klb": "1,2", "gsb": "4"}


def krk_service(**extra: Any) -> dict[str, Any]:
    """A city plan statement: the clerk of Dinas PUPR analyses the plot and records KDB, KLB
    and GSB; the Kepala Dinas PUPR signs the decision."""
    return service_def(
        "KRK",
        fields=[field_def("land_address", constraints={"max_length": 300}),
                field_def("planned_use", type="choice", choices=[
                    {"value": "hunian", "label": {"id": "Hunian", "en": "Residential"}},
                    {"value": "usaha", "label": {"id": "Usaha", "en": "Commercial"}}])],
        workflow=[step_def("DPUPR", stage=1, sla_days=3),
                  step_def("DPUPR", stage=2, sla_days=1, signs=True)],
        product_validity_days=365,
        dasar_hukum={"id": ["UU 26/2007 tentang Penataan Ruang", "PP 21/2021"],
                     "en": ["Law 26/2007", "GR 21/2021"]},
        decision={"classification": "650", "about": "Penerbitan Keterangan Rencana Kota",
                  "fields": [{"label": "Lokasi persil", "answer": "land_address"},
                             {"label": "Peruntukan", "answer": "planned_use"},
                             {"label": "KDB", "record": "kdb", "suffix": "%"},
                             {"label": "KLB", "record": "klb"},
                             {"label": "GSB", "record": "gsb", "suffix": "m"}]},
        **extra,
    )


def make_official(session: Session, username: str, agency: str, credential: str,
                  jabatan: str, nip: str) -> User:
    user = make_staff(session, username, Role.OFFICIAL, agency)
    user.full_name, user.jabatan, user.nip = jabatan.split(" ")[0] + " " + username, jabatan, nip
    user.signing_credential = credential
    return user


def make_signing_city(session: Session) -> dict[str, User]:
    """The KRK catalog, the clerk and supervisor of Dinas PUPR, and the Kepala Dinas PUPR and
    Kepala DPMPTSP as signing officials."""
    make_catalog(session, krk_service(), agencies=["DPMPTSP", "DPUPR"])
    staff = {
        "clerk.pupr": make_staff(session, "clerk.pupr", Role.CLERK, "DPUPR"),
        "spv.pupr": make_staff(session, "spv.pupr", Role.SUPERVISOR, "DPUPR"),
        "kepala.pupr": make_official(session, "kepala.pupr", "DPUPR", PUPR.credential_id,
                                     "Kepala Dinas Pekerjaan Umum dan Penataan Ruang",
                                     "197001011995031001"),
        "kepala.dpmptsp": make_official(session, "kepala.dpmptsp", "DPMPTSP",
                                        DPMPTSP.credential_id,
                                        "Kepala Dinas Penanaman Modal dan PTSP",
                                        "197203152000031002"),
    }
    session.commit()
    return staff


def waiting_for_signature(session: Session, staff: dict[str, User],
                          records: dict[str, str] | None = None) -> ServiceRequest:
    """A KRK request the clerk approved: its draft waits in the signing queue."""
    request, _ = submit(session, "KRK", land_address="Jl. Mawar 3 <RT 01>", planned_use="hunian")
    approve_task(session, actor=staff["clerk.pupr"],
                 task_id=open_task(session, request, "DPUPR").id, city=CITY,
                 record=StepRecord(decision_records=RECORDS if records is None else records))
    session.commit()
    return request


def render(document: IssuedDocument, signatory: Signatory, draft: bool) -> bytes:
    return render_decision_pdf(document.content or {}, signatory=signatory,
                               signed_on=date(2026, 11, 25), draft=draft,
                               verify_url=f"https://layanan.kotacontoh.go.id/verify/{document.id}")
