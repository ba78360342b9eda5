"""Statistics of the 2014–2018 national table (国办发〔2014〕32号, statutory-reference §3.1) and the seed's
local items (地方补充指标), each declared once with its official label and its aggregate query.

Counting conventions (docs/statistics.md): an item counts in the year of its publication date; a channel row
counts the items posted on that channel category in the year (an item on several channels counts once in the
total, once per category); normative documents issued count by issue date; requests count by legal receipt
date, closures and answers by answer date; e-mail requests count as online requests in this table (it has no
e-mail row); reviews and lawsuits count by filing date, undecided ones under 其他情形 (the 2014 table has no
pending row); events count once however many ways they were answered.
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
from gongkai.catalog.models import Genre, Publication, PublicationChannel, PublicationQuerySet
from gongkai.engagement.models import (
    Complaint,
    HotlineCall,
    MailboxLetter,
    ResponseAction,
    ResponseKind,
    YearlyFigures,
)
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


def stat(
    key: str,
    row: str,
    compute: Callable[[Context], Number],
    *,
    local: bool = False,
    unit: Unit = Unit.COUNT,
    precision: int = 0,
) -> None:
    cell = CellRef(LOCAL, row, "数值") if local else CellRef(TABLE, row, "统计数")
    register(Statistic(key, row, compute, {"2014": cell}, unit=unit, precision=precision))


def grouped(ctx: Context, name: str, qs: Callable[[], QuerySet[Any, Any]]) -> dict[object, int]:
    """One GROUP BY query per computation, memoised: {group value: count}."""
    return ctx.memo(name, lambda: {row["g"]: row["n"] for row in qs()})  # type: ignore[no-any-return]


# 一、主动公开 ----------------------------------------------------------------------------------------


def _published(ctx: Context) -> PublicationQuerySet:
    return ctx.bodies(Publication.objects.published_in(ctx.year))


def _by_category(ctx: Context, category: str) -> int:
    """Distinct items per channel category: one grouped COUNT(DISTINCT) for the five rows. (A DISTINCT
    subquery counted per group measured slower on SQLite and PostgreSQL; benchmarks/report_rollup.py.)"""

    def query() -> QuerySet[Any, Any]:
        postings = PublicationChannel.objects.filter(published_on__year=ctx.year)
        postings = ctx.bodies(postings, "publication__body")
        return postings.values(g=F("channel__kind__category")).annotate(n=Count("publication", distinct=True))

    return grouped(ctx, "postings.category", query).get(category, 0)


stat("p14.items", P1, lambda c: _published(c).count())
stat(
    "p14.normative_published", P1 + "/其中：主动公开规范性文件数", lambda c: _published(c).normative().count()
)
stat(
    "p14.normative_issued",
    P1 + "/其中：制发规范性文件总数",
    lambda c: c.bodies(Publication.objects.normative().filter(issued_on__year=c.year)).count(),
)
stat("p14.gazette", P2 + "1.政府公报公开政府信息数", lambda c: _by_category(c, "gazette"))
stat("p14.website", P2 + "2.政府网站公开政府信息数", lambda c: _by_category(c, "website"))
stat("p14.weibo", P2 + "3.政务微博公开政府信息数", lambda c: _by_category(c, "weibo"))
stat("p14.wechat", P2 + "4.政务微信公开政府信息数", lambda c: _by_category(c, "wechat"))
stat("p14.other", P2 + "5.其他方式公开政府信息数", lambda c: _by_category(c, "other"))

# 二、回应解读 ----------------------------------------------------------------------------------------


def _actions(ctx: Context) -> QuerySet[ResponseAction]:
    return ctx.bodies(ResponseAction.objects.filter(held_on__year=ctx.year), "event__body")


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


stat(
    "r14.events",
    R + "（一）回应公众关注热点或重大舆情数（不同方式回应同一热点或舆情计1次）",
    lambda c: _actions(c).aggregate(n=Count("event", distinct=True))["n"],
)
stat(
    "r14.press",
    R2 + "1.参加或举办新闻发布会总次数",
    lambda c: _action_counts(c, ResponseKind.PRESS_CONFERENCE),
)
stat(
    "r14.press_leader",
    R2 + "1.参加或举办新闻发布会总次数/其中：主要负责同志参加新闻发布会次数",
    lambda c: _action_counts(c, ResponseKind.PRESS_CONFERENCE, leader=True),
)
stat(
    "r14.interview", R2 + "2.政府网站在线访谈次数", lambda c: _action_counts(c, ResponseKind.ONLINE_INTERVIEW)
)
stat(
    "r14.interview_leader",
    R2 + "2.政府网站在线访谈次数/其中：主要负责同志参加政府网站在线访谈次数",
    lambda c: _action_counts(c, ResponseKind.ONLINE_INTERVIEW, leader=True),
)
stat(
    "r14.interpretations",
    R2 + "3.政策解读稿件发布数",
    lambda c: _published(c).filter(genre__code=Genre.INTERPRETATION).count(),
)
stat("r14.weibo_wechat", R2 + "4.微博微信回应事件数", lambda c: _action_counts(c, ResponseKind.WEIBO_WECHAT))
stat("r14.other", R2 + "5.其他方式回应事件数", lambda c: _action_counts(c, ResponseKind.OTHER))

# 三、依申请公开 --------------------------------------------------------------------------------------


def _received_by_channel(ctx: Context) -> dict[object, int]:
    return grouped(
        ctx,
        "requests.channel",
        lambda: (
            ctx.bodies(InformationRequest.objects.received_in(ctx.year))
            .values(g=F("channel"))
            .annotate(n=Count("id"))
        ),
    )


def _answers(ctx: Context) -> dict[object, int]:
    return grouped(
        ctx,
        "requests.outcome",
        lambda: (
            ctx.bodies(InformationRequest.objects.closed_in(ctx.year))
            .values(g=F("outcome"))
            .annotate(n=Count("id"))
        ),
    )


def _answer(code: str) -> Callable[[Context], int]:
    return lambda c: _answers(c).get(code, 0)


def _answer_sum(prefix: str) -> Callable[[Context], int]:
    return lambda c: sum(n for code, n in _answers(c).items() if str(code).startswith(prefix))


stat("a14.received", A1, lambda c: sum(_received_by_channel(c).values()))
stat("a14.in_person", A1 + "/1.当面申请数", lambda c: _received_by_channel(c).get("in_person", 0))
stat("a14.fax", A1 + "/2.传真申请数", lambda c: _received_by_channel(c).get("fax", 0))
stat(
    "a14.online",
    A1 + "/3.网络申请数",
    lambda c: _received_by_channel(c).get("online", 0) + _received_by_channel(c).get("email", 0),
)
stat("a14.letter", A1 + "/4.信函申请数", lambda c: _received_by_channel(c).get("letter", 0))
stat("a14.closed", A2, lambda c: c.bodies(InformationRequest.objects.closed_in(c.year)).count())
stat(
    "a14.on_time",
    A2 + "/1.按时办结数",
    lambda c: c.bodies(InformationRequest.objects.closed_in(c.year).on_time()).count(),
)
stat(
    "a14.extended",
    A2 + "/2.延期办结数",
    lambda c: c.bodies(InformationRequest.objects.closed_in(c.year).extended()).count(),
)
stat("a14.answered", A3, lambda c: sum(_answers(c).values()))
stat("a14.already_public", A3 + "/1.属于已主动公开范围数", _answer("2008.already_public"))
stat("a14.disclosed", A3 + "/2.同意公开答复数", _answer("2008.disclosed"))
stat("a14.partly", A3 + "/3.同意部分公开答复数", _answer("2008.partly_disclosed"))
stat("a14.refused", A34, _answer_sum("2008.refused."))
stat("a14.refused.state_secret", A34 + "/其中：涉及国家秘密", _answer("2008.refused.state_secret"))
stat("a14.refused.commercial_secret", A34 + "/其中：涉及商业秘密", _answer("2008.refused.commercial_secret"))
stat("a14.refused.privacy", A34 + "/其中：涉及个人隐私", _answer("2008.refused.privacy"))
stat(
    "a14.refused.three_security",
    A34 + "/其中：危及国家安全、公共安全、经济安全和社会稳定",
    _answer("2008.refused.three_security"),
)
stat(
    "a14.refused.not_gov_info", A34 + "/其中：不是《条例》所指政府信息", _answer("2008.refused.not_gov_info")
)
stat("a14.refused.other_law", A34 + "/其中：法律法规规定的其他情形", _answer("2008.refused.other_law"))
stat("a14.not_this_body", A3 + "/5.不属于本行政机关公开数", _answer("2008.not_this_body"))
stat("a14.not_exist", A3 + "/6.申请信息不存在数", _answer("2008.not_exist"))
stat("a14.told_supplement", A3 + "/7.告知作出更改补充数", _answer("2008.told_supplement"))
stat("a14.told_other_channel", A3 + "/8.告知通过其他途径办理数", _answer("2008.told_other_channel"))

# 四、五 复议 诉讼；六 举报投诉；七 收费 ----------------------------------------------------------------


def _remedy(
    model: type[AdministrativeReview] | type[Lawsuit], name: str
) -> Callable[[Context], dict[object, int]]:
    return lambda c: grouped(
        c,
        name,
        lambda: (
            c.bodies(model.objects.filter(filed_on__year=c.year))
            .values(g=F("outcome"))
            .annotate(n=Count("id"))
        ),
    )


_reviews = _remedy(AdministrativeReview, "reviews.outcome")
_lawsuits = _remedy(Lawsuit, "lawsuits.outcome")


def _other_or_pending(counts: dict[object, int]) -> int:
    return counts.get(RemedyOutcome.OTHER, 0) + counts.get(RemedyOutcome.PENDING, 0)


stat("rv14.total", RV, lambda c: sum(_reviews(c).values()))
stat("rv14.upheld", RV + "/（一）维持具体行政行为数", lambda c: _reviews(c).get(RemedyOutcome.UPHELD, 0))
stat("rv14.corrected", RV + "/（二）被依法纠错数", lambda c: _reviews(c).get(RemedyOutcome.CORRECTED, 0))
stat("rv14.other", RV + "/（三）其他情形数", lambda c: _other_or_pending(_reviews(c)))
stat("ls14.total", LS, lambda c: sum(_lawsuits(c).values()))
stat(
    "ls14.upheld",
    LS + "/（一）维持具体行政行为或者驳回原告诉讼请求数",
    lambda c: _lawsuits(c).get(RemedyOutcome.UPHELD, 0),
)
stat("ls14.corrected", LS + "/（二）被依法纠错数", lambda c: _lawsuits(c).get(RemedyOutcome.CORRECTED, 0))
stat("ls14.other", LS + "/（三）其他情形数", lambda c: _other_or_pending(_lawsuits(c)))
stat(
    "c14.complaints",
    "六、举报投诉数量",
    lambda c: c.bodies(Complaint.objects.filter(received_on__year=c.year)).count(),
)
stat(
    "f14.fees",
    "七、依申请公开信息收取的费用（万元）",
    lambda c: (
        Decimal(
            c.bodies(FeeCollected.objects.filter(collected_on__year=c.year)).aggregate(
                s=Coalesce(Sum("amount_yuan"), Decimal(0))
            )["s"]
        )
        / 10000
    ),
    unit=Unit.WAN_YUAN,
    precision=2,
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


def _figures(ctx: Context) -> dict[str, Number]:
    def query() -> dict[str, Number]:
        sums = ctx.bodies(YearlyFigures.objects.filter(year=ctx.year)).aggregate(
            **{
                f: Coalesce(Sum(f), 0) if f != "budget_wan_yuan" else Coalesce(Sum(f), Decimal(0))
                for f in FIGURE_FIELDS
            }
        )
        return {k: v for k, v in sums.items()}

    return ctx.memo("figures", query)  # type: ignore[no-any-return]


def _figure(name: str) -> Callable[[Context], Number]:
    return lambda c: _figures(c)[name]


stat("s14.offices", S8 + "（一）政府信息公开工作专门机构数", _figure("dedicated_offices"))
stat("s14.reading_points", S8 + "（二）设置政府信息公开查阅点数", _figure("reading_points"))
stat(
    "s14.staff",
    S8 + "（三）从事政府信息公开工作人员数",
    lambda c: int(_figures(c)["fulltime_staff"]) + int(_figures(c)["parttime_staff"]),
)
stat("s14.fulltime", S8 + "（三）从事政府信息公开工作人员数/1.专职人员数", _figure("fulltime_staff"))
stat("s14.parttime", S8 + "（三）从事政府信息公开工作人员数/2.兼职人员数", _figure("parttime_staff"))
stat(
    "s14.budget",
    S8 + "（四）政府信息公开专项经费（万元）",
    _figure("budget_wan_yuan"),
    unit=Unit.WAN_YUAN,
    precision=2,
)
stat("s14.meetings", S9 + "（一）召开政府信息公开工作会议或专题会议数", _figure("meetings"))
stat("s14.trainings", S9 + "（二）举办各类培训班数", _figure("training_sessions"))
stat("s14.trained", S9 + "（三）接受培训人员数", _figure("people_trained"))

# 地方补充指标 (the seed's local items) -------------------------------------------------------------


def _calls(ctx: Context) -> QuerySet[HotlineCall]:
    return ctx.bodies(HotlineCall.objects.filter(received_at__year=ctx.year))


def _letters(ctx: Context) -> QuerySet[MailboxLetter]:
    return ctx.bodies(MailboxLetter.objects.filter(received_on__year=ctx.year))


stat("l.hotline.calls", "市长热线/来电数", lambda c: _calls(c).count(), local=True)
stat(
    "l.hotline.completed",
    "市长热线/办结数",
    lambda c: _calls(c).filter(completed_at__isnull=False, completed_at__year__lte=c.year).count(),
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
stat("l.mailbox.letters", "书记市长信箱/来信数", lambda c: _letters(c).count(), local=True)
stat(
    "l.mailbox.replied",
    "书记市长信箱/回复数",
    lambda c: _letters(c).filter(replied_on__isnull=False, replied_on__year__lte=c.year).count(),
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
    local=True,
)
stat(
    "l.portal.documents",
    "市政府网站/发布市政府文件数",
    lambda c: (
        _portal_postings(c)
        .filter(_own_documents_filter(c))
        .aggregate(n=Count("publication", distinct=True))["n"]
    ),
    local=True,
)
stat("l.portal.requests", "市政府网站/受理政府信息公开申请数", lambda c: _own_requests(c).count(), local=True)
stat("l.portal.on_time", "市政府网站/按时办结数", lambda c: _own_requests(c).on_time().count(), local=True)
