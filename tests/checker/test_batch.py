"""The batch page for supervisors (/staff/checker/batch/): many reports and a ZIP at once, one row per report,
a bad file's one-line reason in its row, the XLSX download (formula-safe) and who may see what. The engine is
replaced by a small stand-in: these tests are about the batch, not about the checks."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from gongkai.audit.models import AuditEntry
from gongkai.checker import batch as batches
from gongkai.checker.models import Batch, BatchItem, BatchStatus, FetchedReport, ItemStatus
from gongkai.checker.reading import Document
from gongkai.checker.types import Cell, Finding, Result
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

PINGTAN = "平潭综合实验区2021年度政府信息公开工作年度报告\n本年度全区共收到70件申请。\n"
SHANGHAI = '2019年上海市人民政府办公厅政府信息公开工作年度报告\n=HYPERLINK("http://evil")\n'


def stand_in(doc: Document) -> Result:
    """Body and year from the first line; a planted finding for Shanghai (with a formula-like message)."""
    first = doc.text.split("\n", 1)[0]
    year = int(re.search(r"\d{4}", first)[0])  # type: ignore[index]
    body = first.replace(str(year), "").split("年度")[0].replace("年", "")
    result = Result(format="2021" if year >= 2021 else "2019", body=body, year=year)
    if "上海" in first:
        cell = Cell("表三", "（七）总计", "总计", 21)
        result.findings = [
            Finding("Table 3 总计", "error", "=SUM(A1) 表三（七）总计21，各项之和27", (cell,)),
            Finding("narrative", "warning", "正文258，表格275"),
        ]
    return result


ENGINE = batches.check_document  # the real one, for the end-to-end test
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def engine(monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Any) -> None:
    monkeypatch.setattr(batches, "check_document", stand_in)
    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # the personas, quickly


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(name: str, data: bytes) -> io.BytesIO:
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def zipped(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.fixture(autouse=True)
def commits(django_capture_on_commit_callbacks: Any) -> None:
    """The batch is checked (or queued) once its request's transaction commits: run those callbacks."""
    global _capture
    _capture = django_capture_on_commit_callbacks


_capture: Any = None


def post_batch(client: Client, files: list[io.BytesIO], urls: str = "") -> Any:
    with _capture(execute=True):
        return client.post("/staff/checker/batch/", {"files": files, "urls": urls})


def test_a_supervisor_checks_files_and_a_zip_with_a_bad_file(personas: Personas, settings: Any) -> None:
    settings.GONGKAI_CHECKER_BATCH_INLINE = 10
    client = client_for(personas.supervisor)
    archive = zipped(
        {
            "2019/shanghai-2019.txt": SHANGHAI.encode("gb18030"),
            "broken.pdf": b"%PDF-1.4 this is not a PDF",
            "__MACOSX/._shanghai-2019.txt": b"resource fork",
            "empty.txt": b"",
        }
    )
    response = post_batch(
        client,
        [
            upload("pingtan-2021.txt", PINGTAN.encode()),
            upload("reports.zip", archive),
            upload("scan.png", b"\x89PNG\r\n"),
        ],
    )
    assert response.status_code == 302
    batch = Batch.objects.get()
    assert response["Location"].endswith(f"/staff/checker/batch/{batch.token}/")
    assert batch.status == BatchStatus.DONE and batch.created_by == personas.supervisor
    rows = {i.name: i for i in batch.items.all()}
    assert sorted(rows) == [
        "pingtan-2021.txt",
        "reports.zip/2019/shanghai-2019.txt",
        "reports.zip/broken.pdf",
        "reports.zip/empty.txt",
        "scan.png",
    ]
    pingtan, shanghai = rows["pingtan-2021.txt"], rows["reports.zip/2019/shanghai-2019.txt"]
    assert (pingtan.status, pingtan.body, pingtan.year, pingtan.format, pingtan.source) == (
        ItemStatus.CHECKED,
        "平潭综合实验区",
        2021,
        "2021",
        "txt",
    )
    assert (shanghai.errors, shanghai.warnings, shanghai.year) == (1, 1, 2019)
    assert rows["reports.zip/broken.pdf"].status == ItemStatus.UNREADABLE
    assert "损坏" in rows["reports.zip/broken.pdf"].reason
    assert "空" in rows["reports.zip/empty.txt"].reason
    assert "PNG" in rows["scan.png"].reason

    page = client.get(response["Location"])
    text = page.content.decode()
    assert page.status_code == 200
    assert "平潭综合实验区" in text and "无法读取：" in text and "表三（七）总计21" in text
    assert 'http-equiv="refresh"' not in text  # finished: no refreshing
    assert AuditEntry.objects.filter(action="checker.batch.create").count() == 1


