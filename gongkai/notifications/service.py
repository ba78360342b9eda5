"""Queue and deliver notifications: render a template for a case, hold staff messages during quiet hours,
never queue the same message twice (``key``), respect the per-phone SMS limit, and drain the outbox through the
gateways (claimed with a lease, retried with back-off, marked failed at last)."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from gongkai import crypto
from gongkai.accounts.models import Role, StaffProfile
from gongkai.acknowledgement import limits
from gongkai.audit.log import record
from gongkai.cases.models import InformationRequest
from gongkai.notifications.gateways import gateway_for
from gongkai.notifications.models import Audience, Channel, Notification, NotificationTemplate

logger = logging.getLogger(__name__)


class SafeDict(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def case_context(req: InformationRequest) -> dict[str, Any]:
    """What templates may say about a case: never identifiers (ID or phone numbers)."""
    due = req.extended_due_date or req.due_date
    return {
        "subject": req.subject.removeprefix("申请公开")[:60],
        "body": req.body.name,
        "receipt": req.receipt_date,
        "due": f"{due}{'（暂定）' if req.provisional else ''}",
        "state": req.get_state_display(),
        "tracking": req.tracking_code or "—",
        "answered": req.answered_on or "",
        "outcome": req.get_outcome_display() if req.outcome else "",
        "name": req.applicant.name if req.applicant else "",
        "supervised_until": req.supervised_until or "",
        "url": f"/staff/cases/{req.pk}/",
    }


def quiet_until(now: dt.datetime) -> dt.datetime:
    """The end of the staff quiet hours if ``now`` falls inside them, else ``now``."""
    window = str(getattr(settings, "GONGKAI_STAFF_QUIET_HOURS", ""))
    if "-" not in window:
        return now
    start, end = (dt.time.fromisoformat(part) for part in window.split("-", 1))
    local = timezone.localtime(now)
    t = local.time()
    inside = (start <= t or t < end) if start > end else (start <= t < end)
    if not inside:
        return now
    day = local.date() if t < end else local.date() + dt.timedelta(days=1)
    return dt.datetime.combine(day, end, tzinfo=local.tzinfo)


def _queue(
    template: NotificationTemplate,
    recipient: tuple[str, str],
    context: dict[str, Any],
    req: InformationRequest | None,
    key: str,
    limit_key: str = "",
) -> Notification | None:
    now = timezone.now()
    send_after = quiet_until(now) if template.audience == Audience.STAFF else now
    body = template.body.format_map(SafeDict(context))
    subject = template.subject.format_map(SafeDict(context))
    notification, created = Notification.objects.get_or_create(
        key=key,
        defaults={
            "template": template,
            "channel": template.channel,
            "recipient": recipient[0],
            "recipient_display": recipient[1],
            "subject": subject,
            "body": body,
            "case": req,
            "send_after": send_after,
            "limit_key": limit_key,
        },
    )
    return notification if created else None


@transaction.atomic
def notify_staff(req: InformationRequest, code: str, day: dt.date) -> int:
    """Tell the handling body's staff (those with an e-mail address) about a case; once per person per day."""
    templates = NotificationTemplate.objects.filter(code=code, audience=Audience.STAFF, active=True)
    staff = StaffProfile.objects.filter(body=req.body).exclude(role=Role.SUPERVISOR).exclude(user__email="")
    queued = 0
    for template in templates:
        for profile in staff.select_related("user"):
            email = profile.user.email
            key = f"{code}:{template.channel}:{req.pk}:{profile.user_id}:{day.isoformat()}"
            if _queue(template, (email, profile.user.get_username()), case_context(req), req, key):
                queued += 1
    return queued


def _sms_to(req: InformationRequest, code: str, key: str) -> tuple[tuple[str, str], str] | None:
    """The applicant's phone (encrypted, masked) and its limit key, or None when the per-phone SMS limit
    (``GONGKAI_LIMIT_SMS_PER_PHONE_PER_DAY``) is reached: then nothing is queued and the audit log says so."""
    applicant = req.applicant
    assert applicant is not None
    limit_key = limits.phone_key(crypto.decrypt(applicant.phone_encrypted))
    if Notification.objects.filter(key=key).exists() or limits.sms_allowed(limit_key):
        return (applicant.phone_encrypted, applicant.phone_masked), limit_key  # decrypted only to send
    record("system", "notification.sms_limited", req, summary=code)
    logger.warning("SMS for case %s not queued: the per-phone limit is reached", req.pk)
    return None


