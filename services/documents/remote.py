"""Signing decisions with the official's own key on a remote signing service, as PAdES B-LTA.

The application never holds an official's key: it computes each document's hash, asks the
signing service to authorise those hashes with the official's passphrase (the CSC API's
``credentials/authorize`` with the ``PIN``), and has them signed (``signatures/signHash``). The
passphrase lives only in the call's arguments: it is neither stored nor logged.

``SigningService`` is the seam a city fills: ``CSCSigningService`` speaks the Cloud Signature
Consortium API through pyHanko's CSC signer; an adapter for BSrE's own API implements the same
``sign`` and raises the same errors."""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from asn1crypto import x509 as asn1_x509

from services.outbound import UnsafeDestination, guarded_client_session, host_of

logger = logging.getLogger(__name__)


async def make_long_term(pdf: bytes, context: object, timestamper: object) -> bytes:
    """Embed the chain and fresh revocation data of the last signature (DSS), then add a
    document time-stamp with its own validation data: PAdES B-LTA."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import signers
    from pyhanko.sign.validation import async_add_validation_info

    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    updated = await async_add_validation_info(reader.embedded_signatures[-1], context,
                                              output=io.BytesIO())
    output = io.BytesIO()
    await signers.PdfTimeStamper(timestamper).async_timestamp_pdf(
        IncrementalPdfFileWriter(updated, strict=False), md_algorithm="sha256",
        validation_context=context, output=output)
    return output.getvalue()


async def sign_long_term(documents: Sequence[PdfToSign], signer: object, context: object,
                         timestamper: object, timeout: int) -> list[bytes]:
    """Sign each document (PAdES with a signature time-stamp, B-T), all at once so a batching
    signer authorises them together, then make each B-LTA."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter

    async def one(document: PdfToSign) -> bytes:
        meta = signers.PdfSignatureMetadata(
            field_name=document.field_name, md_algorithm="sha256",
            subfilter=SigSeedSubFilter.PADES, reason=document.reason, location=document.location)
        output = io.BytesIO()
        pdf_signer = signers.PdfSigner(meta, signer=signer,  # type: ignore[arg-type]
                                       timestamper=timestamper)  # type: ignore[arg-type]
        await pdf_signer.async_sign_pdf(
            IncrementalPdfFileWriter(io.BytesIO(document.pdf), strict=False), output=output)
        return output.getvalue()

    signed = await asyncio.wait_for(asyncio.gather(*(one(d) for d in documents)),
                                    timeout=timeout * 2)
    # Revocation data fetched after the signature's time-stamp, so a validator years from now
    # finds it fresh for that moment (PAdES B-LT), then a document time-stamp over it (B-LTA).
    await asyncio.sleep(1)
    return list(await asyncio.gather(
        *(make_long_term(pdf, context, timestamper) for pdf in signed)))


class SigningRefused(Exception):
    """The signing service refused the official's passphrase: nothing was signed."""


class SigningUnavailable(Exception):
    """The signing service could not be reached or failed: nothing was signed."""


@dataclass(frozen=True)
class PdfToSign:
    """One document to sign: its PDF and what the signature dictionary says."""

    pdf: bytes
    reason: str
    location: str
    field_name: str = "TandaTanganPejabat"


@dataclass(frozen=True)
class LongTermSettings:
    """Where revocation data and time-stamps come from, and what the signer's chain ends in."""

    tsa_url: str
    trust_roots: Sequence[asn1_x509.Certificate] = field(default_factory=tuple)
    timeout: int = 30
    # KIOSK_OUTBOUND_ALLOW; the configured CSC service's and TSA's own hosts are allowed too.
    outbound_allow: tuple[str, ...] = ()


class SigningService(Protocol):
    def sign(self, documents: Sequence[PdfToSign], *, credential: str,
             passphrase: str) -> list[bytes]:
        """Sign every document with the credential's key, all or none; raise SigningRefused
        for a wrong passphrase and SigningUnavailable when the service fails."""
        ...  # pragma: no cover


