"""The legal basis an answer cites, by outcome (statutory-reference §2; 2019 Regulations arts 14-16, 30, 35-39;
2008 Regulations art 21): data, so the clerk picks from the articles that fit the outcome, never types one.

``choices(outcome)`` lists the citations for an outcome, the first being the default. A partial disclosure
(2019 art 37; 2008 art 22) also names why the withheld part is withheld: one of ``WITHHELD_GROUNDS``, each with
its article.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ART36 = "《条例》第三十六条第（%s）项"


def _art36(item: str, *before: str) -> tuple[str, ...]:
    return (*[f"《条例》{a}、第三十六条第（{item}）项" for a in before], ART36 % item)


# 2019 regime: the article and item of art 36 the answer follows, with the article that grounds it first.
BASES_2019: dict[str, tuple[str, ...]] = {
    "2019.already_public": _art36("一"),
    "2019.disclosed": _art36("二"),
    "2019.partly_disclosed": ("《条例》第三十七条",),
    "2019.refused.state_secret": ("《条例》第十四条、第三十六条第（三）项",),
    "2019.refused.other_law": ("《条例》第十四条、第三十六条第（三）项",),
    "2019.refused.three_security": ("《条例》第十四条、第三十六条第（三）项",),
    "2019.refused.third_party": (
        "《条例》第十五条、第三十六条第（三）项",
        "《条例》第十五条、第三十二条、第三十六条第（三）项",
    ),
    "2019.refused.internal": ("《条例》第十六条、第三十六条第（三）项",),
    "2019.refused.process": ("《条例》第十六条、第三十六条第（三）项",),
    "2019.refused.enforcement_file": ("《条例》第十六条、第三十六条第（三）项",),
    "2019.refused.inquiry": ("《条例》第三十六条第（七）项", "《条例》第三十六条第（三）项"),
    "2019.unable.not_held": (ART36 % "四", ART36 % "五"),
    "2019.unable.needs_creation": ("《条例》第三十八条",),
    "2019.unable.unclear": ("《条例》第三十条、第三十六条",),
    "2019.not_processed.petition": ("《条例》第三十九条",),
    "2019.not_processed.repeat": (ART36 % "六",),
    "2019.not_processed.publication": ("《条例》第三十九条",),
    "2019.not_processed.excessive": ("《条例》第三十五条",),
    "2019.not_processed.confirm": ("《条例》第三十九条",),
    "2019.other.no_supplement": ("《条例》第三十条",),
    "2019.other.unpaid_fee": ("《条例》第四十二条", "《政府信息公开信息处理费管理办法》"),
    "2019.other.other": ("《条例》第三十六条",),
}
BASES_2008: dict[str, tuple[str, ...]] = {
    "2008.partly_disclosed": ("《条例》（2008年）第二十二条、第二十一条",),
    "2008.refused.state_secret": ("《条例》（2008年）第十四条、第二十一条第（二）项",),
    "2008.refused.commercial_secret": ("《条例》（2008年）第十四条、第二十三条、第二十一条第（二）项",),
    "2008.refused.privacy": ("《条例》（2008年）第十四条、第二十三条、第二十一条第（二）项",),
    "2008.refused.three_security": ("《条例》（2008年）第八条、第二十一条第（二）项",),
    "2008.refused.other_law": ("《条例》（2008年）第二十一条第（二）项",),
    "2008.refused.not_gov_info": ("《条例》（2008年）第二条、第二十一条",),
    "2008.not_this_body": ("《条例》（2008年）第二十一条第（三）项",),
    "2008.not_exist": ("《条例》（2008年）第二十一条第（三）项",),
    "2008.told_supplement": ("《条例》（2008年）第二十一条第（四）项",),
    "2008.already_public": ("《条例》（2008年）第二十一条第（一）项",),
    "2008.disclosed": ("《条例》（2008年）第二十一条第（一）项",),
}
PARTLY = frozenset({"2019.partly_disclosed", "2008.partly_disclosed"})


def choices(outcome: str) -> tuple[str, ...]:
    """The citations an answer of ``outcome`` may state; the first is the default."""
    found = BASES_2019.get(outcome) or BASES_2008.get(outcome)
    if found:
        return found
    return ("《条例》（2008年）第二十一条",) if outcome.startswith("2008.") else ("《条例》第三十六条",)


def default(outcome: str) -> str:
    return choices(outcome)[0]


@dataclass(frozen=True)
class Ground:
    """Why a withheld part is withheld, and the article that says so."""

    code: str
    label: str | Promise
    article: str


WITHHELD_GROUNDS: tuple[Ground, ...] = (
    Ground("state_secret", _("属于国家秘密"), "《条例》第十四条"),
    Ground("other_law", _("法律、行政法规禁止公开"), "《条例》第十四条"),
    Ground("three_security", _("公开后可能危及国家安全、公共安全、经济安全、社会稳定"), "《条例》第十四条"),
    Ground("third_party", _("涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害"), "《条例》第十五条"),
    Ground("internal", _("属于内部事务信息"), "《条例》第十六条第一款"),
    Ground("process", _("属于过程性信息"), "《条例》第十六条第二款"),
    Ground("enforcement_file", _("属于行政执法案卷信息"), "《条例》第十六条第二款"),
)
GROUND_BY_CODE: dict[str, Ground] = {g.code: g for g in WITHHELD_GROUNDS}
