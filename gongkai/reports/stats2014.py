"""Statistics of the 2014–2018 national table (国办发〔2014〕32号, statutory-reference §3.1) and the seed's
local items (地方补充指标), each declared once with its official label and its aggregate query.

Counting conventions (docs/statistics.md): an item counts in the year of its publication date; a channel row
counts the items posted on that channel category in the year (an item on several channels counts once in the
total, once per category); normative documents issued count by issue date; requests count by legal receipt
date, closures and answers by answer date; e-mail requests count as online requests in this table (it has no
e-mail row); reviews and lawsuits count by filing date, undecided ones under 其他情形 (the 2014 table has no
pending row); events count once however many ways they were answered.

Drill-down (``Statistic.records``, gongkai.reports.drilldown): a statistic counted from records declares the
records it counts; its value is the count of that queryset (or, for a grouped row, the same base queryset
grouped in one query per report), so the listed records and the cell cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from gongkai.cases.models import (
    AdministrativeReview,
    FeeCollected,
    InformationRequest,
    InformationRequestQuerySet,
    Lawsuit,
    RemedyOutcome,
)
from gongkai.catalog.models import Publication, PublicationChannel, PublicationQuerySet
from gongkai.engagement.interpretations import is_interpretation
from gongkai.engagement.models import (
    Complaint,
    PublicConcernEvent,
    ResponseAction,
    ResponseKind,
    YearlyFigures,
)
from gongkai.hotline.models import Ticket
from gongkai.mailbox.models import Letter as MailboxLetter
from gongkai.organisations.models import OrgKind
from gongkai.reports.formats import CellRef
from gongkai.reports.registry import Context, Number, Statistic, Unit, percent, register

TABLE = "政府信息公开情况统计表"
LOCAL = "地方补充指标"
P = "一、主动公开情况/"
P1 = P + "（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）"
P2 = P + "（二）通过不同渠道和方式公开政府信息的情况/"
R = "二、回应解读情况/"
R2 = R + "（二）通过不同渠道和方式回应解读的情况/"
A = "三、依申请公开情况/"
A1 = A + "（一）收到申请数"
A2 = A + "（二）申请办结数"
A3 = A + "（三）申请答复数"
A34 = A3 + "/4.不同意公开答复数"
RV = "四、行政复议数量"
LS = "五、行政诉讼数量"
S8 = "八、机构建设和保障经费情况/"
S9 = "九、政府信息公开会议和培训情况/"


Records = Callable[[Context], QuerySet[Any]]


def stat(
    key: str,
    row: str,
    compute: Callable[[Context], Number] | None = None,
    *,
    records: Records | None = None,
    local: bool = False,
    unit: Unit = Unit.COUNT,
    precision: int = 0,
    **aggregate: Any,
) -> None:
    """Declare a 2014 statistic; without ``compute`` its value is the count of its ``records``. ``aggregate``:
    how the per-body aggregates compute it (``Statistic.measure``, ``divisor``, ``additive``)."""
    cell = CellRef(LOCAL, row, "数值") if local else CellRef(TABLE, row, "统计数")
    if compute is None:
        if records is None:
            raise ValueError(f"statistic {key!r} needs a compute or its records")
        compute = _count(records)
    register(
        Statistic(
            key, row, compute, {"2014": cell}, unit=unit, precision=precision, records=records, **aggregate
        )
    )


def _count(records: Records) -> Callable[[Context], Number]:
    return lambda c: records(c).count()


def grouped(ctx: Context, name: str, qs: Callable[[], QuerySet[Any, Any]]) -> dict[object, int]:
    """One GROUP BY query per computation, memoised: {group value: count}."""
    return ctx.memo(name, lambda: {row["g"]: row["n"] for row in qs()})  # type: ignore[no-any-return]


# 一、主动公开 ----------------------------------------------------------------------------------------


def _published(ctx: Context) -> PublicationQuerySet:
    return ctx.bodies(Publication.objects.published_in(ctx.year))


def _postings(ctx: Context) -> QuerySet[PublicationChannel]:
    return ctx.bodies(PublicationChannel.objects.filter(published_on__year=ctx.year), "publication__body")


def _by_category(ctx: Context, category: str) -> int:
    """Distinct items per channel category: one grouped COUNT(DISTINCT) for the five rows. (A DISTINCT
    subquery counted per group measured slower on SQLite and PostgreSQL; benchmarks/report_rollup.py.)"""

    def query() -> QuerySet[Any, Any]:
        return (
            _postings(ctx)
            .values(g=F("channel__kind__category"))
            .annotate(n=Count("publication", distinct=True))
        )

    return grouped(ctx, "postings.category", query).get(category, 0)


def _category_items(category: str) -> Records:
    """The distinct items behind one channel row (drill-down of ``_by_category``)."""
    return lambda c: Publication.objects.filter(
        pk__in=_postings(c).filter(channel__kind__category=category).values("publication")
    )


def _channel_stat(key: str, row: str, category: str) -> None:
    stat(key, row, lambda c: _by_category(c, category), records=_category_items(category))


stat("p14.items", P1, records=_published)
stat(
    "p14.normative_published", P1 + "/其中：主动公开规范性文件数", records=lambda c: _published(c).normative()
)
stat(
    "p14.normative_issued",
    P1 + "/其中：制发规范性文件总数",
    records=lambda c: c.bodies(Publication.objects.normative().filter(issued_on__year=c.year)),
)
_channel_stat("p14.gazette", P2 + "1.政府公报公开政府信息数", "gazette")
_channel_stat("p14.website", P2 + "2.政府网站公开政府信息数", "website")
_channel_stat("p14.weibo", P2 + "3.政务微博公开政府信息数", "weibo")
_channel_stat("p14.wechat", P2 + "4.政务微信公开政府信息数", "wechat")
_channel_stat("p14.other", P2 + "5.其他方式公开政府信息数", "other")

# 二、回应解读 ----------------------------------------------------------------------------------------


def _actions(ctx: Context) -> QuerySet[ResponseAction]:
    """Response actions held in the year, by the body that held them (a conference or interview may answer no
    single event: it counts in its own row, not as an event)."""
    return ctx.bodies(ResponseAction.objects.filter(held_on__year=ctx.year))


def _action_counts(ctx: Context, kind: str, leader: bool = False) -> int:
    def query() -> QuerySet[Any, Any]:
        return (
            _actions(ctx)
            .values(g=F("kind"))
            .annotate(n=Count("id"), leaders=Count("id", filter=Q(principal_leader=True)))
        )

    rows = ctx.memo("actions.kind", lambda: {r["g"]: r for r in query()})
    row = rows.get(kind)
    return 0 if row is None else int(row["leaders" if leader else "n"])


def _action_stat(key: str, row: str, kind: str, leader: bool = False) -> None:
    """A response row: grouped by kind for the report, the kind's actions for the drill-down."""

    def records(c: Context) -> QuerySet[ResponseAction]:
        qs = _actions(c).filter(kind=kind)
        return qs.filter(principal_leader=True) if leader else qs

    stat(key, row, lambda c: _action_counts(c, kind, leader), records=records)


