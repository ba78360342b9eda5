"""Every write of the mailbox, one function each: atomic, audited (``gongkai.audit``), with a ``LetterEvent`` for
each step of a letter's life. Permission checks are the callers' (views, API: ``gongkai.permissions``).

States: submitted → 签收 accepted → replied → closed (rated or closed by staff); 转办 moves an open letter to
another body (transferred, to be signed for there); 退回 returns a letter that is not the mailbox's business
(returned). 督办 and reminders add events without changing the state. A letter that is really an information
request is converted into a request case (``cases.transitions.register``) with the letter's receipt date."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gongkai import crypto, pagecache
from gongkai.audit.log import SYSTEM, Actor, record, snapshot
from gongkai.cases.models import InformationRequest, RequestChannel
from gongkai.figures.store import mark_dirty
from gongkai.mailbox.models import (
    ANSWERED_STATES,
    OPEN_STATES,
    REMIND_WITHIN,
    Addressee,
    Letter,
    LetterEvent,
    LetterEventKind,
    LetterKind,
    LetterState,
    MailboxSetting,
    ReplyChannel,
    Satisfaction,
)
from gongkai.masking import mask_phone, mask_text
from gongkai.organisations.models import Organisation
from gongkai.workdays.calendar import get_calendar

PAGES = "mailbox"  # the page-cache namespace of the public mailbox pages (gongkai.pagecache)
PUBLIC = "public"  # the audit actor of letters written on the site
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone
SECRET_LENGTH = 10
TZ = ZoneInfo("Asia/Shanghai")
S = LetterState
E = LetterEventKind


class IllegalStep(Exception):
    """A step the letter's state does not allow; ``str()`` says why, for staff."""


class Conflict(Exception):
    """The same idempotency key came with another letter."""


# --- helpers ----------------------------------------------------------------------------------------------------


def actor_label(actor: Actor) -> str:
    if actor is None or isinstance(actor, AnonymousUser):
        return "anonymous"
    if isinstance(actor, str):
        return actor
    return str(actor.get_username())


def reply_due(received_on: dt.date) -> dt.date:
    """The reply deadline: ``GONGKAI_MAILBOX_REPLY_WORKING_DAYS`` working days after the day of receipt."""
    return get_calendar().add_working_days(received_on, int(settings.GONGKAI_MAILBOX_REPLY_WORKING_DAYS))


def mask_email(value: str) -> str:
    """``zh***@example.cn``: the first two characters of the local part and the domain."""
    local, at, domain = value.strip().partition("@")
    if not at:
        return "*" * min(len(local), 8)
    return f"{local[:2]}***@{domain}"


def key_hash(key: str) -> str:
    return hashlib.sha256(b"gongkai.mailbox.idempotency:" + key.encode()).hexdigest()


def secret_from_key(key: str) -> str:
    """The tracking secret of the form or API call that carried ``key`` (as ``cases.tracking.secret_from_key``):
    the same submission sent again shows the same receipt."""
    digest = hmac.new(key.encode(), b"gongkai.mailbox.tracking-secret", hashlib.sha256).digest()
    return "".join(ALPHABET[b % len(ALPHABET)] for b in digest[:SECRET_LENGTH])


def _normalised_secret(secret: str) -> str:
    return "".join(secret.split()).upper()


def hash_secret(secret: str) -> str:
    """The stored form of a tracking secret: a salted slow hash (compute it before a transaction opens)."""
    return make_password(_normalised_secret(secret))


def _new_code(year: int) -> str:
    while True:
        code = f"XX{year}-" + "".join(secrets.choice(ALPHABET) for _ in range(8))
        if not Letter.objects.filter(tracking_code=code).exists():
            return code


def _locked(letter: Letter) -> Letter:
    return Letter.objects.select_for_update().select_related("body").get(pk=letter.pk)


def _require(letter: Letter, allowed: Iterable[str], step: str) -> None:
    if letter.state not in set(allowed):
        raise IllegalStep(
            _("来信处于“%(state)s”状态，不能%(step)s")
            % {"state": LetterState(letter.state).label, "step": step}
        )


