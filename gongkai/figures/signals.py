"""Keeping the aggregates current: every save and delete of a record a statistic counts marks its bodies dirty
for the years it can count in, in the transaction of the write (``store.mark_dirty``).

The years: from the earliest to the latest of the record's dates (and its ``year``, with the next year for the
previous-year columns), and on to the next year while one of its open dates (an answer, a repeal) is unset —
carry-over rows count an open record every year. A change marks the record's old bodies and years too (read
before the save). A change to something every record depends on (an outcome mapping, a channel kind, a
genre) invalidates every year. Bulk writes bypass signals: they call ``mark_dirty`` or ``rebuild``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from gongkai.cases.models import (
    AdministrativeReview,
    FeeCollected,
    InformationRequest,
    Lawsuit,
    OutcomeMapping,
)
from gongkai.catalog.models import (
    Channel,
    ChannelKind,
    Genre,
    ProactiveFigures,
    Publication,
    PublicationChannel,
)
from gongkai.engagement.models import (
    Complaint,
    PublicConcernEvent,
    ResponseAction,
    YearlyFigures,
)
from gongkai.figures.store import invalidate_all, mark_dirty
from gongkai.hotline.models import Ticket
from gongkai.mailbox.models import Letter as MailboxLetter
from gongkai.organisations.models import Organisation

# Counted records. A record's bodies are its foreign keys to Organisation, or those of its parent (below).
COUNTED: tuple[type[models.Model], ...] = (
    Publication,
    PublicationChannel,
    PublicConcernEvent,
    ResponseAction,
    InformationRequest,
    AdministrativeReview,
    Lawsuit,
    Complaint,
    FeeCollected,
    Ticket,
    MailboxLetter,
    YearlyFigures,
    ProactiveFigures,
)
PARENTS: dict[type[models.Model], str] = {PublicationChannel: "publication"}
# Children dated on their own whose statistics count under the parent's body (a moved parent moves them).
CHILDREN: dict[type[models.Model], tuple[str, str]] = {
    Publication: ("postings", "published_on"),
    PublicConcernEvent: ("actions", "held_on"),
}
# Dates that leave a record open while unset (default: every nullable date).
OPEN_DATES: dict[type[models.Model], tuple[str, ...]] = {
    InformationRequest: ("answered_on",),
    MailboxLetter: ("replied_on",),
    Ticket: ("completed_at",),
    AdministrativeReview: (),
    Lawsuit: (),
    PublicConcernEvent: (),
}
# What every record depends on, and the fields that matter: a change invalidates every year.
GLOBAL: dict[type[models.Model], tuple[str, ...]] = {
    OutcomeMapping: ("outcome", "table3_row"),
    ChannelKind: ("category",),
    Genre: ("code",),
    Channel: ("kind_id",),
}


def _dates(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.DateField) and not (f.auto_now or f.auto_now_add)
    ]


def _year(value: dt.date) -> int:
    if isinstance(value, dt.datetime):
        return (timezone.localtime(value) if timezone.is_aware(value) else value).year
    return value.year


def _years(instance: models.Model, children: list[int] | None = None) -> set[int]:
    """``children``: the years of its dated children when the caller read them already (bulk writes)."""
    model = type(instance)
    found: list[int] = []
    open_ = False
    open_names = OPEN_DATES.get(model)
    for f in _dates(model):
        value = getattr(instance, f.attname)
        if value is not None:
            found.append(_year(value))
        elif f.null and (open_names is None or f.name in open_names):
            open_ = True
    year = getattr(instance, "year", None)
    if isinstance(year, int):
        found += [year, year + 1]  # the next year's 上一年项目数量 reads this year's row
    if children is not None:
        found += children
    elif model in CHILDREN and instance.pk is not None:
        related, field = CHILDREN[model]
        found += [_year(d) for d in getattr(instance, related).values_list(field, flat=True) if d]
    if not found:
        return set()
    last = max(found)
    if open_:
        last = max(last, timezone.localdate().year + 1)
    return set(range(min(found), last + 1))


def _bodies(instance: models.Model) -> set[int]:
    parent = PARENTS.get(type(instance))
    if parent is not None:
        target = getattr(instance, parent, None)
        return _bodies(target) if target is not None else set()
    return {
        getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if f.is_relation and f.related_model is Organisation and getattr(instance, f.attname) is not None
    }


Marks = tuple[set[int], set[int]]  # (body ids, years)


def marks(instance: models.Model, children: list[int] | None = None) -> Marks:
    """The bodies and years a record counts in (for ``mark_dirty``)."""
    return _bodies(instance), _years(instance, children)


def child_years(objs: list[models.Model]) -> dict[tuple[type[models.Model], Any], list[int]]:
    """{(model, pk): years of its dated children} for many records, one query per model (bulk writes)."""
    found: dict[tuple[type[models.Model], Any], list[int]] = {}
    for model, (related, field) in CHILDREN.items():
        pks = [o.pk for o in objs if type(o) is model and o.pk is not None]
        if not pks:
            continue
        remote = model._meta.get_field(related).remote_field  # the child's foreign key to ``model``
        child = model._meta.get_field(related).related_model
        assert child is not None and remote is not None
        for pk in pks:
            found[(model, pk)] = []
        fk = remote.name
        rows = child._default_manager.filter(**{f"{fk}__in": pks}).values_list(f"{fk}_id", field)
        for parent, day in rows:
            if day is not None:
                found[(model, parent)].append(_year(day))
    return found


def _before(sender: type[models.Model], instance: models.Model, raw: bool = False, **kw: Any) -> None:
    """Remember the stored version's bodies and years (a change can move a record out of them)."""
    if raw or instance.pk is None:
        return
    old = sender._default_manager.filter(pk=instance.pk).first()
    instance._figures_old = marks(old) if old is not None else (set(), set())  # type: ignore[attr-defined]