@transaction.atomic
def notify_applicant(req: InformationRequest, code: str, step: int | None = None) -> int:
    """Tell the applicant (e-mail, and SMS to the phone they gave) about a step of their case; once per step."""
    applicant = req.applicant
    if applicant is None:
        return 0
    queued = 0
    for template in NotificationTemplate.objects.filter(code=code, audience=Audience.APPLICANT, active=True):
        # Once per step (the event that caused it), so a second answer after reopening is told again.
        key, limit_key = f"{code}:{template.channel}:{req.pk}:{step}", ""
        if template.channel == Channel.EMAIL and applicant.email:
            recipient = (applicant.email, applicant.email)
        elif template.channel == Channel.SMS and applicant.phone_encrypted:
            to = _sms_to(req, code, key)
            if to is None:
                continue
            recipient, limit_key = to
        else:
            continue
        if _queue(template, recipient, case_context(req), req, key, limit_key):
            queued += 1
    if queued:
        record("system", "notification.queue", req, summary=code, batch_size=queued)
    return queued


# --- the worker ----------------------------------------------------------------------------------------------


def _claimable(now: dt.datetime) -> Q:
    return Q(sent_at__isnull=True, failed_at__isnull=True, send_after__lte=now) & (
        Q(claimed_until__isnull=True) | Q(claimed_until__lte=now)
    )


def _claim(pk: int, now: dt.datetime) -> str | None:
    """Claim one row with a conditional UPDATE and a lease; None if another worker holds it or it is done. A
    worker that dies holding a row loses it when the lease ends, and the row is tried again."""
    token = uuid.uuid4().hex
    lease = dt.timedelta(seconds=int(settings.GONGKAI_NOTIFY_LEASE_SECONDS))
    won = Notification.objects.filter(_claimable(now), pk=pk).update(
        claim_token=token, claimed_until=now + lease, attempts=F("attempts") + 1
    )
    return token if won else None


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the ``attempts``-th failed send: GONGKAI_NOTIFY_RETRY_SECONDS, doubling, at most a day."""
    base = int(settings.GONGKAI_NOTIFY_RETRY_SECONDS)
    return dt.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 86400))


def _failed(notification: Notification, token: str, now: dt.datetime, exc: Exception) -> None:
    """Release the row for a retry after a back-off, or give up after the last attempt (visible in the admin)."""
    error = f"{type(exc).__name__}: {exc}"[:300]
    mine = Notification.objects.filter(pk=notification.pk, claim_token=token)
    if notification.attempts < max(1, int(settings.GONGKAI_NOTIFY_MAX_ATTEMPTS)):
        mine.update(send_after=now + backoff(notification.attempts), claimed_until=None, last_error=error)
        logger.warning(
            "notification %s not sent (attempt %s): %s", notification.pk, notification.attempts, exc
        )
        return
    with transaction.atomic():
        if mine.update(failed_at=now, claimed_until=None, last_error=error):
            record("system", "notification.failed", notification, summary=error)
    logger.error(
        "notification %s failed for good after %s attempts: %s", notification.pk, notification.attempts, exc
    )


def _send(pk: int, token: str, now: dt.datetime) -> bool:
    notification = Notification.objects.select_related("template").get(pk=pk)
    try:
        if notification.channel == Channel.SMS and notification.template.audience == Audience.APPLICANT:
            notification.recipient = crypto.decrypt(notification.recipient)  # in memory only, for the gateway
        reply = gateway_for(notification.channel).send(notification)
    except Exception as exc:  # a gateway failure must not stop the others
        _failed(notification, token, now, exc)
        return False
    # The at-least-once window: a worker that dies here (the gateway accepted, the row is not marked) leaves the
    # row to be claimed again when its lease ends, and the message goes out twice.
    marked = Notification.objects.filter(pk=pk, claim_token=token).update(
        sent_at=timezone.now(), claimed_until=None, gateway_reply=reply[:200], last_error=""
    )
    if not marked:
        logger.error("notification %s sent after its lease ended: it may have been sent twice", pk)
    return bool(marked)


def deliver_due(now: dt.datetime | None = None, limit: int = 200) -> int:
    """Send what is due (docs/cases.md, "Notifications"): each row is claimed with a conditional UPDATE and a
    lease, so concurrent workers never send one row twice; a failed send is retried with back-off and marked
    failed after GONGKAI_NOTIFY_MAX_ATTEMPTS. Returns how many were sent."""
    now = now or timezone.now()
    due = Notification.objects.filter(_claimable(now)).order_by("send_after", "pk")
    sent = 0
    for pk in list(due.values_list("pk", flat=True)[:limit]):
        token = _claim(pk, now)
        if token is not None and _send(pk, token, now):
            sent += 1
    if sent:
        with transaction.atomic():
            record(
                "system", "notification.deliver", object_type="notifications.notification", batch_size=sent
            )
    return sent
