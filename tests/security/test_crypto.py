"""gongkai.crypto: identifiers encrypted with the field keys (newest first encrypts, any decrypts), keyed match
digests, and the one registry of encrypted columns that rotation reads."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from gongkai import crypto
from gongkai.cases.applicants import create_applicant

OLD_DEFAULT = b"insecure-development-key-change-me"  # printed in the repository before issue #10
A, B = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def test_round_trip_and_empty_values(settings: Any) -> None:
    settings.GONGKAI_FIELD_KEYS = [A]
    token = crypto.encrypt("13812345678")
    assert "13812345678" not in token and crypto.decrypt(token) == "13812345678"
    assert crypto.encrypt("") == "" and crypto.decrypt("") == "" and crypto.match_digest("  ") == ""
    assert crypto.encrypt("x") != crypto.encrypt("x")  # a fresh IV each time


def test_the_newest_key_encrypts_and_any_listed_key_decrypts(settings: Any) -> None:
    settings.GONGKAI_FIELD_KEYS = [A]
    old_token = crypto.encrypt("E12345678")
    settings.GONGKAI_FIELD_KEYS = [B, A]
    assert crypto.decrypt(old_token) == "E12345678"
    new_token = crypto.encrypt("E12345678")
    assert Fernet(B).decrypt(new_token.encode()) == b"E12345678"
    with pytest.raises(InvalidToken):
        Fernet(A).decrypt(new_token.encode())
    assert Fernet(B).decrypt(crypto.reencrypt(old_token).encode()) == b"E12345678"
    settings.GONGKAI_FIELD_KEYS = [B]
    with pytest.raises(ImproperlyConfigured, match="GONGKAI_FIELD_KEY"):
        crypto.decrypt(old_token)


def test_match_digest_is_keyed_by_the_newest_key_and_normalised(settings: Any) -> None:
    settings.GONGKAI_FIELD_KEYS = [A]
    digest = crypto.match_digest("11010519491231002x")
    assert digest == crypto.match_digest(" 110105 19491231002X ")
    settings.GONGKAI_FIELD_KEYS = [A, B]
    assert crypto.match_digest("11010519491231002X") == digest
    settings.GONGKAI_FIELD_KEYS = [B, A]
    assert crypto.match_digest("11010519491231002X") != digest


@pytest.mark.django_db
def test_the_old_default_string_decrypts_nothing(tree: object) -> None:
    """Defect 8: every stored number used to decrypt offline from the key printed in the repository."""
    person = create_applicant(
        "t",
        kind="natural",
        name="周八",
        id_document="resident_id",
        id_number="11010519491231002X",
        phone="13812345678",
    )
    raw = hashlib.sha256(b"gongkai-field-key:" + OLD_DEFAULT).digest()
    legacy = Fernet(base64.urlsafe_b64encode(raw))
    for token in (person.id_number_encrypted, person.phone_encrypted):
        with pytest.raises(InvalidToken):
            legacy.decrypt(token.encode())
    legacy_mac = hashlib.sha256(b"gongkai-match:" + raw).digest()
    guess = hmac.new(legacy_mac, b"11010519491231002X", hashlib.sha256).hexdigest()
    assert person.id_number_digest and person.id_number_digest != guess


def test_every_encrypted_or_digest_column_is_in_the_registry() -> None:
    """A column named *_encrypted or *_digest must be declared in crypto.ENCRYPTED_COLUMNS (rotated) or in
    crypto.UNKEYED_DIGESTS (not keyed by the field key); every declared column exists."""
    declared = {f"{c.model}.{c.column}" for c in crypto.ENCRYPTED_COLUMNS}
    declared |= {f"{c.model}.{c.digest}" for c in crypto.ENCRYPTED_COLUMNS if c.digest}
    found = {
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model.__module__.startswith("gongkai.")
        for field in model._meta.concrete_fields
        if field.name.endswith(("_encrypted", "_digest"))
    }
    assert found <= declared | crypto.UNKEYED_DIGESTS
    for name in declared | crypto.UNKEYED_DIGESTS:
        label, column = name.rsplit(".", 1)
        apps.get_model(label)._meta.get_field(column)  # raises if it is gone
