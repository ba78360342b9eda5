"""The catalog's vocabularies: topics (主题分类, two levels), genres (体裁) and key areas (重点领域).

The initial terms below are loaded by a data migration (labels are data, not UI strings). Afterwards staff
edit them on the vocabulary pages through the domain functions at the end of this module (each atomic and
audited). The terms have no "active" flag: a term is added, renamed, or deleted while no item uses it
(items hold them with PROTECT, so a term in use is never deleted; it can be renamed). Who may edit them is
``permissions.can_edit_vocabularies``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from gongkai.audit.log import Actor, record, snapshot
from gongkai.catalog.models import Genre, KeyArea, Publication, Topic

CHANNEL_KINDS: tuple[tuple[str, str, str], ...] = (
    ("website", "政府网站", "website"),
    ("gazette", "政府公报", "gazette"),
    ("weibo", "政务微博", "weibo"),
    ("wechat", "政务微信", "wechat"),
    ("app", "政务客户端", "other"),
    ("noticeboard", "公开栏、电子屏", "other"),
    ("media", "报刊、广播、电视", "other"),
    ("reading_room", "档案馆、图书馆、查阅点", "other"),
    ("other", "其他方式", "other"),
)

GENRES: tuple[tuple[str, str], ...] = (
    ("ling", "政府令"),
    ("jueding", "决定"),
    ("gonggao", "公告"),
    ("tonggao", "通告"),
    ("yijian", "意见"),
    ("tongzhi", "通知"),
    ("tongbao", "通报"),
    ("baogao", "报告"),
    ("pifu", "批复"),
    ("han", "函"),
    ("jiyao", "纪要"),
    ("jiedu", "解读"),
    ("qita", "其他"),
)

TOPICS: tuple[tuple[str, str, str | None], ...] = (
    ("01", "综合政务", None),
    ("0101", "政务公开", "01"),
    ("0102", "政务督查", "01"),
    ("0103", "应急管理", "01"),
    ("02", "国民经济管理、国有资产监管", None),
    ("03", "财政、金融、审计", None),
    ("04", "国土资源、能源", None),
    ("05", "农业、林业、水利", None),
    ("06", "工业、交通", None),
    ("07", "商贸、海关、旅游", None),
    ("08", "市场监管、安全生产监管", None),
    ("09", "城乡建设、环境保护", None),
    ("10", "科技、教育", None),
    ("11", "文化、广电、新闻出版", None),
    ("12", "卫生、体育", None),
    ("13", "人口与计划生育、妇女儿童工作", None),
    ("14", "劳动、人事、监察", None),
    ("15", "公安、安全、司法", None),
    ("16", "民政、扶贫、救灾", None),
    ("17", "民族、宗教", None),
    ("18", "其他", None),
)

KEY_AREAS: tuple[tuple[str, str], ...] = (
    ("approval", "行政审批"),
    ("penalty", "行政处罚"),
    ("finance", "财政资金"),
    ("land_acquisition", "征地拆迁"),
    ("land_rights", "国有建设用地使用权和矿业权出让"),
    ("rural_land", "农村土地承包经营权流转"),
    ("housing", "保障性住房"),
    ("procurement", "政府采购"),
    ("construction", "工程建设项目"),
    ("science", "科技管理和项目经费"),
    ("health", "医疗卫生"),
    ("employment", "就业"),
    ("social_security", "社会保障"),
    ("environment", "环境保护"),
    ("work_safety", "安全生产"),
    ("soe_finance", "国有企业财务"),
    ("food_drug", "食品药品安全"),
)


Term = Topic | Genre | KeyArea
VOCABULARIES: dict[str, type[Topic] | type[Genre] | type[KeyArea]] = {
    "topic": Topic,
    "genre": Genre,
    "area": KeyArea,
}
USED_BY = {Topic: "topic", Genre: "genre", KeyArea: "key_area"}  # the Publication field holding each kind
SYSTEM_CODES: dict[type[models.Model], set[str]] = {
    Genre: {Genre.INTERPRETATION}
}  # the code logic relies on (an interpretation's link)


def kind_of(term: Term) -> str:
    return next(kind for kind, model in VOCABULARIES.items() if isinstance(term, model))


def usage_counts(model: type[models.Model]) -> dict[int, int]:
    """How many items use each term (one aggregate query); a topic counts its own items only."""
    field = USED_BY[model]
    rows = (
        Publication.objects.filter(**{f"{field}__isnull": False})
        .values(field)
        .annotate(n=models.Count("id"))
        .values_list(field, "n")
    )
    return dict(rows)


def _clean_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("请填写名称")})
    return name


@transaction.atomic
def add_term(actor: Actor, kind: str, *, code: str, name: str, parent: Topic | None = None) -> Term:
    """Add a term. A topic is either first-level or below a first-level topic, and its code starts with its
    parent's code (0101 below 01), as in the national 主题分类."""
    model = VOCABULARIES[kind]
    code = code.strip()
    fields: dict[str, Any] = {"code": code, "name": _clean_name(name)}
    if model is Topic:
        if parent is not None and parent.parent_id is not None:
            raise ValidationError({"parent": _("主题分类只有两级：上级分类须为一级分类")})
        if parent is not None and not code.startswith(parent.code):
            raise ValidationError(
                {"code": _("二级分类的代码须以上级分类的代码%(c)s开头") % {"c": parent.code}}
            )
        fields["parent"] = parent
    elif parent is not None:
        raise ValidationError({"parent": _("只有主题分类分级")})
    term = model(**fields)
    term.full_clean()
    term.save()
    record(actor, f"vocabulary.{kind}.add", term, after=snapshot(term), summary=f"{code} {term.name}")
    return term


@transaction.atomic
def rename_term(actor: Actor, term: Term, *, name: str) -> Term:
    """Rename a term (items keep it; the code never changes)."""
    term = type(term).objects.select_for_update().get(pk=term.pk)
    before = snapshot(term)
    term.name = _clean_name(name)
    term.full_clean()
    term.save(update_fields=["name"])
    record(
        actor,
        f"vocabulary.{kind_of(term)}.rename",
        term,
        before=before,
        after=snapshot(term),
        summary=f"{before['name']} → {term.name}",
    )
    return term


@transaction.atomic
def delete_term(actor: Actor, term: Term) -> None:
    """Delete a term no item uses (and, for a topic, without second-level topics); otherwise refuse and say
    why. A term logic relies on (体裁“解读”) is never deleted."""
    model = type(term)
    term = model.objects.select_for_update().get(pk=term.pk)
    if term.code in SYSTEM_CODES.get(model, set()):
        raise ValidationError(_("“%(n)s”为系统使用的体裁，不能删除") % {"n": term.name})
    used = Publication.objects.filter(**{USED_BY[model]: term}).count()
    if used:
        raise ValidationError(
            _("“%(n)s”正被%(c)s条政府信息使用，不能删除；可改名，或先修改这些信息的分类")
            % {"n": term.name, "c": used}
        )
    if isinstance(term, Topic) and term.children.exists():
        raise ValidationError(_("“%(n)s”下还有二级分类，不能删除") % {"n": term.name})
    before, pk = snapshot(term), str(term.pk)
    term.delete()
    record(
        actor,
        f"vocabulary.{kind_of(term)}.delete",
        object_type=model._meta.label_lower,
        object_id=pk,
        before=before,
        summary=f"{before['code']} {before['name']}",
    )
