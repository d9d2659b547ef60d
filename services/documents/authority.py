"""The demo's signing authority: a small PKI for Kota Contoh made with Certomancer (a root, an
intermediate CA that issues the officials' certificates, an OCSP responder, CRLs and an RFC 3161
time-stamp authority), with one key and certificate per signing official.

A real city signs with certificates from BSrE or another PSrE; this authority exists so the demo
and the tests can run the whole path (remote signing through the CSC API, revocation data,
time-stamps) on loopback. Its keys live in a folder the demo owns (mode 0600)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ARCH = "kota-contoh"
ROOT, CA, OCSP, TSA = "root", "ca", "ca-ocsp", "tsa"
CONFIG_FILE = "certomancer.json"
VALID_FROM = "2026-01-01T00:00:00+0000"
ROOT_VALID_TO = "2046-01-01T00:00:00+0000"
CA_VALID_TO = "2041-01-01T00:00:00+0000"
SIGNER_VALID_TO = "2031-01-01T00:00:00+0000"
TSA_VALID_TO = "2036-01-01T00:00:00+0000"


@dataclass(frozen=True)
class OfficialKey:
    """One official's key on the signing service: its credential label and certificate name."""

    label: str  # e.g. "kepala-dpupr"; the CSC credential is "kota-contoh/kepala-dpupr"
    common_name: str  # e.g. "Ir. Bambang Wijaya, M.T."
    title: str  # the jabatan, e.g. "Kepala Dinas Pekerjaan Umum dan Penataan Ruang"

    @property
    def credential_id(self) -> str:
        return f"{ARCH}/{self.label}"


def _write_key(path: Path) -> None:
    if path.exists():
        return
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                       serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    path.chmod(0o600)


def _cert(issuer: str, valid_to: str, *, subject: str | None = None,
          extensions: list[dict[str, Any]] | None = None,
          profiles: list[Any] | None = None) -> dict[str, Any]:
    spec: dict[str, Any] = {"issuer": issuer,
                            "validity": {"valid-from": VALID_FROM, "valid-to": valid_to}}
    if subject:
        spec["subject"] = subject
    if extensions:
        spec["extensions"] = extensions
    if profiles:
        spec["profiles"] = profiles
    return spec


def authority_config(folder: Path, officials: Iterable[OfficialKey], *,
                     city: str) -> dict[str, Any]:
    """The Certomancer configuration of the authority (keys under ``folder/keys``)."""
    officials = list(officials)
    labels = [ROOT, CA, OCSP, TSA, *(o.label for o in officials)]
    entities: dict[str, dict[str, str]] = {
        ROOT: {"common-name": f"Root CA Demo {city}"},
        CA: {"common-name": f"CA Penandatanganan Demo {city}"},
        OCSP: {"common-name": f"OCSP Demo {city}"},
        TSA: {"common-name": f"TSA Demo {city}"},
    }
    for official in officials:
        entities[official.label] = {"common-name": official.common_name,
                                    "title": official.title}
    signer_extensions = [
        {"id": "key_usage", "critical": True,
         "smart-value": {"schema": "key-usage",
                         "params": ["digital_signature", "non_repudiation"]}},
    ]
    certs: dict[str, Any] = {
        ROOT: _cert(ROOT, ROOT_VALID_TO, subject=ROOT, profiles=["simple-ca"]),
        CA: _cert(ROOT, CA_VALID_TO, subject=CA, profiles=[
            {"id": "simple-ca", "params": {"crl-repo": CA, "ocsp-service": CA}}]),
        OCSP: _cert(CA, CA_VALID_TO, subject=OCSP, profiles=["ocsp-responder"]),
        TSA: _cert(ROOT, TSA_VALID_TO, subject=TSA, extensions=[
            {"id": "key_usage", "critical": True,
             "smart-value": {"schema": "key-usage", "params": ["digital_signature"]}},
            {"id": "extended_key_usage", "critical": True, "value": ["time_stamping"]},
        ]),
    }
    # The root's own CRL covers the intermediate CA and the TSA.
    certs[ROOT]["profiles"] = [{"id": "simple-ca", "params": {"crl-repo": ROOT}}]
    for official in officials:
        certs[official.label] = _cert(CA, SIGNER_VALID_TO, subject=official.label,
                                      extensions=signer_extensions)
    return {
        "keysets": {ARCH: {"path-prefix": str(folder / "keys"),
                           "keys": {label: {"path": f"{label}.key.pem"} for label in labels}}},
        "pki-architectures": {ARCH: {
            "keyset": ARCH,
            "entity-defaults": {"country-name": "ID", "organization-name": f"Pemerintah {city}"},
            "entities": entities,
            "certs": certs,
            "services": {
                "ocsp": {CA: {"for-issuer": CA, "responder-cert": OCSP, "signing-key": OCSP}},
                "crl-repo": {
                    ROOT: {"for-issuer": ROOT, "signing-key": ROOT,
                           "simulated-update-schedule": "P30D"},
                    CA: {"for-issuer": CA, "signing-key": CA,
                         "simulated-update-schedule": "P7D"},
                },
                "time-stamping": {TSA: {"signing-key": TSA, "signing-cert": TSA}},
            },
        }},
    }


def create_authority(folder: Path, officials: Iterable[OfficialKey], *, city: str) -> Path:
    """Write the authority's keys (once) and its configuration to ``folder``; returns the
    configuration file. Adding an official later adds a key and keeps the others."""
    officials = list(officials)
    keys = folder / "keys"
    keys.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    for label in (ROOT, CA, OCSP, TSA, *(o.label for o in officials)):
        _write_key(keys / f"{label}.key.pem")
    path = folder / CONFIG_FILE
    path.write_text(json.dumps(authority_config(folder, officials, city=city), indent=1))
    return path


def load_authority(config_file: Path, base_url: str):  # type: ignore[no-untyped-def]
    """The Certomancer configuration, with its services' URLs under ``base_url``."""
    from certomancer.registry import CertomancerConfig

    return CertomancerConfig(json.loads(config_file.read_text()),
                             key_search_dir=str(config_file.parent),
                             external_url_prefix=base_url.rstrip("/"))


def root_certificate_pem(config_file: Path, base_url: str) -> bytes:
    """The authority's root certificate, PEM: what a verifier trusts."""
    from asn1crypto import pem
    from certomancer.registry import ArchLabel, CertLabel

    arch = load_authority(config_file, base_url).get_pki_arch(ArchLabel(ARCH))
    return pem.armor("CERTIFICATE", arch.get_cert(CertLabel(ROOT)).dump())


def tsa_url(base_url: str) -> str:
    return f"{base_url.rstrip('/')}/{ARCH}/tsa/{TSA}"