def test_the_same_file_twice_is_stored_once(personas: Personas) -> None:
    client = client_for(personas.clerk)
    post_batch(client, [upload("a.txt", PINGTAN.encode()), upload("copy.txt", PINGTAN.encode())])
    assert FetchedReport.objects.count() == 1
    assert BatchItem.objects.filter(status=ItemStatus.CHECKED).count() == 2


def test_the_result_downloads_as_formula_safe_xlsx(personas: Personas) -> None:
    client = client_for(personas.supervisor)
    response = post_batch(
        client, [upload("shanghai.txt", SHANGHAI.encode()), upload("bad.docx", b"PK\x03\x04xx")]
    )
    xlsx = client.get(response["Location"] + "batch.xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"] == batches.XLSX
    book = load_workbook(io.BytesIO(xlsx.content))
    reports, findings = book.worksheets
    rows = list(reports.iter_rows(values_only=True))
    assert rows[0][:4] == ("序号", "文件名或地址", "状态", "机关")
    assert rows[1][1] == "shanghai.txt" and rows[1][4] == 2019 and rows[1][7:9] == (1, 1)
    assert rows[2][1] == "bad.docx" and rows[2][2] == "无法读取" and "损坏" in rows[2][9]
    found = list(findings.iter_rows(values_only=True))
    assert len(found) == 3
    formula = findings.cell(row=2, column=5)
    assert formula.value.startswith("=SUM") and formula.data_type == "s"  # text, never a formula
    assert "表三/（七）总计/总计=21" in found[1][5]


