"""Building index rows from publications, set-wise: one query for a batch of publications, one for the
index-number templates and one for the organisations' paths, whatever the batch size (statutory-reference §5:
index numbers are rendered through a template inherited down the tree of bodies)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db.models import QuerySet

from gongkai.catalog.actions import render_index_number
from gongkai.catalog.models import IndexNumberTemplate, Publication, PublicationStatus
from gongkai.catalog.public import last_published
from gongkai.organisations.models import Organisation
from gongkai.search.normalise import normalise_many

BATCH = 2000
_PUB_FIELDS = (
    "id",
    "body_id",
    "index_code",
    "index_year",
    "index_serial",
    "title",
    "document_number",
    "description",
    "keywords",
    "text",
    "status",
    "published_on",
)
_STATUS, _PUBLISHED_ON = 10, 11


@dataclass(frozen=True)
class Row:
    """One index row: the normalised searched fields of a publication."""

    publication_id: int
    title: str
    document_number: str
    index_number: str
    body: str

    def fields(self) -> tuple[str, str, str, str]:
        return (self.title, self.document_number, self.index_number, self.body)

    def joined(self) -> str:
        return "\n".join(self.fields())


def bigrams_of_term(term: str) -> list[str]:
    """The distinct bigrams of a query term (which has no whitespace), in order."""
    return list(dict.fromkeys(term[i : i + 2] for i in range(len(term) - 1)))


_SPACE, _NEWLINE, _SEP = 0x20, 0x0A, 0x1E
DOC_SEPARATOR = chr(_SEP)  # a control character: never in normalised text


def bigram_texts(docs: Sequence[str], filler: str | None = None) -> list[str]:
    """For each normalised document, its bigrams separated by spaces (``"许政办"`` → ``"许政 政办 "``),
    skipping pairs with a space or a field separator (``\n``): a query term never contains one. Duplicates are
    kept (the FTS5 table and ``array_to_tsvector`` fold them).

    This runs over every character of the catalog on a rebuild, so the pairs are cut by numpy for a whole
    batch at once: the batch is one UTF-32 array, each position becomes (char, next char, space), and a
    document boundary leaves a marker to split on. With ``filler``, a skipped pair becomes that one-character
    token instead, so that token positions stay character positions (the tantivy index's phrases)."""
    if not docs:
        return []
    chars = np.frombuffer((DOC_SEPARATOR.join(docs) + DOC_SEPARATOR).encode("utf-32-le"), dtype=np.uint32)
    first, second = chars[:-1], chars[1:]
    out = np.empty((first.size, 3), dtype=np.uint32)
    out[:, 0], out[:, 1], out[:, 2] = first, second, _SPACE
    skip = (first == _SPACE) | (first == _NEWLINE) | (second == _SPACE) | (second == _NEWLINE)
    skip |= second == _SEP
    out[skip] = _SPACE
    if filler is not None:  # keep the skipped pair's position (a token of one character: never a bigram)
        out[skip, 0] = ord(filler)
    boundary = first == _SEP  # the start of the next document
    out[boundary, 0] = _SEP
    out[boundary, 1:] = _SPACE
    parts = out.tobytes().decode("utf-32-le").split(DOC_SEPARATOR)
    assert len(parts) == len(docs)
    return parts


def template_resolver() -> Callable[[int], str]:
    """body id → the index-number template it uses (its own, else the nearest ancestor's, else the
    deployment default), from two queries in all."""
    templates = dict(IndexNumberTemplate.objects.values_list("body_id", "template"))
    paths = dict(Organisation.objects.values_list("id", "path"))
    default = str(settings.GONGKAI_INDEX_TEMPLATE)
    cache: dict[int, str] = {}

    def resolve(body_id: int) -> str:
        if body_id not in cache:
            ancestors = [int(seg) for seg in paths.get(body_id, "").split(".") if seg]
            cache[body_id] = next((templates[pk] for pk in reversed(ancestors) if pk in templates), default)
        return cache[body_id]

    return resolve


def index_numbers(pubs: Iterable[Publication]) -> dict[int, str]:
    """Rendered index numbers of several publications at once."""
    resolve = template_resolver()
    return {
        p.pk: render_index_number(resolve(p.body_id), p.index_code, p.index_year, p.index_serial)
        for p in pubs
    }


def _rows(values: Sequence[Sequence[object]], resolve: Callable[[int], str]) -> list[Row]:
    """Rows from ``_PUB_FIELDS`` tuples, normalising the whole batch in one pass."""
    texts: list[str] = []
    for pk, body_id, code, year, serial, title, docno, description, keywords, text, *_state in values:
        assert isinstance(pk, int) and isinstance(body_id, int)
        assert isinstance(year, int) and isinstance(serial, int)
        number = render_index_number(resolve(body_id), str(code), year, serial)
        texts += [str(title), str(docno), number, str(description), str(keywords), str(text)]
    norm = normalise_many(texts)
    return [
        Row(
            publication_id=int(str(v[0])),
            title=norm[6 * i],
            document_number=norm[6 * i + 1],
            index_number=norm[6 * i + 2],
            body="\n".join(norm[6 * i + 3 : 6 * i + 6]),
        )
        for i, v in enumerate(values)
    ]


def _public_values(values: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    """``_PUB_FIELDS`` tuples with an item under revision carrying its last published title, document number
    and text: the index holds what the public may see (``catalog.public``), never an unreviewed revision."""
    pending = [
        int(str(v[0]))
        for v in values
        if v[_STATUS] == PublicationStatus.DRAFT and v[_PUBLISHED_ON] is not None
    ]
    latest = last_published(pending)
    if not latest:
        return values
    out = []
    for v in values:
        version = latest.get(int(str(v[0])))
        if version is not None:
            v = (*v[:5], version.title, version.document_number, v[7], v[8], version.text, *v[10:])
        out.append(v)
    return out


def _fetch(qs: QuerySet[Publication], limit: int | None = None) -> list[tuple[object, ...]]:
    """The ``_PUB_FIELDS`` of ``qs`` by ascending id (the first ``limit``), as the public sees them."""
    values = qs.order_by("pk").values_list(*_PUB_FIELDS)
    return _public_values([tuple(v) for v in (values[:limit] if limit is not None else values)])


def rows_for(ids: Sequence[int], resolve: Callable[[int], str] | None = None) -> list[Row]:
    """Index rows of the given publications that exist (missing ids are skipped)."""
    resolve = resolve or template_resolver()
    return _rows(_fetch(Publication.objects.filter(pk__in=ids)), resolve)


def all_rows(batch: int = BATCH) -> Iterator[list[Row]]:
    """Every publication's row, in batches by ascending id (keyset pagination: constant memory)."""
    resolve = template_resolver()
    last = 0
    while True:
        values = _fetch(Publication.objects.filter(pk__gt=last), batch)
        if not values:
            return
        last = int(str(values[-1][0]))
        yield _rows(values, resolve)
