"""Reading reports (gongkai/checker/reading.py): every format built here, tables rendered as the training set's
rows, encodings detected, Traditional → simplified at the same offsets, and one Chinese line for bad input."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest

from gongkai.checker.reading import Document, UnreadableReport, read_bytes, read_path, simplify

DATA = Path(__file__).resolve().parent / "data"
TRADITIONAL = "許昌市2014年政府資訊公開工作年度報告\n一、概述\n全年共受理申請１２件，其中網上申請3件。\n"
SIMPLIFIED = (
    "平潭综合实验区2021年度政府信息公开工作年度报告\n本年度全区共收到70件申请，1件结转下年度继续办理。\n"
)

# The 2021 Table 3 head as published (rowspan/colspan label cells), as in pingtan-2021's page.html.
HTML_REPORT = """<!DOCTYPE html><html><head><meta charset="{charset}"><title>平潭综合实验区2021年度政府信息公开工作年度报告</title>
<style>p {{ margin: 0 }}</style><script>document.write("广告")</script></head>
<body><nav><a href="/">首页</a> | <a href="/zwgk/">政务公开</a></nav>
<div class="breadcrumb">当前位置：首页 &gt; 政务公开 &gt; 年度报告</div><div style="display: none">隐藏</div>
<div class="article"><h1>平潭综合实验区2021年度政府信息公开工作年度报告</h1>
<p>一、总体情况</p><p>本年度全区共收到<span>70</span>件申请。
<p>三、收到和处理政府信息公开申请情况</p>
<table border="1">
<tr><td rowspan="3" colspan="2">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td><td colspan="7">申请人情况</td></tr>
<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>
<tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>
<tr><td colspan="2">一、本年新收政府信息公开申请数量</td><td>64</td><td>0</td><td>&nbsp;</td><td>2</td><td>0</td><td>4</td><td>70</td></tr>
<tr><td rowspan="2">三、本年度办理结果</td><td><p>（一）</p><p>予以公开</p></td><td>27</td><td>0</td><td>0</td><td>2</td><td>0</td><td>1</td><td>30</td></tr>
<tr><td>（二）部分公开<br>（区分处理的，只计这一情形，不计其他情形）</td><td>5</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>5</td></tr>
</table>
<p>六、其他需要报告的事项</p></div>
<footer>版权所有 平潭综合实验区</footer></body></html>"""

HTML_LINES = [
    "平潭综合实验区2021年度政府信息公开工作年度报告",
    "一、总体情况",
    "本年度全区共收到70件申请。",
    "三、收到和处理政府信息公开申请情况",
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | 申请人情况",
    "自然人 | 法人或其他组织 | 总计",
    "商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他",
    "一、本年新收政府信息公开申请数量 | 64 | 0 |  | 2 | 0 | 4 | 70",
    "三、本年度办理结果 | （一）予以公开 | 27 | 0 | 0 | 2 | 0 | 1 | 30",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形） | 5 | 0 | 0 | 0 | 0 | 0 | 5",
    "六、其他需要报告的事项",
]


def unreadable(data: bytes, name: str) -> str:
    with pytest.raises(UnreadableReport) as caught:
        read_bytes(data, name)
    message = caught.value.message
    assert message and "\n" not in message and "Traceback" not in message
    return message


# Text ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "cp950", "utf-16"])
def test_a_traditional_text_report_is_read_in_every_encoding(encoding: str) -> None:
    doc = read_bytes(TRADITIONAL.encode(encoding), "xuchang.txt")
    assert doc.text == TRADITIONAL and doc.source == "txt"


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-8", "utf-16-le"])
def test_a_simplified_text_report_is_read_in_every_encoding(encoding: str) -> None:
    data = SIMPLIFIED.encode(encoding)
    if encoding == "utf-16-le":
        data = b"\xff\xfe" + data
    assert read_bytes(data, "pingtan.txt").text == SIMPLIFIED


def test_big5_and_gb18030_are_told_apart_without_a_name_hint() -> None:
    big5 = "臺灣地區政府資訊公開年度報告，本年度受理申請案件數量統計如下。".encode("cp950")
    assert read_bytes(big5, "report").text.startswith("臺灣地區政府資訊公開")


def test_line_ends_are_normalised_and_the_text_kept_as_printed() -> None:
    doc = read_bytes("第一行\r\n  第二行 | 3 |  | 4\r\n".encode(), "a.txt")
    assert doc.text == "第一行\n  第二行 | 3 |  | 4\n"


def test_simplified_keeps_length_and_offsets() -> None:
    doc = read_bytes(TRADITIONAL.encode("utf-8"), "xuchang.txt")
    assert len(doc.simplified) == len(doc.text)
    assert doc.simplified.startswith("许昌市2014年政府资讯公开工作年度报告")
    assert "申请12件" in doc.simplified  # full-width digits to ASCII
    at = doc.simplified.index("网上申请")
    assert doc.text[at : at + 4] == "網上申請"
    assert simplify("ＡＢｃ\u3000１") == "ABc 1"


@pytest.mark.parametrize("name", ["pingtan-2014", "pingtan-2021", "pingtan-2022", "shanghai-2019"])
def test_the_training_files_are_read_verbatim_as_text(name: str) -> None:
    # shanghai-2019.txt mentions "<p>" and "<br />" in its header: rendered text, not a page to parse.
    path = DATA / f"{name}.txt"
    for doc in (read_path(path), read_bytes(path.read_bytes(), "download")):
        assert doc.source == "txt" and doc.text == path.read_text(encoding="utf-8")
        assert len(doc.simplified) == len(doc.text)


# HTML ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("charset", "encoding"), [("utf-8", "utf-8"), ("gb2312", "gb18030")])
def test_html_renders_paragraphs_and_table_rows_like_the_training_set(charset: str, encoding: str) -> None:
    data = HTML_REPORT.format(charset=charset).encode(encoding)
    doc = read_bytes(data, "page.html")
    assert doc.source == "html"
    assert doc.text.split("\n") == HTML_LINES  # no script, style, navigation or footer


def test_html_is_recognised_by_its_tags_whatever_the_name() -> None:
    assert read_bytes(HTML_REPORT.format(charset="utf-8").encode(), "download.txt").source == "html"


def test_preformatted_text_keeps_its_spacing_and_an_article_header_is_kept() -> None:
    page = (
        "<html><body><article><header><h1>某某局2013年政府信息公开工作年度报告</h1></header>"
        "<pre>指标名称      计量单位  本年度\n主动公开信息  条        120\n</pre></article></body></html>"
    )
    assert read_bytes(page.encode(), "a.html").text.split("\n") == [
        "某某局2013年政府信息公开工作年度报告",
        "指标名称      计量单位  本年度",
        "主动公开信息  条        120",
    ]


def test_a_layout_table_around_the_report_does_not_flatten_it() -> None:
    inner = "<table><tr><td>信息内容</td><td>本年制发件数</td></tr><tr><td>规章</td><td>3</td></tr></table>"
    page = (
        f"<html><body><table><tr><td><p>一、总体情况</p><p>正文。</p>{inner}</td></tr></table></body></html>"
    )
    assert read_bytes(page.encode(), "a.htm").text.split("\n") == [
        "一、总体情况",
        "正文。",
        "信息内容 | 本年制发件数",
        "规章 | 3",
    ]


# DOCX ---------------------------------------------------------------------------------------------------------


def _docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("二、主动公开政府信息情况")
    document.add_paragraph("第二十条第（一）项")
    table = document.add_table(rows=4, cols=4)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "信息内容"  # merged down two rows
    table.cell(0, 1).merge(table.cell(0, 3)).text = "件数"  # merged across three columns
    for col, label in enumerate(("本年制发件数", "本年废止件数", "现行有效件数"), start=1):
        table.cell(1, col).text = label
    for row, values in ((2, ("规章", "0", "", "0")), (3, ("行政规范性文件", "69", "3", "665"))):
        for col, value in enumerate(values):
            table.cell(row, col).text = value
    document.add_paragraph("三、收到和处理政府信息公开申请情况")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_paragraphs_and_tables_in_body_order_merged_cells_once() -> None:
    doc = read_bytes(_docx(), "report.docx")
    assert doc.source == "docx"
    assert doc.text.split("\n") == [
        "二、主动公开政府信息情况",
        "第二十条第（一）项",
        "信息内容 | 件数",
        "本年制发件数 | 本年废止件数 | 现行有效件数",
        "规章 | 0 |  | 0",
        "行政规范性文件 | 69 | 3 | 665",
        "三、收到和处理政府信息公开申请情况",
    ]


def test_a_docx_is_recognised_by_its_signature_not_its_name() -> None:
    assert read_bytes(_docx(), "report.bin").source == "docx"


# PDF ----------------------------------------------------------------------------------------------------------


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) is not installed")
def test_pdf_made_by_weasyprint_reads_paragraphs_and_table_rows() -> None:
    from weasyprint import HTML

    long = "我区持续深化政务公开工作，" * 12
    pdf = HTML(
        string="<html><body style='font-family: Noto Sans CJK SC'><p>一、总体情况</p>"
        f"<p>{long}本年度共收到申请70件。</p>"
        "<table border='1'><tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td></tr>"
        "<tr><td>规章</td><td>4</td><td>12</td></tr><tr><td>行政规范性文件</td><td>69</td><td>3</td></tr></table>"
        "<p>二、主动公开政府信息情况</p></body></html>"
    ).write_pdf()
    doc = read_bytes(pdf, "report.pdf")
    lines = doc.text.split("\n")
    assert doc.source == "pdf"
    assert lines[0] == "一、总体情况"
    assert lines[1].endswith("本年度共收到申请70件。") and lines[1].startswith(
        "我区持续深化"
    )  # wrapped lines joined
    assert [line.split() for line in lines if line.startswith("规章")] == [["规章", "4", "12"]]
    assert any(line.split() == ["行政规范性文件", "69", "3"] for line in lines)
    assert lines[-1] == "二、主动公开政府信息情况"


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) is not installed")
def test_an_encrypted_pdf_gives_one_line() -> None:
    # A standard security handler whose user password is not empty: poppler cannot open it.
    pdf = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"3 0 obj<</Filter/Standard/V 1/R 2/O<" + b"00" * 32 + b">/U<" + b"11" * 32 + b">/P -4>>endobj\n"
        b"trailer<</Root 1 0 R/Encrypt 3 0 R/ID[<0123456789abcdef0123456789abcdef><0123456789abcdef0123456789abcdef>]>>\n%%EOF\n"
    )
    assert "加密" in unreadable(pdf, "secret.pdf")


# Bad input ----------------------------------------------------------------------------------------------------


def test_bad_input_gives_one_clear_line(settings: pytest.FixtureRequest) -> None:
    assert "空" in unreadable(b"", "empty.txt")
    assert "空" in unreadable(b"  \n ", "blank.txt")
    assert "损坏" in unreadable(b"%PDF-1.4\nnot really a pdf", "broken.pdf")
    assert "损坏" in unreadable(b"PK\x03\x04 truncated zip", "broken.docx")
    assert "损坏" in unreadable(b"\x01\x02\x03 binary", "report.pdf")  # says PDF, is not one
    assert "PNG" in unreadable(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "scan.png")
    assert "不支持" in unreadable(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old.doc")
    assert "不是文本" in unreadable(b"\x00\x01\x02\x03" * 10 + "报告".encode(), "binary.txt")


def test_an_encrypted_docx_gives_one_line() -> None:
    # An encrypted Office document is an OLE container with an EncryptedPackage stream, whatever its name.
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64 + "EncryptedPackage".encode("utf-16-le")
    assert "加密" in unreadable(data, "report.docx")


def test_a_file_over_the_limit_is_refused(settings: pytest.FixtureRequest) -> None:
    settings.GONGKAI_CHECKER_MAX_BYTES = 1000  # type: ignore[attr-defined]
    assert "过大" in unreadable("报告".encode() * 600, "big.txt")


def test_a_zip_bomb_disguised_as_docx_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<" + b"0" * 50_000_000 + b">")
    assert len(out.getvalue()) < 200_000
    assert "ZIP" in unreadable(out.getvalue(), "bomb.docx")


def test_a_zip_that_is_not_a_document_is_unsupported() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("a.txt", "报告")
    assert "不支持" in unreadable(out.getvalue(), "reports.zip")


def test_document_from_text_is_the_stand_in_shape() -> None:
    doc = Document.from_text("資訊")
    assert (doc.text, doc.simplified, doc.source) == ("資訊", "资讯", "txt")


def test_word_auto_numbered_headings_get_their_numbers_back() -> None:
    """Reports typed in Word often number their headings automatically: "一、" and "（一）" live in
    numbering.xml, not in the text. They are rebuilt in document order, the lower level restarting under each
    higher one; a bullet list gives no number."""
    import docx
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.append(
        parse_xml(
            f'<w:abstractNum {w} w:abstractNumId="90">'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
            '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
            '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>'
            "</w:abstractNum>"
        )
    )
    numbering.append(parse_xml(f'<w:abstractNum {w} w:abstractNumId="91"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl></w:abstractNum>'))  # fmt: skip
    numbering.append(parse_xml(f'<w:num {w} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    numbering.append(parse_xml(f'<w:num {w} w:numId="91"><w:abstractNumId w:val="91"/></w:num>'))

    def paragraph(text: str, num: int | None = None, level: int = 0) -> None:
        p = document.add_paragraph(text)
        if num is not None:
            p._p.get_or_add_pPr().append(
                parse_xml(f'<w:numPr {w}><w:ilvl w:val="{level}"/><w:numId w:val="{num}"/></w:numPr>')
            )

    paragraph("2023年平潭综合实验区政府信息公开工作年度报告")
    paragraph("总体情况", 90, 0)
    paragraph("主动公开", 90, 1)
    paragraph("规章", 90, 2)
    paragraph("规范性文件", 90, 2)
    paragraph("依申请公开", 90, 1)
    paragraph("网站发布", 91, 0)
    paragraph("主动公开政府信息情况", 90, 0)
    paragraph("制发规章", 90, 1)
    out = io.BytesIO()
    document.save(out)
    lines = read_bytes(out.getvalue(), "report.docx").text.split("\n")
    assert lines == [
        "2023年平潭综合实验区政府信息公开工作年度报告",
        "一、总体情况",
        "（一）主动公开",
        "1.规章",
        "2.规范性文件",
        "（二）依申请公开",
        "网站发布",
        "二、主动公开政府信息情况",
        "（一）制发规章",
    ]


@pytest.mark.parametrize(
    ("n", "text"), [(1, "一"), (10, "十"), (15, "十五"), (23, "二十三"), (105, "一百零五"), (110, "一百一十")]
)
def test_chinese_counting(n: int, text: str) -> None:
    from gongkai.checker.reading import chinese_number

    assert chinese_number(n) == text