def _validation_context(settings: LongTermSettings, extra: Sequence[asn1_x509.Certificate],
                        client: object):  # type: ignore[no-untyped-def]
    """What the signer checks (and embeds) its chain and revocation data with: fetched now,
    over ``client``, and required (hard-fail), so an unreachable responder signs nothing."""
    from pyhanko_certvalidator import ValidationContext
    from pyhanko_certvalidator.fetchers.aiohttp_fetchers import AIOHttpFetcherBackend

    return ValidationContext(trust_roots=list(settings.trust_roots), other_certs=list(extra),
                             allow_fetching=True, revocation_mode="hard-fail",
                             fetcher_backend=AIOHttpFetcherBackend(
                                 client, per_request_timeout=settings.timeout))


def signed_outside_the_loop(sign: Callable[[list[PdfToSign], str, str],
                                           Coroutine[Any, Any, list[bytes]]],
                            documents: Sequence[PdfToSign], credential: str,
                            passphrase: str) -> list[bytes]:
    """Run an adapter's asynchronous signing to its end from synchronous code (on a thread of
    its own when this one already runs an event loop); nothing to sign signs nothing."""
    if not documents:
        return []
    from services.documents.signing import outside_event_loop

    return outside_event_loop(lambda: asyncio.run(sign(list(documents), credential,
                                                       passphrase)))


@dataclass(frozen=True)
class CSCSigningService:
    """A CSC API (v1) signing service: ``service_url`` precedes ``/csc/v1/...``."""

    service_url: str
    settings: LongTermSettings
    oauth_token: str | None = None

    def sign(self, documents: Sequence[PdfToSign], *, credential: str,
             passphrase: str) -> list[bytes]:
        return signed_outside_the_loop(self._sign, documents, credential, passphrase)

    async def _sign(self, documents: list[PdfToSign], credential: str,
                    passphrase: str) -> list[bytes]:
        import aiohttp
        from pyhanko.sign.general import SigningError
        from pyhanko.sign.signers import csc_signer
        from pyhanko.sign.timestamps import HTTPTimeStamper

        session_info = csc_signer.CSCServiceSessionInfo(self.service_url, credential,
                                                        oauth_token=self.oauth_token)
        refused: list[bool] = []

        class PassphraseAuthorization(csc_signer.CSCAuthorizationManager):
            """Authorise exactly these hashes with the official's passphrase, once."""

            async def authorize_signature(self, hash_b64s: list[str]
                                          ) -> csc_signer.CSCAuthorizationInfo:
                body = self.format_csc_auth_request(pin=passphrase, hash_b64s=hash_b64s,
                                                    description="Tanda tangan keputusan")
                async with client.post(session_info.endpoint_url("credentials/authorize"),
                                       headers=self.auth_headers, json=body,
                                       timeout=aiohttp.ClientTimeout(
                                           total=settings.timeout)) as response:
                    if response.status in (400, 401, 403):
                        refused.append(True)
                        raise SigningError("The signing service refused the authorisation")
                    response.raise_for_status()
                    return self.parse_csc_auth_response(await response.json())

        settings = self.settings
        allow = (*settings.outbound_allow, host_of(self.service_url), host_of(settings.tsa_url))
        try:
            async with guarded_client_session(allow=allow) as client:
                info = await csc_signer.fetch_certs_in_csc_credential(client, session_info,
                                                                      timeout=settings.timeout)
                signer = csc_signer.CSCSigner(
                    client, PassphraseAuthorization(session_info, info),
                    batch_size=len(documents), batch_autocommit=True)
                context = _validation_context(settings, info.chain, client)
                timestamper = HTTPTimeStamper(settings.tsa_url, timeout=settings.timeout,
                                              session=client)

                return await sign_long_term(documents, signer, context, timestamper,
                                            settings.timeout)
        except SigningError as error:
            if refused:
                raise SigningRefused() from None
            logger.warning("Remote signing failed: %s", type(error).__name__)
            raise SigningUnavailable() from error
        except (TimeoutError, aiohttp.ClientError, OSError, UnsafeDestination) as error:
            logger.warning("The signing service is unreachable: %s", type(error).__name__)
            raise SigningUnavailable() from error


