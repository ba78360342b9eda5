"""The publishing workflow of proactive disclosure (主动公开), one function per step, each atomic and audited:
draft → confidentiality review (保密审查, 2019 Regulations art 17) → published on chosen channels → revised (every
version kept, and reviewed again before it is published again) or withdrawn (with a reason). An index number
never changes and is never reused. Items should be published within 20 working days of being made or changed
(2008 art 18; 2019 art 26): a late publication is flagged, not refused."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, User
from django.core.exceptions import PermissionDenied, SuspiciousFileOperation, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Case, DateField, F, Max, Min, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from gongkai import permissions
from gongkai.audit.log import Actor, acting_user, record, snapshot
from gongkai.catalog import revisions
from gongkai.catalog.actions import changed_on_commit, index_number, next_serial
from gongkai.catalog.models import (
    Attachment,
    Channel,
    ConfidentialityReview,
    Genre,
    Publication,
    PublicationChannel,
    PublicationStatus,
    PublicationVersion,
    ReviewConclusion,
)
from gongkai.figures.bulk import mark_records
from gongkai.masking import personal_data_found
from gongkai.organisations.actions import require_valid_on
from gongkai.organisations.models import Organisation
from gongkai.workdays.calendar import WorkCalendar, get_calendar

S = PublicationStatus
TIMELY_DAYS = 20


class IllegalStep(Exception):
    """A step the publication's status does not allow; ``str()`` is the reason."""


def _require(pub: Publication, allowed: set[str], step: str) -> None:
    if pub.status not in allowed:
        raise IllegalStep(
            _("当前状态为“%(s)s”，不能%(step)s") % {"s": PublicationStatus(pub.status).label, "step": step}
        )


def _locked(pub: Publication) -> Publication:
    return Publication.objects.select_for_update().get(pk=pub.pk)


def warnings_for(pub: Publication) -> list[str]:
    """Personal data that looks like ID-card or mobile numbers in the title or text (masked), as they would
    be published (a revision's pending text included)."""
    shown = revisions.proposed(pub)
    found = personal_data_found(f"{shown.title}\n{shown.text}")
    return (
        [_("疑似包含个人信息：%(items)s，发布前请核实或删除") % {"items": "、".join(found)}] if found else []
    )


@transaction.atomic
def create_draft(
    actor: Actor, body: Organisation, *, title: str, made_on: dt.date, **fields: Any
) -> tuple[Publication, list[str]]:
    """A new item with its index number (allocated now, never reused); returns it and any warnings."""
    require_valid_on(body, made_on)
    if not title.strip():
        raise ValidationError({"title": _("请填写标题")})
    Organisation.objects.select_for_update().filter(
        pk=body.pk
    ).first()  # one writer allocates a serial at a time
    pub = Publication(
        body=body,
        title=title.strip(),
        made_on=made_on,
        index_code=body.org_code,
        index_year=made_on.year,
        index_serial=next_serial(body.org_code, made_on.year),
        status=S.DRAFT,
        edited_by=acting_user(actor),
        **fields,
    )
    if pub.normative_kind and pub.issued_on is None:
        pub.issued_on = made_on
    pub.full_clean()
    pub.save()
    record(
        actor,
        "publication.draft",
        pub,
        after=snapshot(pub) | {"index_number": index_number(pub)},
        summary=pub.title[:100],
    )
    changed_on_commit([pub.pk])
    return pub, warnings_for(pub)


@transaction.atomic
def review(
    actor: AbstractBaseUser, pub: Publication, *, on: dt.date, conclusion: str, note: str = ""
) -> ConfidentialityReview:
    pub = _locked(pub)
    _require(pub, {S.DRAFT}, _("保密审查"))
    if not permissions.can_review_publication(actor, pub.body):
        raise PermissionDenied(_("保密审查须由本机关审核人或负责人进行"))
    if pub.edited_by_id is not None and pub.edited_by_id == actor.pk:
        raise PermissionDenied(_("起草或修改本稿的人员不能审查本稿，请由本机关其他审核人进行保密审查"))
    if conclusion not in ReviewConclusion.values:
        raise ValidationError({"conclusion": _("请选择审查结论")})
    if conclusion == ReviewConclusion.FAILED and not note.strip():
        raise ValidationError({"note": _("不同意公开的，请写明理由")})
    if on > timezone.localdate():
        raise ValidationError({"on": _("日期不能晚于今天")})
    if on < clock_start(pub):
        message = (
            _("审查日期不能早于修订日期（%(d)s）")
            if pub.changed_on
            else _("审查日期不能早于成文日期（%(d)s）")
        )
        raise ValidationError({"on": message % {"d": clock_start(pub).isoformat()}})
    assert isinstance(actor, User)
    result = ConfidentialityReview.objects.create(
        publication=pub,
        version=pub.version,
        reviewer=actor,
        reviewed_on=on,
        conclusion=conclusion,
        note=note.strip(),
    )
    record(actor, "publication.review", pub, after=snapshot(result), summary=result.get_conclusion_display())
    return result


