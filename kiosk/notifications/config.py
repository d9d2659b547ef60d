"""Notification settings from the environment, and the outbox worker's providers built from
them. Every provider defaults to the folder provider (the demo's phone): a city sets the
real ones with KIOSK_WHATSAPP_PROVIDER=cloud, KIOSK_SMS_PROVIDER=http, KIOSK_EMAIL_PROVIDER=smtp."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from services.models import OutboxChannel
from services.outbox.policy import RetryPolicy, parse_quiet_hours
from services.outbox.providers import (
    FileProvider,
    Provider,
    SmsGateway,
    SmtpEmail,
    SmtpSettings,
    WebhookPoster,
    WhatsAppCloud,
)
from services.outbox.worker import OutboxSettings


def notification_config(instance_path: str) -> dict[str, Any]:
    """The NOTIFY_* part of the app config (read inside create_app)."""
    env = os.environ
    return {
        "NOTIFY_FOLDER": env.get("KIOSK_NOTIFY_FOLDER") or str(Path(instance_path) / "messages"),
        "NOTIFY_QUIET_HOURS": env.get("KIOSK_NOTIFY_QUIET_HOURS", "21:00-07:00"),
        "NOTIFY_HTTP_TIMEOUT": float(env.get("KIOSK_NOTIFY_HTTP_TIMEOUT", "10")),
        "OUTBOX_MAX_ATTEMPTS": int(env.get("KIOSK_OUTBOX_MAX_ATTEMPTS", "8")),
        "OUTBOX_RETRY_SECONDS": float(env.get("KIOSK_OUTBOX_RETRY_SECONDS", "30")),
        "OUTBOX_POLL_SECONDS": float(env.get("KIOSK_OUTBOX_POLL_SECONDS", "1")),
        "OUTBOX_BATCH_SIZE": int(env.get("KIOSK_OUTBOX_BATCH_SIZE", "20")),
        # 0: long enough for a whole batch of sends that all run into their timeout.
        "OUTBOX_LEASE_SECONDS": int(env.get("KIOSK_OUTBOX_LEASE_SECONDS", "0")),
        "SLA_SWEEP_SECONDS": float(env.get("KIOSK_SLA_SWEEP_SECONDS", "900")),
        "WHATSAPP_PROVIDER": env.get("KIOSK_WHATSAPP_PROVIDER", "file"),
        "WHATSAPP_API_URL": env.get("KIOSK_WHATSAPP_API_URL", "https://graph.facebook.com/v21.0"),
        "WHATSAPP_PHONE_NUMBER_ID": env.get("KIOSK_WHATSAPP_PHONE_NUMBER_ID", ""),
        "WHATSAPP_TOKEN": env.get("KIOSK_WHATSAPP_TOKEN", ""),
        "WHATSAPP_TEMPLATE_PREFIX": env.get("KIOSK_WHATSAPP_TEMPLATE_PREFIX", ""),
        "WHATSAPP_APP_SECRET": env.get("KIOSK_WHATSAPP_APP_SECRET", ""),
        "WHATSAPP_VERIFY_TOKEN": env.get("KIOSK_WHATSAPP_VERIFY_TOKEN", ""),
        "SMS_PROVIDER": env.get("KIOSK_SMS_PROVIDER", "file"),
        "SMS_URL": env.get("KIOSK_SMS_URL", ""),
        "SMS_TOKEN": env.get("KIOSK_SMS_TOKEN", ""),
        "SMS_SENDER": env.get("KIOSK_SMS_SENDER", ""),
        "SMS_INBOUND_TOKEN": env.get("KIOSK_SMS_INBOUND_TOKEN", ""),
        "EMAIL_PROVIDER": env.get("KIOSK_EMAIL_PROVIDER", "file"),
        "SMTP_HOST": env.get("KIOSK_SMTP_HOST", "localhost"),
        "SMTP_PORT": int(env.get("KIOSK_SMTP_PORT", "587")),
        "SMTP_USERNAME": env.get("KIOSK_SMTP_USERNAME", ""),
        "SMTP_PASSWORD": env.get("KIOSK_SMTP_PASSWORD", ""),
        "SMTP_FROM": env.get("KIOSK_SMTP_FROM", "e-kiosk@localhost"),
        "SMTP_STARTTLS": env.get("KIOSK_SMTP_STARTTLS", "1") == "1",
    }


def outbox_settings(config: Mapping[str, Any]) -> OutboxSettings:
    from kiosk.config import require_public_address  # kiosk.config reads this module's settings

    require_public_address(config)  # a notification's link must lead to the city's address
    return OutboxSettings(
        secret=config["SECRET_KEY"], city=config["CITY_NAME"],
        base_url=config["PUBLIC_BASE_URL"] or "http://127.0.0.1:8000",
        timezone=config["CITY_TIMEZONE"],
        quiet=parse_quiet_hours(config["NOTIFY_QUIET_HOURS"], config["CITY_TIMEZONE"]),
        retry=RetryPolicy(max_attempts=config["OUTBOX_MAX_ATTEMPTS"],
                          first_delay_seconds=config["OUTBOX_RETRY_SECONDS"]),
        batch_size=config["OUTBOX_BATCH_SIZE"], poll_seconds=config["OUTBOX_POLL_SECONDS"],
        lease_seconds=config["OUTBOX_LEASE_SECONDS"] or int(max(
            60.0, 2 * config["OUTBOX_BATCH_SIZE"] * (config["NOTIFY_HTTP_TIMEOUT"] + 1))),
    )


def build_providers(config: Mapping[str, Any]) -> dict[OutboxChannel, Provider]:
    folder = FileProvider(config["NOTIFY_FOLDER"])
    timeout, allow = config["NOTIFY_HTTP_TIMEOUT"], config["OUTBOUND_ALLOW"]
    providers: dict[OutboxChannel, Provider] = {
        OutboxChannel.WHATSAPP: folder, OutboxChannel.SMS: folder, OutboxChannel.EMAIL: folder,
        OutboxChannel.WEBHOOK: WebhookPoster(timeout=timeout, allow=allow),
    }
    if config["WHATSAPP_PROVIDER"] == "cloud":
        providers[OutboxChannel.WHATSAPP] = WhatsAppCloud(
            config["WHATSAPP_PHONE_NUMBER_ID"], config["WHATSAPP_TOKEN"],
            base_url=config["WHATSAPP_API_URL"],
            template_prefix=config["WHATSAPP_TEMPLATE_PREFIX"], timeout=timeout, allow=allow)
    if config["SMS_PROVIDER"] == "http":
        providers[OutboxChannel.SMS] = SmsGateway(config["SMS_URL"], config["SMS_TOKEN"],
                                                  sender=config["SMS_SENDER"], timeout=timeout,
                                                  allow=allow)
    if config["EMAIL_PROVIDER"] == "smtp":
        providers[OutboxChannel.EMAIL] = SmtpEmail(SmtpSettings(
            host=config["SMTP_HOST"], port=config["SMTP_PORT"],
            username=config["SMTP_USERNAME"], password=config["SMTP_PASSWORD"],
            sender=config["SMTP_FROM"], starttls=config["SMTP_STARTTLS"], timeout=timeout))
    return providers
