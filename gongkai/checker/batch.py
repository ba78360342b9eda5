"""Batch checks for supervisors (report-checker issue, Deliver 6; docs/checker-input.md, "Batch page").

A batch is many reports at once: uploaded files, the files of uploaded ZIPs and pasted addresses. ``create``
keeps every file once by its hash (``fetch.store``) and makes one ``BatchItem`` per report; a file that cannot
be taken (too large, empty, encrypted inside the ZIP) gets its one-line reason at once. ``run`` then checks the
items one by one — fetching an address, reading the file, ``check_document`` — and saves each row as it goes, so
a bad file never stops the batch. A small batch of uploads (``GONGKAI_CHECKER_BATCH_INLINE`` files, no
addresses) runs inside the request; anything larger runs in the huey worker (``tasks.run_batch``) while the
result page refreshes itself.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import logging
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.audit.log import record
from gongkai.checker import fetch as fetching
from gongkai.checker.models import Batch, BatchItem, BatchStatus, ItemStatus
from gongkai.checker.reading import Document, UnreadableReport, check_zip, max_bytes
from gongkai.checker.types import Result
from gongkai.exportsafe import xlsx_cell
from gongkai.inputs import strip_illegal

log = logging.getLogger(__name__)

STALLED_AFTER = dt.timedelta(minutes=15)  # no progress for this long: the batch's worker is gone
RESUME_AT_ONCE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def max_files() -> int:
    return int(getattr(settings, "GONGKAI_CHECKER_BATCH_MAX_FILES", 100))


def inline_limit() -> int:
    return int(getattr(settings, "GONGKAI_CHECKER_BATCH_INLINE", 3))


def check_document(doc: Document) -> Result:
    """The checker's engine (``gongkai.checker.engine``), through one function tests may replace."""
    from gongkai.checker import engine  # type: ignore[attr-defined,unused-ignore]

    result: Result = engine.check_document(doc)
    return result


class BatchRefused(Exception):
    """The batch as a whole is refused (nothing given, too many reports): one line."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Entry:
    """One report of a batch before it is saved: bytes, an address, or a reason it cannot be read."""

    name: str
    data: bytes | None = None
    url: str = ""
    reason: str = ""


def _display_name(name: str) -> str:
    return strip_illegal(name, multiline=False).strip()[:300] or _("（无文件名）")


def entries_from_upload(name: str, data: bytes) -> list[Entry]:
    """An uploaded file as entries: a ZIP (not a DOCX) gives one per file inside it, safely."""
    if len(data) > max_bytes() and not data.startswith(b"PK\x03\x04"):
        return [Entry(name, reason=_too_large(len(data)))]
    if not data.startswith(b"PK\x03\x04"):
        return [Entry(name, data=data)]
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        return [Entry(name, data=data)]  # reading says what is wrong with it
    with archive:
        names = archive.namelist()
        if "word/document.xml" in names or "[Content_Types].xml" in names:
            return [Entry(name, data=data)]  # an Office file, not a ZIP of reports
        return _zip_entries(name, archive)


def _zip_entries(zip_name: str, archive: zipfile.ZipFile) -> list[Entry]:
    try:
        check_zip(archive, limit=max_files() * max_bytes())
    except UnreadableReport as exc:
        return [Entry(zip_name, reason=exc.message)]
    entries: list[Entry] = []
    for info in archive.infolist():
        inner = _member_name(info)
        base = PurePosixPath(inner).name
        if info.is_dir() or not base or base.startswith(".") or "__MACOSX" in inner.split("/"):
            continue
        shown = f"{zip_name}/{inner}"
        if info.flag_bits & 0x1:
            entries.append(Entry(shown, reason=_("压缩包内的文件已加密，无法读取")))
        elif info.file_size > max_bytes():
            entries.append(Entry(shown, reason=_too_large(info.file_size)))
        else:
            try:
                entries.append(Entry(shown, data=archive.read(info)))
            except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
                entries.append(Entry(shown, reason=_("压缩包内的文件已损坏，无法读取")))
    if not entries:
        entries.append(Entry(zip_name, reason=_("压缩包中没有文件")))
    return entries


def _member_name(info: zipfile.ZipInfo) -> str:
    """A member's name as shown (never used as a path): Windows ZIPs without the UTF-8 flag are in GBK."""
    name = info.filename
    if not info.flag_bits & 0x800:
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            name = name.encode("cp437").decode("gb18030")
    return name.replace("\\", "/").lstrip("/")