stat(
    "r14.events",
    R + "（一）回应公众关注热点或重大舆情数（不同方式回应同一热点或舆情计1次）",
    lambda c: _actions(c).aggregate(n=Count("event", distinct=True))["n"],
    records=lambda c: PublicConcernEvent.objects.filter(
        pk__in=_actions(c).filter(event__isnull=False).values("event")
    ),
)
_action_stat("r14.press", R2 + "1.参加或举办新闻发布会总次数", ResponseKind.PRESS_CONFERENCE)
_action_stat(
    "r14.press_leader",
    R2 + "1.参加或举办新闻发布会总次数/其中：主要负责同志参加新闻发布会次数",
    ResponseKind.PRESS_CONFERENCE,
    leader=True,
)
_action_stat("r14.interview", R2 + "2.政府网站在线访谈次数", ResponseKind.ONLINE_INTERVIEW)
_action_stat(
    "r14.interview_leader",
    R2 + "2.政府网站在线访谈次数/其中：主要负责同志参加政府网站在线访谈次数",
    ResponseKind.ONLINE_INTERVIEW,
    leader=True,
)
stat(
    "r14.interpretations",
    R2 + "3.政策解读稿件发布数",
    # 政策解读 (gongkai.engagement): every published catalog item of genre 解读, with or without its form record
    records=lambda c: _published(c).filter(is_interpretation()),
)
_action_stat("r14.weibo_wechat", R2 + "4.微博微信回应事件数", ResponseKind.WEIBO_WECHAT)
_action_stat("r14.other", R2 + "5.其他方式回应事件数", ResponseKind.OTHER)

