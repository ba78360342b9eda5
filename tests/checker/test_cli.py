"""gongkai check-report FILE [--json] [--previous FILE] (gongkai.checker.engine and the command).

Personas: 王芳 runs the command on the training reports and on the seed; 孙强 (who maintains the batch scripts)
feeds it files that are not reports and expects one line on stderr and exit code 2, never a traceback."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from gongkai.checker import engine

DATA = Path(__file__).resolve().parent / "data"


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("check-report", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_wang_fang_json_is_exactly_the_result_with_the_previous_year() -> None:
    out, _err = run(str(DATA / "pingtan-2022.txt"), "--json", "--previous", str(DATA / "pingtan-2021.txt"))
    printed = json.loads(out)
    result = engine.check_path(DATA / "pingtan-2022.txt", DATA / "pingtan-2021.txt")
    assert printed == json.loads(json.dumps(result.as_json(), ensure_ascii=False))
    wanted = json.loads((DATA / "pingtan-2022.expected.json").read_text(encoding="utf-8"))
    assert (printed["format"], printed["body"], printed["year"]) == ("2021", "平潭综合实验区", 2022)
    assert printed["cells"] == wanted["cells"]
    assert "平潭综合实验区" in out  # ensure_ascii=False: Chinese as printed, not \\u escapes


def test_pingtan_2014_end_to_end() -> None:
    out, _err = run(str(DATA / "pingtan-2014.txt"), "--json")
    printed = json.loads(out)
    wanted = json.loads((DATA / "pingtan-2014.expected.json").read_text(encoding="utf-8"))
    assert {k: printed[k] for k in ("format", "body", "year", "cells")} == {
        k: wanted[k] for k in ("format", "body", "year", "cells")
    }


def test_human_output_lists_identity_cells_figures_and_findings() -> None:
    out, _err = run(str(DATA / "pingtan-2022.txt"))
    assert "格式：2021" in out and "机关：平潭综合实验区" in out and "年度：2022" in out
    assert "第二十条第（一）项/行政规范性文件 | 现行有效件数: 698" in out
    assert "第二十条第（八）项/行政事业性收费 | 本年收费金额（单位：万元）: 9116.36" in out
    assert "正文数字" in out and "发现的问题" in out


def test_the_seed_is_read_as_narrative_only() -> None:
    out, _err = run(str(DATA / "xuchang-2014-annual-report.txt"), "--json")
    printed = json.loads(out)
    assert (printed["format"], printed["body"], printed["year"]) == ("narrative-only", "許昌市", 2014)
    assert printed["cells"] == []
    assert printed["narrative"]  # the figures it states


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("empty.txt", b""),
        ("picture.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
        ("report.docx", b"PK\x03\x04broken"),
    ],
)
def test_sun_qiang_bad_input_gives_one_line_and_exit_code_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    err = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("check-report", str(path), stdout=StringIO(), stderr=err)
    assert exit_info.value.code == 2
    message = err.getvalue().strip()
    assert message and "\n" not in message and "Traceback" not in message


def test_a_missing_file_gives_one_line(tmp_path: Path) -> None:
    err = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("check-report", str(tmp_path / "nope.txt"), stdout=StringIO(), stderr=err)
    assert exit_info.value.code == 2
    assert "nope.txt" in err.getvalue() and err.getvalue().count("\n") <= 1


def test_check_bytes_with_a_previous_year() -> None:
    now = (DATA / "pingtan-2022.txt").read_bytes()
    before = (DATA / "pingtan-2021.txt").read_bytes()
    result = engine.check_bytes(now, "pingtan-2022.txt", (before, "pingtan-2021.txt"))
    assert result.year == 2022 and len(result.cells) == 200
