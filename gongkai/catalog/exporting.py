"""Export publications to CSV, XLSX or JSON in the import's column mapping (issue 4, deliverable 5), so that
importing an export changes nothing (docs/import-export.md).

The catalog is read in chunks (``iterator`` with per-chunk prefetching) and written as it is read. ID-card and
mobile numbers in text fields are masked (``gongkai.masking``: masked wherever exported) unless ``mask=False``,
which is recorded in the audit log; re-importing a masked export does not overwrite the stored text."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from gongkai.audit.log import Actor, record
from gongkai.catalog import revisions
from gongkai.catalog.actions import render_index_number
from gongkai.catalog.importing.files import COLUMNS, SUFFIXES, Progress
from gongkai.catalog.importing.lookups import Lookups
from gongkai.catalog.importing.rows import TEXT_FIELDS
from gongkai.catalog.models import (
    ConfidentialityReview,
    NormativeKind,
    Publication,
    PublicationChannel,
    PublicationQuerySet,
    PublicationStatus,
    ReviewConclusion,
)
from gongkai.exportsafe import csv_value, xlsx_cell
from gongkai.masking import mask_text
from gongkai.organisations.models import Organisation

CHUNK = 2000
Record = dict[str, Any]


class ExportFailed(ValueError):
    pass


def publications_for(
    body: Organisation | None = None,
    *,
    subtree: bool = False,
    year: int | None = None,
    statuses: Sequence[str] = (),
) -> PublicationQuerySet:
    """The items to export: one body (or its subtree), published in ``year``, in the given statuses."""
    qs = Publication.objects.all()
    if body is not None:
        qs = qs.filter(body__path__startswith=body.path) if subtree else qs.filter(body=body)
    if year is not None:
        qs = qs.published_in(year)
    if statuses:
        qs = qs.filter(status__in=statuses)
    return qs.order_by("body__path", "index_code", "index_year", "index_serial")


class _Renderer:
    """One publication as a record keyed by the import's column keys (JSON values)."""

    def __init__(self, mask: bool) -> None:
        self.mask = mask
        self.lookups = Lookups(())

    def index_number(self, pub: Publication) -> str:
        template = self.lookups.template(pub.body)
        return render_index_number(template, pub.index_code, pub.index_year, pub.index_serial)

    def _vocabulary(self, pub: Publication) -> dict[str, str]:
        vocabulary = self.lookups.vocabulary
        found = {}
        for key, item, index in (
            ("topic", pub.topic, vocabulary.topics),
            ("genre", pub.genre, vocabulary.genres),
            ("key_area", pub.key_area, vocabulary.key_areas),
        ):
            if item is None:
                found[key] = ""
                continue
            resolved = index.get(str(item))
            found[key] = str(item) if resolved is not None and resolved.pk == item.pk else item.code
        return found

    def _review(self, pub: Publication) -> Record:
        reviews = [r for r in pub.reviews.all() if r.version == pub.version]
        if not reviews:
            return {"reviewer": "", "reviewed_on": None, "review_conclusion": "", "review_note": ""}
        latest = reviews[-1]
        return {
            "reviewer": latest.reviewer.get_username(),
            "reviewed_on": latest.reviewed_on,
            "review_conclusion": latest.conclusion,
            "review_note": latest.note,
        }

    def record(self, pub: Publication) -> Record:
        texts = {name: getattr(pub, name) for name in TEXT_FIELDS} | {"publisher": pub.publisher_name}
        if self.mask:
            texts = {name: mask_text(value) for name, value in texts.items()}
        return {
            "index_number": self.index_number(pub),
            "body": pub.body.org_code,
            **texts,
            "made_on": pub.made_on,
            "published": pub.published_on,
            "status": pub.status,
            "version": pub.version,
            **self._vocabulary(pub),
            "normative_kind": pub.normative_kind,
            "issued_on": pub.issued_on,
            "repealed_on": pub.repealed_on,
            "interprets": self.index_number(pub.interprets) if pub.interprets is not None else "",
            "channels": [self.lookups.channel_label(pub.body, p.channel) for p in pub.postings.all()],
            **self._review(pub),
        }