# 三、依申请公开 --------------------------------------------------------------------------------------


def _received(ctx: Context) -> InformationRequestQuerySet:
    return ctx.bodies(InformationRequest.objects.received_in(ctx.year))


def _closed(ctx: Context) -> InformationRequestQuerySet:
    return ctx.bodies(InformationRequest.objects.closed_in(ctx.year))


def _received_by_channel(ctx: Context) -> dict[object, int]:
    return grouped(
        ctx, "requests.channel", lambda: _received(ctx).values(g=F("channel")).annotate(n=Count("id"))
    )


def _answers(ctx: Context) -> dict[object, int]:
    return grouped(
        ctx, "requests.outcome", lambda: _closed(ctx).values(g=F("outcome")).annotate(n=Count("id"))
    )


def _channel_row(key: str, row: str, *channels: str) -> None:
    """A receipt channel row (e-mail counts as 网络申请 in this table)."""
    stat(
        key,
        row,
        lambda c: sum(_received_by_channel(c).get(ch, 0) for ch in channels),
        records=lambda c: _received(c).filter(channel__in=channels),
    )


def _answer(key: str, row: str, code: str) -> None:
    stat(key, row, lambda c: _answers(c).get(code, 0), records=lambda c: _closed(c).filter(outcome=code))


stat("a14.received", A1, lambda c: sum(_received_by_channel(c).values()), records=_received)
_channel_row("a14.in_person", A1 + "/1.当面申请数", "in_person")
_channel_row("a14.fax", A1 + "/2.传真申请数", "fax")
_channel_row("a14.online", A1 + "/3.网络申请数", "online", "email")
_channel_row("a14.letter", A1 + "/4.信函申请数", "letter")
stat("a14.closed", A2, records=_closed)
stat("a14.on_time", A2 + "/1.按时办结数", records=lambda c: _closed(c).on_time())
stat("a14.extended", A2 + "/2.延期办结数", records=lambda c: _closed(c).extended())
stat("a14.answered", A3, lambda c: sum(_answers(c).values()), records=_closed)
_answer("a14.already_public", A3 + "/1.属于已主动公开范围数", "2008.already_public")
_answer("a14.disclosed", A3 + "/2.同意公开答复数", "2008.disclosed")
_answer("a14.partly", A3 + "/3.同意部分公开答复数", "2008.partly_disclosed")
stat(
    "a14.refused",
    A34,
    lambda c: sum(n for code, n in _answers(c).items() if str(code).startswith("2008.refused.")),
    records=lambda c: _closed(c).filter(outcome__startswith="2008.refused."),
)
_answer("a14.refused.state_secret", A34 + "/其中：涉及国家秘密", "2008.refused.state_secret")
_answer("a14.refused.commercial_secret", A34 + "/其中：涉及商业秘密", "2008.refused.commercial_secret")
_answer("a14.refused.privacy", A34 + "/其中：涉及个人隐私", "2008.refused.privacy")
_answer(
    "a14.refused.three_security",
    A34 + "/其中：危及国家安全、公共安全、经济安全和社会稳定",
    "2008.refused.three_security",
)
_answer("a14.refused.not_gov_info", A34 + "/其中：不是《条例》所指政府信息", "2008.refused.not_gov_info")
_answer("a14.refused.other_law", A34 + "/其中：法律法规规定的其他情形", "2008.refused.other_law")
_answer("a14.not_this_body", A3 + "/5.不属于本行政机关公开数", "2008.not_this_body")
_answer("a14.not_exist", A3 + "/6.申请信息不存在数", "2008.not_exist")
_answer("a14.told_supplement", A3 + "/7.告知作出更改补充数", "2008.told_supplement")
_answer("a14.told_other_channel", A3 + "/8.告知通过其他途径办理数", "2008.told_other_channel")

# 四、五 复议 诉讼；六 举报投诉；七 收费 ----------------------------------------------------------------


RemedyModel = type[AdministrativeReview] | type[Lawsuit]


def _filed(model: RemedyModel) -> Records:
    return lambda c: c.bodies(model.objects.filter(filed_on__year=c.year))


