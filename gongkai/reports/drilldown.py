"""Drill-down from a report cell to what it counts (issue 5 deliverable 5: "on the staff view every cell links
to the records counted in it, or to the submission it came from").

A cell's statistic is one of:

- **counted** from records (``Statistic.records``: the same base queryset and filter as its aggregate), e.g.
  Table 3 本年新收 / 自然人 lists the requests received in the year from natural persons;
- **entered** per body and year (``ProactiveFigures`` for Table 2 art 20 (5)-(9), ``YearlyFigures`` for the
  2014 table's 八/九): the bodies' rows with their figure and a link to the entry page;
- **derived** from other statistics (a rate, ``Context.value``): the statistics it reads, each linking to its
  own drill-down.

A body with a current submission (填报, statutory-reference §3, ``gongkai.reports.submitted``) is counted from
its submitted figures instead of its records (``Context.body_ids()`` leaves it out), so for a count statistic
the listed records plus the submitted values equal the cell. Records and submissions of bodies the user may
not see (``permissions.visible_orgs``) are not listed, only counted as hidden. Personal identifiers in listed
text are masked (``gongkai.masking.mask_text``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from operator import attrgetter
from typing import Any

from django.db.models import Model, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai import permissions
from gongkai.cases.models import FeeCollected, InformationRequest, Remedy
from gongkai.catalog.models import ProactiveFigures, Publication
from gongkai.engagement.models import (
    Complaint,
    PublicConcernEvent,
    ResponseAction,
    YearlyFigures,
)
from gongkai.hotline.models import Ticket
from gongkai.mailbox.models import Letter as MailboxLetter
from gongkai.masking import mask_text
from gongkai.organisations.models import Organisation
from gongkai.reports.registry import REGISTRY, Context, Number, Scope, Statistic, Unit, format_value
from gongkai.reports.submitted import sources, submission_url, submitted_values

PAGE_SIZE = 50
ENTERED_MODELS: tuple[type[Model], ...] = (ProactiveFigures, YearlyFigures)
# The relation from a listed record to its body, where it is not ``body``.
BODY_PATHS: dict[type[Model], str] = {}


class Kind:
    COUNTED = "counted"
    ENTERED = "entered"
    DERIVED = "derived"


@dataclass(frozen=True)
class RecordRow:
    """One listed record: what it is, its body, its dates, a figure (amounts, entered values) and its page."""

    title: str
    number: str
    body: str
    dates: tuple[tuple[str, dt.date | None], ...]
    figure: str = ""
    detail: str = ""
    url: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "dates", tuple((label, day) for label, day in self.dates if day is not None))


@dataclass(frozen=True)
class SubmittedRow:
    body: Organisation
    value: str
    url: str | None


@dataclass(frozen=True)
class Input:
    """A statistic a derived one is computed from, with its value and drill-down link."""

    statistic: Statistic
    label: str
    display: str
    url: str


@dataclass
class CellDrilldown:
    org: Organisation
    year: int
    fmt: str
    scope: Scope
    statistic: Statistic
    value: Number
    kind: str
    records: QuerySet[Any] | None = None  # visible records, ordered (the view paginates)
    hidden: int = 0  # records of bodies the user may not see
    listed_total: str = ""  # the sum of an amount or entered figure over the visible records
    inputs: list[Input] = field(default_factory=list)
    submitted: list[SubmittedRow] = field(default_factory=list)
    submitted_hidden: int = 0
    entry_url: str | None = None

    @property
    def display(self) -> str:
        return format_value(self.statistic, self.value)

    @property
    def label(self) -> tuple[str, str, str]:
        return cell_label(self.statistic, self.fmt)


def cell_label(stat: Statistic, fmt: str) -> tuple[str, str, str]:
    """(table, row, column) of the statistic's cell in ``fmt``; a statistic without a cell (a narrative
    placeholder such as the fee statement's) gives its description."""
    cell = stat.cells.get(fmt)
    if cell is None:
        return "", stat.description or stat.label, ""
    return cell.table, cell.row.replace("/", " / "), cell.column.replace("/", " / ")


def cell_url(org: Organisation, year: int, key: str, fmt: str, scope: Scope) -> str:
    return reverse("reports:cell", args=[org.org_code, year, key]) + f"?format={fmt}&scope={scope.value}"


def body_path(model: type[Model]) -> str:
    return BODY_PATHS.get(model, "body")


class _Tracing(Context):
    """A context that notes which statistics a computation reads directly (``Context.value``)."""

    def __init__(self, org: Organisation, year: int, scope: Scope, fmt: str) -> None:
        super().__init__(org=org, year=year, scope=scope, fmt=fmt)
        self.read: list[str] = []
        self._depth = 0

    def value(self, key: str) -> Number:
        if self._depth == 0 and key not in self.read:
            self.read.append(key)
        self._depth += 1
        try:
            return super().value(key)
        finally:
            self._depth -= 1