def _passed_review(pub: Publication) -> ConfidentialityReview | None:
    """The latest review of the current version when it passed, else None."""
    latest = pub.reviews.filter(version=pub.version).order_by("-id").first()
    return latest if latest is not None and latest.conclusion == ReviewConclusion.PASSED else None


def _passed(pub: Publication) -> bool:
    return _passed_review(pub) is not None


@transaction.atomic
def publish(actor: Actor, pub: Publication, *, on: dt.date, channels: Sequence[Channel] = ()) -> Publication:
    """Publish the reviewed version; the first publication needs at least one channel. A publication more
    than 20 working days after the item was made is recorded as late."""
    pub = _locked(pub)
    _require(pub, {S.DRAFT}, _("发布"))
    passed = _passed_review(pub)
    if passed is None:
        raise IllegalStep(_("未经保密审查或审查未通过，不能发布"))
    if on > timezone.localdate():
        raise ValidationError({"on": _("日期不能晚于今天")})
    if on < passed.reviewed_on:  # the review comes first (2019 art 17), and it is on or after made_on
        raise ValidationError(
            {"on": _("发布日期不能早于保密审查日期（%(d)s）") % {"d": passed.reviewed_on.isoformat()}}
        )
    first = pub.published_on is None
    if first and not channels:
        raise ValidationError({"channels": _("请至少选择一个发布渠道")})
    before = snapshot(pub)
    if first:
        pub.published_on = on
    pub.version_published_on = on
    pub.status = S.PUBLISHED
    revised = revisions.apply_pending(pub)  # the reviewed revision becomes public now, not before
    pub.full_clean()
    pub.save(update_fields=["published_on", "version_published_on", "status", "pending", *revised])
    existing = set(pub.postings.values_list("channel_id", flat=True))
    postings = PublicationChannel.objects.bulk_create(
        [
            PublicationChannel(publication=pub, channel=c, published_on=on)
            for c in channels
            if c.pk not in existing
        ]
    )
    mark_records(postings)  # bulk_create sends no signal (gongkai.figures)
    late = on > publication_deadline(pub)
    record(
        actor,
        "publication.publish",
        pub,
        before=before,
        after=snapshot(pub) | {"channels": [c.pk for c in channels], "late": late, "version": pub.version},
    )
    changed_on_commit([pub.pk])
    return pub


@transaction.atomic
def revise(
    actor: Actor, pub: Publication, *, reason: str, on: dt.date | None = None, **changes: Any
) -> Publication:
    """Change a published item on ``on`` (default today): the old version is kept, the new one waits for review
    before it is published again (it stays under the same index number; the public keeps seeing the old one,
    ``catalog.public``). The 20 working days to publish it run from ``on`` (2019 Regulations art 26: 变更)."""
    pub = _locked(pub)
    _require(pub, {S.PUBLISHED}, _("修订"))
    if not reason.strip():
        raise ValidationError({"reason": _("请填写修订原因")})
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"on": _("日期不能晚于今天")})
    if on < (pub.changed_on or pub.made_on):
        raise ValidationError(
            {"on": _("修订日期不能早于%(d)s") % {"d": (pub.changed_on or pub.made_on).isoformat()}}
        )
    allowed = {"title", "text", "document_number"}
    if set(changes) - allowed or not changes:
        raise ValidationError({"changes": _("可修订标题、正文和文号")})
    before = snapshot(pub)
    PublicationVersion.objects.create(
        publication=pub,
        version=pub.version,
        title=pub.title,
        text=pub.text,
        document_number=pub.document_number,
        replaced_at=timezone.now(),
        reason=reason.strip(),
    )
    shown = revisions.with_changes(pub, changes)
    shown.full_clean()
    revisions.keep(pub, shown, changes)  # the row keeps what the public sees (``catalog.revisions``)
    pub.version += 1
    pub.status = S.DRAFT
    pub.changed_on = on
    pub.version_published_on = None
    pub.edited_by = acting_user(actor)
    pub.full_clean()
    pub.save()
    record(actor, "publication.revise", pub, before=before, after=snapshot(pub), summary=reason[:100])
    return pub


