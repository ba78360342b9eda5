"""What each good row means for the catalog: a new publication, a new version, a workflow step (published,
withdrawn, a review, a channel, a repeal date) or nothing — with the invariants of ``catalog.transitions``:

- publishing needs a passed confidentiality review (保密审查) of the version published (2019 Regulations art 17);
  a review already recorded for an earlier version never covers a changed one;
- an index number is never reused and never moves to another body (statutory-reference §5); the first
  publication date and the channels an item went out on are history and are not taken back;
- a withdrawn item is not changed; a published item goes back to draft only as a new version (revision).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from gongkai.catalog import revisions
from gongkai.catalog.importing.files import Mapping, Problem
from gongkai.catalog.importing.lookups import Existing, IndexKey, Lookups, fetch_existing
from gongkai.catalog.importing.rows import TEXT_FIELDS, VERSIONED, Planned
from gongkai.catalog.models import Genre, Publication, PublicationStatus, ReviewConclusion
from gongkai.masking import mask_text

S = PublicationStatus
PENDING = 0  # interprets_id of an item created by the same file (filled in once it has an id)
Error = Callable[[str, str], None]
_ALLOWED = {
    (S.DRAFT, S.DRAFT),
    (S.DRAFT, S.PUBLISHED),
    (S.PUBLISHED, S.PUBLISHED),
    (S.PUBLISHED, S.WITHDRAWN),
    (S.WITHDRAWN, S.WITHDRAWN),
}


def _same(field: str, old: Any, new: Any) -> bool:
    """Equal, or the masked form of the stored text (an export masks ID-card and phone numbers, so
    re-importing it does not overwrite the stored text with asterisks)."""
    return bool(old == new or (field in TEXT_FIELDS and old and new == mask_text(old)))


def plan(rows: list[Planned], lookups: Lookups, mapping: Mapping, problems: list[Problem]) -> list[Planned]:
    """Decide every row's action (create / revise / update / unchanged); bad rows go to ``problems``."""
    rows = _unique(rows, mapping, problems)
    existing = fetch_existing(p.key for p in rows)
    for p in rows:
        p.existing = existing.get(p.key)
    _resolve_interprets(rows, lookups, mapping, problems)
    good = []
    for p in rows:
        if p.action == "bad":
            continue
        errors: list[Problem] = []

        def error(key: str, message: str, p: Planned = p, errors: list[Problem] = errors) -> None:
            errors.append(Problem(p.where, mapping.label(key) if key else "", message))

        (_classify_existing if p.existing is not None else _classify_new)(p, error)
        problems.extend(errors)
        if not errors:
            good.append(p)
    return _drop_dangling(good, mapping, problems)


def _unique(rows: list[Planned], mapping: Mapping, problems: list[Problem]) -> list[Planned]:
    """The same index number twice in a file is an error for the second row."""
    first: dict[IndexKey, str] = {}
    kept = []
    for p in rows:
        if p.key in first:
            message = _("索引号与%(where)s重复") % {"where": first[p.key]}
            problems.append(Problem(p.where, mapping.label("index_number"), message))
        else:
            first[p.key] = p.where
            kept.append(p)
    return kept


def _resolve_interprets(
    rows: list[Planned], lookups: Lookups, mapping: Mapping, problems: list[Problem]
) -> None:
    """解读对象: the index number of the interpreted policy, in the catalog or in this file."""
    in_file = {p.key: p for p in rows}
    candidates = {p.interprets: lookups.interprets_candidates(p.interprets) for p in rows if p.interprets}
    in_catalog = fetch_existing(k for keys in candidates.values() for k in keys if k not in in_file)
    for p in rows:
        p.fields["interprets_id"] = None
        if not p.interprets:
            continue
        found = [k for k in candidates[p.interprets] if k in in_file or k in in_catalog]
        reason = ""
        if len(found) != 1:
            reason = _("找不到索引号为“%(v)s”的政府信息") if not found else _("索引号“%(v)s”对应多条政府信息")
        elif found[0] == p.key:
            reason = _("不能解读自身（%(v)s）")
        if reason:
            problems.append(Problem(p.where, mapping.label("interprets"), reason % {"v": p.interprets}))
            p.action = "bad"
            continue
        p.interprets_key = found[0]
        target = in_catalog.get(found[0]) or in_file[found[0]].existing
        p.fields["interprets_id"] = target.pub.pk if target is not None else PENDING
        p.interprets_problem = _interprets_rule(p, in_file.get(found[0]), target, lookups)


