"""Queue and deliver notifications: render a template for a case, hold staff messages during quiet hours,
never queue the same reminder twice (``key``), and drain the outbox through the gateways."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gongkai import crypto
from gongkai.accounts.models import Role, StaffProfile
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
    recipient: str,
    display: str,
    context: dict[str, Any],
    req: InformationRequest | None,
    key: str,
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
            "recipient": recipient,
            "recipient_display": display,
            "subject": subject,
            "body": body,
            "case": req,
            "send_after": send_after,
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
            if _queue(template, email, profile.user.get_username(), case_context(req), req, key):
                queued += 1
    return queued


@transaction.atomic
def notify_applicant(req: InformationRequest, code: str, step: int | None = None) -> int:
    """Tell the applicant (e-mail, and SMS to the phone they gave) about a step of their case; once per step."""
    applicant = req.applicant
    if applicant is None:
        return 0
    queued = 0
    for template in NotificationTemplate.objects.filter(code=code, audience=Audience.APPLICANT, active=True):
        if template.channel == Channel.EMAIL and applicant.email:
            recipient, display = applicant.email, applicant.email
        elif template.channel == Channel.SMS and applicant.phone_encrypted:
            recipient, display = applicant.phone_encrypted, applicant.phone_masked  # decrypted only to send
        else:
            continue
        # Once per step (the event that caused it), so a second answer after reopening is told again.
        if _queue(
            template, recipient, display, case_context(req), req, f"{code}:{template.channel}:{req.pk}:{step}"
        ):
            queued += 1
    if queued:
        record("system", "notification.queue", req, summary=code, batch_size=queued)
    return queued


def deliver_due(now: dt.datetime | None = None, limit: int = 200) -> int:
    """Send what is due. Each row is claimed with a conditional UPDATE, so two workers never send it twice;
    a failed send is released for the next run."""
    now = now or timezone.now()
    sent = 0
    for notification in Notification.objects.filter(sent_at__isnull=True, send_after__lte=now)[:limit]:
        if not Notification.objects.filter(pk=notification.pk, sent_at__isnull=True).update(sent_at=now):
            continue
        to_send = notification
        if notification.channel == Channel.SMS and notification.template.audience == Audience.APPLICANT:
            to_send.recipient = crypto.decrypt(notification.recipient)
        try:
            reply = gateway_for(notification.channel).send(to_send)
        except Exception as exc:  # a gateway failure must not stop the others
            logger.warning("notification %s not sent: %s", notification.pk, exc)
            Notification.objects.filter(pk=notification.pk).update(sent_at=None, gateway_reply=str(exc)[:200])
            continue
        Notification.objects.filter(pk=notification.pk).update(gateway_reply=reply[:200])
        sent += 1
    return sent