@transaction.atomic
def withdraw(actor: Actor, pub: Publication, *, reason: str, on: dt.date | None = None) -> Publication:
    """Take an item down on ``on`` (default today; the index number stays taken; the year's statistics keep
    counting its publication, and Table 2 of 2019 counts it as public until that day)."""
    pub = _locked(pub)
    _require(pub, {S.PUBLISHED}, _("撤回"))
    if not reason.strip():
        raise ValidationError({"reason": _("请填写撤回原因")})
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"on": _("日期不能晚于今天")})
    if pub.published_on is not None and on < pub.published_on:
        raise ValidationError(
            {"on": _("撤回日期不能早于发布日期（%(d)s）") % {"d": pub.published_on.isoformat()}}
        )
    before = snapshot(pub)
    pub.status = S.WITHDRAWN
    pub.withdrawn_on = on
    pub.save(update_fields=["status", "withdrawn_on"])
    record(actor, "publication.withdraw", pub, before=before, after=snapshot(pub), summary=reason[:100])
    changed_on_commit([pub.pk])
    return pub


# Staff pages: editing drafts, repeal, attachments and the timeliness check for lists ----------------------

EDITABLE_FIELDS = frozenset(
    {
        "title",
        "description",
        "text",
        "document_number",
        "publisher",
        "keywords",
        "made_on",
        "topic",
        "genre",
        "key_area",
        "normative_kind",
        "issued_on",
        "repealed_on",
        "interprets",
    }
)


def editable(pub: Publication) -> bool:
    """A draft (or a revision) may be changed until it passes its confidentiality review: what was reviewed is
    what gets published (2019 Regulations art 17). A reviewer who wants changes records a failed review."""
    return pub.status == S.DRAFT and not _passed(pub)


def _require_editable(pub: Publication, step: str) -> None:
    _require(pub, {S.DRAFT}, step)
    if _passed(pub):
        raise IllegalStep(
            _("已通过保密审查的稿件不能再修改；如需修改，请审核人先作出“不同意公开”的审查结论退回")
        )


def check_interprets(pub: Publication) -> None:
    """An interpretation (解读, genre ``Genre.INTERPRETATION``) names the policy it interprets: one of the same
    body's items or any published item, never itself or another interpretation."""
    target = pub.interprets
    if target is None:
        return
    if pub.genre is None or pub.genre.code != Genre.INTERPRETATION:
        raise ValidationError({"interprets": _("只有体裁为“解读”的信息才能关联被解读的政策文件")})
    if pub.pk is not None and target.pk == pub.pk:
        raise ValidationError({"interprets": _("不能解读自身")})
    if target.body_id != pub.body_id and target.status != S.PUBLISHED:
        raise ValidationError({"interprets": _("被解读的文件须为本机关的文件或已发布的文件")})
    if target.genre is not None and target.genre.code == Genre.INTERPRETATION:
        raise ValidationError({"interprets": _("被解读的文件不能是另一篇解读")})


def find_by_index_number(text: str) -> Publication | None:
    """The item whose rendered index number is exactly ``text`` (templates differ per body, so candidates are
    narrowed by the serial and year found in the text, then compared as rendered)."""
    numbers = re.findall(r"\d+", text)
    if not text.strip() or not numbers:
        return None
    serial = int(numbers[-1])
    years = {int(n[:4]) for n in numbers[:-1] if len(n) >= 4 and 1900 <= int(n[:4]) <= 2999}
    candidates = Publication.objects.filter(index_serial=serial).select_related("body")
    if years:
        candidates = candidates.filter(index_year__in=years)
    for pub in candidates[:50]:
        if index_number(pub) == text.strip():
            return pub
    return None