def _event(
    actor: Actor,
    letter: Letter,
    kind: str,
    *,
    on: dt.date | None = None,
    note: str = "",
    from_body: Organisation | None = None,
    to_body: Organisation | None = None,
) -> LetterEvent:
    now = timezone.now()
    return LetterEvent.objects.create(
        letter=letter,
        kind=kind,
        at=now,
        on=on or timezone.localdate(now),
        actor_label=actor_label(actor)[:150],
        note=note,
        from_body=from_body,
        to_body=to_body,
    )


def _stored(text: Any) -> str:
    """A label as stored in an event: in the site's language, whatever the page's (as audit entries)."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)


def _audit(
    actor: Actor, action: str, letter: Letter, before: dict[str, Any] | None, summary: str = ""
) -> None:
    record(actor, f"mailbox.{action}", letter, before=before, after=_snap(letter), summary=summary)


def _snap(letter: Letter) -> dict[str, Any]:
    # Contact details never enter the log, not even masked ones of a letter's text.
    return snapshot(letter, exclude=("text", "reply_text", "public_text", "public_reply", "phone_masked"))


def _bump_if_public(letter: Letter) -> None:
    if letter.published:
        pagecache.bump(PAGES)


def _mark(letter: Letter, *bodies: Organisation) -> None:
    years = {letter.received_on.year} | ({letter.replied_on.year} if letter.replied_on else set())
    mark_dirty({b.pk for b in bodies} | {letter.body_id}, years, [Letter._meta.db_table])


# --- settings of a body -----------------------------------------------------------------------------------------


def accepts_anonymous(body: Organisation) -> bool:
    return MailboxSetting.objects.filter(body=body, accepts_anonymous=True).exists()


@transaction.atomic
def set_accepts_anonymous(actor: Actor, body: Organisation, allowed: bool) -> MailboxSetting:
    setting, _created = MailboxSetting.objects.select_for_update().get_or_create(body=body)
    before = snapshot(setting)
    setting.accepts_anonymous = allowed
    setting.save(update_fields=["accepts_anonymous"])
    record(actor, "mailbox.setting", setting, before=before, after=snapshot(setting), summary=str(body))
    return setting


# --- submission -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Submitted:
    letter: Letter
    secret: str  # "" on a replay whose secret cannot be derived again
    created: bool


def _check(
    body: Organisation, *, kind: str, addressed_to: str, subject: str, text: str, phone: str, email: str
) -> None:
    errors: dict[str, list[str]] = {}
    if body.valid_to is not None:
        errors["body"] = [_("该机关已撤销，请选择其他机关")]
    if kind not in LetterKind.values:
        errors["kind"] = [_("请选择来信类别")]
    if addressed_to not in Addressee.values:
        errors["addressed_to"] = [_("请选择收信人")]
    if not subject.strip():
        errors["subject"] = [_("请填写来信标题")]
    if not text.strip():
        errors["text"] = [_("请填写来信内容")]
    if phone and sum(c.isdigit() for c in phone) < 7:
        errors["phone"] = [_("请填写正确的联系电话")]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("请填写正确的电子邮箱")]
    if not phone and not email and not accepts_anonymous(body):
        errors["phone"] = [_("该机关不受理匿名来信，请填写联系电话或电子邮箱")]
    if errors:
        raise ValidationError(errors)


def _replay(
    idempotency_key: str, body: Organisation, subject: str, text: str, secret: str
) -> Submitted | None:
    """The letter stored the first time with this key (None: the key is new); another letter with it is a
    ``Conflict``. The same letter may have been transferred to another body since."""
    existing = Letter.objects.filter(idempotency_key_hash=key_hash(idempotency_key)).first()
    if existing is None:
        return None
    same = (existing.subject, existing.text) == (mask_text(subject), text) and (
        existing.body_id == body.pk or existing.events.filter(kind=E.TRANSFERRED).exists()
    )
    if not same:
        raise Conflict(_("该幂等键已用于另一封来信"))
    return Submitted(existing, secret or secret_from_key(idempotency_key), False)


def _new_secret(idempotency_key: str) -> str:
    """A new letter's tracking secret: derived from the key (a retry shows the same one), else random."""
    if idempotency_key:
        return secret_from_key(idempotency_key)
    return "".join(secrets.choice(ALPHABET) for _ in range(SECRET_LENGTH))