def renew_archival_timestamp(pdf: bytes, settings: LongTermSettings) -> bytes:
    """Add fresh validation data for the file's last document time-stamp and a new document
    time-stamp over it (before the old TSA certificate expires), keeping the file's earlier
    revisions byte for byte."""
    from services.documents.signing import outside_event_loop

    async def renew() -> bytes:
        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.sign import signers
        from pyhanko.sign.timestamps import HTTPTimeStamper

        allow = (*settings.outbound_allow, host_of(settings.tsa_url))
        async with guarded_client_session(allow=allow) as client:
            context = _validation_context(settings, (), client)
            stamper = signers.PdfTimeStamper(HTTPTimeStamper(
                settings.tsa_url, timeout=settings.timeout, session=client))
            output = io.BytesIO()
            await stamper.async_update_archival_timestamp_chain(
                PdfFileReader(io.BytesIO(pdf), strict=False), context, output=output)
            return output.getvalue()

    try:
        return outside_event_loop(lambda: asyncio.run(renew()))
    except Exception as error:  # the TSA or a responder failed: nothing changes
        logger.warning("Renewing a time-stamp failed: %s", type(error).__name__)
        raise SigningUnavailable() from error


@dataclass(frozen=True)
class PKCS11SigningService:
    """A city's own HSM through PKCS#11 (tested with SoftHSM2): the credential is the key's
    label on the token, the passphrase is the token's user PIN, and each key's certificate
    (``<label>.pem``) and its chain (``chain.pem``) are read from ``certificates``."""

    module: str
    token_label: str
    certificates: str
    settings: LongTermSettings

    def sign(self, documents: Sequence[PdfToSign], *, credential: str,
             passphrase: str) -> list[bytes]:
        return signed_outside_the_loop(self._sign, documents, credential, passphrase)

    async def _sign(self, documents: list[PdfToSign], credential: str,
                    passphrase: str) -> list[bytes]:
        from pathlib import Path

        import aiohttp
        from asn1crypto import pem
        from asn1crypto import x509 as asn1
        from pkcs11 import exceptions as p11_errors
        from pyhanko.sign.pkcs11 import PKCS11Signer, TokenCriteria, open_pkcs11_session
        from pyhanko.sign.timestamps import HTTPTimeStamper

        def certs(path: Path) -> list[asn1_x509.Certificate]:
            return [asn1.Certificate.load(der) for _, _, der in pem.unarmor(
                path.read_bytes(), multiple=True)] if path.exists() else []

        folder = Path(self.certificates)
        try:
            session = open_pkcs11_session(self.module, token_criteria=TokenCriteria(
                label=self.token_label), user_pin=passphrase)
        except (p11_errors.PinIncorrect, p11_errors.PinLenRange, p11_errors.PinInvalid,
                p11_errors.PinLocked):
            raise SigningRefused() from None
        except Exception as error:  # no module, no token: nothing was signed
            logger.warning("The PKCS#11 token could not be opened: %s", type(error).__name__)
            raise SigningUnavailable() from error
        settings = self.settings
        try:
            [certificate] = certs(folder / f"{credential.rpartition('/')[2]}.pem")
            chain = certs(folder / "chain.pem")
            signer = PKCS11Signer(session, key_label=credential.rpartition("/")[2],
                                  signing_cert=certificate, ca_chain=chain)
            allow = (*settings.outbound_allow, host_of(settings.tsa_url))
            async with guarded_client_session(allow=allow) as client:
                context = _validation_context(settings, chain, client)
                timestamper = HTTPTimeStamper(settings.tsa_url, timeout=settings.timeout,
                                              session=client)
                return await sign_long_term(documents, signer, context, timestamper,
                                            settings.timeout)
        except (ValueError, OSError, aiohttp.ClientError, TimeoutError,
                UnsafeDestination) as error:
            logger.warning("PKCS#11 signing failed: %s", type(error).__name__)
            raise SigningUnavailable() from error
        finally:
            session.close()