def _interprets_rule(p: Planned, row: Planned | None, target: Existing | None, lookups: Lookups) -> str:
    """transitions.check_interprets: only an interpretation (解读) links, to a policy of its own body or a
    published one, never to another interpretation."""
    jiedu = lookups.vocabulary.genres.get(Genre.INTERPRETATION)
    jiedu_id = jiedu.pk if jiedu is not None else None
    if p.fields["genre_id"] != jiedu_id:
        return _("只有体裁为“解读”的信息才能关联被解读的政策文件")
    if row is not None:
        genre_id, body_id, published = row.fields["genre_id"], row.body.pk, row.published_on is not None
    else:
        assert target is not None
        genre_id, body_id, published = (
            target.pub.genre_id,
            target.pub.body_id,
            target.pub.status == S.PUBLISHED,
        )
    if genre_id == jiedu_id:
        return _("被解读的文件不能是另一篇解读")
    if body_id != p.body.pk and not published:
        return _("被解读的文件须为本机关的文件或已发布的文件")
    return ""


def _drop_dangling(good: list[Planned], mapping: Mapping, problems: list[Problem]) -> list[Planned]:
    """A row interpreting a new item whose own row is bad is bad too (--skip-bad keeps neither)."""
    while True:
        created = {p.key for p in good if p.existing is None}
        dangling = [
            p for p in good if p.fields.get("interprets_id") == PENDING and p.interprets_key not in created
        ]
        if not dangling:
            return good
        for p in dangling:
            message = _("解读对象“%(v)s”所在的行有错误") % {"v": p.interprets}
            problems.append(Problem(p.where, mapping.label("interprets"), message))
        good = [p for p in good if p not in dangling]


def _classify_new(p: Planned, error: Error) -> None:
    if p.key.code not in {p.body.org_code, p.body.credit_code}:
        error(
            "index_number",
            _("索引号中的代码“%(c)s”不是%(body)s的组织机构代码或统一社会信用代码")
            % {"c": p.key.code, "body": p.body.name},
        )
    if p.interprets_problem:
        error("interprets", p.interprets_problem)
    passed = p.review is not None and p.review.conclusion == ReviewConclusion.PASSED
    p.status = p.status or (S.PUBLISHED if p.published_on and passed else S.DRAFT)
    if p.repealed_on is not None and p.status == S.DRAFT:
        error("repealed_on", _("只有已发布的规范性文件才能废止"))
    if p.status == S.DRAFT and p.published_on is not None:
        error("published", _("已填写发布日期，但没有通过的保密审查记录：未经保密审查不能发布"))
    elif p.status == S.DRAFT and p.channels:
        error("channels", _("草稿没有发布渠道记录（发布后才有）"))
    _check_published(p, passed, error)
    if passed and p.review is not None and p.published_on is not None and p.published_on < p.review.on:
        # a new item's publication is its first: it follows its review (2019 Regulations art 17)
        error(
            "published",
            _("发布日期不能早于保密审查日期（%(d)s）") % {"d": p.review.on.isoformat()},
        )
    p.action = "create"


def _check_published(p: Planned, passed: bool, error: Error) -> None:
    if p.status not in {S.PUBLISHED, S.WITHDRAWN}:
        return
    if not passed:
        error("review_conclusion", _("未经保密审查或审查未通过，不能发布"))
    if p.published_on is None:
        error("published", _("已发布的政府信息须有发布日期"))
    if not p.channels:
        error("channels", _("已发布的政府信息至少要有一个发布渠道"))