@transaction.atomic
def submit(
    actor: Actor,
    body: Organisation,
    *,
    kind: str,
    subject: str,
    text: str,
    addressed_to: str = Addressee.BODY,
    writer_name: str = "",
    phone: str = "",
    email: str = "",
    consent_to_publish: bool = False,
    received_at: dt.datetime | None = None,
    idempotency_key: str = "",
    secret: str = "",
    secret_hash: str = "",
) -> Submitted:
    """A letter received: checked (a letter without contact details only for a body that accepts anonymous
    letters), stored with its contact details encrypted and masked, its reply deadline, a tracking code and the
    slow hash of its secret (``secret_hash`` when the caller computed it). With ``idempotency_key``, the same
    key answers with the letter stored the first time (``created`` False); another letter with it is a
    ``Conflict``."""
    if idempotency_key and (replay := _replay(idempotency_key, body, subject, text, secret)) is not None:
        return replay
    _check(body, kind=kind, addressed_to=addressed_to, subject=subject, text=text, phone=phone, email=email)
    at = received_at or timezone.now()
    if at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"received_at": [_("来信时间不能晚于现在")]})
    day = timezone.localdate(at)
    secret = _normalised_secret(secret) or _new_secret(idempotency_key)
    letter = Letter(
        body=body,
        kind=kind,
        addressed_to=addressed_to,
        subject=mask_text(subject),  # listed in queues: an ID or mobile number typed into it is masked
        text=text,
        writer_name=writer_name,
        phone_encrypted=crypto.encrypt(phone),
        phone_masked=mask_phone(phone),
        email_encrypted=crypto.encrypt(email),
        email_masked=mask_email(email) if email else "",
        received_at=at,
        received_on=day,
        due_on=reply_due(day),
        state=S.SUBMITTED,
        consent_to_publish=consent_to_publish,
        tracking_code=_new_code(day.year),
        tracking_secret_hash=secret_hash or hash_secret(secret),
        idempotency_key_hash=key_hash(idempotency_key) if idempotency_key else None,
    )
    letter.full_clean(exclude=["body", "request"])
    letter.save()
    _event(actor, letter, E.SUBMITTED, on=day)
    _audit(actor, "submitted", letter, None, summary=letter.subject)
    return Submitted(letter, secret, True)


def lookup(code: str, secret: str) -> Letter | None:
    """The letter of a right (code, secret) pair, else None; as slow whether or not the code exists."""
    letter = Letter.objects.select_related("body").filter(tracking_code="".join(code.split()).upper()).first()
    secret = _normalised_secret(secret)
    if letter is None or not letter.tracking_secret_hash:
        make_password(secret)
        return None
    return letter if secret and check_password(secret, letter.tracking_secret_hash) else None


def reveal_contact(actor: Actor, letter: Letter) -> dict[str, str]:
    """The writer's phone and e-mail in full, for the staff who answer (audited)."""
    with transaction.atomic():
        record(actor, "mailbox.contact_revealed", letter, summary=letter.tracking_code or "")
    return {"phone": crypto.decrypt(letter.phone_encrypted), "email": crypto.decrypt(letter.email_encrypted)}


# --- routing ----------------------------------------------------------------------------------------------------


@transaction.atomic
def accept(actor: Actor, letter: Letter, *, note: str = "", on: dt.date | None = None) -> Letter:
    """签收: the body takes the letter on (a new letter, or one transferred to it)."""
    letter = _locked(letter)
    _require(letter, {S.SUBMITTED, S.TRANSFERRED}, _("签收"))
    before = _snap(letter)
    letter.state = S.ACCEPTED
    letter.save(update_fields=["state"])
    _event(actor, letter, E.ACCEPTED, note=note, on=on)
    _audit(actor, "accepted", letter, before)
    return letter