@transaction.atomic
def update_draft(actor: Actor, pub: Publication, **changes: Any) -> tuple[Publication, list[str]]:
    """Change a draft's metadata and text before its review (the index number never changes); returns the
    item and its personal-data warnings, checked again."""
    pub = _locked(pub)
    _require_editable(pub, _("修改"))
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError({"changes": _("不能修改：%(f)s") % {"f": "、".join(sorted(unknown))}})
    if "title" in changes:
        changes["title"] = str(changes["title"]).strip()
        if not changes["title"]:
            raise ValidationError({"title": _("请填写标题")})
    if revisions.under_revision(pub):
        return _update_revision(actor, pub, changes)
    before = snapshot(pub)
    for field, value in changes.items():
        setattr(pub, field, value)
    _check_draft(pub, changes)
    after = snapshot(pub)
    changed = {k: v for k, v in after.items() if before.get(k) != v}
    if changed:
        pub.edited_by = acting_user(actor)
        pub.save()
        record(
            actor,
            "publication.update",
            pub,
            before={k: before.get(k) for k in changed},
            after=changed,
            summary=pub.title[:100],
        )
        changed_on_commit([pub.pk])
    return pub, warnings_for(pub)


def _check_draft(pub: Publication, changes: dict[str, Any]) -> None:
    """The checks of a changed draft (or of a revision's proposed item); fills 印发日期 from 成文日期."""
    if "made_on" in changes:
        require_valid_on(pub.body, pub.made_on, "made_on")
    if pub.normative_kind and pub.issued_on is None:
        pub.issued_on = pub.made_on
    if not pub.normative_kind and pub.repealed_on is not None:
        raise ValidationError({"repealed_on": _("只有规范性文件才有废止日期")})
    check_interprets(pub)
    pub.full_clean()


def _update_revision(
    actor: Actor, pub: Publication, changes: dict[str, Any]
) -> tuple[Publication, list[str]]:
    """Change a revision: only ``pending`` changes; the published row (and so the portal and the search
    index) stays as last published until the revision passes its review and is published."""
    before = dict(pub.pending)
    shown = revisions.with_changes(pub, changes)
    _check_draft(shown, changes)
    revisions.keep(pub, shown, EDITABLE_FIELDS)
    if pub.pending != before:
        pub.edited_by = acting_user(actor)
        pub.save(update_fields=["pending", "edited_by"])
        record(
            actor,
            "publication.update",
            pub,
            before={"pending": before},
            after={"pending": pub.pending},
            summary=shown.title[:100],
        )
    return pub, warnings_for(pub)


@transaction.atomic
def repeal(actor: Actor, pub: Publication, *, on: dt.date, reason: str) -> Publication:
    """废止 a published rule or normative document from ``on``: it stays published (the public must be able to
    see what applied and that it no longer does) and Table 2 stops counting it as in force from that day."""
    pub = _locked(pub)
    _require(pub, {S.PUBLISHED}, _("废止"))
    if not pub.normative_kind:
        raise IllegalStep(_("只有规章和行政规范性文件才能废止"))
    if pub.repealed_on is not None:
        raise IllegalStep(_("该文件已于%(d)s废止") % {"d": pub.repealed_on.isoformat()})
    if not reason.strip():
        raise ValidationError({"reason": _("请填写废止原因或依据")})
    if pub.issued_on is not None and on < pub.issued_on:
        raise ValidationError({"on": _("废止日期不能早于印发日期%(d)s") % {"d": pub.issued_on.isoformat()}})
    before = snapshot(pub)
    pub.repealed_on = on
    pub.save(update_fields=["repealed_on"])
    record(
        actor,
        "publication.repeal",
        pub,
        before=before,
        after=snapshot(pub) | {"reason": reason.strip()},
        summary=reason.strip()[:100],
    )
    return pub


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 and Excel 97-2003 files
ZIP = (b"PK\x03\x04", b"PK\x05\x06")  # docx, xlsx, ofd (GB/T 33190) and zip are zip containers
ATTACHMENT_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "doc": ("application/msword", (OLE,)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP),
    "xls": ("application/vnd.ms-excel", (OLE,)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP),
    "ofd": ("application/ofd", ZIP),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "zip": ("application/zip", ZIP),
}
NAME_LIMIT = 120


