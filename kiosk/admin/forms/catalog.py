"""The catalog's forms: a new service, its standard, its fields and its steps."""

from __future__ import annotations

from typing import Any

import yaml
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from kiosk.admin.forms import bilingual, lines, options, text
from services.catalog.requirements import structured_items, wording
from services.conditions import as_number
from services.models import FieldType
from services.numbers import format_indonesian_number

OPERATOR_LABELS = {
    "eq": _l("sama dengan"), "ne": _l("tidak sama dengan"), "gt": _l("lebih dari"),
    "gte": _l("paling sedikit"), "lt": _l("kurang dari"), "lte": _l("paling banyak"),
    "in": _l("salah satu dari"), "not_in": _l("bukan salah satu dari"),
}
FIELD_TYPE_LABELS = {
    FieldType.TEXT: _l("Teks singkat"), FieldType.LONG_TEXT: _l("Teks panjang"),
    FieldType.NUMBER: _l("Angka"), FieldType.RUPIAH: _l("Rupiah"), FieldType.DATE: _l("Tanggal"),
    FieldType.CHOICE: _l("Pilihan"), FieldType.YES_NO: _l("Ya/Tidak"), FieldType.NIK: _l("NIK"),
    FieldType.PHONE: _l("Nomor telepon"), FieldType.EMAIL: _l("Email"),
    FieldType.ADDRESS: _l("Alamat"),
}
NUMBER_CONSTRAINTS = ("min", "max", "min_length", "max_length")
FLAG_CONSTRAINTS = ("integer", "not_future", "not_past")


