"""One acknowledgement path (issue #10, defects 5 and 6): the online form carries an idempotency key, the receipt
is a GET after a redirect, a repeat of the same form (refresh, double click, a retry after a lost answer) leads
to the same receipt and stores nothing new, notices are queued in the same transaction as the case, and tracking
survives a change of every configured key."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import OperationalError
from django.test import Client

from gongkai import crypto
from gongkai.acknowledgement.keys import new_key
from gongkai.acknowledgement.models import IdempotencyKey, TrackingSecret
from gongkai.audit.models import AuditEntry
from gongkai.cases import tracking
from gongkai.cases.models import Applicant, InformationRequest
from gongkai.notifications import service
from gongkai.notifications.models import Notification
from tests.conftest import Tree
from tests.portal.test_online_application import form, receipt_codes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_hashes(settings: Any) -> None:
    """The tracking secret's slow hash is Django's password hasher: a fast one keeps these tests quick (the
    mechanism is the same)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def key_of(page: str) -> str:
    found = re.search(r'name="idempotency_key" value="([A-Za-z0-9_-]{43})"', page)
    assert found, "the form carries no idempotency key"
    return found[1]


def opened_form(client: Client) -> str:
    response = client.get("/apply/")
    assert "no-store" in response["Cache-Control"]  # the page holds the key the secret derives from
    return key_of(response.content.decode())


def test_twenty_identical_posts_make_one_case_and_queue_one_sms(settings: Any, tree: Tree) -> None:
    """Defect 6: 20 identical POSTs created 20 cases and queued 20 SMS to one phone number."""
    settings.GONGKAI_THROTTLE_ENABLED = False  # the per-address limit is tested in tests/security
    client = Client()
    data = form(tree, idempotency_key=opened_form(client))
    answers = [client.post("/apply/", data) for _ in range(20)]
    assert {(r.status_code, r["Location"]) for r in answers} == {(302, "/apply/receipt/")}
    assert all(r["Idempotent-Replay"] == "true" for r in answers[1:])
    assert InformationRequest.objects.count() == 1 and Applicant.objects.count() == 1
    assert Notification.objects.filter(channel="sms").count() == 1
    assert Notification.objects.filter(channel="email").count() == 1


def test_the_receipt_is_a_get_that_a_refresh_shows_again(tree: Tree) -> None:
    client = Client()
    posted = client.post("/apply/", form(tree, idempotency_key=opened_form(client)))
    cookie = posted.cookies["gk_receipt"]
    assert cookie["httponly"] and cookie["samesite"] == "Strict" and cookie["path"] == "/apply/receipt/"
    assert 0 < int(cookie["max-age"]) <= 3600
    first, again = client.get("/apply/receipt/"), client.get("/apply/receipt/")
    assert "no-store" in first["Cache-Control"]
    assert receipt_codes(first) == receipt_codes(again)
    assert InformationRequest.objects.count() == 1
    code, secret = receipt_codes(first)
    assert tracking.lookup(code, secret) == InformationRequest.objects.get()
    assert secret not in str(list(IdempotencyKey.objects.values())) + str(
        list(TrackingSecret.objects.values())
    )


def test_a_lost_answer_is_recovered_by_sending_the_same_form_again(tree: Tree) -> None:
    """Defect 5: after a crash between commit and response the applicant could not get the receipt, and
    resubmitting made a second case. The first answer (and its cookie) is lost here; the form, still in the
    browser, is sent again from a fresh connection."""
    key = opened_form(Client())
    Client().post("/apply/", form(tree, idempotency_key=key))  # committed, answer discarded
    retry = Client()
    response = retry.post("/apply/", form(tree, idempotency_key=key), follow=True)
    code, secret = receipt_codes(response)
    case = InformationRequest.objects.get()
    assert code == case.tracking_code and tracking.lookup(code, secret) == case
    assert AuditEntry.objects.filter(action="case.registered").count() == 1