def _remedy_rows(model: RemedyModel, name: str, key: str, row: str) -> None:
    """行政复议 / 行政诉讼 by outcome: one grouped query per report; undecided cases count under 其他情形."""
    filed = _filed(model)

    def counts(c: Context) -> dict[object, int]:
        return grouped(c, name, lambda: filed(c).values(g=F("outcome")).annotate(n=Count("id")))

    def outcome_row(suffix: str, label: str, *codes: str) -> None:
        stat(
            f"{key}.{suffix}",
            row + label,
            lambda c: sum(counts(c).get(code, 0) for code in codes),
            records=lambda c: filed(c).filter(outcome__in=codes),
        )

    stat(f"{key}.total", row, lambda c: sum(counts(c).values()), records=filed)
    upheld = (
        "/（一）维持具体行政行为数"
        if model is AdministrativeReview
        else "/（一）维持具体行政行为或者驳回原告诉讼请求数"
    )
    outcome_row("upheld", upheld, RemedyOutcome.UPHELD)
    outcome_row("corrected", "/（二）被依法纠错数", RemedyOutcome.CORRECTED)
    outcome_row("other", "/（三）其他情形数", RemedyOutcome.OTHER, RemedyOutcome.PENDING)


_remedy_rows(AdministrativeReview, "reviews.outcome", "rv14", RV)
_remedy_rows(Lawsuit, "lawsuits.outcome", "ls14", LS)
stat(
    "c14.complaints",
    "六、举报投诉数量",
    records=lambda c: c.bodies(Complaint.objects.filter(received_on__year=c.year)),
)


def _fees(c: Context) -> QuerySet[FeeCollected]:
    return c.bodies(FeeCollected.objects.filter(collected_on__year=c.year))


stat(
    "f14.fees",
    "七、依申请公开信息收取的费用（万元）",
    lambda c: Decimal(_fees(c).aggregate(s=Coalesce(Sum("amount_yuan"), Decimal(0)))["s"]) / 10000,
    records=_fees,
    unit=Unit.WAN_YUAN,
    precision=2,
    measure=Sum("amount_yuan"),
    divisor=10000,
)

# 八、九 机构、经费、会议和培训 (per-body yearly figures) ------------------------------------------------

FIGURE_FIELDS = (
    "dedicated_offices",
    "reading_points",
    "fulltime_staff",
    "parttime_staff",
    "budget_wan_yuan",
    "meetings",
    "training_sessions",
    "people_trained",
)


def _figure_rows(ctx: Context) -> QuerySet[YearlyFigures]:
    return ctx.bodies(YearlyFigures.objects.filter(year=ctx.year))


def _figures(ctx: Context) -> dict[str, Number]:
    def query() -> dict[str, Number]:
        sums = _figure_rows(ctx).aggregate(
            **{
                f: Coalesce(Sum(f), 0) if f != "budget_wan_yuan" else Coalesce(Sum(f), Decimal(0))
                for f in FIGURE_FIELDS
            }
        )
        return {k: v for k, v in sums.items()}

    return ctx.memo("figures", query)  # type: ignore[no-any-return]


def _figure(name: str) -> Callable[[Context], Number]:
    return lambda c: _figures(c)[name]


def _entered(*names: str) -> Records:
    """The bodies' entered rows behind a figure, each annotated with its own ``figure`` (drill-down)."""
    total: Any = F(names[0])
    for name in names[1:]:
        total = total + F(name)
    return lambda c: _figure_rows(c).annotate(figure=total)


def _figure_stat(key: str, row: str, name: str, **kwargs: Any) -> None:
    stat(key, row, _figure(name), records=_entered(name), **kwargs)