def cell_drilldown(
    user: Any, org: Organisation, year: int, key: str, fmt: str, scope: Scope
) -> CellDrilldown:
    """What the cell ``key`` of ``org``'s report counts; KeyError for an unknown statistic. The caller has
    checked ``permissions.can_view_org(user, org)``."""
    stat = REGISTRY[key]
    ctx = Context(org=org, year=year, scope=scope, fmt=fmt)
    value = ctx.value(key)
    visible = listable_orgs(user, org, ctx)
    if stat.records is None:
        tracing = _Tracing(org, year, scope, fmt)
        stat.compute(tracing)
        inputs = [
            Input(
                REGISTRY[k],
                " · ".join(p for p in cell_label(REGISTRY[k], fmt) if p),
                format_value(REGISTRY[k], tracing.value(k)),
                cell_url(org, year, k, fmt, scope),
            )
            for k in tracing.read
        ]
        return CellDrilldown(org, year, fmt, scope, stat, value, Kind.DERIVED, inputs=inputs)
    every = stat.records(ctx)
    model = every.model
    path = body_path(model)
    records = every.filter(**{f"{path}__in": visible})
    hidden = every.count() - records.count()
    records = records.select_related(path).order_by(f"{path}__path", "pk")
    kind = Kind.ENTERED if model in ENTERED_MODELS else Kind.COUNTED
    drill = CellDrilldown(org, year, fmt, scope, stat, value, kind, records=records, hidden=hidden)
    drill.listed_total = _listed_total(stat, records)
    if model is ProactiveFigures:
        drill.entry_url = reverse("reports:proactive_figures", args=[org.org_code, year])
    drill.submitted, drill.submitted_hidden = _submitted(stat, org, year, fmt, scope, visible)
    return drill


def listable_orgs(user: Any, org: Organisation, ctx: Context) -> QuerySet[Any]:
    """The bodies whose records behind ``org``'s cells ``user`` sees listed: those of ``visible_orgs``; for
    whoever publishes ``org``'s report, every body in the report's scope too — the publisher answers for each
    figure of the roll-up it publishes (2019 Regulations art 50) and must be able to check every record behind
    it (issue 12: the city publisher saw 16 of 33)."""
    visible = permissions.visible_orgs(user).values("pk")
    if permissions.can_publish_report(user, org):
        return Organisation.objects.filter(Q(pk__in=visible) | Q(pk__in=ctx.scope_ids())).values("pk")
    return visible


def _listed_total(stat: Statistic, records: QuerySet[Any]) -> str:
    """The sum over the listed records, for a cell that sums rather than counts (one aggregate query)."""
    if records.model in ENTERED_MODELS:
        total = records.aggregate(s=Sum("figure"))["s"] or 0
    elif records.model is FeeCollected:
        total = (records.aggregate(s=Sum("amount_yuan"))["s"] or Decimal(0)) / 10000
        if stat.unit is not Unit.WAN_YUAN:
            return ""
    else:
        return ""
    return format_value(stat, total)


def _submitted(
    stat: Statistic, org: Organisation, year: int, fmt: str, scope: Scope, visible: QuerySet[Any]
) -> tuple[list[SubmittedRow], int]:
    """来自填报: the bodies in scope counted from a current submission, with their value for this statistic."""
    submitting = {
        s.submission_id: s.body
        for s in sources(org, year, fmt, scope.value)
        if s.kind == "submission" and s.submission_id is not None
    }
    if not submitting:
        return [], 0
    visible_ids = set(
        Organisation.objects.filter(pk__in=[b.pk for b in submitting.values()], id__in=visible).values_list(
            "pk", flat=True
        )
    )
    values = submitted_values(list(submitting), stat.key)
    rows = [
        SubmittedRow(
            body,
            format_value(stat, values.get(sid, Decimal(0))),
            submission_url(body, year, fmt),
        )
        for sid, body in submitting.items()
        if body.pk in visible_ids
    ]
    return rows, len(submitting) - len(rows)


# Describing records -----------------------------------------------------------------------------------------


def _case_url(request_id: int | None) -> str | None:
    return reverse("cases:case", args=[request_id]) if request_id else None


