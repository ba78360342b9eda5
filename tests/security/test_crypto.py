"""gongkai.crypto: identifiers encrypted with the field keys (newest first encrypts, any decrypts), keyed match
digests, and the one registry of encrypted columns that rotation reads."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
from typing import Any

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import Client

from gongkai import crypto
from gongkai.accounts.models import Role
from gongkai.cases.applicants import create_applicant
from gongkai.cases.transitions import register
from gongkai.notifications.models import Notification, NotificationTemplate
from tests.conftest import PASSWORD, Tree, make_user
from tests.consultations.world import comment_at_rest
from tests.hotline.world import ticket_at_rest
from tests.mailbox.world import letter_at_rest

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


# --- misconfiguration and tampering -----------------------------------------------------------------------------


def test_no_key_or_a_malformed_key_is_a_configuration_error(settings: Any) -> None:
    settings.GONGKAI_FIELD_KEYS = []
    with pytest.raises(ImproperlyConfigured, match="empty"):
        crypto.encrypt("13812345678")
    settings.GONGKAI_FIELD_KEYS = [A, "not-a-fernet-key"]  # a bad older key spoils the list too
    with pytest.raises(ImproperlyConfigured, match="32 bytes"):
        crypto.match_digest("13812345678")


def test_a_tampered_token_is_refused_not_half_read(settings: Any) -> None:
    settings.GONGKAI_FIELD_KEYS = [A]
    token = crypto.encrypt("11010519491231002X")
    raw = bytearray(base64.urlsafe_b64decode(token))
    raw[30] ^= 0x01  # one bit of the ciphertext flipped: the HMAC no longer matches
    forged = base64.urlsafe_b64encode(bytes(raw)).decode()
    for read in (crypto.decrypt, crypto.reencrypt):
        with pytest.raises(ImproperlyConfigured, match="GONGKAI_FIELD_KEY"):
            read(forged)


def test_reencrypt_keeps_the_value_and_its_timestamp_and_passes_empty_values(settings: Any) -> None:
    settings.GONGKAI_FIELD_KEYS = [A]
    old_token = crypto.encrypt("0374-1234567")
    settings.GONGKAI_FIELD_KEYS = [B, A]
    new_token = crypto.reencrypt(old_token)
    assert new_token != old_token and Fernet(B).decrypt(new_token.encode()) == b"0374-1234567"
    assert Fernet(B).extract_timestamp(new_token.encode()) == Fernet(A).extract_timestamp(old_token.encode())
    assert crypto.reencrypt("") == ""
    assert crypto.reencrypt(crypto.reencrypt(new_token)) != new_token  # a fresh IV each time, still readable
    assert crypto.decrypt(crypto.reencrypt(new_token)) == "0374-1234567"


# --- at rest: the raw columns, read with SQL ---------------------------------------------------------------------

ID_NUMBER, PHONE = "411002198001010013", "13912345678"  # a resident of 许昌市 (valid check character)


def _raw_row(table: str, columns: list[str], pk: int) -> dict[str, str]:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(table)} WHERE id = %s",  # noqa: S608
            [pk],
        )
        row = cursor.fetchone()
    assert row is not None
    return dict(zip(columns, row, strict=True))


@pytest.mark.django_db
def test_every_registered_column_holds_a_token_of_the_newest_key_at_rest(settings: Any) -> None:
    """The applicant 张三 of 许昌市 applied with his ID card and mobile number, and is told of his case by SMS:
    every column of ENCRYPTED_COLUMNS is read back from the database as stored, below the ORM."""
    settings.GONGKAI_FIELD_KEYS = [A]
    applicant = create_applicant(
        "intake", kind="natural", name="张三", id_document="resident_id", id_number=ID_NUMBER, phone=PHONE
    )
    template = NotificationTemplate.objects.create(
        code="at-rest", channel="sms", audience="applicant", body="x"
    )
    sms = Notification.objects.create(
        template=template,
        channel="sms",
        recipient=applicant.phone_encrypted,
        recipient_display=applicant.phone_masked,
        body="x",
        key="at-rest",
        send_after="2026-01-01T00:00:00+08:00",
    )
    rows = {"cases.Applicant": applicant.pk, "notifications.Notification": sms.pk}
    plain = {"cases.Applicant.id_number_encrypted": ID_NUMBER}
    rows["mailbox.Letter"] = letter_at_rest(PHONE, "zhangsan@example.invalid")  # 信箱
    rows["hotline.Ticket"] = ticket_at_rest(PHONE)  # 12345
    plain["mailbox.Letter.email_encrypted"] = "zhangsan@example.invalid"
    rows["consultations.Comment"] = comment_at_rest("张三", PHONE)  # 意见征集
    plain["consultations.Comment.name_encrypted"] = "张三"
    for column in crypto.ENCRYPTED_COLUMNS:
        model = apps.get_model(column.model)
        wanted = [model._meta.get_field(column.column).column]
        if column.digest:
            wanted.append(model._meta.get_field(column.digest).column)
        stored = _raw_row(model._meta.db_table, wanted, rows[column.model])
        expected = plain.get(f"{column.model}.{column.column}", PHONE)
        token = stored[wanted[0]]
        assert ID_NUMBER not in token and PHONE not in token and PHONE[-4:] not in token
        assert Fernet(A).decrypt(token.encode()).decode() == expected, column
        if column.digest:
            assert stored[wanted[1]] == crypto.match_digest(expected) and expected not in stored[wanted[1]]
    masked = _raw_row("cases_applicant", ["id_number_masked", "phone_masked"], applicant.pk)
    assert masked == {"id_number_masked": "411***********0013", "phone_masked": "139****5678"}


# --- listings show the masked forms only -------------------------------------------------------------------------


@pytest.mark.django_db
def test_listings_show_masked_identifiers_only(settings: Any, tree: Tree) -> None:
    """A clerk of 测试市教育局 registers 张三's request; the staff inbox, the API list and the admin's applicant list
    show 411***********0013 and 139****5678, never the numbers."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    clerk = make_user("edu-clerk", tree.education, Role.CLERK)
    get_user_model().objects.create_superuser("root", password=PASSWORD)
    applicant = create_applicant(
        clerk, kind="natural", name="张三", id_document="resident_id", id_number=ID_NUMBER, phone=PHONE
    )
    register(
        clerk,
        tree.education,
        received=dt.date(2026, 3, 2),
        channel="in_person",
        subject="招生计划",
        applicant=applicant,
    )
    staff, admin_site = Client(), Client()
    assert staff.login(username="edu-clerk", password=PASSWORD)
    assert admin_site.login(username="root", password=PASSWORD)
    pages = {
        "inbox": staff.get("/staff/cases/"),
        "api": staff.get("/api/v1/cases"),
        "admin": admin_site.get("/admin/cases/applicant/"),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        text = response.content.decode() if name != "api" else json.dumps(response.json(), ensure_ascii=False)
        assert "张三" in text and "411***********0013" in text, name
        assert ID_NUMBER not in text and PHONE not in text, name
    assert "139****5678" in pages["admin"].content.decode()