def test_a_failing_outbox_insert_stores_nothing_and_says_so(
    tree: Tree, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Defect 5: the notice was queued after commit; when that failed ("database is locked") the case was stored
    but the applicant got a 500 and no SMS was ever queued. Now the notice is written in the case's transaction:
    a failure leaves nothing, says so, keeps the form, and the same form can be sent again."""

    def locked(*args: object, **kwargs: object) -> None:
        raise OperationalError("database is locked")

    monkeypatch.setattr(service, "_queue", locked)
    client = Client()
    data = form(tree, idempotency_key=opened_form(client))
    page = client.post("/apply/", data)
    assert page.status_code == 503 and "没有保存任何内容" in page.content.decode()
    assert (
        'value="李四"' in page.content.decode() and key_of(page.content.decode()) == data["idempotency_key"]
    )
    assert not InformationRequest.objects.exists() and not Applicant.objects.exists()
    assert not IdempotencyKey.objects.exists() and not Notification.objects.exists()
    monkeypatch.undo()
    assert client.post("/apply/", data).status_code == 302
    assert InformationRequest.objects.count() == 1 and Notification.objects.filter(channel="sms").count() == 1


def test_a_form_without_a_key_is_still_accepted_once(tree: Tree) -> None:
    response = Client().post("/apply/", form(tree), follow=True)
    code, secret = receipt_codes(response)
    assert tracking.lookup(code, secret) == InformationRequest.objects.get()


def test_applications_per_phone_are_limited_in_the_database(settings: Any, tree: Tree) -> None:
    settings.GONGKAI_LIMIT_APPLICATIONS_PER_PHONE_PER_DAY = 2
    settings.GONGKAI_THROTTLE_ENABLED = False  # the middleware's own counters are not what is tested here
    for _ in range(2):
        assert Client().post("/apply/", form(tree, idempotency_key=new_key())).status_code == 302
    refused = Client().post("/apply/", form(tree, idempotency_key=new_key(), phone="138 1234 5678"))
    assert refused.status_code == 429 and "同一联系电话24小时内提交的申请已达上限" in refused.content.decode()
    assert InformationRequest.objects.count() == 2 and Applicant.objects.count() == 2
    other = Client().post("/apply/", form(tree, idempotency_key=new_key(), phone="13912345678"))
    assert other.status_code == 302


def test_sms_per_phone_are_limited_and_the_refusal_audited(settings: Any, tree: Tree) -> None:
    settings.GONGKAI_LIMIT_SMS_PER_PHONE_PER_DAY = 1
    settings.GONGKAI_THROTTLE_ENABLED = False
    for _ in range(2):
        Client().post("/apply/", form(tree, idempotency_key=new_key()))
    assert InformationRequest.objects.count() == 2
    assert Notification.objects.filter(channel="sms").count() == 1
    assert Notification.objects.filter(channel="email").count() == 2  # e-mail is not limited
    assert AuditEntry.objects.filter(action="notification.sms_limited").count() == 1


def test_tracking_survives_a_change_of_the_secret_key_and_the_field_key(settings: Any, tree: Tree) -> None:
    """Defect 8 (tracking part): rotating the secret key without a field key broke every tracking lookup."""
    code, secret = receipt_codes(Client().post("/apply/", form(tree), follow=True))
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40
    settings.GONGKAI_FIELD_KEYS = ["O0vFkM9yq2c0aSxLqNqCeVbR5sYl7P3m3b3Q5tY4nUg="]
    crypto._keys.cache_clear()
    assert tracking.lookup(code, secret) == InformationRequest.objects.get()
    assert tracking.lookup(code, "WRONGWRONG") is None


def test_a_legacy_digest_still_verifies_and_is_replaced_by_the_slow_hash(tree: Tree) -> None:
    Client().post("/apply/", form(tree))
    case = InformationRequest.objects.get()
    TrackingSecret.objects.all().delete()
    InformationRequest.objects.filter(pk=case.pk).update(
        tracking_secret_digest=crypto.match_digest("ABCDEFGHJK")
    )
    assert tracking.lookup(case.tracking_code or "", "WRONGWRONG") is None
    assert tracking.lookup(case.tracking_code or "", "abcdefghjk") == case  # normalised as before
    case.refresh_from_db()
    assert case.tracking_secret_digest == "" and TrackingSecret.objects.filter(case=case).exists()
    assert tracking.lookup(case.tracking_code or "", "ABCDEFGHJK") == case


def test_a_lookup_costs_one_slow_hash_whether_or_not_the_code_exists(
    tree: Tree, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _secret = receipt_codes(Client().post("/apply/", form(tree), follow=True))
    calls: list[str] = []
    make, check = tracking.make_password, tracking.check_password

    def counted_make(*args: Any, **kwargs: Any) -> str:
        calls.append("make")
        return make(*args, **kwargs)

    def counted_check(*args: Any, **kwargs: Any) -> bool:
        calls.append("check")
        return check(*args, **kwargs)

    monkeypatch.setattr(tracking, "make_password", counted_make)
    monkeypatch.setattr(tracking, "check_password", counted_check)
    for pair in ((code, "WRONGWRONG"), ("GK2026-NOPENOPE", "WRONGWRONG")):
        calls.clear()
        assert tracking.lookup(*pair) is None
        assert len(calls) == 1


def test_the_slow_hash_runs_before_the_transaction_opens(monkeypatch: pytest.MonkeyPatch, tree: Tree) -> None:
    """Fault test on SQLite (benchmarks/apply_under_faults.py): hashing the tracking secret inside the
    application's transaction held SQLite's one write lock for half a second per application, and concurrent
    applicants waited into "database is locked" (503)."""
    from django.db import connection

    depths: list[int] = []
    real = tracking.make_password

    def spy(secret: str, *args: Any, **kwargs: Any) -> str:
        depths.append(len(connection.atomic_blocks))
        return real(secret, *args, **kwargs)

    monkeypatch.setattr(tracking, "make_password", spy)
    client = Client()
    baseline = len(connection.atomic_blocks)  # the test's own transaction
    response = client.post("/apply/", form(tree, idempotency_key=opened_form(client)))
    assert response.status_code == 302 and InformationRequest.objects.count() == 1
    assert depths == [baseline]
