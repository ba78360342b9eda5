"""Fetching a published report by its address, safely (report-checker issue, Deliver 8; docs/checker-input.md).

- http and https only, no user:password in the address, no port other than the scheme's own unless it is
  above 1023 (no mail, SSH, database ports of the server's neighbours).
- The host is resolved once and every address it resolves to must be public: private, loopback, link-local,
  multicast, reserved, unspecified, shared (CGNAT) and documentation addresses are refused, IPv4 and IPv6,
  including IPv4-mapped, NAT64, 6to4 and Teredo forms of a refused IPv4 address.
- The connection goes to the vetted address itself (the name is not resolved a second time, so a DNS answer
  cannot change between the check and the connection); HTTPS still checks the certificate against the name.
- Redirects are followed by hand, at most ``MAX_REDIRECTS``, each new address checked the same way.
- The body is read in chunks up to ``GONGKAI_CHECKER_MAX_BYTES``; each socket operation has a time limit
  (``GONGKAI_CHECKER_FETCH_TIMEOUT``) and so has the whole fetch (three times it).
- The content type must be one a report comes in, and the file's signature must agree with it.
- Each file is kept once by its SHA-256 (``FetchedReport``); every fetch adds a ``FetchSource`` row.
"""

from __future__ import annotations

import hashlib
import http.client
import ipaddress
import re
import socket
import ssl
import time
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.audit.log import Actor, acting_user, record
from gongkai.checker.models import FetchedReport, FetchSource
from gongkai.checker.reading import Document, UnreadableReport, max_bytes, read_bytes, sniff

MAX_REDIRECTS = 5
USER_AGENT = "gongkai-report-checker/1.0"
CHUNK = 64 * 1024
# Content types a report is served with, and which file kinds each may hold.
ANY = frozenset({"pdf", "docx", "html", "txt"})
CONTENT_TYPES: dict[str, frozenset[str]] = {
    "text/html": frozenset({"html", "txt"}),
    "application/xhtml+xml": frozenset({"html"}),
    "text/plain": frozenset({"txt", "html"}),
    "application/pdf": frozenset({"pdf"}),
    "application/x-pdf": frozenset({"pdf"}),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": frozenset({"docx"}),
    "application/msword": frozenset({"docx"}),  # some servers label .docx so
    "application/octet-stream": ANY,
    "binary/octet-stream": ANY,
    "application/download": ANY,
    "application/x-download": ANY,
    "application/force-download": ANY,
}
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class FetchError(UnreadableReport):
    """The address could not be fetched (refused, unreachable, too large, wrong type): one Chinese line."""


@dataclass(frozen=True)
class Fetched:
    url: str
    final_url: str
    content_type: str
    data: bytes
    filename: str


def timeout_seconds() -> int:
    return int(getattr(settings, "GONGKAI_CHECKER_FETCH_TIMEOUT", 20))


# Address vetting ----------------------------------------------------------------------------------------------


