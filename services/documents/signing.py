"""PAdES signatures on the documents this city issues (pyHanko), their check, and the demo
certificate authority of Kota Contoh.

The city's signing certificate is a PKCS#12 file with its passphrase (the web layer reads both
from the environment); a time-stamp authority is asked for a signature time-stamp when its URL
is configured (PAdES B-T), otherwise the signature is PAdES B-B."""

from __future__ import annotations

import asyncio
import functools
import io
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

T = TypeVar("T")


@dataclass(frozen=True)
class SigningIdentity:
    """Where the city's signing certificate lives; ``tsa_url`` is optional."""

    p12_path: str
    passphrase: str
    tsa_url: str = ""
    outbound_allow: tuple[str, ...] = ()  # KIOSK_OUTBOUND_ALLOW: a TSA inside the network


@dataclass(frozen=True)
class SignatureCheck:
    """What a check of a PDF's signature found."""

    signed: bool
    intact: bool = False  # the signed bytes are unchanged
    valid: bool = False  # the cryptography holds
    trusted: bool = False  # the certificate chains to a trusted root
    signer: str = ""  # the signer certificate's subject, e.g. "Dinas ..., Kota Contoh"
    issuer: str = ""
    signed_at: datetime | None = None
    timestamped: bool = False

    @property
    def good(self) -> bool:
        return self.signed and self.intact and self.valid and self.trusted


def display_name(name: asn1_x509.Name) -> str:
    """ "Penanda Tangan Dokumen Kota Contoh (Pemerintah Kota Contoh)" from a certificate name."""
    parts = name.native
    common, organisation = parts.get("common_name", ""), parts.get("organization_name", "")
    if common and organisation:
        return f"{common} ({organisation})"
    return common or organisation or name.human_friendly


def _load_signer(identity: SigningIdentity) -> signers.SimpleSigner:
    """The signer, read once per process and file version: opening the PKCS#12 and checking
    its RSA key is most of a signature's cost."""
    path = Path(identity.p12_path)
    return _cached_signer(str(path), path.stat().st_mtime_ns, identity.passphrase)


@functools.lru_cache(maxsize=4)
def _cached_signer(path: str, _version: int, passphrase: str) -> signers.SimpleSigner:
    signer = signers.SimpleSigner.load_pkcs12(path, passphrase=passphrase.encode())
    if signer is None:
        raise ValueError("The signing certificate could not be read: check the file and "
                         "its passphrase.")
    return signer


def signer_name(identity: SigningIdentity) -> str:
    """The signing certificate's subject, as the verification page names it."""
    return display_name(_load_signer(identity).signing_cert.subject)


def outside_event_loop(work: Callable[[], T]) -> T:
    """pyHanko's synchronous API calls asyncio.run, which refuses to start where this thread
    already runs an event loop (an async server, a browser driven from tests): run it on a
    thread of its own then."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()


TSA_TIMEOUT_SECONDS = 10.0
TSA_MAX_BYTES = 256 * 1024


def _guarded_timestamper(url: str, allow: tuple[str, ...]):  # type: ignore[no-untyped-def]
    """pyHanko's HTTP time-stamp client, its request sent through the outbound guard."""
    from asn1crypto import tsp
    from pyhanko.sign.timestamps.common_utils import TimestampRequestError
    from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper

    from services.outbound import guarded_request

    class GuardedTimeStamper(RequestsHTTPTimeStamper):  # type: ignore[misc]
        async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
            def ask() -> tsp.TimeStampResp:
                answer = guarded_request("POST", url, allow=allow, timeout=TSA_TIMEOUT_SECONDS,
                                         max_bytes=TSA_MAX_BYTES, data=req.dump(),
                                         headers=self.request_headers())
                if answer.headers.get("Content-Type") != "application/timestamp-reply":
                    raise TimestampRequestError("Timestamp server response is malformed.")
                return tsp.TimeStampResp.load(answer.content)

            return await asyncio.to_thread(ask)

    return GuardedTimeStamper(url, timeout=TSA_TIMEOUT_SECONDS)


