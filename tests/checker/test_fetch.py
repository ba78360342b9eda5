"""Fetching reports by address (gongkai/checker/fetch.py) against a local HTTP server in a thread: the internet
is never touched. Loopback is refused by default; the positive tests allow 127.0.0.1 alone."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from gongkai.audit.models import AuditEntry
from gongkai.checker import fetch
from gongkai.checker.models import FetchedReport, FetchSource

REPORT = "平潭综合实验区2021年度政府信息公开工作年度报告\n本年度全区共收到70件申请。\n".encode()
ROUTES: dict[str, tuple[int, dict[str, str], bytes]] = {
    "/report.txt": (200, {"Content-Type": "text/plain; charset=utf-8"}, REPORT),
    "/same-again.txt": (200, {"Content-Type": "text/plain"}, REPORT),
    "/redirect": (302, {"Location": "/report.txt"}, b""),
    "/to-private": (302, {"Location": "http://10.0.0.1/report.txt"}, b""),
    "/loop": (302, {"Location": "/loop"}, b""),
    "/fake.pdf": (200, {"Content-Type": "application/pdf"}, "这不是PDF".encode()),
    "/image.png": (200, {"Content-Type": "image/png"}, b"\x89PNG\r\n\x1a\n"),
    "/big.txt": (200, {"Content-Type": "text/plain"}, "报告".encode() * 2000),
    "/missing": (404, {"Content-Type": "text/html"}, b"not found"),
}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/slow":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            time.sleep(2)
            return
        status, headers, body = ROUTES.get(self.path, (404, {}, b""))
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def loopback_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only in these tests: 127.0.0.1 counts as public (everything else keeps the real rule)."""
    real = fetch.is_public_address
    monkeypatch.setattr(fetch, "is_public_address", lambda a: a == "127.0.0.1" or real(a))


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def refused(url: str) -> str:
    with pytest.raises(fetch.FetchError) as caught:
        fetch.fetch(url)
    assert "\n" not in caught.value.message
    return caught.value.message


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata
        "100.64.0.1",  # shared address space (CGNAT)
        "0.0.0.0",  # noqa: S104 - an address to refuse, not a binding
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::ffff:127.0.0.1",  # IPv4-mapped
        "::ffff:10.0.0.1",
        "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
        "2002:a00:1::1",  # 6to4 of 10.0.0.1
        "2001:db8::1",  # documentation
        "not an address",
    ],
)
def test_private_loopback_and_reserved_addresses_are_not_public(address: str) -> None:
    assert not fetch.is_public_address(address)


@pytest.mark.parametrize("address", ["1.1.1.1", "202.96.134.133", "2400:3200::1", "::ffff:1.1.1.1"])
def test_public_addresses_are_public(address: str) -> None:
    assert fetch.is_public_address(address)


def test_loopback_is_refused_by_default(server: str) -> None:
    assert "拒绝" in refused(f"{server}/report.txt")
    assert "拒绝" in refused("http://localhost/report.txt")


def test_schemes_credentials_and_ports_are_refused() -> None:
    assert "http" in refused("ftp://example.com/report.txt")
    assert "http" in refused("file:///etc/passwd")
    assert "用户名" in refused("http://user:pass@example.com/report.txt")
    assert "端口" in refused("http://example.com:25/report.txt")


def test_a_host_resolving_to_a_private_address_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fetch, "resolve", lambda host, port: ["93.184.216.34", "192.168.0.10"])
    assert "192.168.0.10" in refused("http://mixed.example/report.txt")


@pytest.mark.django_db
def test_a_report_is_fetched_kept_once_by_hash_with_a_source_per_fetch(
    server: str, loopback_allowed: None, media: None
) -> None:
    doc = fetch.fetch_to_document(f"{server}/report.txt")
    assert doc.text.startswith("平潭综合实验区2021年度") and doc.source == "txt"
    again, fetched = fetch.fetch_report(f"{server}/same-again.txt")
    assert FetchedReport.objects.count() == 1 and again.size == len(REPORT)
    assert again.file.read() == REPORT
    assert sorted(FetchSource.objects.values_list("url", flat=True)) == [
        f"{server}/report.txt",
        f"{server}/same-again.txt",
    ]
    assert fetched.content_type == "text/plain"
    assert AuditEntry.objects.filter(action="checker.fetch").count() == 2


@pytest.mark.django_db
def test_redirects_are_followed_and_the_final_address_kept(
    server: str, loopback_allowed: None, media: None
) -> None:
    report, fetched = fetch.fetch_report(f"{server}/redirect")
    assert fetched.final_url == f"{server}/report.txt"
    assert report.sources.get().final_url == f"{server}/report.txt"


def test_a_redirect_to_a_private_address_is_refused(server: str, loopback_allowed: None) -> None:
    assert "10.0.0.1" in refused(f"{server}/to-private")


def test_redirects_are_bounded(server: str, loopback_allowed: None) -> None:
    assert "跳转" in refused(f"{server}/loop")


def test_the_size_is_capped(server: str, loopback_allowed: None, settings: Any) -> None:
    settings.GONGKAI_CHECKER_MAX_BYTES = 1000
    assert "过大" in refused(f"{server}/big.txt")


def test_a_slow_server_times_out(server: str, loopback_allowed: None, settings: Any) -> None:
    settings.GONGKAI_CHECKER_FETCH_TIMEOUT = 1
    assert "超时" in refused(f"{server}/slow")


def test_content_type_and_signature_must_agree(server: str, loopback_allowed: None) -> None:
    assert "不符" in refused(f"{server}/fake.pdf")
    assert "内容类型" in refused(f"{server}/image.png")
    assert "404" in refused(f"{server}/missing")


@pytest.mark.parametrize(
    ("url", "port"), [("https://report.example/r.pdf", 443), ("http://report.example/r", 80)]
)
def test_the_connection_goes_to_the_vetted_address_without_a_second_lookup(
    monkeypatch: pytest.MonkeyPatch, url: str, port: int
) -> None:
    lookups: list[str] = []
    connected: list[tuple[str, int]] = []
    monkeypatch.setattr(fetch, "resolve", lambda host, p: lookups.append(host) or ["93.184.216.34"])

    def no_lookup(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the name was resolved again")

    def connect(address: tuple[str, int], timeout: float) -> Any:
        connected.append(address)
        raise OSError("no network in tests")

    monkeypatch.setattr(fetch.socket, "getaddrinfo", no_lookup)
    monkeypatch.setattr(fetch.socket, "create_connection", connect)
    assert "无法连接" in refused(url)
    assert lookups == ["report.example"] and connected == [("93.184.216.34", port)]