def _classify_existing(p: Planned, error: Error) -> None:
    assert p.existing is not None
    pub = p.existing.pub
    if pub.body_id != p.body.pk:
        error("body", _("索引号%(n)s属于另一机关（%(b)s）") % {"n": p.index_number, "b": pub.body.name})
        return
    shown = revisions.proposed(pub)  # a revision awaiting review is compared as it would be published
    changes = {
        f: p.fields[f] for f in (*VERSIONED, "interprets_id") if not _same(f, getattr(shown, f), p.fields[f])
    }
    revised = bool(changes)
    if "interprets_id" in changes and p.interprets_problem:
        error("interprets", p.interprets_problem)
    passed = _review_step(p, revised, error)
    derived = S.PUBLISHED if p.published_on and passed else S.DRAFT
    if not p.status and pub.status == S.PUBLISHED and revised and derived == S.DRAFT:
        p.warnings.append(_("内容有变更，原审查记录不适用于新版本：作为草稿待重新审查"))
    # An unchanged published or withdrawn item keeps its status (also one published before reviews were kept).
    kept = pub.status if not revised and pub.status != S.DRAFT else derived
    p.status = p.status or (S.WITHDRAWN if pub.status == S.WITHDRAWN else kept)
    _check_transition(pub, p.status, revised, error)
    _check_history(p, pub, error)
    _check_repeal(p, pub, error)
    if revised or pub.status == S.DRAFT:  # the row publishes this version now: its review must cover it
        _check_published(p, passed, error)
    if pub.repealed_on != p.repealed_on:
        changes["repealed_on"] = p.repealed_on
    if pub.status != p.status:
        changes["status"] = p.status
    if pub.published_on is None and p.published_on is not None:
        changes["published_on"] = p.published_on
    p.fields = changes
    new_channels = {c.pk for c in p.channels} - p.existing.channel_ids
    p.action = "revise" if revised else ("update" if changes or new_channels or p.review else "unchanged")


def _review_step(p: Planned, revised: bool, error: Error) -> bool:
    """Keep only a review that is new; return whether the version the row leaves is covered by a passed one.
    A review already recorded (for any version) is history: it neither repeats nor covers a new version."""
    assert p.existing is not None
    pub, existing = p.existing.pub, p.existing
    if p.review is not None and p.review.key() in existing.review_keys():
        p.review = None
    if p.review is None:
        return not revised and existing.passed(pub.version)
    if not revised and pub.status != S.DRAFT:
        error("reviewed_on", _("内容未变的已发布信息不能补充审查记录"))
    return p.review.conclusion == ReviewConclusion.PASSED


def _check_transition(pub: Publication, status: str, revised: bool, error: Error) -> None:
    old = S(pub.status)
    if old == S.WITHDRAWN and revised:
        error("status", _("已撤回的政府信息不能修改"))
    elif old == S.PUBLISHED and status == S.DRAFT and not revised:
        error("status", _("已发布的政府信息不能改回草稿（修订内容后才待重新审查）"))
    elif old == S.PUBLISHED and status == S.WITHDRAWN and revised:
        error("status", _("撤回时不能同时修改内容"))
    elif (old, status) not in _ALLOWED and not (old == S.PUBLISHED and status == S.DRAFT):
        message = _("不能从“%(a)s”改为“%(b)s”") % {"a": old.label, "b": S(status).label}
        error("status", message)


def _check_history(p: Planned, pub: Publication, error: Error) -> None:
    """The first publication date and the channels already used stay as they are."""
    assert p.existing is not None
    if pub.published_on is not None and p.published_on != pub.published_on:
        message = _("发布日期不能更改（首次发布于%(d)s）") % {"d": pub.published_on.isoformat()}
        error("published", message)
    elif pub.published_on is None and p.status == S.DRAFT and (p.published_on or p.channels):
        error("published", _("已填写发布日期或渠道，但没有通过的保密审查记录：未经保密审查不能发布"))
    missing = p.existing.channel_ids - {c.pk for c in p.channels}
    if missing:
        error("channels", _("不能去掉已有的发布渠道记录（%(n)d个）") % {"n": len(missing)})


def _check_repeal(p: Planned, pub: Publication, error: Error) -> None:
    """废止 (transitions.repeal): a published normative document, once; the date is not moved afterwards."""
    if pub.repealed_on == p.repealed_on:
        return
    if pub.repealed_on is not None:
        error("repealed_on", _("该文件已于%(d)s废止，废止日期不能更改") % {"d": pub.repealed_on.isoformat()})
    elif pub.status != S.PUBLISHED and p.status != S.PUBLISHED:
        error("repealed_on", _("只有已发布的规范性文件才能废止"))
