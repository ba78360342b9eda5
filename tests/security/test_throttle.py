"""Abuse limits (issue #10, defect 7): per-address, per-phone and per-code limits on what a stranger can trigger,
counted across processes, answered with 429, Retry-After and a Chinese message."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import socket
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory

from gongkai import throttle
from gongkai.cases.models import InformationRequest
from tests.conftest import Tree

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def application(tree: Tree, phone: str = "13812345678") -> dict[str, str]:
    return {
        "body": str(tree.education.pk),
        "kind": "natural",
        "name": "李四",
        "id_document": "resident_id",
        "id_number": "11010519491231002X",
        "phone": phone,
        "subject": "2025年义务教育招生划片方案",
        "provision_form": "electronic",
        "delivery_method": "email",
        "email": "li@example.invalid",
    }


def apply(client: Client, data: dict[str, str], ip: str) -> Any:
    """POST the form as a browser would: with the hidden fields of a freshly loaded form (a token, a key)."""
    page = client.get("/apply/", REMOTE_ADDR=ip).content.decode()
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    hidden.pop("csrfmiddlewaretoken", None)
    return client.post("/apply/", hidden | data, REMOTE_ADDR=ip)


def assert_limited_page(response: Any) -> None:
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    page = response.content.decode()
    assert "请求过于频繁" in page and "分钟后再试" in page and 'class="site"' in page  # the site's layout


def wrong_lookup(client: Client, ip: str, code: str = "GK2026-AAAAAAAA") -> Any:
    return client.post("/track/", {"code": code, "secret": "WRONGWRONG"}, REMOTE_ADDR=ip)


def api_lookup(client: Client, ip: str, code: str, secret: str) -> Any:
    body = json.dumps({"code": code, "secret": secret})
    return client.post("/api/v1/public/status", body, content_type="application/json", REMOTE_ADDR=ip)


def test_applications_are_limited_per_address(tree: Tree) -> None:
    client = Client()
    for i in range(10):
        response = apply(client, application(tree, phone=f"1381234{i:04d}"), ip="203.0.113.5")
        assert response.status_code < 400, response.content.decode()[:300]
    assert InformationRequest.objects.count() == 10
    response = apply(client, application(tree, phone="13900000000"), ip="203.0.113.5")
    assert_limited_page(response)
    assert 3000 < int(response["Retry-After"]) <= 3600  # the hour's window opened by the first application
    assert InformationRequest.objects.count() == 10  # the view never ran
    # Another address is not affected.
    assert apply(client, application(tree, phone="13900000000"), ip="203.0.113.6").status_code < 400
    assert InformationRequest.objects.count() == 11


def test_applications_are_limited_per_phone_number_from_any_address(tree: Tree) -> None:
    client = Client()
    for i in range(5):
        assert apply(client, application(tree, phone="138 1234 5678"), ip=f"198.51.100.{i}").status_code < 400
    response = apply(client, application(tree, phone="13812345678"), ip="198.51.100.99")
    # Counted in the database (GONGKAI_LIMIT_APPLICATIONS_PER_PHONE_PER_DAY), so it holds across processes.
    assert response.status_code == 429 and "已达上限" in response.content.decode()
    assert InformationRequest.objects.count() == 5


def test_tracking_lookups_are_limited_per_address_then_reopen_after_the_window(tree: Tree) -> None:
    client = Client()
    start = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        for i in range(20):  # twenty different codes: only the per-address limit applies
            assert wrong_lookup(client, "203.0.113.7", code=f"GK2026-AAAAAA{i:02d}").status_code == 200
        response = wrong_lookup(client, "203.0.113.7", code="GK2026-BBBBBBBB")
        assert_limited_page(response)
        assert int(response["Retry-After"]) == 600
        assert "10分钟后再试" in response.content.decode()
    with time_machine.travel(start + dt.timedelta(minutes=10, seconds=1), tick=False):
        assert wrong_lookup(client, "203.0.113.7").status_code == 200


def test_a_distributed_guess_at_one_code_is_limited_per_code(tree: Tree) -> None:
    client = Client()
    for i in range(10):
        assert wrong_lookup(client, f"192.0.2.{i}", code="gk2026-abcd efgh").status_code == 200
    assert_limited_page(wrong_lookup(client, "192.0.2.200", code="GK2026-ABCDEFGH"))
    assert wrong_lookup(client, "192.0.2.200", code="GK2026-OTHERONE").status_code == 200


def test_api_status_counts_wrong_pairs_only_and_answers_json(tree: Tree) -> None:
    client = Client()
    code, secret = _case_with_tracking(client, tree)
    for _ in range(25):  # right pairs do not count
        assert api_lookup(client, "203.0.113.9", code, secret).status_code == 200
    for _ in range(10):
        assert api_lookup(client, "203.0.113.9", code, "WRONGWRONG").status_code == 404
    for i in range(10):
        assert api_lookup(client, "203.0.113.9", f"GK2026-XXXXXX{i:02d}", "WRONGWRONG").status_code == 404
    response = api_lookup(client, "203.0.113.9", code, secret)  # now even the right pair waits
    assert response.status_code == 429 and response["Content-Type"] == "application/json"
    assert int(response["Retry-After"]) > 0
    assert "请求过于频繁" in response.json()["detail"]
    # The page and the API share the address's budget.
    assert_limited_page(wrong_lookup(client, "203.0.113.9"))


def test_the_api_code_limit_holds_whatever_content_type_the_body_claims(tree: Tree) -> None:
    client = Client()
    body = json.dumps({"code": "GK2026-ABCDEFGH", "secret": "WRONGWRONG"})
    for i in range(10):
        client.post("/api/v1/public/status", body, content_type="text/plain", REMOTE_ADDR=f"192.0.2.{i}")
    response = client.post("/api/v1/public/status", body, content_type="text/plain", REMOTE_ADDR="192.0.2.99")
    assert response.status_code == 429


def _case_with_tracking(client: Client, tree: Tree) -> tuple[str, str]:
    from gongkai.cases import transitions
    from gongkai.cases.tracking import issue_tracking

    req = transitions.register(
        "test",
        tree.education,
        received=dt.date(2025, 3, 3),
        channel="letter",
        subject="某事项",
        applicant_kind="natural",
    )
    return issue_tracking("test", req)


def test_search_is_limited_per_address(tree: Tree) -> None:
    client = Client()
    for _ in range(30):
        assert client.get("/search/", {"q": "罚"}, REMOTE_ADDR="203.0.113.10").status_code == 200
    assert_limited_page(client.get("/search/", {"q": "罚"}, REMOTE_ADDR="203.0.113.10"))
    assert client.get("/", REMOTE_ADDR="203.0.113.10").status_code == 200  # only search is limited


def test_a_forwarded_for_header_is_ignored_unless_proxies_are_trusted(tree: Tree, settings: Any) -> None:
    client = Client()
    for i in range(20):  # a client varying the header gains nothing
        wrong_lookup(client, "203.0.113.11", code=f"GK2026-AAAAAA{i:02d}")
    response = client.post(
        "/track/",
        {"code": "GK2026-CCCCCCCC", "secret": "X"},
        REMOTE_ADDR="203.0.113.11",
        HTTP_X_FORWARDED_FOR="1.2.3.4",
    )
    assert response.status_code == 429


@pytest.mark.parametrize(
    ("proxies", "forwarded", "remote", "expected"),
    [
        (0, "1.2.3.4", "10.0.0.1", "10.0.0.1"),
        (1, "1.2.3.4", "10.0.0.1", "1.2.3.4"),
        (1, "6.6.6.6, 1.2.3.4", "10.0.0.1", "1.2.3.4"),  # what the client wrote stays to the left
        (2, "6.6.6.6, 1.2.3.4, 10.0.0.2", "10.0.0.1", "1.2.3.4"),
        (2, "1.2.3.4", "10.0.0.1", "10.0.0.1"),  # fewer entries than proxies: the header is not trusted
        (0, "", "2001:db8:1:2:aaaa::1", "2001:db8:1:2::"),  # IPv6: the /64
        (0, "", "", None),  # no address (axes stores none)
        (1, "not-an-address", "10.0.0.1", None),
    ],
)
def test_client_address(
    settings: Any, proxies: int, forwarded: str, remote: str, expected: str | None
) -> None:
    settings.GONGKAI_TRUSTED_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert throttle.client_ip(request) == expected


def test_trusted_proxy_addresses_are_counted_per_client(tree: Tree, settings: Any) -> None:
    settings.GONGKAI_TRUSTED_PROXIES = 1
    client = Client()
    for i in range(20):
        client.post(
            "/track/",
            {"code": f"GK2026-AAAAAA{i:02d}", "secret": "X"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="1.2.3.4",
        )
    limited = client.post(
        "/track/", {"code": "GK2026-Z", "secret": "X"}, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4"
    )
    other = client.post(
        "/track/", {"code": "GK2026-Z", "secret": "X"}, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="5.6.7.8"
    )
    assert (limited.status_code, other.status_code) == (429, 200)


def test_hit_is_a_function_other_code_can_call(settings: Any) -> None:
    settings.GONGKAI_THROTTLE_RATES = settings.GONGKAI_THROTTLE_RATES | {"sms": (2, 60), "off": None}
    results = [throttle.hit("sms", "13812345678") for _ in range(3)]
    assert [r.allowed for r in results] == [True, True, False]
    assert results[2].count == 3 and results[2].limit == 2 and 0 < results[2].retry_after <= 60
    throttle.release(results[2])
    assert throttle.hit("sms", "13812345678").count == 3  # released back to 2, counted again
    assert all(throttle.hit("off", "x").allowed for _ in range(10))
    with pytest.raises(ImproperlyConfigured):
        throttle.hit("no-such-scope", "x")


def test_phone_numbers_and_addresses_are_not_stored_in_clear(settings: Any) -> None:
    settings.GONGKAI_THROTTLE_RATES = settings.GONGKAI_THROTTLE_RATES | {"sms_phone": (5, 86400)}
    throttle.hit("sms_phone", "13812345678")
    throttle.hit("apply", "203.0.113.12")
    stored = Path(settings.GONGKAI_THROTTLE_DB).read_bytes()
    assert b"13812345678" not in stored and b"203.0.113.12" not in stored


def test_the_cache_store_limits_the_same_way(settings: Any) -> None:
    """The Redis path is Django's cache API; LocMemCache stands in for it here, Redis in the next test."""
    settings.CACHES = settings.CACHES | {
        "throttle": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "throttle-test"}
    }
    settings.GONGKAI_THROTTLE_CACHE = "throttle"
    settings.GONGKAI_THROTTLE_RATES = {"t": (3, 60)}
    assert [throttle.hit("t", "k").allowed for _ in range(4)] == [True, True, True, False]
    assert not Path(settings.GONGKAI_THROTTLE_DB).exists()


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379")
def test_the_redis_store_counts_atomically_with_a_window(settings: Any) -> None:
    prefix = f"gongkai-throttle-test-{id(settings)}"
    settings.CACHES = settings.CACHES | {
        "throttle": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": prefix,
        }
    }
    settings.GONGKAI_THROTTLE_CACHE = "throttle"
    settings.GONGKAI_THROTTLE_RATES = {"t": (3, 60)}
    try:
        results = [throttle.hit("t", "k") for _ in range(4)]
        assert [r.count for r in results] == [1, 2, 3, 4] and not results[3].allowed
        assert 0 < results[3].retry_after <= 60
    finally:
        from django.core.cache import caches

        caches["throttle"].clear()