@transaction.atomic
def transfer(
    actor: Actor, letter: Letter, *, to_body: Organisation, reason: str, on: dt.date | None = None
) -> Letter:
    """转办: the letter goes to the body responsible, which signs for it; its deadline stays."""
    letter = _locked(letter)
    _require(letter, OPEN_STATES, _("转办"))
    if to_body.pk == letter.body_id:
        raise ValidationError({"to_body": [_("请选择另一个机关")]})
    if to_body.valid_to is not None:
        raise ValidationError({"to_body": [_("该机关已撤销，请选择其他机关")]})
    if not reason.strip():
        raise ValidationError({"reason": [_("请填写转办理由")]})
    before = _snap(letter)
    old = letter.body
    letter.body, letter.state = to_body, S.TRANSFERRED
    letter.save(update_fields=["body", "state"])
    _event(actor, letter, E.TRANSFERRED, note=reason, from_body=old, to_body=to_body, on=on)
    _audit(actor, "transferred", letter, before, summary=f"{old} → {to_body}")
    _mark(letter, old)
    _bump_if_public(letter)
    return letter


@transaction.atomic
def return_letter(actor: Actor, letter: Letter, *, reason: str, on: dt.date | None = None) -> Letter:
    """退回: not the mailbox's business (e.g. a matter for the courts or a complaint channel); the writer is told
    why on the tracking page."""
    letter = _locked(letter)
    _require(letter, OPEN_STATES, _("退回"))
    if not reason.strip():
        raise ValidationError({"reason": [_("请填写退回理由")]})
    before = _snap(letter)
    letter.state = S.RETURNED
    letter.save(update_fields=["state"])
    _event(actor, letter, E.RETURNED, note=reason, on=on)
    _audit(actor, "returned", letter, before)
    return letter


@transaction.atomic
def supervise(actor: Actor, letter: Letter, *, note: str) -> Letter:
    """督办: a supervisor of the body's subtree presses for an answer (an event; the state stays)."""
    letter = _locked(letter)
    _require(letter, OPEN_STATES, _("督办"))
    if not note.strip():
        raise ValidationError({"note": [_("请填写督办意见")]})
    _event(actor, letter, E.SUPERVISED, note=note)
    _audit(actor, "supervised", letter, None, summary=note[:100])
    return letter


def due_soon_limit(today: dt.date) -> dt.date:
    return get_calendar().add_working_days(today, REMIND_WITHIN)


def send_reminders(today: dt.date, actor: Actor = SYSTEM) -> int:
    """A reminder event on each open letter due within ``REMIND_WITHIN`` working days or overdue, once a day
    (the staff queue shows them); one audit entry for the run."""
    limit = due_soon_limit(today)
    with transaction.atomic():
        due = list(
            Letter.objects.select_for_update()
            .open_letters()
            .filter(due_on__lte=limit)
            .exclude(last_reminded_on=today)
            .only("pk", "due_on", "state")
        )
        now = timezone.now()
        label = actor_label(actor)
        LetterEvent.objects.bulk_create(
            LetterEvent(
                letter=letter,
                kind=E.REMINDED,
                at=now,
                on=today,
                actor_label=label,
                note=_("已超过答复期限") if letter.due_on < today else _("临近答复期限"),
            )
            for letter in due
        )
        Letter.objects.filter(pk__in=[letter.pk for letter in due]).update(last_reminded_on=today)
        record(
            actor,
            "mailbox.reminders",
            object_type="mailbox.letter",
            summary=f"reminders {today.isoformat()}",
            batch_size=len(due),
        )
    return len(due)


# --- answer, publication, rating --------------------------------------------------------------------------------