def _too_large(size: int) -> str:
    return _("文件过大（%(size)s MB），单个文件最大 %(limit)s MB") % {
        "size": f"{size / 1048576:.1f}",
        "limit": f"{max_bytes() / 1048576:.0f}",
    }


def urls_from_text(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def create(user: User, uploads: Iterable[tuple[str, bytes]], urls: Iterable[str]) -> Batch:
    """A new batch of ``user`` with one item per report (files stored once by hash); audited. Raises
    BatchRefused when nothing is given or there are more than GONGKAI_CHECKER_BATCH_MAX_FILES reports."""
    entries: list[Entry] = []
    for name, data in uploads:
        entries.extend(entries_from_upload(_display_name(name), data))
    entries.extend(Entry(_display_name(url), url=url) for url in urls)
    if not entries:
        raise BatchRefused(_("请上传至少一个文件或填写至少一个地址"))
    if len(entries) > max_files():
        raise BatchRefused(
            _("一次最多检查 %(limit)s 份报告，本次共 %(n)s 份，请分批上传")
            % {"limit": max_files(), "n": len(entries)}
        )
    with transaction.atomic():
        batch = Batch.objects.create(created_by=user, created_at=timezone.now())
        items = []
        for position, entry in enumerate(entries, start=1):
            item = BatchItem(batch=batch, position=position, name=entry.name, url=entry.url[:2000])
            if entry.reason:
                item.status, item.reason = ItemStatus.UNREADABLE, entry.reason[:300]
            elif entry.data is not None:
                if not entry.data.strip():
                    item.status, item.reason = ItemStatus.UNREADABLE, _("文件是空的")
                else:
                    item.report = fetching.store(entry.data, PurePosixPath(entry.name).name)
            items.append(item)
        BatchItem.objects.bulk_create(items)
        record(
            user,
            "checker.batch.create",
            batch,
            after={"items": len(items), "urls": sum(1 for e in entries if e.url)},
            summary=_("批量检查年报 %(n)s 份") % {"n": len(items)},
        )
    return batch


def runs_inline(batch: Batch) -> bool:
    items = batch.items.all()
    return items.count() <= inline_limit() and not items.exclude(url="").exists()


def start(batch: Batch) -> None:
    """Once the batch is committed: check it in this request (a small one) or hand it to the worker. Checking
    after the commit keeps the request's transaction (SQLite's write lock) short: each row is saved alone."""
    if runs_inline(batch):
        transaction.on_commit(lambda: run(batch.pk))
        return
    from gongkai.checker.tasks import run_batch

    transaction.on_commit(lambda: run_batch(batch.pk))


def run(batch_id: int) -> Batch:
    """Check every pending item of the batch, saving each row as it is done; a failure stays in its row. A run
    that stops half-way (its worker lost) is taken up again by ``resume_stalled``: it checks only what is still
    pending."""
    batch = Batch.objects.get(pk=batch_id)
    if batch.status == BatchStatus.DONE:
        return batch
    Batch.objects.filter(pk=batch.pk).update(status=BatchStatus.RUNNING, heartbeat_at=timezone.now())
    creator = batch.created_by
    for item in batch.items.filter(status=ItemStatus.PENDING).select_related("report").order_by("position"):
        check_item(item, creator)
        Batch.objects.filter(pk=batch.pk).update(heartbeat_at=timezone.now())
    with transaction.atomic():
        batch.status, batch.finished_at = BatchStatus.DONE, timezone.now()
        batch.save(update_fields=["status", "finished_at"])
        counts = {
            s: batch.items.filter(status=s).count() for s in (ItemStatus.CHECKED, ItemStatus.UNREADABLE)
        }
        record(
            "system",
            "checker.batch.finish",
            batch,
            after={"checked": counts[ItemStatus.CHECKED], "unreadable": counts[ItemStatus.UNREADABLE]},
            summary=_("批量检查完成"),
        )
    return batch


def stalled(now: dt.datetime) -> Any:
    """Batches not done with no sign of life for ``STALLED_AFTER``: queued ones whose task was lost, running
    ones whose worker stopped (a report takes at most the fetch's time limit, far less than this)."""
    quiet_since = now - STALLED_AFTER
    return Batch.objects.exclude(status=BatchStatus.DONE).filter(
        Q(heartbeat_at__lt=quiet_since) | Q(heartbeat_at__isnull=True, created_at__lt=quiet_since)
    )


def resume_stalled(now: dt.datetime) -> int:
    """Hand each stalled batch to a worker again (its pending reports only), claiming it first so that two
    resumers never both take it; one audit entry per batch taken up. Returns how many were."""
    from gongkai.checker.tasks import run_batch

    resumed = 0
    for batch in stalled(now).order_by("created_at")[:RESUME_AT_ONCE]:
        claimed = stalled(now).filter(pk=batch.pk).update(heartbeat_at=now)
        if not claimed:
            continue
        record("system", "checker.batch.resume", batch, summary=_("批量检查中断后继续"))
        transaction.on_commit(partial(run_batch, batch.pk))
        resumed += 1
    return resumed


def check_item(item: BatchItem, actor: Any = None) -> None:
    try:
        if item.report is None and item.url:
            item.report, _fetched = fetching.fetch_report(item.url, actor)
        if item.report is None:
            raise UnreadableReport(_("没有文件"))
        document = fetching.read_stored(item.report)
        result = check_document(document)
    except UnreadableReport as exc:
        item.status, item.reason = ItemStatus.UNREADABLE, exc.message[:300] or _("无法读取")
    except Exception:  # the batch goes on; the log keeps the traceback, the row one line
        log.exception("checker: batch item %s failed", item.pk)
        item.status, item.reason = ItemStatus.UNREADABLE, _("检查时发生内部错误，已跳过此报告")
    else:
        item.status = ItemStatus.CHECKED
        item.source = document.source
        item.format = result.format
        item.body = (result.body or "")[:200]
        item.year = result.year
        item.errors = sum(1 for f in result.findings if f.severity == "error")
        item.warnings = sum(1 for f in result.findings if f.severity == "warning")
        item.result = result.as_json()
    item.checked_at = timezone.now()
    item.save()


# XLSX ---------------------------------------------------------------------------------------------------------


def workbook(batch: Batch) -> bytes:
    """The batch as XLSX: one row per report, then one row per finding (every text cell formula-safe)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    reports = book.create_sheet(_("报告"))
    findings = book.create_sheet(_("问题"))

    def row(sheet: Any, values: list[Any]) -> None:
        sheet.append([xlsx_cell(sheet, v) for v in values])

    headings = [_("序号"), _("文件名或地址"), _("状态"), _("机关"), _("年度"), _("报告格式"), _("文件类型")]
    row(reports, [*headings, _("错误"), _("提示"), _("原因")])
    row(findings, [_("序号"), _("文件名或地址"), _("严重程度"), _("规则"), _("说明"), _("涉及单元格")])
    for item in batch.items.order_by("position"):
        checked = item.status == ItemStatus.CHECKED
        row(reports, _report_row(item, checked))
        for finding in item.result.get("findings", []) if checked else []:
            row(findings, _finding_row(item, finding))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _report_row(item: Any, checked: bool) -> list[Any]:
    """A report's row of the workbook (its counts only once it was checked)."""
    return [
        item.position,
        item.name,
        item.get_status_display(),
        item.body,
        item.year,
        item.format,
        item.source,
        item.errors if checked else None,
        item.warnings if checked else None,
        item.reason,
    ]


def _finding_row(item: Any, finding: dict[str, Any]) -> list[Any]:
    """A finding's row: its report, severity in words, rule, message and the cells it cites."""
    severity = {"error": _("错误"), "warning": _("提示")}
    cells = "；".join(
        f"{c.get('table', '')}/{c.get('row', '')}/{c.get('column', '')}={c.get('value')}"
        for c in finding.get("cells", [])
    )
    given = finding.get("severity", "")
    return [
        item.position,
        item.name,
        severity.get(given, given),
        finding.get("rule", ""),
        finding.get("message", ""),
        cells,
    ]