class NewServiceForm(FlaskForm):
    code = StringField(_l("Kode layanan"), validators=[DataRequired(), Length(max=40)])
    category = SelectField(_l("Kategori"), choices=[])
    name_id = StringField(_l("Nama (Indonesia)"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Nama (Inggris)"), validators=[DataRequired(), Length(max=200)])
    agency = SelectField(_l("Instansi pemeriksa pertama"), choices=[])


class StandardForm(FlaskForm):
    """The service standard (Standar Pelayanan) of the draft."""

    category = SelectField(_l("Kategori"), choices=[])
    name_id = StringField(_l("Nama (Indonesia)"), validators=[Length(max=200)])
    name_en = StringField(_l("Nama (Inggris)"), validators=[Length(max=200)])
    description_id = TextAreaField(_l("Deskripsi (Indonesia)"))
    description_en = TextAreaField(_l("Deskripsi (Inggris)"))
    requirements_id = TextAreaField(_l("Persyaratan (Indonesia)"))
    requirements_en = TextAreaField(_l("Persyaratan (Inggris)"))
    procedure_id = TextAreaField(_l("Prosedur (Indonesia)"))
    procedure_en = TextAreaField(_l("Prosedur (Inggris)"))
    dasar_hukum_id = TextAreaField(_l("Dasar hukum (Indonesia, satu per baris)"))
    dasar_hukum_en = TextAreaField(_l("Dasar hukum (Inggris, satu per baris)"))
    duration_days = IntegerField(_l("Waktu penyelesaian (hari kerja, 0 = selesai hari itu)"),
                                 validators=[InputRequired()])
    clock_start = SelectField(_l("Waktu dihitung sejak"), choices=options([
        ("submission", _l("Permohonan diajukan")),
        ("complete_file", _l("Berkas dinyatakan lengkap")),
    ]))
    fee_kind = SelectField(_l("Jenis biaya"), choices=options([
        ("free", _l("Gratis")), ("tariff", _l("Tarif tetap (Perda)")),
        ("assessed", _l("Dihitung saat proses (SKRD)")),
    ]))
    fee = IntegerField(_l("Tarif (rupiah; 0 bila gratis atau dihitung)"),
                       validators=[InputRequired()])
    fee_basis_id = StringField(_l("Dasar hukum biaya (Indonesia)"))
    fee_basis_en = StringField(_l("Dasar hukum biaya (Inggris)"))
    product_kind = SelectField(_l("Jenis produk"), choices=options([
        ("document", _l("Dokumen yang diterbitkan dan ditandatangani di sini")),
        ("external", _l("Diterbitkan sistem lain (SIAK, OSS-RBA, SIMBG)")),
        ("item", _l("Barang yang diambil (misalnya kartu)")),
        ("answer", _l("Jawaban atau tanggapan")),
    ]))
    external_system = StringField(_l("Sistem penerbit (untuk produk dari sistem lain)"),
                                  validators=[Length(max=60)])
    product_id = StringField(_l("Produk (Indonesia)"), validators=[Length(max=300)])
    product_en = StringField(_l("Produk (Inggris)"), validators=[Length(max=300)])
    collection_id = StringField(_l("Tempat pengambilan (Indonesia)"), validators=[Length(max=300)])
    collection_en = StringField(_l("Tempat pengambilan (Inggris)"), validators=[Length(max=300)])
    keywords = StringField(_l("Kata kunci pencarian (pisahkan dengan koma)"))
    product_validity_days = IntegerField(_l("Masa berlaku produk (hari, kosong = tanpa batas)"),
                                         validators=[Optional()])
    complaint_channel_id = StringField(_l("Saluran pengaduan (Indonesia)"),
                                       validators=[Length(max=300)])
    complaint_channel_en = StringField(_l("Saluran pengaduan (Inggris)"),
                                       validators=[Length(max=300)])

    def fill(self, definition: dict[str, Any]) -> None:
        self.category.data = definition["category"]
        for stem in ("name", "description", "product", "complaint_channel", "fee_basis",
                     "collection"):
            for lang in ("id", "en"):
                getattr(self, f"{stem}_{lang}").data = (definition.get(stem) or {}).get(lang, "")
        lines = {"requirements": wording(structured_items(definition.get("requirements"))),
                 "procedure": definition.get("procedure") or {},
                 "dasar_hukum": definition.get("dasar_hukum") or {}}
        for stem, pair in lines.items():
            for lang in ("id", "en"):
                getattr(self, f"{stem}_{lang}").data = "\n".join(pair.get(lang, []))
        self.duration_days.data = definition["duration_days"]
        self.fee.data = definition.get("fee", 0)
        for name in ("clock_start", "fee_kind", "product_kind", "external_system"):
            getattr(self, name).data = definition.get(name, "")
        self.keywords.data = ", ".join(definition.get("keywords") or [])
        self.product_validity_days.data = definition.get("product_validity_days")

    def values(self) -> dict[str, Any]:
        return {
            "category": self.category.data,
            "name": bilingual(self, "name"),
            "description": bilingual(self, "description"),
            "requirements": {lang: lines(getattr(self, f"requirements_{lang}").data)
                             for lang in ("id", "en")},
            "procedure": {lang: lines(getattr(self, f"procedure_{lang}").data)
                          for lang in ("id", "en")},
            "dasar_hukum": {lang: lines(getattr(self, f"dasar_hukum_{lang}").data)
                            for lang in ("id", "en")},
            "duration_days": self.duration_days.data,
            "clock_start": self.clock_start.data,
            "fee_kind": self.fee_kind.data,
            "fee": self.fee.data,
            "fee_basis": bilingual(self, "fee_basis"),
            "product_kind": self.product_kind.data,
            "external_system": text(self.external_system),
            "product": bilingual(self, "product"),
            "collection": bilingual(self, "collection"),
            "keywords": [word.strip() for word in (self.keywords.data or "").split(",")
                         if word.strip()],
            "product_validity_days": self.product_validity_days.data,
            "complaint_channel": bilingual(self, "complaint_channel"),
        }


def condition_choices(keys: list[str]) -> list[SelectChoice]:
    return options([("", _l("(selalu)"))] + [(key, key) for key in keys])


class FieldForm(FlaskForm):
    """One question of the service's form."""

    key = StringField(_l("Kunci"), validators=[DataRequired(), Length(max=60)])
    type = SelectField(_l("Jenis isian"), choices=options(
        (t.value, FIELD_TYPE_LABELS[t]) for t in FieldType))
    label_id = StringField(_l("Pertanyaan (Indonesia)"), validators=[Length(max=300)])
    label_en = StringField(_l("Pertanyaan (Inggris)"), validators=[Length(max=300)])
    help_id = StringField(_l("Bantuan (Indonesia)"), validators=[Length(max=500)])
    help_en = StringField(_l("Bantuan (Inggris)"), validators=[Length(max=500)])
    required = BooleanField(_l("Wajib diisi"), default=True)
    page = IntegerField(_l("Halaman"), default=1, validators=[InputRequired(), NumberRange(min=1)])
    min = StringField(_l("Nilai terkecil"))
    max = StringField(_l("Nilai terbesar"))
    min_length = StringField(_l("Panjang minimum"))
    max_length = StringField(_l("Panjang maksimum"))
    pattern = StringField(_l("Pola (regex)"), validators=[Length(max=200)])
    integer = BooleanField(_l("Bilangan bulat"))
    not_future = BooleanField(_l("Tidak boleh di masa depan"))
    not_past = BooleanField(_l("Tidak boleh di masa lalu"))
    choices = TextAreaField(_l("Pilihan jawaban"))
    show_if_field = SelectField(_l("Tampilkan bila isian"), choices=[])
    show_if_op = SelectField(_l("Operator"), choices=options(OPERATOR_LABELS.items()))
    show_if_value = StringField(_l("Nilai"))

    def fill(self, field: dict[str, Any], condition_text: str) -> None:
        self.key.data = field["key"]
        self.type.data = field["type"]
        for stem in ("label", "help"):
            for lang in ("id", "en"):
                getattr(self, f"{stem}_{lang}").data = (field.get(stem) or {}).get(lang, "")
        self.required.data = field.get("required", True)
        self.page.data = field.get("page", 1)
        constraints = field.get("constraints") or {}
        for name in NUMBER_CONSTRAINTS:
            value = constraints.get(name)
            getattr(self, name).data = ("" if value is None else format_indonesian_number(value)
                                        if isinstance(value, int | float) else str(value))
        self.pattern.data = constraints.get("pattern", "")
        for name in FLAG_CONSTRAINTS:
            getattr(self, name).data = bool(constraints.get(name))
        self.choices.data = "\n".join(
            f"{c['value']} | {c['label']['id']} | {c['label']['en']}"
            for c in field.get("choices") or []
        )
        show_if = field.get("show_if") or {}
        self.show_if_field.data = show_if.get("field", "")
        self.show_if_op.data = show_if.get("op", "eq")
        self.show_if_value.data = condition_text

    def constraint_values(self) -> dict[str, Any]:
        constraints: dict[str, Any] = {}
        for name in NUMBER_CONSTRAINTS:
            raw = (getattr(self, name).data or "").strip()
            if raw:
                number = as_number(raw)  # "1.000" is a thousand, "2,5" two and a half
                # Not a number: the catalog rules refuse it with their message.
                constraints[name] = raw if number is None else number
        if text(self.pattern):
            constraints["pattern"] = text(self.pattern)
        for name in FLAG_CONSTRAINTS:
            if getattr(self, name).data:
                constraints[name] = True
        return constraints

    def choice_values(self) -> list[dict[str, Any]]:
        """Lines of "value | Indonesian label | English label"."""
        out = []
        for line in lines(self.choices.data):
            parts = [part.strip() for part in line.split("|")]
            value = parts[0]
            label_id = parts[1] if len(parts) > 1 else value
            label_en = parts[2] if len(parts) > 2 else label_id
            out.append({"value": value, "label": {"id": label_id, "en": label_en}})
        return out

    def definition(self, show_if: dict[str, Any] | None) -> dict[str, Any]:
        field: dict[str, Any] = {
            "key": text(self.key),
            "type": self.type.data,
            "label": bilingual(self, "label"),
            "required": self.required.data,
            "page": self.page.data,
        }
        if any(bilingual(self, "help").values()):
            field["help"] = bilingual(self, "help")
        if constraints := self.constraint_values():
            field["constraints"] = constraints
        if choices := self.choice_values():
            field["choices"] = choices
        if show_if:
            field["show_if"] = show_if
        return field


class StepForm(FlaskForm):
    """One workflow step: who acts, when, and how long they have."""

    stage = IntegerField(_l("Tahap"), default=1, validators=[InputRequired(), NumberRange(min=1)])
    name_id = StringField(_l("Nama langkah (Indonesia)"), validators=[Length(max=200)])
    name_en = StringField(_l("Nama langkah (Inggris)"), validators=[Length(max=200)])
    agency = SelectField(_l("Instansi"), choices=[])
    agency_from_field = SelectField(_l("Atau: instansi menurut jawaban isian"), choices=[])
    agency_from_map = TextAreaField(_l("Jawaban = kode instansi"))
    sla_days = IntegerField(_l("Batas waktu (hari kerja)"), default=3, validators=[InputRequired()])
    condition_field = SelectField(_l("Berlaku bila isian"), choices=[])
    condition_op = SelectField(_l("Operator"), choices=options(OPERATOR_LABELS.items()))
    condition_value = StringField(_l("Nilai"))
    forward_to = SelectMultipleField(_l("Boleh diteruskan ke"), choices=[],
                                     widget=ListWidget(prefix_label=False),
                                     option_widget=CheckboxInput())

    marks_complete = BooleanField(_l("Menyatakan berkas lengkap (waktu layanan mulai dihitung)"))
    assesses_fee = BooleanField(_l("Menetapkan biaya (SKRD/SKPD)"))
    signs = BooleanField(_l("Penandatanganan keputusan oleh pejabat instansi (tahap terakhir)"))
    billing = TextAreaField(_l("Aturan tagihan (YAML)"), validators=[Optional(), Length(max=4000)])
    deemed_approval = BooleanField(_l("Dianggap disetujui bila batas waktunya lewat "
                                      "(fiktif positif, PP 28/2025)"))

    def fill(self, step: dict[str, Any], condition_text: str) -> None:
        self.stage.data = step["stage"]
        self.name_id.data, self.name_en.data = step["name"]["id"], step["name"]["en"]
        self.agency.data = step.get("agency") or ""
        chooser = step.get("agency_from") or {}
        self.agency_from_field.data = chooser.get("field", "")
        self.agency_from_map.data = "\n".join(f"{k} = {v}" for k, v in (chooser.get("map") or {}).items())
        self.sla_days.data = step["sla_days"]
        condition = step.get("condition") or {}
        self.condition_field.data = condition.get("field", "")
        self.condition_op.data = condition.get("op", "eq")
        self.condition_value.data = condition_text
        self.forward_to.data = list(step.get("forward_to") or [])
        self.marks_complete.data = bool(step.get("marks_complete"))
        self.assesses_fee.data = bool(step.get("assesses_fee"))
        self.signs.data = bool(step.get("signs"))
        self.billing.data = yaml.safe_dump(step["billing"], allow_unicode=True,
                                           sort_keys=False) if step.get("billing") else ""
        self.deemed_approval.data = bool(step.get("deemed_approval"))

    def definition(self, condition: dict[str, Any] | None) -> dict[str, Any]:
        step: dict[str, Any] = {
            "stage": self.stage.data,
            "name": bilingual(self, "name"),
            "sla_days": self.sla_days.data,
        }
        if self.agency_from_field.data:
            mapping = {}
            for line in lines(self.agency_from_map.data):
                answer, _, agency = line.partition("=")
                mapping[answer.strip()] = agency.strip().upper()
            step["agency_from"] = {"field": self.agency_from_field.data, "map": mapping}
            if self.agency.data:
                step["agency"] = self.agency.data  # the catalog rules refuse both at once
        else:
            step["agency"] = self.agency.data or None
        if condition:
            step["condition"] = condition
        if self.forward_to.data:
            step["forward_to"] = list(self.forward_to.data)
        for flag in ("marks_complete", "assesses_fee", "signs", "deemed_approval"):
            if getattr(self, flag).data:
                step[flag] = True
        if (self.billing.data or "").strip():
            try:  # what is not a mapping is refused by the catalog's rules, on this field
                step["billing"] = yaml.safe_load(self.billing.data)
            except yaml.YAMLError:
                step["billing"] = self.billing.data
        return step