def _mark(instance: models.Model, extra: Iterable[tuple[set[int], set[int]]] = ()) -> None:
    """Mark the record's bodies and years, naming its table: only the statistics reading it are recomputed."""
    for bodies, years in (marks(instance), *extra):
        if bodies and years:
            mark_dirty(bodies, years, [instance._meta.db_table])


def _saved(sender: type[models.Model], instance: models.Model, raw: bool = False, **kw: Any) -> None:
    if raw:
        return
    old = getattr(instance, "_figures_old", None)
    _mark(instance, [old] if old else [])


def _deleted(sender: type[models.Model], instance: models.Model, **kw: Any) -> None:
    with contextlib.suppress(models.ObjectDoesNotExist):  # a parent gone in the same cascade marks its own
        _mark(instance)


def _state(instance: models.Model) -> tuple[Any, ...]:
    return tuple(getattr(instance, name) for name in GLOBAL[type(instance)])


def _global_before(sender: type[models.Model], instance: models.Model, raw: bool = False, **kw: Any) -> None:
    if raw or instance.pk is None:
        return
    old = sender._default_manager.filter(pk=instance.pk).first()
    instance._figures_state = _state(old) if old is not None else None  # type: ignore[attr-defined]


def _global(sender: type[models.Model], instance: models.Model, created: bool = False, **kw: Any) -> None:
    if created and sender is not OutcomeMapping:
        return  # a new channel, kind or genre counts nothing yet
    unchanged = getattr(instance, "_figures_state", None) == _state(instance)
    if not created and kw.get("signal") is post_save and unchanged:
        return  # a name or other field no statistic reads
    invalidate_all()


def connect() -> None:
    for model in COUNTED:
        pre_save.connect(_before, sender=model, dispatch_uid=f"figures.before.{model._meta.label}")
        post_save.connect(_saved, sender=model, dispatch_uid=f"figures.saved.{model._meta.label}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"figures.deleted.{model._meta.label}")
    for model in GLOBAL:
        pre_save.connect(
            _global_before, sender=model, dispatch_uid=f"figures.global_before.{model._meta.label}"
        )
        post_save.connect(_global, sender=model, dispatch_uid=f"figures.global.{model._meta.label}")
        post_delete.connect(_global, sender=model, dispatch_uid=f"figures.global_del.{model._meta.label}")