def is_public_address(address: str) -> bool:
    """Whether ``address`` (IPv4 or IPv6 text) is a public unicast address a server may connect to."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            return is_public_address(str(embedded))
    return bool(
        ip.is_global
        and not (
            ip.is_private
            or ip.is_loopback
            or ip.is_link_local
            or ip.is_multicast
            or ip.is_reserved
            or ip.is_unspecified
        )
    )


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (the system resolver)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(_("无法解析域名：%(host)s") % {"host": host}) from exc
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def vet(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, vetted address) of ``url``, or FetchError."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise FetchError(_("地址格式不正确：%(url)s") % {"url": url[:200]}) from exc
    scheme = parts.scheme.lower()
    if scheme not in {"http", "https"}:
        raise FetchError(_("只能获取 http 或 https 地址"))
    host = parts.hostname or ""
    if not host:
        raise FetchError(_("地址缺少域名：%(url)s") % {"url": url[:200]})
    if parts.username is not None or parts.password is not None:
        raise FetchError(_("地址中不能包含用户名或密码"))
    default = 443 if scheme == "https" else 80
    port = port or default
    if port != default and port < 1024:
        raise FetchError(_("不允许访问该端口：%(port)s") % {"port": port})
    addresses = resolve(host, port)
    if not addresses:
        raise FetchError(_("无法解析域名：%(host)s") % {"host": host})
    refused = [a for a in addresses if not is_public_address(a)]
    if refused:
        raise FetchError(
            _("拒绝访问内网、本机或保留地址：%(host)s（%(address)s）") % {"host": host, "address": refused[0]}
        )
    return scheme, host, port, addresses[0]


# Connections to the vetted address ----------------------------------------------------------------------------


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        self._tls = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self._tls)
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._tls.wrap_socket(sock, server_hostname=self.host)


def _connection(
    scheme: str, host: str, port: int, address: str, timeout: float
) -> http.client.HTTPConnection:
    if scheme == "https":
        return _PinnedHTTPSConnection(host, port, address, timeout)
    return _PinnedHTTPConnection(host, port, address, timeout)


_ACCEPT = (
    "text/html,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,"
    "text/plain;q=0.9,*/*;q=0.5"
)


def fetch(url: str) -> Fetched:
    """GET ``url`` under every rule of the module docstring; FetchError otherwise."""
    limit = max_bytes()
    per_step = timeout_seconds()
    deadline = time.monotonic() + 3 * per_step
    current = url.strip()
    for _hop in range(MAX_REDIRECTS + 1):
        scheme, host, port, address = vet(current)
        parts = urlsplit(current)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection = _connection(scheme, host, port, address, per_step)
        try:
            connection.request(
                "GET",
                target,
                headers={"User-Agent": USER_AGENT, "Accept": _ACCEPT, "Accept-Encoding": "identity"},
            )
            response = connection.getresponse()
            location = _redirect(response)
            if location is not None:
                current = urljoin(current, location)
                continue
            content_type, allowed, data, name = _body(response, current, limit, deadline)
        except FetchError:
            raise
        except TimeoutError as exc:
            raise FetchError(_("获取超时：%(url)s") % {"url": current[:200]}) from exc
        except ssl.SSLError as exc:
            raise FetchError(_("HTTPS 证书或连接有误，无法获取：%(host)s") % {"host": host}) from exc
        except (OSError, http.client.HTTPException) as exc:
            raise FetchError(_("无法连接到服务器：%(host)s") % {"host": host}) from exc
        finally:
            connection.close()
        _check_signature(data, name, content_type, allowed)
        return Fetched(
            url=url.strip(), final_url=current, content_type=content_type, data=data, filename=name
        )
    raise FetchError(_("跳转次数过多（超过 %(n)s 次），已停止") % {"n": MAX_REDIRECTS})


def _redirect(response: http.client.HTTPResponse) -> str | None:
    """Where a redirect points (None: not a redirect); any other status than 200 is a FetchError."""
    if response.status in {301, 302, 303, 307, 308}:
        location = (response.getheader("Location") or "").strip()
        if not location:
            raise FetchError(_("服务器返回跳转但没有给出新地址"))
        return location
    if response.status != 200:
        raise FetchError(_("服务器返回 HTTP %(status)s，无法获取") % {"status": response.status})
    return None


def _body(
    response: http.client.HTTPResponse, url: str, limit: int, deadline: float
) -> tuple[str, frozenset[str], bytes, str]:
    """A 200 answer's content type (one we read), the file signatures it allows, its bytes (at most ``limit``,
    by the deadline) and its file name."""
    content_type = (response.getheader("Content-Type") or "").split(";", 1)[0].strip().lower()
    allowed = CONTENT_TYPES.get(content_type, ANY if not content_type else None)
    if allowed is None:
        raise FetchError(_("不支持的内容类型：%(type)s") % {"type": content_type[:80]})
    declared = response.getheader("Content-Length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise FetchError(_too_large())
    data = _read_capped(response, limit, deadline)
    return content_type, allowed, data, _filename(response.getheader("Content-Disposition") or "", url)


def _too_large() -> str:
    return _("文件过大，单个文件最大 %(limit)s MB") % {"limit": f"{max_bytes() / 1048576:.0f}"}


def _read_capped(response: http.client.HTTPResponse, limit: int, deadline: float) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while True:
        if time.monotonic() > deadline:
            raise FetchError(_("获取超时：下载时间过长"))
        chunk = response.read(CHUNK)
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        if total > limit:
            raise FetchError(_too_large())
        chunks.append(chunk)


def _filename(disposition: str, url: str) -> str:
    match = re.search(r"filename\*?=(?:UTF-8'')?\"?([^\";]+)", disposition, re.I)
    raw = unquote(match.group(1)) if match else unquote(PurePosixPath(urlsplit(url).path).name)
    return re.sub(r"[\x00-\x1f/\\]", "", raw)[:200] or "report"


def _check_signature(data: bytes, name: str, content_type: str, allowed: frozenset[str]) -> None:
    if not data.strip():
        raise FetchError(_("服务器返回的文件是空的"))
    kind = sniff(data, name if allowed == ANY else "")
    if kind not in allowed:
        raise FetchError(
            _("文件内容与声明的类型不符（声明为 %(type)s，实际为 %(kind)s），已拒绝")
            % {"type": content_type, "kind": kind}
        )


# Keeping fetched files ----------------------------------------------------------------------------------------


def store(data: bytes, name: str, content_type: str = "") -> FetchedReport:
    """The stored report with these bytes: the existing one, or a new one (kept once by SHA-256)."""
    digest = hashlib.sha256(data).hexdigest()
    found = FetchedReport.objects.filter(sha256=digest).first()
    if found is not None:
        return found
    report = FetchedReport(
        sha256=digest,
        size=len(data),
        content_type=content_type[:100],
        name=name[:255],
        stored_at=timezone.now(),
    )
    report.file.save(digest, ContentFile(data), save=False)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:  # stored meanwhile by another request: keep that one (same bytes, same file name)
        return FetchedReport.objects.get(sha256=digest)
    return report


def fetch_report(url: str, actor: Actor = None) -> tuple[FetchedReport, Fetched]:
    """Fetch ``url`` and keep the file once by its hash, with a source row for this fetch (audited)."""
    fetched = fetch(url)
    with transaction.atomic():
        report = store(fetched.data, fetched.filename, fetched.content_type)
        source = FetchSource.objects.create(
            report=report,
            url=fetched.url[:2000],
            final_url=fetched.final_url[:2000],
            content_type=fetched.content_type[:100],
            fetched_at=timezone.now(),
            fetched_by=acting_user(actor),
        )
        record(
            actor or "system",
            "checker.fetch",
            source,
            after={
                "url": source.url,
                "final_url": source.final_url,
                "sha256": report.sha256,
                "size": report.size,
            },
            summary=_("获取年报文件：%(url)s") % {"url": source.url[:200]},
        )
    return report, fetched


def fetch_to_document(url: str, actor: Actor = None) -> Document:
    """The report at ``url`` read (for ``check-report``/``compare-reports`` given an address); FetchError or
    UnreadableReport with one line otherwise."""
    _report, fetched = fetch_report(url, actor)
    return read_bytes(fetched.data, fetched.filename)


def read_stored(report: FetchedReport) -> Document:
    with report.file.open("rb") as handle:
        data: Any = handle.read()
    return read_bytes(bytes(data), report.name or "report")
