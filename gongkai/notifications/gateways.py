"""Gateways that deliver notifications. Pluggable by dotted path (``GONGKAI_EMAIL_GATEWAY``,
``GONGKAI_SMS_GATEWAY``); the defaults write to a file in the data directory (the demo and tests), Django's
mail backend sends real e-mail (``gongkai.notifications.gateways.DjangoEmailGateway``). An SMS provider is
one class with ``send``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.module_loading import import_string

from gongkai.notifications.models import Channel, Notification


class Gateway(Protocol):
    def send(self, notification: Notification) -> str:
        """Deliver; return a short receipt (a message id), raise on failure."""


class FileGateway:
    """Appends each message as a JSON line to ``<data dir>/outbox/<channel>.jsonl``."""

    def send(self, notification: Notification) -> str:
        folder = Path(settings.DATA_DIR) / "outbox"
        folder.mkdir(parents=True, exist_ok=True)
        # The file is a log: it shows the masked recipient, never a phone number in full.
        line = {
            "at": timezone.now().isoformat(),
            "to": notification.recipient_display,
            "subject": notification.subject,
            "body": notification.body,
            "id": notification.pk,
        }
        with (folder / f"{notification.channel}.jsonl").open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
        return f"file:{notification.pk}"


class DjangoEmailGateway:
    def send(self, notification: Notification) -> str:
        send_mail(notification.subject, notification.body, None, [notification.recipient])
        return f"mail:{notification.pk}"


def gateway_for(channel: str) -> Gateway:
    setting = "GONGKAI_EMAIL_GATEWAY" if channel == Channel.EMAIL else "GONGKAI_SMS_GATEWAY"
    path = getattr(settings, setting, "gongkai.notifications.gateways.FileGateway")
    gateway: Gateway = import_string(path)()
    return gateway