def sign_pdf(pdf: bytes, identity: SigningIdentity, *, reason: str, location: str) -> bytes:
    """Sign ``pdf`` as PAdES (ETSI.CAdES.detached), with a time-stamp when a TSA is set."""
    signer = _load_signer(identity)
    timestamper = None
    if identity.tsa_url:
        timestamper = _guarded_timestamper(identity.tsa_url, identity.outbound_allow)
    meta = signers.PdfSignatureMetadata(
        field_name="TandaTanganElektronik", md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES, reason=reason, location=location,
        name=display_name(signer.signing_cert.subject),
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    output = io.BytesIO()
    # Room reserved for the CMS container (certificates, and a time-stamp token when there is
    # one), so pyHanko needs no trial signature to size it.
    reserved = 16384 if timestamper is not None else 8192
    pdf_signer = signers.PdfSigner(meta, signer=signer, timestamper=timestamper)
    outside_event_loop(lambda: pdf_signer.sign_pdf(writer, output=output,
                                                   bytes_reserved=reserved))
    return output.getvalue()


def load_trust_roots(paths: list[str]) -> list[asn1_x509.Certificate]:
    roots = []
    for path in paths:
        data = Path(path).read_bytes()
        cert = x509.load_pem_x509_certificate(data) if b"-----BEGIN" in data \
            else x509.load_der_x509_certificate(data)
        roots.append(asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)))
    return roots


def check_pdf_signature(pdf: bytes, trust_roots: list[asn1_x509.Certificate]) -> SignatureCheck:
    """Check the document's (first) signature against the trusted roots; a changed byte in
    the signed range, a broken file or no signature at all is reported, never raised."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf))
        embedded = reader.embedded_signatures
    except Exception:  # a damaged PDF is simply not a good signed document
        return SignatureCheck(signed=False)
    if not embedded:
        return SignatureCheck(signed=False)
    signature = embedded[0]
    try:
        context = ValidationContext(trust_roots=trust_roots, allow_fetching=False)
        status = outside_event_loop(lambda: validate_pdf_signature(signature, context))
    except Exception:  # a tampered signature container cannot even be parsed
        return SignatureCheck(signed=True)
    cert = status.signing_cert
    return SignatureCheck(
        signed=True, intact=bool(status.intact), valid=bool(status.valid),
        trusted=bool(status.trusted),
        signer=display_name(cert.subject) if cert is not None else "",
        issuer=display_name(cert.issuer) if cert is not None else "",
        signed_at=status.signer_reported_dt, timestamped=status.timestamp_validity is not None,
    )


# --------------------------------------------------------------------------- demo authority

@dataclass(frozen=True)
class DemoCertificates:
    ca_pem: Path
    p12: Path
    passphrase: str


def _name(common: str, city: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, f"Pemerintah {city}"),
        x509.NameAttribute(NameOID.COMMON_NAME, common),
    ])


def create_demo_certificates(folder: Path, *, city: str, passphrase: str,
                             now: datetime | None = None) -> DemoCertificates:
    """A demonstration CA and a document-signing certificate for the city, written to
    ``folder`` (ca.pem, signing.p12). For demos and tests only: a real city signs with a
    certificate from BSrE or another PSrE recognised by Kominfo."""
    now = now or datetime.now(UTC)
    folder.mkdir(parents=True, exist_ok=True)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = _name(f"Demo CA {city}", city)
    ca_cert = (
        x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
        .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False,
                                     key_encipherment=False, data_encipherment=False,
                                     key_agreement=False, key_cert_sign=True, crl_sign=True,
                                     encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()),
                       critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (
        x509.CertificateBuilder().subject_name(_name(f"Penanda Tangan Dokumen {city}", city))
        .issuer_name(ca_name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=1825))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True,
                                     key_encipherment=False, data_encipherment=False,
                                     key_agreement=False, key_cert_sign=False, crl_sign=False,
                                     encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]),
                       critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                       critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    ca_pem = folder / "ca.pem"
    ca_pem.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    p12 = folder / "signing.p12"
    p12.write_bytes(pkcs12.serialize_key_and_certificates(
        b"signing", key, cert, [ca_cert],
        serialization.BestAvailableEncryption(passphrase.encode())))
    p12.chmod(0o600)
    return DemoCertificates(ca_pem=ca_pem, p12=p12, passphrase=passphrase)