def attachment_max_bytes() -> int:
    """``GONGKAI_ATTACHMENT_MAX_MB`` (default 50) in bytes."""
    return int(settings.GONGKAI_ATTACHMENT_MAX_MB) * 1024 * 1024


def sanitise_name(name: str) -> str:
    """The file's own name without any directory part, control characters or shell-unsafe characters; long
    names are shortened, keeping the extension."""
    base = re.split(r"[\\/]", name)[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip().lstrip(".")
    try:
        safe = get_valid_filename(base)
    except SuspiciousFileOperation:
        safe = ""
    stem, dot, ext = safe.rpartition(".")
    if not dot or not stem:
        raise ValidationError({"file": _("文件名“%(n)s”无效：须有文件名和扩展名") % {"n": name[:60]}})
    return f"{stem[: NAME_LIMIT - len(ext) - 1]}.{ext.lower()}"


def check_upload(name: str, size: int, head: bytes) -> tuple[str, str]:
    """The sanitised name and content type of an upload, or a ValidationError naming the ``file`` field and
    why: an allowed type (by extension and by the file's first bytes), not empty, not above the size limit."""
    safe = sanitise_name(name)
    ext = safe.rpartition(".")[2]
    allowed = "、".join(sorted({"jpg" if e == "jpeg" else e for e in ATTACHMENT_TYPES}))
    if ext not in ATTACHMENT_TYPES:
        raise ValidationError({"file": _("“%(n)s”的类型不允许上传；允许：%(a)s") % {"n": safe, "a": allowed}})
    content_type, magics = ATTACHMENT_TYPES[ext]
    if size <= 0:
        raise ValidationError({"file": _("“%(n)s”是空文件") % {"n": safe}})
    if size > attachment_max_bytes():
        raise ValidationError(
            {
                "file": _("“%(n)s”超过大小上限%(m)sMB")
                % {"n": safe, "m": attachment_max_bytes() // (1024 * 1024)}
            }
        )
    if not any(head.startswith(m) for m in magics):
        raise ValidationError({"file": _("“%(n)s”的内容与扩展名.%(e)s不符") % {"n": safe, "e": ext}})
    return safe, content_type


def _sha256(content: File[Any]) -> str:
    digest = hashlib.sha256()
    content.seek(0)
    for chunk in content.chunks():
        digest.update(chunk)
    content.seek(0)
    return digest.hexdigest()


@transaction.atomic
def add_attachment(actor: Actor, pub: Publication, content: File[Any], *, name: str = "") -> Attachment:
    """Store a file with its SHA-256 and size on a draft or a revision before its review (the public download
    is then exactly what was reviewed). Checks type, size and name as ``check_upload``."""
    pub = _locked(pub)
    _require_editable(pub, _("添加附件"))
    content.seek(0)
    head = content.read(16)
    safe, content_type = check_upload(name or str(content.name or ""), int(content.size or 0), head)
    sha = _sha256(content)
    if pub.attachments.filter(sha256=sha).exists():
        raise ValidationError({"file": _("“%(n)s”与已上传的附件内容相同") % {"n": safe}})
    attachment = Attachment(
        publication=pub,
        name=safe,
        size=int(content.size or 0),
        sha256=sha,
        content_type=content_type,
        added_in_version=pub.version,
        uploaded_at=timezone.now(),
    )
    attachment.file.save(safe, content, save=False)
    attachment.save()
    record(
        actor,
        "publication.attachment_add",
        pub,
        after=snapshot(attachment, exclude=["file"]),
        summary=safe,
    )
    return attachment


@transaction.atomic
def remove_attachment(actor: Actor, attachment: Attachment) -> None:
    """Remove a file added to the current draft or revision; a file that went out with an earlier published
    version stays on record (replace it by adding a new one in the revision)."""
    pub = _locked(attachment.publication)
    _require_editable(pub, _("删除附件"))
    if attachment.added_in_version < pub.version:
        raise IllegalStep(
            _("该附件随第%(v)s版发布，不能删除；如需替换，请在本次修订中上传新附件")
            % {"v": attachment.added_in_version}
        )
    before = snapshot(attachment, exclude=["file"])
    storage, path = attachment.file.storage, attachment.file.name
    attachment.delete()
    record(actor, "publication.attachment_remove", pub, before=before, summary=attachment.name)
    if path and not Attachment.objects.filter(file=path).exists():
        transaction.on_commit(lambda: storage.delete(path))


def clock_start(pub: Publication) -> dt.date:
    """The day the 20 working days run from: the current version's change (修订) date, else the day the item
    was made (2019 Regulations art 26: 形成或者变更之日)."""
    return pub.changed_on or pub.made_on


def publication_deadline(pub: Publication, calendar: WorkCalendar | None = None) -> dt.date:
    """The last day to publish within 20 working days of the item being made or changed (2019 Regulations
    art 26; 2008 art 18)."""
    return (calendar or get_calendar()).add_working_days(clock_start(pub), TIMELY_DAYS)


def is_late(pub: Publication, today: dt.date, calendar: WorkCalendar | None = None) -> bool:
    """This version published after its deadline, or still unpublished when the deadline has passed."""
    return (version_published_on(pub) or today) > publication_deadline(pub, calendar)


def version_published_on(pub: Publication) -> dt.date | None:
    """When the current version went out: recorded by ``publish``; for items loaded in bulk (imports, the demo)
    that never went through it, their publication date unless they are drafts."""
    if pub.version_published_on is not None:
        return pub.version_published_on
    return pub.published_on if pub.status != S.DRAFT else None


def _deadline_runs(first: dt.date, last: dt.date) -> list[tuple[dt.date, dt.date]]:
    """(first day of a run, its deadline) for each run of consecutive days from ``first`` to ``last`` that
    share a deadline (a Friday and the weekend after it share one)."""
    calendar = get_calendar()
    runs: list[tuple[dt.date, dt.date]] = []
    day = first
    while day <= last:
        deadline = calendar.add_working_days(day, TIMELY_DAYS)
        if not runs or runs[-1][1] != deadline:
            runs.append((day, deadline))
        day += dt.timedelta(days=1)
    return runs


def _deadline_expression(runs: list[tuple[dt.date, dt.date]], lo: int, hi: int) -> Case | Value:
    """A balanced tree of CASE over the runs: each row is decided in log2(runs) comparisons."""
    if hi - lo == 1:
        return Value(runs[lo][1], output_field=DateField())
    mid = (lo + hi) // 2
    return Case(
        When(clock_start__lt=runs[mid][0], then=_deadline_expression(runs, lo, mid)),
        default=_deadline_expression(runs, mid, hi),
        output_field=DateField(),
    )


def with_deadline(qs: QuerySet[Publication]) -> QuerySet[Publication]:
    """Annotate ``deadline`` (20 working days after ``clock_start``: the change date, else ``made_on``) in SQL,
    from the same calendar as ``publication_deadline``: the database compares dates and no row is loaded to
    decide it."""
    qs = qs.annotate(clock_start=Coalesce("changed_on", "made_on"))
    span = qs.aggregate(first=Min("clock_start"), last=Max("clock_start"))
    if span["first"] is None:
        return qs.annotate(deadline=Value(None, output_field=DateField()))
    runs = _deadline_runs(span["first"], span["last"])
    return qs.annotate(deadline=_deadline_expression(runs, 0, len(runs)))


def late_items(qs: QuerySet[Publication], today: dt.date) -> QuerySet[Publication]:
    """Items published late, and items not yet published whose deadline has passed."""
    annotated = with_deadline(qs).annotate(
        out_on=Coalesce(
            "version_published_on",
            Case(When(~Q(status=S.DRAFT), then=F("published_on")), output_field=DateField()),
        )
    )
    return annotated.filter(
        Q(out_on__isnull=False, out_on__gt=F("deadline")) | Q(out_on__isnull=True, deadline__lt=today)
    )


def latest_review_conclusion() -> Subquery:
    """The conclusion of the latest review of the row's current version, or NULL (for ``annotate``): the SQL
    form of ``_passed``."""
    return Subquery(
        ConfidentialityReview.objects.filter(publication=OuterRef("pk"), version=OuterRef("version"))
        .order_by("-id")
        .values("conclusion")[:1]
    )