_figure_stat("s14.offices", S8 + "（一）政府信息公开工作专门机构数", "dedicated_offices")
_figure_stat("s14.reading_points", S8 + "（二）设置政府信息公开查阅点数", "reading_points")
stat(
    "s14.staff",
    S8 + "（三）从事政府信息公开工作人员数",
    lambda c: int(_figures(c)["fulltime_staff"]) + int(_figures(c)["parttime_staff"]),
    records=_entered("fulltime_staff", "parttime_staff"),
)
_figure_stat("s14.fulltime", S8 + "（三）从事政府信息公开工作人员数/1.专职人员数", "fulltime_staff")
_figure_stat("s14.parttime", S8 + "（三）从事政府信息公开工作人员数/2.兼职人员数", "parttime_staff")
_figure_stat(
    "s14.budget",
    S8 + "（四）政府信息公开专项经费（万元）",
    "budget_wan_yuan",
    unit=Unit.WAN_YUAN,
    precision=2,
)
_figure_stat("s14.meetings", S9 + "（一）召开政府信息公开工作会议或专题会议数", "meetings")
_figure_stat("s14.trainings", S9 + "（二）举办各类培训班数", "training_sessions")
_figure_stat("s14.trained", S9 + "（三）接受培训人员数", "people_trained")

# 地方补充指标 (the seed's local items) -------------------------------------------------------------


def _calls(ctx: Context) -> QuerySet[Ticket]:
    """12345 hotline tickets received in the year (gongkai.hotline); completed: those completed by 31 December."""
    return ctx.bodies(Ticket.objects.filter(received_at__year=ctx.year))


def _letters(ctx: Context) -> QuerySet[MailboxLetter]:
    return ctx.bodies(MailboxLetter.objects.filter(received_on__year=ctx.year))


stat("l.hotline.calls", "市长热线/来电数", records=_calls, local=True)
stat(
    "l.hotline.completed",
    "市长热线/办结数",
    records=lambda c: _calls(c).filter(completed_at__isnull=False, completed_at__year__lte=c.year),
    local=True,
)
stat(
    "l.hotline.rate",
    "市长热线/办结率（%）",
    lambda c: percent(c.value("l.hotline.completed"), c.value("l.hotline.calls"), 1),
    local=True,
    unit=Unit.PERCENT,
    precision=1,
)
stat("l.mailbox.letters", "书记市长信箱/来信数", records=_letters, local=True)
stat(
    "l.mailbox.replied",
    "书记市长信箱/回复数",
    records=lambda c: _letters(c).filter(replied_on__isnull=False, replied_on__year__lte=c.year),
    local=True,
)
stat(
    "l.mailbox.rate",
    "书记市长信箱/办复率（%）",
    lambda c: percent(c.value("l.mailbox.replied"), c.value("l.mailbox.letters"), 2),
    local=True,
    unit=Unit.PERCENT,
    precision=2,
)


def _portal_postings(ctx: Context) -> QuerySet[PublicationChannel]:
    """Items on the body's own government portal (its channels flagged as portal), whoever published them."""
    return PublicationChannel.objects.filter(
        published_on__year=ctx.year, channel__owner=ctx.org, channel__is_portal=True
    )


def _own_documents_filter(ctx: Context) -> Q:
    """Documents of the government itself: published by it or its general office, with a document number."""
    bodies = Q(publication__body=ctx.org) | Q(
        publication__body__parent=ctx.org, publication__body__kind=OrgKind.GENERAL_OFFICE
    )
    return bodies & ~Q(publication__document_number="")


def _own_requests(ctx: Context) -> InformationRequestQuerySet:
    return InformationRequest.objects.received_in(ctx.year).filter(body=ctx.org)


stat(
    "l.portal.items",
    "市政府网站/主动公开信息数",
    lambda c: _portal_postings(c).aggregate(n=Count("publication", distinct=True))["n"],
    records=lambda c: Publication.objects.filter(pk__in=_portal_postings(c).values("publication")),
    local=True,
    additive=False,  # the body's own portal: the same in own and subtree scope
)


def _portal_documents(c: Context) -> QuerySet[PublicationChannel]:
    return _portal_postings(c).filter(_own_documents_filter(c))


stat(
    "l.portal.documents",
    "市政府网站/发布市政府文件数",
    lambda c: _portal_documents(c).aggregate(n=Count("publication", distinct=True))["n"],
    records=lambda c: Publication.objects.filter(pk__in=_portal_documents(c).values("publication")),
    local=True,
    additive=False,  # the body's own portal: the same in own and subtree scope
)
stat(
    "l.portal.requests",
    "市政府网站/受理政府信息公开申请数",
    records=_own_requests,
    local=True,
    additive=False,
)
stat(
    "l.portal.on_time",
    "市政府网站/按时办结数",
    records=lambda c: _own_requests(c).on_time(),
    local=True,
    additive=False,
)
