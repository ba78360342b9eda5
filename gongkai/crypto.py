"""Encryption and keyed hashing of personal identifiers (ID-card, passport and phone numbers).

Numbers are stored three ways: encrypted (Fernet: AES-128-CBC + HMAC-SHA256) so staff can reveal them when
the law requires it (audited), an HMAC-SHA256 digest for matching the same applicant without decrypting, and
a masked form for lists and exports (``gongkai.masking``).

The keys are ``settings.GONGKAI_FIELD_KEYS`` (``GONGKAI_FIELD_KEY``, newest first): the first encrypts and keys
the digests, any of them decrypts. They never derive from ``SECRET_KEY``. Every column that holds a token or a
keyed digest is declared once in ``ENCRYPTED_COLUMNS``, which ``gongkai rotate-field-key`` re-encrypts
(docs/deploy.md, "Keys")."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver


@dataclass(frozen=True)
class EncryptedColumn:
    """A column holding Fernet tokens of this module, and the column of its keyed digest if it has one."""

    model: str  # "app_label.ModelName"
    column: str
    digest: str = ""  # recomputed from the plain value with the newest key on rotation
    only: Mapping[str, Any] = field(default_factory=dict)  # filter: the rows whose column holds a token


# Every encrypted or keyed-digest column, in one place: a new one is added here, or rotation misses it (a test
# compares this list with the models).
ENCRYPTED_COLUMNS: tuple[EncryptedColumn, ...] = (
    EncryptedColumn("cases.Applicant", "id_number_encrypted", digest="id_number_digest"),
    EncryptedColumn("cases.Applicant", "phone_encrypted"),
    EncryptedColumn("mailbox.Letter", "phone_encrypted"),  # a mailbox writer's contact details
    EncryptedColumn("mailbox.Letter", "email_encrypted"),
    EncryptedColumn("hotline.Ticket", "phone_encrypted"),  # a 12345 caller's phone number
    EncryptedColumn("consultations.Comment", "name_encrypted"),  # a consultation commenter's name
    EncryptedColumn("consultations.Comment", "contact_encrypted"),  # and phone or e-mail
    # An SMS to an applicant keeps the phone number encrypted until it is sent (notifications.service).
    EncryptedColumn(
        "notifications.Notification",
        "recipient",
        only={"channel": "sms", "template__audience": "applicant"},
    ),
)
# Columns named *_digest that do not depend on the field key, so a rotation leaves them alone.
UNKEYED_DIGESTS: frozenset[str] = frozenset(
    {
        "cases.InformationRequest.tracking_secret_digest",  # the secret itself is high-entropy (cases.tracking)
    }
)


@cache
def _keys() -> tuple[MultiFernet, bytes]:
    configured = list(getattr(settings, "GONGKAI_FIELD_KEYS", []))
    if not configured:
        raise ImproperlyConfigured("GONGKAI_FIELD_KEYS is empty: set GONGKAI_FIELD_KEY (docs/deploy.md)")
    try:
        fernets = [Fernet(key) for key in configured]
    except ValueError as exc:
        raise ImproperlyConfigured("GONGKAI_FIELD_KEY: each key is urlsafe base64 of 32 bytes") from exc
    mac_key = hashlib.sha256(b"gongkai-match:" + base64.urlsafe_b64decode(configured[0])).digest()
    return MultiFernet(fernets), mac_key


@receiver(setting_changed)
def _forget_keys(*, setting: str, **kwargs: Any) -> None:
    if setting == "GONGKAI_FIELD_KEYS":
        _keys.cache_clear()


def encrypt(value: str) -> str:
    return _keys()[0].encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _keys()[0].decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "cannot decrypt a stored identifier: is its key missing from GONGKAI_FIELD_KEY?"
        ) from exc


def reencrypt(token: str) -> str:
    """The token encrypted again with the newest key (its plain value and timestamp kept)."""
    if not token:
        return ""
    try:
        return _keys()[0].rotate(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "cannot decrypt a stored identifier: is its key missing from GONGKAI_FIELD_KEY?"
        ) from exc


def match_digest(value: str) -> str:
    """A keyed digest of the normalised value (upper case, no spaces): equal numbers give equal digests."""
    normalised = "".join(value.split()).upper()
    return hmac.new(_keys()[1], normalised.encode(), hashlib.sha256).hexdigest() if normalised else ""
