"""The 12345 hotline (政务服务便民热线): tickets (工单) the hotline platform dispatches to a body, pushed through the
API or imported from the platform's CSV/XLSX export, with their history (``TicketEvent``).

A ticket is known by the platform's own number, unique per source (``api``, ``import``, ``demo``, and the rows
copied from the old ``engagement.HotlineCall``). Its status moves forward as on a real 12345 platform: 已受理 →
已转办 → 办理中 → 已办结, or 已退回 (the body sends it back to the platform, which may dispatch it again). The caller's
phone number is stored as the cases app stores an applicant's (``gongkai.crypto``, plus a masked form for
lists and exports); the caller's name is shown masked wherever tickets are listed. Writes go through
``gongkai.hotline.actions``."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def mask_name(name: str) -> str:
    """A caller's name as lists show it: the family name kept (``张**``); a single character as ``*``."""
    text = name.strip()
    if len(text) <= 1:
        return "*" * len(text)
    return text[0] + "*" * (len(text) - 1)


class Source(models.TextChoices):
    API = "api", _("接口推送")
    IMPORT = "import", _("文件导入")
    DEMO = "demo", _("演示数据")
    SYNTH = "synth", _("合成数据")
    LEGACY = "legacy", _("原热线来电记录")


class Category(models.TextChoices):
    CONSULT = "consult", _("咨询")
    HELP = "help", _("求助")
    COMPLAINT = "complaint", _("投诉")
    REPORT = "report", _("举报")
    SUGGESTION = "suggestion", _("建议")
    PRAISE = "praise", _("表扬")
    OTHER = "other", _("其他")


class TicketStatus(models.TextChoices):
    RECEIVED = "received", _("已受理")
    ASSIGNED = "assigned", _("已转办")
    IN_PROGRESS = "in_progress", _("办理中")
    RETURNED = "returned", _("已退回")
    COMPLETED = "completed", _("已办结")


# The forward order of the statuses; 已退回 may be reached from any open status, and a returned ticket may be
# dispatched again (已转办). 已办结 is final.
STATUS_ORDER: dict[str, int] = {
    TicketStatus.RECEIVED: 0,
    TicketStatus.ASSIGNED: 1,
    TicketStatus.IN_PROGRESS: 2,
    TicketStatus.RETURNED: 2,
    TicketStatus.COMPLETED: 3,
}
OPEN_STATUSES = frozenset({TicketStatus.RECEIVED, TicketStatus.ASSIGNED, TicketStatus.IN_PROGRESS})


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    MOSTLY = "mostly", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")
    UNRATED = "unrated", _("未评价")


SATISFIED_VALUES = (Satisfaction.SATISFIED, Satisfaction.MOSTLY)


class TicketQuerySet(models.QuerySet["Ticket"]):
    def overdue_at(self, now: dt.datetime) -> TicketQuerySet:
        """Still open past the due time the platform set (``due_at``; tickets without one are never overdue):
        ``Ticket.is_late`` for open tickets as one query. The staff list's ``?overdue=1`` and the staff home
        use it."""
        return self.filter(status__in=sorted(OPEN_STATUSES), due_at__lt=now)


class Ticket(models.Model):
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    number = models.CharField(_("工单编号"), max_length=40)
    body = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("承办机关"),
        on_delete=models.PROTECT,
        related_name="hotline_tickets",
    )
    received_at = models.DateTimeField(_("受理时间"), db_index=True)
    category = models.CharField(
        _("诉求类型"), max_length=12, choices=Category.choices, default=Category.OTHER
    )
    topic = models.CharField(_("反映问题"), max_length=100, blank=True)
    caller_name = models.CharField(_("来电人"), max_length=50, blank=True)
    phone_encrypted = models.TextField(_("联系电话（加密）"), blank=True, editable=False)
    phone_masked = models.CharField(_("联系电话"), max_length=20, blank=True, editable=False)
    content = models.TextField(_("诉求内容"), blank=True)
    status = models.CharField(
        _("工单状态"),
        max_length=12,
        choices=TicketStatus.choices,
        default=TicketStatus.RECEIVED,
        db_index=True,
    )
    due_at = models.DateTimeField(_("办理时限"), null=True, blank=True)
    completed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    result = models.TextField(_("办理结果"), blank=True)
    satisfaction = models.CharField(
        _("满意度"), max_length=12, choices=Satisfaction.choices, default=Satisfaction.UNRATED
    )
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    content_sha256 = models.CharField(_("受理内容摘要"), max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = TicketQuerySet.as_manager()

    class Meta:
        verbose_name = _("热线工单")
        verbose_name_plural = _("热线工单")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "number"], name="hotline_ticket_number_once_per_source"
            ),
            models.CheckConstraint(
                condition=Q(completed_at__isnull=True) | Q(completed_at__gte=F("received_at")),
                name="hotline_completed_after_received",
            ),
            models.CheckConstraint(
                condition=(Q(status="completed") & Q(completed_at__isnull=False))
                | (~Q(status="completed") & Q(completed_at__isnull=True)),
                name="hotline_completed_has_time",
            ),
            models.CheckConstraint(
                condition=Q(satisfaction="unrated") | Q(status="completed"),
                name="hotline_rated_only_when_completed",
            ),
        ]
        indexes = [
            models.Index(fields=["body", "received_at"], name="hotline_body_received"),
            models.Index(fields=["completed_at"], name="hotline_completed"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.topic}".strip()

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_late(self) -> bool:
        """Completed after its due time, or still open past it."""
        if self.due_at is None:
            return False
        if self.completed_at is not None:
            return self.completed_at > self.due_at
        return self.is_open and timezone.now() > self.due_at

    @property
    def caller_masked(self) -> str:
        return mask_name(self.caller_name)


class EventKind(models.TextChoices):
    RECEIVED = "received", _("受理")
    STATUS = "status", _("状态变更")
    COMPLETED = "completed", _("办结")
    RATED = "rated", _("评价")


class TicketEvent(models.Model):
    """One step of a ticket's life, with who recorded it (a staff account, ``api:<token>``, ``import``)."""

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("工单"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("事项"), max_length=12, choices=EventKind.choices)
    status = models.CharField(_("工单状态"), max_length=12, choices=TicketStatus.choices, blank=True)
    at = models.DateTimeField(_("时间"))
    actor_label = models.CharField(_("办理人"), max_length=150, blank=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("工单办理记录")
        verbose_name_plural = _("工单办理记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {timezone.localtime(self.at):%Y-%m-%d %H:%M}"