def _local_date(value: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(value) if value is not None else None


def _request(record: InformationRequest, stat: Statistic) -> RecordRow:
    return RecordRow(
        mask_text(record.subject),
        record.tracking_code or f"#{record.pk}",
        record.body.name,
        ((_("收到申请日期"), record.receipt_date), (_("答复日期"), record.answered_on)),
        detail=" · ".join(
            p for p in (record.get_applicant_kind_display(), record.get_outcome_display()) if p
        ),
        url=_case_url(record.pk),
    )


def _publication(record: Publication, stat: Statistic) -> RecordRow:
    return RecordRow(
        record.title,
        record.document_number or "—",
        record.body.name,
        (
            (_("印发日期"), record.issued_on),
            (_("发布日期"), record.published_on),
            (_("废止日期"), record.repealed_on),
        ),
        detail=record.get_status_display(),
        url=reverse("catalog:item", args=[record.pk]),
    )


def _remedy(record: Remedy, stat: Statistic) -> RecordRow:
    """A review or a lawsuit, named by its model (行政复议, 行政诉讼)."""
    return RecordRow(
        str(record._meta.verbose_name),
        f"#{record.pk}",
        record.body.name,
        ((_("立案日期"), record.filed_on), (_("决定（判决）日期"), record.decided_on)),
        detail=record.get_outcome_display(),
        url=_case_url(record.request_id),
    )


def _fee(record: FeeCollected, stat: Statistic) -> RecordRow:
    return RecordRow(
        _("信息处理费"),
        f"#{record.pk}",
        record.body.name,
        ((_("收费日期"), record.collected_on),),
        figure=_("%(amount)s元") % {"amount": record.amount_yuan},
        url=_case_url(record.request_id),
    )


def _entered(record: ProactiveFigures | YearlyFigures, stat: Statistic) -> RecordRow:
    shown = format_value(stat, record.figure)  # type: ignore[union-attr]  # annotated by the records
    url = (
        reverse("reports:proactive_figures", args=[record.body.org_code, record.year])
        if isinstance(record, ProactiveFigures)
        else None
    )
    if isinstance(record, YearlyFigures):  # issue 13 §7: typed figures are shown as such (rows 八/九 only)
        label = _("%(year)s年度填报数（在管理后台录入，不来自平台办理记录）") % {"year": record.year}
    else:
        label = _("%(year)s年度填报数据") % {"year": record.year}
    return RecordRow(label, "", record.body.name, (), shown, url=url)


def _response(record: ResponseAction, stat: Statistic) -> RecordRow:
    title = record.title or (record.event.title if record.event else "") or record.get_kind_display()
    return RecordRow(
        mask_text(title),
        f"#{record.pk}",
        record.body.name,
        ((_("日期"), record.held_on),),
        detail=record.get_kind_display() + (_("（主要负责同志参加）") if record.principal_leader else ""),
        url=reverse("engagement_staff:event", args=[record.event_id]) if record.event_id else None,
    )


def _concern(record: PublicConcernEvent, stat: Statistic) -> RecordRow:
    return RecordRow(
        mask_text(record.title),
        f"#{record.pk}",
        record.body.name,
        ((_("发现日期"), record.noticed_on),),
        detail=str(record.get_source_display()),
        url=reverse("engagement_staff:event", args=[record.pk]),
    )


def _complaint(record: Complaint, stat: Statistic) -> RecordRow:
    return RecordRow(
        mask_text(record.summary) or _("举报投诉"),
        f"#{record.pk}",
        record.body.name,
        ((_("收到日期"), record.received_on),),
    )


def _call(record: Ticket, stat: Statistic) -> RecordRow:
    """A 12345 hotline ticket (gongkai.hotline), by the platform's ticket number, linking to its staff page."""
    return RecordRow(
        mask_text(record.topic) or _("热线工单"),
        record.number,
        record.body.name,
        (
            (_("来电日期"), _local_date(record.received_at)),
            (_("办结日期"), _local_date(record.completed_at)),
        ),
        detail=str(record.get_status_display()),
        url=reverse("hotline_staff:ticket", args=[record.pk]),
    )


def _letter(record: MailboxLetter, stat: Statistic) -> RecordRow:
    return RecordRow(
        mask_text(record.subject) or _("信箱来信"),
        f"#{record.pk}",
        record.body.name,
        ((_("来信日期"), record.received_on), (_("回复日期"), record.replied_on)),
    )


# One describer per kind of record a statistic lists; a model not named here (nor any of its bases) is shown by
# its text. Reviews and lawsuits share one through their base model.
DESCRIBERS: dict[type[Model], Callable[[Any, Statistic], RecordRow]] = {
    InformationRequest: _request,
    Publication: _publication,
    Remedy: _remedy,
    FeeCollected: _fee,
    ProactiveFigures: _entered,
    YearlyFigures: _entered,
    ResponseAction: _response,
    PublicConcernEvent: _concern,
    Complaint: _complaint,
    Ticket: _call,
    MailboxLetter: _letter,
}


def describe(record: Any, stat: Statistic) -> RecordRow:
    """One record as a listing row (personal identifiers masked)."""
    for model in type(record).__mro__:
        describer = DESCRIBERS.get(model)
        if describer is not None:
            return describer(record, stat)
    return RecordRow(mask_text(str(record)), f"#{record.pk}", "", ())


def describe_page(records: Any, stat: Statistic, user: Any) -> list[RecordRow]:
    """The rows of one page of records; a record of a body the user may not open itself (a subordinate body's,
    listed to the roll-up's publisher by ``listable_orgs``) is shown without a link (one query for the page)."""
    records = list(records)
    if not records:
        return []
    body_of = attrgetter(body_path(type(records[0])).replace("__", ".") + "_id")
    ids = {body_of(record) for record in records}
    openable = set(permissions.visible_orgs(user).filter(pk__in=ids).values_list("pk", flat=True))
    rows = [describe(record, stat) for record in records]
    return [
        row if body_of(r) in openable else replace(row, url=None)
        for r, row in zip(records, rows, strict=True)
    ]
