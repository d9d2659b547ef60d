"""Dynamic QRIS MPM payloads (EMVCo merchant-presented mode, as Bank Indonesia's QRIS standard
profiles it) for one bill: tag-length-value fields ending in a CRC16-CCITT checksum."""

from __future__ import annotations

from dataclasses import dataclass

FORMAT_INDICATOR = "01"
DYNAMIC = "12"  # point of initiation: a code for one transaction
CURRENCY_IDR = "360"
COUNTRY = "ID"
QRIS_GUID = "ID.CO.QRIS.WWW"


def crc16_ccitt(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: polynomial 0x1021, initial value 0xFFFF, no reflection, no xor."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def tlv(tag: str, value: str) -> str:
    """One field: two-digit tag, two-digit length, value (at most 99 characters)."""
    if len(tag) != 2 or not tag.isdigit():
        raise ValueError(f"bad tag {tag!r}")
    if not 0 < len(value) <= 99:
        raise ValueError(f"tag {tag}: value must be 1-99 characters")
    if not value.isascii():
        raise ValueError(f"tag {tag}: value must be ASCII")
    return f"{tag}{len(value):02d}{value}"


def parse_tlv(payload: str) -> dict[str, str]:
    """The top-level fields of a payload, tag to value (a repeated tag is refused)."""
    fields: dict[str, str] = {}
    at = 0
    while at < len(payload):
        tag, length = payload[at:at + 2], payload[at + 2:at + 4]
        if len(tag) < 2 or not length.isdigit():
            raise ValueError(f"malformed field at {at}")
        value = payload[at + 4:at + 4 + int(length)]
        if len(value) != int(length) or tag in fields:
            raise ValueError(f"malformed field {tag} at {at}")
        fields[tag] = value
        at += 4 + int(length)
    return fields


def crc_verifies(payload: str) -> bool:
    """Whether the payload ends in a CRC field (6304XXXX) that matches the rest."""
    if len(payload) < 8 or payload[-8:-4] != "6304":
        return False
    return f"{crc16_ccitt(payload[:-4].encode('ascii')):04X}" == payload[-4:].upper()


def _ascii_text(text: str, limit: int) -> str:
    cleaned = "".join(ch if ch.isascii() and ch.isprintable() else " " for ch in text)
    return " ".join(cleaned.split())[:limit] or "-"


@dataclass(frozen=True)
class Merchant:
    """The city's merchant account at its acquiring bank (configuration)."""

    guid: str  # reverse domain of the acquirer, e.g. "ID.CO.BANKCONTOH.WWW"
    pan: str  # merchant PAN (up to 19 digits)
    merchant_id: str
    nmid: str  # QRIS national merchant ID
    name: str
    city: str
    mcc: str = "9399"  # government services
    postal_code: str = ""
    criteria: str = "UBE"  # large enterprise


def qris_payload(merchant: Merchant, *, amount: int, bill_number: str) -> str:
    """The dynamic QRIS string for one bill of ``amount`` rupiah (an integer, no decimals)."""
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise ValueError("a QRIS amount is a positive whole number of rupiah")
    account = (tlv("00", merchant.guid) + tlv("01", merchant.pan)
               + tlv("02", merchant.merchant_id) + tlv("03", merchant.criteria))
    national = tlv("00", QRIS_GUID) + tlv("02", merchant.nmid) + tlv("03", merchant.criteria)
    parts = [
        tlv("00", FORMAT_INDICATOR),
        tlv("01", DYNAMIC),
        tlv("26", account),
        tlv("51", national),
        tlv("52", merchant.mcc),
        tlv("53", CURRENCY_IDR),
        tlv("54", str(amount)),
        tlv("58", COUNTRY),
        tlv("59", _ascii_text(merchant.name, 25)),
        tlv("60", _ascii_text(merchant.city, 15)),
    ]
    if merchant.postal_code:
        parts.append(tlv("61", merchant.postal_code))
    parts.append(tlv("62", tlv("01", _ascii_text(bill_number, 25))))
    body = "".join(parts) + "6304"
    return body + f"{crc16_ccitt(body.encode('ascii')):04X}"


def payload_amount(payload: str) -> int:
    """The amount (tag 54) of a payload, as whole rupiah."""
    value = parse_tlv(payload)["54"]
    if not value.isdigit():
        raise ValueError("amount is not whole rupiah")
    return int(value)


def payload_bill_number(payload: str) -> str:
    """The bill number of a payload (tag 62, sub-tag 01)."""
    return parse_tlv(parse_tlv(payload)["62"])["01"]
