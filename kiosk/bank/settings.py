"""The city's bank settings: the SNAP partner (client key and secret, its RSA public key), the
VA prefix, the QRIS merchant, and where the bank's API is. Read in load_config; a demo (no
KIOSK_BANK_* set) keeps a demo bank's keys in the instance folder, which the simulator uses."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from services.payments.bank_api import Partner
from services.payments.qris import Merchant
from services.payments.snap import new_rsa_key

DEMO_BANK_FOLDER = "bank"  # under the instance folder: bank_private.pem, bank_public.pem, secret


def demo_bank_keys(instance_path: str) -> tuple[Path, Path, Path]:
    """The demo bank's RSA key pair and client secret, made once (0600, in a 0700 folder)."""
    folder = Path(instance_path) / DEMO_BANK_FOLDER
    private, public, secret = (folder / "bank_private.pem", folder / "bank_public.pem",
                               folder / "client_secret")
    if not (private.exists() and public.exists() and secret.exists()):
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        private_pem, public_pem = new_rsa_key()
        for path, content in ((private, private_pem), (public, public_pem),
                              (secret, secrets.token_hex(32).encode())):
            path.touch(mode=0o600)
            path.write_bytes(content)
    return private, public, secret


def bank_config(env: Mapping[str, str], instance_path: str) -> dict[str, Any]:
    """KIOSK_BANK_CLIENT_KEY, _CLIENT_SECRET, _PUBLIC_KEY (a PEM file), _URL; KIOSK_VA_PREFIX;
    KIOSK_QRIS_* for the merchant. Without a public key, the demo bank's is used."""
    public_key = env.get("KIOSK_BANK_PUBLIC_KEY", "")
    client_secret = env.get("KIOSK_BANK_CLIENT_SECRET", "")
    if not public_key:
        _, public, secret = demo_bank_keys(instance_path)
        public_key, client_secret = str(public), client_secret or secret.read_text().strip()
    return {
        "BANK_CLIENT_KEY": env.get("KIOSK_BANK_CLIENT_KEY", "BPD-KOTA-CONTOH"),
        "BANK_CLIENT_SECRET": client_secret,
        "BANK_PUBLIC_KEY": public_key,
        "BANK_URL": env.get("KIOSK_BANK_URL", ""),
        "VA_PREFIX": env.get("KIOSK_VA_PREFIX", "88810"),
        "QRIS_GUID": env.get("KIOSK_QRIS_GUID", "ID.CO.BPDCONTOH.WWW"),
        "QRIS_PAN": env.get("KIOSK_QRIS_PAN", "9360012300000000019"),
        "QRIS_MERCHANT_ID": env.get("KIOSK_QRIS_MERCHANT_ID", "KOTACONTOH01"),
        "QRIS_NMID": env.get("KIOSK_QRIS_NMID", "ID1026000000001"),
        "QRIS_NAME": env.get("KIOSK_QRIS_NAME", "PEMKOT CONTOH"),
        "QRIS_CITY": env.get("KIOSK_QRIS_CITY", "KOTA CONTOH"),
    }


def partner_from(config: Mapping[str, Any]) -> Partner:
    """The bank partner of an app's configuration."""
    token_key = hmac.new(str(config["SECRET_KEY"]).encode(), b"snap-access-token",
                         hashlib.sha256).digest()
    return Partner(client_key=config["BANK_CLIENT_KEY"],
                   client_secret=config["BANK_CLIENT_SECRET"],
                   public_key_pem=Path(config["BANK_PUBLIC_KEY"]).read_bytes(),
                   va_prefix=config["VA_PREFIX"], token_key=token_key)


def merchant_from(config: Mapping[str, Any]) -> Merchant:
    return Merchant(guid=config["QRIS_GUID"], pan=config["QRIS_PAN"],
                    merchant_id=config["QRIS_MERCHANT_ID"], nmid=config["QRIS_NMID"],
                    name=config["QRIS_NAME"], city=config["QRIS_CITY"])