@transaction.atomic
def reply(
    actor: Actor, letter: Letter, *, text: str, channel: str = ReplyChannel.SITE, on: dt.date | None = None
) -> Letter:
    """答复: by letter or on the site; late answers are allowed (and show as late)."""
    letter = _locked(letter)
    _require(letter, {S.ACCEPTED}, _("答复（请先签收）"))
    day = on or timezone.localdate()
    if not text.strip():
        raise ValidationError({"text": [_("请填写答复内容")]})
    if channel not in ReplyChannel.values:
        raise ValidationError({"channel": [_("请选择答复方式")]})
    if day < letter.received_on or day > timezone.localdate():
        raise ValidationError({"on": [_("答复日期须在来信日期和今天之间")]})
    before = _snap(letter)
    letter.state, letter.replied_on = S.REPLIED, day
    letter.reply_text, letter.reply_channel, letter.replied_by = text, channel, actor_label(actor)[:150]
    letter.save(update_fields=["state", "replied_on", "reply_text", "reply_channel", "replied_by"])
    _event(actor, letter, E.REPLIED, on=day, note=_stored(ReplyChannel(channel).label))
    _audit(actor, "replied", letter, before)
    _mark(letter)
    return letter


def public_version(letter: Letter) -> tuple[str, str, str]:
    """(subject, text, reply) as published: ID-card and mobile numbers masked, the writer's name and contact
    details taken out wherever they appear."""
    names = [letter.writer_name] if len(letter.writer_name) >= 2 else []
    names += [
        v for v in (crypto.decrypt(letter.phone_encrypted), crypto.decrypt(letter.email_encrypted)) if v
    ]

    def clean(value: str) -> str:
        for name in names:
            value = value.replace(name, "***")
        return mask_text(value)

    return clean(letter.subject), clean(letter.text), clean(letter.reply_text)


@transaction.atomic
def publish(
    actor: Actor,
    letter: Letter,
    *,
    subject: str = "",
    text: str = "",
    reply_text: str = "",
    on: dt.date | None = None,
) -> Letter:
    """公开: an answered letter whose writer consented is listed on /mailbox/ with its reply, personal data
    masked (staff may shorten the texts; what they give is masked too)."""
    letter = _locked(letter)
    _require(letter, ANSWERED_STATES, _("公开（请先答复）"))
    if not letter.consent_to_publish:
        raise IllegalStep(_("来信人不同意公开，不能公开该来信"))
    if letter.published:
        raise IllegalStep(_("该来信已经公开"))
    auto = public_version(letter)
    before = _snap(letter)
    letter.published, letter.published_at = True, timezone.now()
    letter.public_subject = mask_text(subject.strip()) or auto[0]
    letter.public_text = mask_text(text.strip()) or auto[1]
    letter.public_reply = mask_text(reply_text.strip()) or auto[2]
    letter.save(update_fields=["published", "published_at", "public_subject", "public_text", "public_reply"])
    _event(actor, letter, E.PUBLISHED, on=on)
    _audit(actor, "published", letter, before)
    pagecache.bump(PAGES)
    return letter


@transaction.atomic
def unpublish(actor: Actor, letter: Letter, *, reason: str) -> Letter:
    letter = _locked(letter)
    if not letter.published:
        raise IllegalStep(_("该来信没有公开"))
    before = _snap(letter)
    letter.published, letter.published_at = False, None
    letter.save(update_fields=["published", "published_at"])
    _event(actor, letter, E.UNPUBLISHED, note=reason)
    _audit(actor, "unpublished", letter, before)
    pagecache.bump(PAGES)
    return letter