def _records(qs: PublicationQuerySet, mask: bool, advance: Callable[[], None]) -> Iterator[Record]:
    renderer = _Renderer(mask)
    rows = qs.select_related(
        "body", "topic__parent", "genre", "key_area", "interprets__body"
    ).prefetch_related(
        Prefetch("postings", PublicationChannel.objects.select_related("channel__owner").order_by("id")),
        Prefetch("reviews", ConfidentialityReview.objects.select_related("reviewer").order_by("id")),
    )
    for pub in rows.iterator(chunk_size=CHUNK):
        # Staff export the working catalog: a revision awaiting review as it would be published, so that a
        # re-import of the file changes nothing (the portal shows the row: ``catalog.revisions``).
        yield renderer.record(revisions.proposed(pub))
        advance()


_LABELS: dict[str, dict[str, str]] = {
    "status": {str(v): str(label) for v, label in PublicationStatus.choices},
    "normative_kind": {str(v): str(label) for v, label in NormativeKind.choices} | {"": ""},
    "review_conclusion": {str(v): str(label) for v, label in ReviewConclusion.choices} | {"": ""},
}


def _cell(key: str, value: Any) -> Any:
    """A spreadsheet cell: labels instead of codes, channels joined with '；'."""
    if key in _LABELS:
        return _LABELS[key][value]
    if isinstance(value, list):
        return "；".join(value)
    return "" if value is None else value


def _write_csv(out: TextIO, records: Iterator[Record]) -> None:
    writer = csv.writer(out)
    writer.writerow([c.header for c in COLUMNS])
    for rec in records:
        writer.writerow([_csv_value(c.key, rec[c.key]) for c in COLUMNS])


def _csv_value(key: str, value: Any) -> Any:
    """Formula-like text behind an apostrophe (the importer removes it again, so a round trip changes
    nothing), control characters removed (``gongkai.exportsafe.csv_value``)."""
    cell = csv_value(_cell(key, value))
    return cell.isoformat() if isinstance(cell, dt.date) else cell


def _write_json(out: TextIO, records: Iterator[Record]) -> None:
    out.write("[")
    for n, rec in enumerate(records):
        out.write(",\n" if n else "\n")
        out.write(json.dumps(rec, ensure_ascii=False, default=lambda d: d.isoformat()))
    out.write("\n]\n")


def _write_xlsx(path: Path, records: Iterator[Record]) -> None:
    """Text as string cells, never formulas, without control characters (``gongkai.exportsafe.xlsx_cell``)."""
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(_("政府信息"))
    sheet.append([xlsx_cell(sheet, c.header) for c in COLUMNS])
    for rec in records:
        cells = []
        for column in COLUMNS:
            cell = xlsx_cell(sheet, _cell(column.key, rec[column.key]))
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            cells.append(cell)
        sheet.append(cells)
    book.save(path)


def export_publications(
    actor: Actor,
    qs: PublicationQuerySet,
    path: Path,
    *,
    encoding: str | None = None,
    mask: bool = True,
    progress_stream: TextIO | None = None,
) -> int:
    """Write ``qs`` to ``path`` (format by suffix; CSV is UTF-8 with BOM unless ``encoding`` says otherwise);
    returns the number of publications. The file appears whole or not at all."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ExportFailed(_("文件类型应为 .csv、.xlsx 或 .json"))
    total = qs.count()
    progress = Progress(_("导出"), total, progress_stream)
    records = _records(qs, mask, progress.advance)
    partial = path.with_name(f".{path.name}.part")
    try:
        if suffix == ".xlsx":
            _write_xlsx(partial, records)
        else:
            name = encoding or ("utf-8-sig" if suffix == ".csv" else "utf-8")
            with partial.open("w", encoding=name, newline="") as out:
                (_write_csv if suffix == ".csv" else _write_json)(out, records)
        os.replace(partial, path)
    except (UnicodeEncodeError, LookupError) as exc:
        raise ExportFailed(_("无法按%(e)s编码写出：%(x)s") % {"e": encoding, "x": exc}) from exc
    finally:
        partial.unlink(missing_ok=True)
    progress.close()
    if not mask:
        with transaction.atomic():
            summary = _("未脱敏导出%(n)d条到%(file)s") % {"n": total, "file": path.name}
            record(
                actor,
                "publication.export_unmasked",
                object_type="catalog.publication",
                summary=summary,
                batch_size=total,
            )
    return total
