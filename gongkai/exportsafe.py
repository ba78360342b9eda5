"""Every exported value is safe in the file it goes into, whatever was stored.

Spreadsheets (XLSX, CSV) run a cell that starts with ``= + - @`` (and, in some programs, a tab or carriage
return followed by one of them) as a formula: ``=HYPERLINK(...)`` in an applicant's name would send a staff
member's data elsewhere, ``=cmd|...`` runs a program. Such text is written as text: in XLSX as a string cell,
with a leading apostrophe in CSV (OWASP's advice; gongkai's importers remove it again). XML-based files
(XLSX, DOCX) and PDFs cannot hold control characters: they are removed (``gongkai.inputs.strip_illegal``).
Numbers, dates and booleans pass unchanged."""

from __future__ import annotations

from typing import Any

from gongkai.inputs import strip_illegal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_STARTS) or text.lstrip(" \t\r\n").startswith(FORMULA_STARTS[:4])


def xml_text(value: str) -> str:
    """Text that XML (DOCX, XLSX, the PDF renderer's HTML) can hold: control characters removed."""
    return strip_illegal(value)


def xlsx_value(value: Any) -> Any:
    """A value for an openpyxl cell. Strings are cleaned; a formula-like string must still be written as a
    string cell: use ``xlsx_cell`` or set ``cell.data_type = "s"`` (openpyxl treats any text starting with
    ``=`` as a formula)."""
    return xml_text(value) if isinstance(value, str) else value


def xlsx_cell(sheet: Any, value: Any) -> Any:
    """A write-only openpyxl cell holding ``value``, never a formula."""
    from openpyxl.cell import WriteOnlyCell

    cleaned = xlsx_value(value)
    cell = WriteOnlyCell(sheet, value=cleaned)
    if isinstance(cleaned, str):
        cell.data_type = "s"
    return cell


def set_text(cell: Any, value: Any) -> None:
    """Put ``value`` into an ordinary (not write-only) openpyxl cell, never as a formula."""
    cleaned = xlsx_value(value)
    cell.value = cleaned
    if isinstance(cleaned, str):
        cell.data_type = "s"


def csv_value(value: Any) -> Any:
    """A value for a CSV cell: control characters removed, formula-like text behind an apostrophe."""
    if not isinstance(value, str):
        return value
    text = strip_illegal(value)
    return "'" + text if is_formula_like(text) else text
