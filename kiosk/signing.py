"""The signing certificate, trusted roots and verification keys the configuration names."""

from __future__ import annotations

import os
from pathlib import Path

from flask import current_app

from kiosk.config import DEMO_SIGNING_FOLDER
from services.demo import DEMO_OFFICIAL_KEYS, DEMO_SIGNING_PASSPHRASE
from services.documents import VerificationKeys
from services.documents.authority import CONFIG_FILE, create_authority, root_certificate_pem
from services.documents.demo_service import set_passphrases
from services.documents.remote import CSCSigningService, LongTermSettings, PKCS11SigningService
from services.documents.signing import (
    SigningIdentity,
    create_demo_certificates,
    load_trust_roots,
)


def signing_identity() -> SigningIdentity | None:
    config = current_app.config
    if not config.get("SIGNING_P12"):
        return None
    return SigningIdentity(config["SIGNING_P12"], config.get("SIGNING_PASSPHRASE", ""),
                           config.get("SIGNING_TSA_URL", ""),
                           outbound_allow=tuple(config.get("OUTBOUND_ALLOW", ())))


def trust_roots() -> list:  # type: ignore[type-arg]
    return load_trust_roots(current_app.config.get("SIGNING_TRUST_ROOTS") or [])


def verification_keys() -> VerificationKeys:
    """The configured keys; codes made before key ids were signed with SECRET_KEY."""
    return VerificationKeys.parse(current_app.config["VERIFY_KEYS"],
                                  legacy=current_app.config["SECRET_KEY"])


def ensure_demo_signing() -> str | None:
    """Make the demo CA and signing certificate for the city under the instance folder, once,
    and use them in this process; returns what was done, or None when a certificate is set."""
    config = current_app.config
    folder = Path(current_app.instance_path) / DEMO_SIGNING_FOLDER
    if config.get("SIGNING_P12") and Path(config["SIGNING_P12"]).parent != folder:
        return None
    if not (folder / "signing.p12").exists():
        import secrets

        passphrase = secrets.token_urlsafe(18)
        create_demo_certificates(folder, city=config["CITY_NAME"], passphrase=passphrase)
        (folder / "passphrase").write_text(passphrase)
        (folder / "passphrase").chmod(0o600)
        made = f"Demo CA and signing certificate for {config['CITY_NAME']} in {folder}"
    else:
        made = f"Demo signing certificate kept in {folder}"
    config["SIGNING_P12"] = str(folder / "signing.p12")
    config["SIGNING_PASSPHRASE"] = (folder / "passphrase").read_text().strip()
    config["SIGNING_TRUST_ROOTS"] = [str(folder / "ca.pem")]
    return made


def signing_service() -> CSCSigningService | PKCS11SigningService | None:
    """The officials' signing service the configuration names: the city's HSM through PKCS#11
    when its module is set, else the remote CSC service (None: neither is set up)."""
    config = current_app.config
    allow = tuple(config.get("OUTBOUND_ALLOW", ()))
    if config.get("SIGNING_PKCS11_MODULE"):
        return PKCS11SigningService(
            config["SIGNING_PKCS11_MODULE"], config.get("SIGNING_PKCS11_TOKEN", ""),
            config.get("SIGNING_PKCS11_CERTS", ""), LongTermSettings(
                config.get("SIGNING_TSA_URL", ""), trust_roots=tuple(trust_roots()),
                outbound_allow=allow))
    if not config.get("SIGNING_CSC_URL"):
        return None
    return CSCSigningService(config["SIGNING_CSC_URL"], LongTermSettings(
        config.get("SIGNING_TSA_URL", ""), trust_roots=tuple(trust_roots()),
        outbound_allow=allow), oauth_token=config.get("SIGNING_CSC_TOKEN") or None)


def ensure_demo_authority() -> str | None:
    """The demo's signing authority (one key and certificate per demo official, their demo
    passphrase on the signing service, the root that /verify trusts), made once under the
    instance folder; ``make demo`` serves it. None when a real signing service is configured."""
    config = current_app.config
    folder = Path(current_app.instance_path) / DEMO_SIGNING_FOLDER / "authority"
    if config.get("SIGNING_CSC_URL") and not (folder / "root.pem").exists():
        return None
    fresh = not (folder / CONFIG_FILE).exists()
    config_file = create_authority(folder, DEMO_OFFICIAL_KEYS, city=config["CITY_NAME"])
    if fresh:
        set_passphrases(folder, {key.credential_id: DEMO_SIGNING_PASSPHRASE
                                 for key in DEMO_OFFICIAL_KEYS})
    pki_url = f"http://127.0.0.1:{os.environ.get('KIOSK_DEMO_PKI_PORT', '9381')}"
    (folder / "root.pem").write_bytes(root_certificate_pem(config_file, pki_url))
    return (f"Demo signing authority for {len(DEMO_OFFICIAL_KEYS)} officials in {folder} "
            f"(root: {folder / 'root.pem'})")