def test_sqlite_counters_are_atomic_across_processes(tmp_path: Path) -> None:
    """Four processes hit one key 100 times each: no hit is lost and no count is given twice."""
    path = tmp_path / "throttle.sqlite3"
    script = textwrap.dedent(
        f"""
        import django
        from pathlib import Path
        django.setup()
        from gongkai.throttle import SqliteStore
        store = SqliteStore(Path({str(path)!r}))
        print(" ".join(str(store.incr("k", 600)[0]) for _ in range(100)))
        """
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
            env=os.environ | {"DJANGO_SETTINGS_MODULE": "gongkai.settings"},
        )
        for _ in range(4)
    ]
    counts = sorted(int(n) for p in procs for n in p.communicate(timeout=120)[0].split())
    assert counts == list(range(1, 401))


@pytest.mark.parametrize("value", ["10", "ten/1h", "0/1h", "10/0", "10/1w"])
def test_a_bad_rate_setting_fails_loudly(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    from gongkai import settings as gongkai_settings

    monkeypatch.setenv("GONGKAI_THROTTLE_APPLY", value)
    with pytest.raises(ImproperlyConfigured, match="GONGKAI_THROTTLE_APPLY"):
        gongkai_settings._rate("GONGKAI_THROTTLE_APPLY", "10/1h")


@pytest.mark.parametrize(
    ("value", "expected"), [("10/1h", (10, 3600)), ("20/10m", (20, 600)), ("30/60", (30, 60)), ("off", None)]
)
def test_rate_settings(monkeypatch: pytest.MonkeyPatch, value: str, expected: object) -> None:
    from gongkai import settings as gongkai_settings

    monkeypatch.setenv("GONGKAI_THROTTLE_APPLY", value)
    assert gongkai_settings._rate("GONGKAI_THROTTLE_APPLY", "10/1h") == expected