@transaction.atomic
def rate(
    actor: Actor, letter: Letter, *, satisfaction: str, comment: str = "", on: dt.date | None = None
) -> Letter:
    """The writer's satisfaction with the answer (once); the letter is then closed."""
    letter = _locked(letter)
    _require(letter, {S.REPLIED}, _("评价"))
    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": [_("请选择满意程度")]})
    if len(comment) > 500:
        raise ValidationError({"comment": [_("评价意见最多500个字")]})
    before = _snap(letter)
    letter.satisfaction, letter.satisfaction_comment = satisfaction, mask_text(comment)
    letter.state = S.CLOSED
    letter.save(update_fields=["satisfaction", "satisfaction_comment", "state"])
    _event(actor, letter, E.RATED, note=_stored(Satisfaction(satisfaction).label), on=on)
    _audit(actor, "rated", letter, before)
    _bump_if_public(letter)
    return letter


@transaction.atomic
def close(actor: Actor, letter: Letter) -> Letter:
    """办结 without a rating (the writer did not rate the answer)."""
    letter = _locked(letter)
    _require(letter, {S.REPLIED}, _("办结"))
    before = _snap(letter)
    letter.state = S.CLOSED
    letter.save(update_fields=["state"])
    _event(actor, letter, E.CLOSED)
    _audit(actor, "closed", letter, before)
    return letter


@transaction.atomic
def convert_to_request(actor: Actor, letter: Letter) -> InformationRequest:
    """A letter that asks for government information becomes a request case of the same body, registered by the
    cases app's own function with the letter's day of receipt (2019 art 31); the letter is closed and both
    point at each other (``letter.request``, ``request.mailbox_letter``)."""
    from gongkai.cases import transitions

    letter = _locked(letter)
    _require(letter, OPEN_STATES, _("转为政府信息公开申请"))
    before = _snap(letter)
    req = transitions.register(
        actor,
        letter.body,
        received=letter.received_on,
        channel=RequestChannel.ONLINE,
        subject=(letter.subject + "：" + letter.text)[:500],
        applicant_kind="natural",
    )
    letter.request, letter.state = req, S.CLOSED
    letter.save(update_fields=["request", "state"])
    _event(actor, letter, E.CONVERTED, note=f"#{req.pk}")
    _audit(actor, "converted", letter, before, summary=f"request {req.pk}")
    return req


# --- bulk -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LetterRow:
    """A historical or synthetic letter for ``bulk_create_letters``."""

    body_id: int
    received_on: dt.date
    replied_on: dt.date | None = None
    kind: str = LetterKind.CONSULT
    subject: str = ""


def bulk_create_letters(
    actor: Actor, rows: Sequence[LetterRow], summary: str, *, batch_size: int = 5000
) -> int:
    """Many letters at once (the demo's seed year, synthetic volumes): a replied letter is stored closed, an
    unanswered one accepted; no tracking code, no events; one audit entry for the batch, and the figures of
    their bodies and years marked stale. Returns how many were written."""
    if not rows:
        return 0
    calendar = get_calendar()
    days = int(settings.GONGKAI_MAILBOX_REPLY_WORKING_DAYS)
    due: dict[dt.date, dt.date] = {}
    letters = []
    for row in rows:
        if row.replied_on is not None and row.replied_on < row.received_on:
            raise ValidationError({"replied_on": [_("回复日期不能早于来信日期")]})
        if row.received_on not in due:
            due[row.received_on] = calendar.add_working_days(row.received_on, days)
        letters.append(
            Letter(
                body_id=row.body_id,
                kind=row.kind,
                subject=mask_text(row.subject),
                received_at=dt.datetime.combine(row.received_on, dt.time(9, 0), TZ),
                received_on=row.received_on,
                due_on=due[row.received_on],
                state=S.CLOSED if row.replied_on else S.ACCEPTED,
                replied_on=row.replied_on,
                reply_channel=ReplyChannel.LETTER if row.replied_on else "",
            )
        )
    with transaction.atomic():
        Letter.objects.bulk_create(letters, batch_size=batch_size)
        years = {r.received_on.year for r in rows} | {r.replied_on.year for r in rows if r.replied_on}
        mark_dirty({r.body_id for r in rows}, years, [Letter._meta.db_table])
        record(
            actor,
            "mailbox.bulk_create",
            object_type="mailbox.letter",
            summary=summary,
            batch_size=len(letters),
        )
    return len(letters)