def test_a_large_batch_goes_to_the_worker_and_the_page_refreshes(
    personas: Personas,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.GONGKAI_CHECKER_BATCH_INLINE = 1
    queued: list[int] = []
    monkeypatch.setattr("gongkai.checker.tasks.run_batch", queued.append)
    client = client_for(personas.supervisor)
    response = post_batch(client, [upload("a.txt", PINGTAN.encode()), upload("b.txt", SHANGHAI.encode())])
    batch = Batch.objects.get()
    assert queued == [batch.pk] and batch.status == BatchStatus.QUEUED
    page = client.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' in page and "待检查" in page
    batches.run(batch.pk)  # what the worker does
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE and batch.items.filter(status=ItemStatus.CHECKED).count() == 2


def test_addresses_are_fetched_in_the_worker_and_a_refused_one_stays_in_its_row(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("gongkai.checker.tasks.run_batch", lambda pk: None)
    client = client_for(personas.supervisor)
    post_batch(client, [upload("a.txt", PINGTAN.encode())], urls="http://127.0.0.1/report.pdf\nftp://x/y\n")
    batch = Batch.objects.get()
    batches.run(batch.pk)
    rows = list(batch.items.order_by("position"))
    assert [r.status for r in rows] == [ItemStatus.CHECKED, ItemStatus.UNREADABLE, ItemStatus.UNREADABLE]
    assert "拒绝" in rows[1].reason and "http" in rows[2].reason


def test_an_engine_failure_is_one_row_not_a_stopped_batch(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(doc: Document) -> Result:
        if "上海" in doc.text:
            raise ValueError("boom")
        return stand_in(doc)

    monkeypatch.setattr(batches, "check_document", broken)
    post_batch(
        client_for(personas.clerk), [upload("s.txt", SHANGHAI.encode()), upload("p.txt", PINGTAN.encode())]
    )
    rows = list(BatchItem.objects.order_by("position"))
    assert rows[0].status == ItemStatus.UNREADABLE and "内部错误" in rows[0].reason
    assert rows[1].status == ItemStatus.CHECKED


def test_limits_nothing_given_too_many_and_a_zip_bomb(personas: Personas, settings: Any) -> None:
    client = client_for(personas.supervisor)
    assert "至少" in post_batch(client, []).content.decode()
    settings.GONGKAI_CHECKER_BATCH_MAX_FILES = 2
    many = zipped({f"r{i}.txt": PINGTAN.encode() for i in range(3)})
    response = post_batch(client, [upload("many.zip", many)])
    assert response.status_code == 400 and "最多检查 2 份" in response.content.decode()
    assert not Batch.objects.exists()
    settings.GONGKAI_CHECKER_BATCH_MAX_FILES = 100
    settings.GONGKAI_CHECKER_MAX_BYTES = 1_000_000
    bomb = zipped({"bomb.txt": b"0" * 30_000_000})
    post_batch(client, [upload("bomb.zip", bomb)])
    item = BatchItem.objects.get()
    assert item.name == "bomb.zip" and "ZIP" in item.reason


def test_gbk_names_inside_a_windows_zip_are_shown_right(personas: Personas) -> None:
    # Windows' own ZIP tool writes the names in GBK without the UTF-8 flag.
    data = zipped({"abcd.txt": PINGTAN.encode()}).replace(b"abcd.txt", "平潭.txt".encode("gbk"))
    post_batch(client_for(personas.clerk), [upload("win.zip", data)])
    assert BatchItem.objects.get().name == "win.zip/平潭.txt"


def test_who_may_use_the_page_and_see_a_batch(personas: Personas) -> None:
    assert Client().get("/staff/checker/batch/").status_code == 302  # to the login page
    assert client_for(personas.outsider).get("/staff/checker/batch/").status_code == 403
    for user in (personas.clerk, personas.reviewer, personas.office_head, personas.supervisor):
        assert client_for(user).get("/staff/checker/batch/").status_code == 200
    owner = client_for(personas.supervisor)
    location = post_batch(owner, [upload("a.txt", PINGTAN.encode())])["Location"]
    assert owner.get(location).status_code == 200
    other = client_for(personas.clerk)
    assert other.get(location).status_code == 404  # another user's batch is not shown, nor its download
    assert other.get(location + "batch.xlsx").status_code == 404
    assert client_for(personas.outsider).get(location).status_code == 403
    assert "a.txt" not in other.get("/staff/checker/batch/").content.decode()
    assert owner.get("/staff/checker/batch/").content.decode().count(location) == 1


def test_the_training_set_through_the_real_engine_in_a_zip(
    personas: Personas, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """End to end: the training reports, re-encoded as real downloads are (GB18030, UTF-16), in one ZIP."""
    monkeypatch.setattr(batches, "check_document", ENGINE)
    settings.GONGKAI_CHECKER_BATCH_INLINE = 10
    names = {"pingtan-2014": "utf-8", "pingtan-2022": "gb18030", "shanghai-2019": "utf-16"}
    archive = zipped(
        {f"{n}.txt": (DATA / f"{n}.txt").read_text(encoding="utf-8").encode(e) for n, e in names.items()}
    )
    post_batch(client_for(personas.supervisor), [upload("training.zip", archive)])
    for name in names:
        item = BatchItem.objects.get(name=f"training.zip/{name}.txt")
        expected = json.loads((DATA / f"{name}.expected.json").read_text(encoding="utf-8"))
        severities = [f["severity"] for f in expected["findings"]]
        assert (item.status, item.format, item.body, item.year) == (
            ItemStatus.CHECKED,
            expected["format"],
            expected["body"],
            expected["year"],
        )
        assert (item.errors, item.warnings) == (severities.count("error"), severities.count("warning")), name
        assert len(item.result["cells"]) == len(expected["cells"]), name


def test_a_file_over_the_limit_is_a_row_with_its_reason(personas: Personas, settings: Any) -> None:
    settings.GONGKAI_CHECKER_MAX_BYTES = 1000
    post_batch(
        client_for(personas.clerk),
        [upload("big.txt", "报告".encode() * 1000), upload("a.txt", PINGTAN.encode())],
    )
    big, small = BatchItem.objects.order_by("position")
    assert big.status == ItemStatus.UNREADABLE and "过大" in big.reason and big.report is None
    assert small.status == ItemStatus.CHECKED


def test_a_batch_whose_worker_was_lost_is_taken_up_again_where_it_stopped(
    personas: Personas,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """A worker restarted half-way through a batch leaves it "检查中" with reports pending: after 15 minutes
    without progress the periodic task hands it to a worker again, once, and only the pending reports are
    checked."""
    import datetime as dt

    from django.utils import timezone

    settings.GONGKAI_CHECKER_BATCH_INLINE = 1
    queued: list[int] = []
    monkeypatch.setattr("gongkai.checker.tasks.run_batch", queued.append)
    post_batch(
        client_for(personas.supervisor),
        [upload("a.txt", PINGTAN.encode()), upload("b.txt", SHANGHAI.encode())],
    )
    batch = Batch.objects.get()
    first = batch.items.order_by("position").first()
    assert first is not None
    batches.check_item(first)  # the worker checked the first report, then was lost
    now = timezone.now()
    Batch.objects.filter(pk=batch.pk).update(status=BatchStatus.RUNNING, heartbeat_at=now)
    checked_at = BatchItem.objects.get(pk=first.pk).checked_at

    assert batches.resume_stalled(now + dt.timedelta(minutes=10)) == 0  # a slow report, not a lost worker
    later = now + dt.timedelta(minutes=16)
    with django_capture_on_commit_callbacks(execute=True):
        assert batches.resume_stalled(later) == 1
    assert queued == [batch.pk, batch.pk]
    assert batches.resume_stalled(later) == 0  # taken: not handed out twice
    assert AuditEntry.objects.filter(action="checker.batch.resume").count() == 1

    batches.run(batch.pk)  # what the worker does
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE
    assert batch.items.filter(status=ItemStatus.CHECKED).count() == 2
    assert BatchItem.objects.get(pk=first.pk).checked_at == checked_at  # not checked again
