"""A service's requirements (persyaratan), structured: what, how it is met (uploaded or scanned,
shown at the counter, fetched by the city), whether it is required or shown only under a
condition, and for a document its formats and limits. One definition, read by the service
standard, the kiosk, the phone, the API, the admin editor and the clerk's checklist."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from services.conditions import condition_holds
from services.models import RequirementKind

# The formats a document may come in, by the name the catalog uses, and their media types.
MEDIA_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}
FORMATS = tuple(MEDIA_TYPES)
DEFAULT_MAX_MB = 5
MAX_MB = 20
DEFAULT_MAX_FILES = 1
MAX_FILES = 20
# The size of every document of one request together.
REQUEST_MAX_MB = 50


@dataclass(frozen=True)
class Requirement:
    """One requirement of a service version, typed."""

    key: str
    name_id: str
    name_en: str
    kind: RequirementKind
    required: bool = True
    show_if: Mapping[str, Any] | None = None
    formats: tuple[str, ...] = FORMATS
    max_mb: int = DEFAULT_MAX_MB
    max_files: int = DEFAULT_MAX_FILES

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_id

    @property
    def asks_a_file(self) -> bool:
        return self.kind is RequirementKind.UPLOAD

    @property
    def max_bytes(self) -> int:
        return self.max_mb * 1024 * 1024

    @property
    def media_types(self) -> tuple[str, ...]:
        return tuple(MEDIA_TYPES[name] for name in self.formats)

    def applies(self, answers: Mapping[str, Any]) -> bool:
        """Whether the citizen's answers make this requirement part of their request."""
        return condition_holds(self.show_if, answers) if self.show_if else True

    def as_item(self) -> dict[str, Any]:
        """The catalog file's shape (and the stored one)."""
        item: dict[str, Any] = {"key": self.key, "name": {"id": self.name_id, "en": self.name_en},
                                "kind": self.kind.value, "required": self.required}
        if self.show_if:
            item["show_if"] = dict(self.show_if)
        if self.asks_a_file:
            item.update(formats=list(self.formats), max_mb=self.max_mb,
                        max_files=self.max_files)
        return item


def is_plain_wording(value: Any) -> bool:
    """The older catalog shape: two lists of wording, {"id": [...], "en": [...]}."""
    return isinstance(value, Mapping)


def structured_items(value: Any) -> list[dict[str, Any]]:
    """The requirements as a list of mappings; plain wording becomes things shown at the
    counter, keyed by their place (syarat_1, syarat_2...)."""
    if not is_plain_wording(value):
        return [dict(item) for item in value or []]
    ids, ens = list(value.get("id") or []), list(value.get("en") or [])
    return [{"key": f"syarat_{index + 1}", "name": {"id": text_id, "en": text_en},
             "kind": RequirementKind.COUNTER.value, "required": True}
            for index, (text_id, text_en) in enumerate(zip(ids, ens, strict=False))]


def requirement_of(item: Mapping[str, Any]) -> Requirement:
    """A checked catalog item as a Requirement, its defaults filled in."""
    name = item.get("name") or {}
    kind = RequirementKind(item.get("kind", RequirementKind.COUNTER.value))
    return Requirement(
        key=str(item["key"]), name_id=str(name.get("id", "")), name_en=str(name.get("en", "")),
        kind=kind, required=bool(item.get("required", True)),
        show_if=dict(item["show_if"]) if item.get("show_if") else None,
        formats=tuple(item.get("formats") or FORMATS),
        max_mb=int(item.get("max_mb") or DEFAULT_MAX_MB),
        max_files=int(item.get("max_files") or DEFAULT_MAX_FILES),
    )


def requirements_of(items: Sequence[Mapping[str, Any]] | None) -> list[Requirement]:
    return [requirement_of(item) for item in items or []]


def wording(items: Sequence[Mapping[str, Any]]) -> dict[str, list[str]]:
    """The requirements' wording in both languages, one line each."""
    return {lang: [str((item.get("name") or {}).get(lang, "")) for item in items]
            for lang in ("id", "en")}


def with_wording(items: Sequence[Mapping[str, Any]],
                 lines: Mapping[str, Sequence[str]]) -> list[dict[str, Any]]:
    """The admin's edited wording put on the structured requirements, line by line: a line
    keeps its requirement's kind, formats and limits, a new line is shown at the counter and a
    removed line removes its requirement."""
    ids, ens = list(lines.get("id") or []), list(lines.get("en") or [])
    if len(ids) != len(ens):  # the catalog rules refuse it with their own message
        return {"id": ids, "en": ens}  # type: ignore[return-value]
    merged: list[dict[str, Any]] = []
    taken = {str(item.get("key")) for item in items}
    for index, (text_id, text_en) in enumerate(zip(ids, ens, strict=True)):
        if index < len(items):
            item = dict(items[index])
        else:
            key = next(f"syarat_{n}" for n in range(index + 1, index + len(taken) + 2)
                       if f"syarat_{n}" not in taken)
            taken.add(key)
            item = {"key": key, "kind": RequirementKind.COUNTER.value, "required": True}
        item["name"] = {"id": text_id, "en": text_en}
        merged.append(item)
    return merged


KIND_WORDS = {
    RequirementKind.UPLOAD: ("unggah atau pindai", "upload or scan"),
    RequirementKind.COUNTER: ("tunjukkan di loket", "show at the counter"),
    RequirementKind.FETCHED: ("diambil petugas, tidak perlu dibawa",
                              "fetched by the city, no need to bring it"),
}


def requirement_line(requirement: Requirement, lang: str) -> str:
    """One line of the service standard: the wording, how it is met and, for a document, its
    formats and size ("KTP-el (unggah atau pindai: PDF, JPEG; maks. 5 MB)")."""
    english = lang == "en"
    how = KIND_WORDS[requirement.kind][1 if english else 0]
    if requirement.asks_a_file:
        formats = ", ".join(name.upper() for name in requirement.formats)
        limit = f"max. {requirement.max_mb} MB" if english else f"maks. {requirement.max_mb} MB"
        files = ""
        if requirement.max_files > 1:
            files = (f", up to {requirement.max_files} files" if english
                     else f", paling banyak {requirement.max_files} berkas")
        how = f"{how}: {formats}; {limit}{files}"
    extra = []
    if requirement.show_if:
        extra.append("if it applies" if english else "bila berlaku")
    elif not requirement.required:
        extra.append("if any" if english else "bila ada")
    suffix = f", {extra[0]}" if extra else ""
    return f"{requirement.name(lang)} ({how}{suffix})"


def documents_asked(requirements: Sequence[Requirement],
                    answers: Mapping[str, Any]) -> list[Requirement]:
    """The documents these answers ask the citizen to hand in."""
    return [r for r in requirements if r.asks_a_file and r.applies(answers)]
