"""Encryption and keyed hashing of personal identifiers (ID-card, passport and phone numbers).

Numbers are stored three ways: encrypted (Fernet: AES-128-CBC + HMAC-SHA256) so staff can reveal them when
the law requires it (audited), an HMAC-SHA256 digest for matching the same applicant without decrypting, and
a masked form for lists and exports (``gongkai.masking``)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@cache
def _keys() -> tuple[Fernet, bytes]:
    configured = str(getattr(settings, "GONGKAI_FIELD_KEY", ""))
    if configured:
        try:
            raw = base64.urlsafe_b64decode(configured)
        except (ValueError, TypeError) as exc:
            raise ImproperlyConfigured("GONGKAI_FIELD_KEY is not urlsafe base64") from exc
        if len(raw) != 32:
            raise ImproperlyConfigured("GONGKAI_FIELD_KEY must encode 32 bytes (Fernet.generate_key())")
    else:
        raw = hashlib.sha256(b"gongkai-field-key:" + settings.SECRET_KEY.encode()).digest()
    mac_key = hashlib.sha256(b"gongkai-match:" + raw).digest()
    return Fernet(base64.urlsafe_b64encode(raw)), mac_key


def encrypt(value: str) -> str:
    return _keys()[0].encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _keys()[0].decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "cannot decrypt a stored identifier: was GONGKAI_FIELD_KEY changed?"
        ) from exc


def match_digest(value: str) -> str:
    """A keyed digest of the normalised value (upper case, no spaces): equal numbers give equal digests."""
    normalised = "".join(value.split()).upper()
    return hmac.new(_keys()[1], normalised.encode(), hashlib.sha256).hexdigest() if normalised else ""
