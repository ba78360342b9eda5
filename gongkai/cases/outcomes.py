"""Answer types (办理结果) of requests, coded per legal regime — defined once, with labels.

2008 regime: the answers of the 2014 national table (2008 Regulations arts 21-24).
2019 regime: the Table 3 rows of the 2019/2021 report formats (2019 Regulations arts 36-39).
The mapping of 2008 answers onto Table 3 rows is data (``OutcomeMapping``, seeded from
statutory-reference §2, rows marked unconfirmed there are editable defaults).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Outcome:
    code: str
    regime: str
    label: str | Promise
    table3_row: str  # the default Table 3 (2021) row label path for this outcome
    mapping_confirmed: bool = True


T3 = "三、本年度办理结果/"
ROW_DISCLOSED = T3 + "（一）予以公开"
ROW_PARTLY = T3 + "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
ROW_OTHER = T3 + "（六）其他处理/3.其他"

OUTCOMES: tuple[Outcome, ...] = (
    # 2008 regime (2014 table 三（三）)
    Outcome("2008.already_public", "2008", _("属于已主动公开范围"), ROW_DISCLOSED),
    Outcome("2008.disclosed", "2008", _("同意公开"), ROW_DISCLOSED),
    Outcome("2008.partly_disclosed", "2008", _("同意部分公开"), ROW_PARTLY),
    Outcome(
        "2008.refused.state_secret",
        "2008",
        _("不同意公开：涉及国家秘密"),
        T3 + "（三）不予公开/1.属于国家秘密",
    ),
    Outcome(
        "2008.refused.commercial_secret",
        "2008",
        _("不同意公开：涉及商业秘密"),
        T3 + "（三）不予公开/4.保护第三方合法权益",
    ),
    Outcome(
        "2008.refused.privacy",
        "2008",
        _("不同意公开：涉及个人隐私"),
        T3 + "（三）不予公开/4.保护第三方合法权益",
    ),
    Outcome(
        "2008.refused.three_security",
        "2008",
        _("不同意公开：危及国家安全、公共安全、经济安全和社会稳定"),
        T3 + "（三）不予公开/3.危及“三安全一稳定”",
    ),
    Outcome(
        "2008.refused.not_gov_info",
        "2008",
        _("不同意公开：不是《条例》所指政府信息"),
        ROW_OTHER,
        mapping_confirmed=False,
    ),
    Outcome(
        "2008.refused.other_law",
        "2008",
        _("不同意公开：法律法规规定的其他情形"),
        T3 + "（三）不予公开/2.其他法律行政法规禁止公开",
    ),
    Outcome(
        "2008.not_this_body",
        "2008",
        _("不属于本行政机关公开"),
        T3 + "（四）无法提供/1.本机关不掌握相关政府信息",
    ),
    Outcome("2008.not_exist", "2008", _("申请信息不存在"), T3 + "（四）无法提供/1.本机关不掌握相关政府信息"),
    Outcome("2008.told_supplement", "2008", _("告知作出更改补充"), ROW_OTHER, mapping_confirmed=False),
    Outcome("2008.told_other_channel", "2008", _("告知通过其他途径办理"), ROW_OTHER, mapping_confirmed=False),
    # 2019 regime (2021 Table 3 rows)
    Outcome("2019.already_public", "2019", _("已主动公开（告知获取途径）"), ROW_DISCLOSED),
    Outcome("2019.disclosed", "2019", _("予以公开"), ROW_DISCLOSED),
    Outcome("2019.partly_disclosed", "2019", _("部分公开"), ROW_PARTLY),
    Outcome(
        "2019.refused.state_secret", "2019", _("不予公开：属于国家秘密"), T3 + "（三）不予公开/1.属于国家秘密"
    ),
    Outcome(
        "2019.refused.other_law",
        "2019",
        _("不予公开：其他法律行政法规禁止公开"),
        T3 + "（三）不予公开/2.其他法律行政法规禁止公开",
    ),
    Outcome(
        "2019.refused.three_security",
        "2019",
        _("不予公开：危及“三安全一稳定”"),
        T3 + "（三）不予公开/3.危及“三安全一稳定”",
    ),
    Outcome(
        "2019.refused.third_party",
        "2019",
        _("不予公开：保护第三方合法权益"),
        T3 + "（三）不予公开/4.保护第三方合法权益",
    ),
    Outcome(
        "2019.refused.internal",
        "2019",
        _("不予公开：属于三类内部事务信息"),
        T3 + "（三）不予公开/5.属于三类内部事务信息",
    ),
    Outcome(
        "2019.refused.process",
        "2019",
        _("不予公开：属于四类过程性信息"),
        T3 + "（三）不予公开/6.属于四类过程性信息",
    ),
    Outcome(
        "2019.refused.enforcement_file",
        "2019",
        _("不予公开：属于行政执法案卷"),
        T3 + "（三）不予公开/7.属于行政执法案卷",
    ),
    Outcome(
        "2019.refused.inquiry",
        "2019",
        _("不予公开：属于行政查询事项"),
        T3 + "（三）不予公开/8.属于行政查询事项",
    ),
    Outcome(
        "2019.unable.not_held",
        "2019",
        _("无法提供：本机关不掌握相关政府信息"),
        T3 + "（四）无法提供/1.本机关不掌握相关政府信息",
    ),
    Outcome(
        "2019.unable.needs_creation",
        "2019",
        _("无法提供：没有现成信息需要另行制作"),
        T3 + "（四）无法提供/2.没有现成信息需要另行制作",
    ),
    Outcome(
        "2019.unable.unclear",
        "2019",
        _("无法提供：补正后申请内容仍不明确"),
        T3 + "（四）无法提供/3.补正后申请内容仍不明确",
    ),
    Outcome(
        "2019.not_processed.petition",
        "2019",
        _("不予处理：信访举报投诉类申请"),
        T3 + "（五）不予处理/1.信访举报投诉类申请",
    ),
    Outcome("2019.not_processed.repeat", "2019", _("不予处理：重复申请"), T3 + "（五）不予处理/2.重复申请"),
    Outcome(
        "2019.not_processed.publication",
        "2019",
        _("不予处理：要求提供公开出版物"),
        T3 + "（五）不予处理/3.要求提供公开出版物",
    ),
    Outcome(
        "2019.not_processed.excessive",
        "2019",
        _("不予处理：无正当理由大量反复申请"),
        T3 + "（五）不予处理/4.无正当理由大量反复申请",
    ),
    Outcome(
        "2019.not_processed.confirm",
        "2019",
        _("不予处理：要求行政机关确认或重新出具已获取信息"),
        T3 + "（五）不予处理/5.要求行政机关确认或重新出具已获取信息",
    ),
    Outcome(
        "2019.other.no_supplement",
        "2019",
        _("其他处理：申请人无正当理由逾期不补正"),
        T3 + "（六）其他处理/1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    ),
    Outcome(
        "2019.other.unpaid_fee",
        "2019",
        _("其他处理：申请人逾期未按收费通知要求缴纳费用"),
        T3 + "（六）其他处理/2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    ),
    Outcome("2019.other.other", "2019", _("其他处理：其他"), ROW_OTHER),
)

BY_CODE: dict[str, Outcome] = {o.code: o for o in OUTCOMES}
CHOICES: list[tuple[str, str | Promise]] = [(o.code, o.label) for o in OUTCOMES]


def codes_for_regime(regime: str) -> list[str]:
    return [o.code for o in OUTCOMES if o.regime == regime]


DISCLOSING = frozenset({"2008.already_public", "2008.disclosed", "2019.already_public", "2019.disclosed"})
PARTLY = frozenset({"2008.partly_disclosed", "2019.partly_disclosed"})


def combined_outcome(item_outcomes: list[str]) -> str:
    """The request's outcome from its items' (documented precedence, docs/cases.md):

    1. all items alike → that outcome;
    2. any item partly disclosed, or some disclosed and some not → partly disclosed (Table 3 （二）: "区分处理的，
       只计这一情形，不计其他情形");
    3. otherwise (every item withheld, for different reasons) → the first of them in the order of the Table 3
       rows (不予公开 before 无法提供 before 不予处理 before 其他处理).
    """
    if not item_outcomes:
        raise ValueError("no items")
    distinct = set(item_outcomes)
    if len(distinct) == 1:
        return item_outcomes[0]
    regime = BY_CODE[item_outcomes[0]].regime
    partly = f"{regime}.partly_disclosed"
    if distinct & PARTLY or (distinct & DISCLOSING and distinct - DISCLOSING):
        return partly
    if distinct <= DISCLOSING:
        return f"{regime}.disclosed"
    order = [o.code for o in OUTCOMES]
    return min(distinct, key=order.index)
