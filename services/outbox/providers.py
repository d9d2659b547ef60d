"""The providers that carry messages, behind one small interface: e-mail over SMTP, a generic
SMS HTTP gateway, the WhatsApp Business Cloud API, signed webhooks, and a folder for the demo.
Each tells the worker "delivered" (with the HTTP status and time taken) or raises
DeliveryFailed, saying whether a retry may help."""

from __future__ import annotations

import json
import os
import re
import smtplib
import tempfile
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

import requests

from services.outbound import ResponseTooLarge, UnsafeDestination, guarded_request
from services.outbox.policy import international_number

# A gateway's or subscriber's answer is read up to this size; nothing in it is needed.
MAX_ANSWER_BYTES = 64 * 1024


@dataclass(frozen=True)
class Outgoing:
    """One message as a provider sees it; ``key`` is the idempotency key (the dedup key)."""

    key: str
    channel: str
    recipient: str = ""
    subject: str = ""
    text: str = ""
    template: str = ""
    language: str = "id"
    template_params: tuple[str, ...] = ()
    url: str = ""
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Delivered:
    status: int | None
    ms: int


class DeliveryFailed(Exception):
    def __init__(self, reason: str, *, permanent: bool = False, status: int | None = None,
                 ms: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason, self.permanent, self.status = reason, permanent, status
        self.ms, self.retry_after = ms, retry_after


class Provider(Protocol):
    def send(self, message: Outgoing) -> Delivered: ...


def _elapsed_ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


class FileProvider:
    """Writes each message as a JSON file named by its key into a folder (the demo's phone).
    Writing is idempotent: a message whose file exists was delivered already."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def send(self, message: Outgoing) -> Delivered:
        started = time.monotonic()
        self.folder.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]", "_", message.key) + ".json"
        record = {"key": message.key, "channel": message.channel, "to": message.recipient,
                  "subject": message.subject, "text": message.text, "url": message.url,
                  "written_at": time.time()}
        with tempfile.NamedTemporaryFile("w", dir=self.folder, suffix=".tmp", delete=False,
                                         encoding="utf-8") as handle:
            json.dump(record, handle, ensure_ascii=False, indent=1)
        try:
            os.link(handle.name, self.folder / name)  # fails if the message is there already
        except FileExistsError:
            pass
        finally:
            os.unlink(handle.name)
        return Delivered(None, _elapsed_ms(started))


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 587
    username: str = ""
    password: str = ""
    sender: str = "e-kiosk@localhost"
    starttls: bool = True
    timeout: float = 10.0


class SmtpEmail:
    """E-mail through an SMTP server (smtplib); the Message-ID is derived from the key."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings

    def send(self, message: Outgoing) -> Delivered:
        s = self.settings
        mail = EmailMessage()
        mail["From"], mail["To"], mail["Subject"] = s.sender, message.recipient, message.subject
        # The same Message-ID on every retry, so mail systems can drop a repeat.
        mail["Message-ID"] = (f"<{re.sub(r'[^A-Za-z0-9]', '.', message.key)}"
                              f"@{s.sender.rpartition('@')[2] or 'localhost'}>")
        mail.set_content(message.text)
        started = time.monotonic()
        try:
            with smtplib.SMTP(s.host, s.port, timeout=s.timeout) as smtp:
                if s.starttls:
                    smtp.starttls()
                if s.username:
                    smtp.login(s.username, s.password)
                smtp.send_message(mail)
        except smtplib.SMTPRecipientsRefused as refused:
            raise DeliveryFailed("recipient refused", permanent=True,
                                 ms=_elapsed_ms(started)) from refused
        except (smtplib.SMTPException, OSError) as error:
            raise DeliveryFailed(f"smtp: {type(error).__name__}",
                                 ms=_elapsed_ms(started)) from error
        return Delivered(250, _elapsed_ms(started))


# What a delivery log says of a destination the server will not reach, whatever the reason
# (an inside address, a name that does not resolve, credentials in the URL): the log of an
# address typed by an administrator must not tell what listens inside the network.
DESTINATION_REFUSED = "destination refused"


def _post_json(url: str, *, data: bytes, headers: dict[str, str], timeout: float,
               permanent_4xx: bool, allow: tuple[str, ...] = ()) -> Delivered:
    """POST through the outbound guard and classify the answer: 2xx delivered; 408, 429 and
    5xx, timeouts and refused connections worth a retry (honouring Retry-After); other 4xx
    permanent if so asked. Redirects are not followed: deliveries go only to the configured
    address, and only if it is outside the network (or allowed by the city)."""
    started = time.monotonic()
    try:
        response = guarded_request("POST", url, allow=allow, timeout=timeout,
                                   max_bytes=MAX_ANSWER_BYTES, data=data,
                                   headers={"Content-Type": "application/json", **headers})
    except UnsafeDestination as error:
        raise DeliveryFailed(DESTINATION_REFUSED) from error
    except ResponseTooLarge as error:
        raise DeliveryFailed("answer too large", ms=_elapsed_ms(started)) from error
    except requests.Timeout as error:
        raise DeliveryFailed("timeout", ms=_elapsed_ms(started)) from error
    except requests.RequestException as error:
        raise DeliveryFailed(f"connection: {type(error).__name__}",
                             ms=_elapsed_ms(started)) from error
    ms = _elapsed_ms(started)
    status = response.status_code
    if 200 <= status < 300:
        return Delivered(status, ms)
    retry_after = None
    if (value := response.headers.get("Retry-After", "")).isdigit():
        retry_after = float(value)
    retryable = status in (408, 429) or status >= 500 or not permanent_4xx
    raise DeliveryFailed(f"HTTP {status}", permanent=not retryable, status=status, ms=ms,
                         retry_after=retry_after)


class SmsGateway:
    """A generic SMS HTTP gateway: JSON ``{"to", "text", "sender", "reference"}`` POSTed to
    the configured URL with a bearer token and an Idempotency-Key header."""

    def __init__(self, url: str, token: str, sender: str = "", timeout: float = 10.0,
                 allow: tuple[str, ...] = ()) -> None:
        self.url, self.token, self.sender, self.timeout = url, token, sender, timeout
        self.allow = allow

    def send(self, message: Outgoing) -> Delivered:
        body = {"to": international_number(message.recipient), "text": message.text,
                "sender": self.sender, "reference": message.key}
        return _post_json(self.url, data=json.dumps(body).encode(), timeout=self.timeout,
                          headers={"Authorization": f"Bearer {self.token}",
                                   "Idempotency-Key": message.key}, permanent_4xx=True,
                          allow=self.allow)


class WhatsAppCloud:
    """The WhatsApp Business Cloud API: ``POST {base}/{phone-number-id}/messages`` with a
    bearer token. With a template prefix set, business-initiated messages use the approved
    template ``<prefix><template>`` in the citizen's language with the body parameters;
    otherwise a text message (allowed inside the 24-hour customer service window)."""

    def __init__(self, phone_number_id: str, token: str, *,
                 base_url: str = "https://graph.facebook.com/v21.0", template_prefix: str = "",
                 timeout: float = 10.0, allow: tuple[str, ...] = ()) -> None:
        self.url = f"{base_url.rstrip('/')}/{phone_number_id}/messages"
        self.token, self.template_prefix, self.timeout = token, template_prefix, timeout
        self.allow = allow

    def body(self, message: Outgoing) -> dict[str, object]:
        to = international_number(message.recipient)
        base: dict[str, object] = {"messaging_product": "whatsapp",
                                   "recipient_type": "individual", "to": to,
                                   "biz_opaque_callback_data": message.key}
        if self.template_prefix and message.template:
            base.update(type="template", template={
                "name": f"{self.template_prefix}{message.template}",
                "language": {"code": message.language},
                "components": [{"type": "body", "parameters": [
                    {"type": "text", "text": value} for value in message.template_params]}],
            })
        else:
            base.update(type="text", text={"preview_url": False, "body": message.text})
        return base

    def send(self, message: Outgoing) -> Delivered:
        return _post_json(self.url, data=json.dumps(self.body(message)).encode(),
                          timeout=self.timeout,
                          headers={"Authorization": f"Bearer {self.token}"}, permanent_4xx=True,
                          allow=self.allow)


class WebhookPoster:
    """Posts a signed delivery to the subscriber's registered URL; every failure is retried."""

    def __init__(self, timeout: float = 10.0, allow: tuple[str, ...] = ()) -> None:
        self.timeout, self.allow = timeout, allow

    def send(self, message: Outgoing) -> Delivered:
        return _post_json(message.url, data=message.body, headers=message.headers,
                          timeout=self.timeout, permanent_4xx=False, allow=self.allow)
