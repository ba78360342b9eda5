"""The mailbox (信箱): letters from the public to a body or its leader (咨询、建议、投诉), routed like requests
(签收、转办、退回、督办), answered within a number of working days (``GONGKAI_MAILBOX_REPLY_WORKING_DAYS``), published
with the writer's consent (personal data masked) and rated by the writer; tracked by a code and a secret.

Contact details are stored as the cases app stores an applicant's phone number: encrypted (``gongkai.crypto``)
plus a masked form for lists and exports (``gongkai.masking``). The tracking secret is stored only as a salted
slow hash; the form's idempotency key only as its SHA-256. Writes go through ``gongkai.mailbox.actions``."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from gongkai.workdays.calendar import get_calendar


class LetterKind(models.TextChoices):
    CONSULT = "consult", _("咨询")
    SUGGEST = "suggest", _("建议")
    COMPLAIN = "complain", _("投诉")


class Addressee(models.TextChoices):
    BODY = "body", _("机关")
    LEADER = "leader", _("机关负责人")


class LetterState(models.TextChoices):
    SUBMITTED = "submitted", _("待签收")
    ACCEPTED = "accepted", _("已签收")
    TRANSFERRED = "transferred", _("已转办")
    RETURNED = "returned", _("已退回")
    REPLIED = "replied", _("已回复")
    CLOSED = "closed", _("已办结")


OPEN_STATES = frozenset({LetterState.SUBMITTED, LetterState.ACCEPTED, LetterState.TRANSFERRED})
ANSWERED_STATES = frozenset({LetterState.REPLIED, LetterState.CLOSED})


class ReplyChannel(models.TextChoices):
    SITE = "site", _("网上答复")
    LETTER = "letter", _("书面答复")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    MOSTLY = "mostly", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class MailboxSetting(models.Model):
    """A body's mailbox settings: whether it accepts letters without contact details (staff change it)."""

    body = models.OneToOneField(
        "organisations.Organisation",
        verbose_name=_("机关"),
        on_delete=models.CASCADE,
        related_name="mailbox_setting",
    )
    accepts_anonymous = models.BooleanField(_("接受匿名来信"), default=False)

    class Meta:
        verbose_name = _("信箱设置")
        verbose_name_plural = _("信箱设置")

    def __str__(self) -> str:
        return str(self.body)


REMIND_WITHIN = (
    2  # working days before the due date a letter's body is reminded (and the queue says 即将到期)
)


class LetterQuerySet(models.QuerySet["Letter"]):
    def open_letters(self) -> LetterQuerySet:
        return self.filter(state__in=sorted(OPEN_STATES))

    def in_view(self, view: str, today: dt.date) -> LetterQuerySet:
        """The letters of one of the staff queue's views (anything unknown is ``open``): the queue, the API and
        the staff home's counts use this one definition, so a count equals the list it links to."""
        if view == "due_soon":
            soon = get_calendar().add_working_days(today, REMIND_WITHIN)
            return self.open_letters().filter(due_on__gte=today, due_on__lte=soon)
        if view == "overdue":
            return self.open_letters().filter(due_on__lt=today)
        if view == "answered":
            return self.filter(state__in=sorted(ANSWERED_STATES))
        if view == "all":
            return self
        return self.open_letters()

    def published(self) -> LetterQuerySet:
        return self.filter(published=True)


class Letter(models.Model):
    body = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("承办机关"),
        on_delete=models.PROTECT,
        related_name="mailbox_letters",
    )
    kind = models.CharField(
        _("来信类别"), max_length=10, choices=LetterKind.choices, default=LetterKind.CONSULT
    )
    addressed_to = models.CharField(
        _("收信人"), max_length=10, choices=Addressee.choices, default=Addressee.BODY
    )
    subject = models.CharField(_("来信标题"), max_length=200, blank=True)
    text = models.TextField(_("来信内容"), blank=True)
    writer_name = models.CharField(_("来信人"), max_length=50, blank=True)
    phone_encrypted = models.TextField(_("联系电话（加密）"), blank=True, editable=False)
    phone_masked = models.CharField(_("联系电话"), max_length=20, blank=True, editable=False)
    email_encrypted = models.TextField(_("电子邮箱（加密）"), blank=True, editable=False)
    email_masked = models.CharField(_("电子邮箱"), max_length=254, blank=True, editable=False)
    received_at = models.DateTimeField(_("来信时间"))
    received_on = models.DateField(_("来信日期"), db_index=True)
    due_on = models.DateField(_("答复期限"))
    state = models.CharField(
        _("办理状态"),
        max_length=12,
        choices=LetterState.choices,
        default=LetterState.SUBMITTED,
        db_index=True,
    )
    replied_on = models.DateField(_("回复日期"), null=True, blank=True)
    reply_text = models.TextField(_("答复内容"), blank=True)
    reply_channel = models.CharField(_("答复方式"), max_length=10, choices=ReplyChannel.choices, blank=True)
    replied_by = models.CharField(_("答复人"), max_length=150, blank=True)
    consent_to_publish = models.BooleanField(_("同意公开"), default=False)
    published = models.BooleanField(_("已公开"), default=False, db_index=True)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    public_subject = models.CharField(_("公开标题"), max_length=200, blank=True)
    public_text = models.TextField(_("公开的来信内容"), blank=True)
    public_reply = models.TextField(_("公开的答复内容"), blank=True)
    satisfaction = models.CharField(_("满意度"), max_length=12, choices=Satisfaction.choices, blank=True)
    satisfaction_comment = models.CharField(_("评价意见"), max_length=500, blank=True)
    tracking_code = models.CharField(
        _("查询编号"), max_length=20, unique=True, null=True, blank=True, editable=False
    )
    tracking_secret_hash = models.CharField(_("查询码摘要"), max_length=128, blank=True, editable=False)
    idempotency_key_hash = models.CharField(
        _("幂等键摘要"), max_length=64, unique=True, null=True, blank=True, editable=False
    )
    request = models.OneToOneField(
        "cases.InformationRequest",
        verbose_name=_("转为政府信息公开申请"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mailbox_letter",
    )
    last_reminded_on = models.DateField(_("最近提醒日期"), null=True, blank=True)

    objects = LetterQuerySet.as_manager()

    class Meta:
        verbose_name = _("信箱来信")
        verbose_name_plural = _("信箱来信")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(replied_on__isnull=True) | Q(replied_on__gte=F("received_on")),
                name="mailbox_replied_after_received",
            ),
            models.CheckConstraint(
                condition=Q(published=False) | Q(consent_to_publish=True),
                name="mailbox_published_only_with_consent",
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=F("received_on")), name="mailbox_due_not_before_received"
            ),
            models.CheckConstraint(
                condition=~Q(state="replied") | Q(replied_on__isnull=False),
                name="mailbox_replied_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["body", "received_on"], name="mailbox_body_received"),
            models.Index(fields=["state", "due_on"], name="mailbox_state_due"),
            models.Index(fields=["published", "replied_on"], name="mailbox_published_replied"),
        ]

    def __str__(self) -> str:
        return f"{self.received_on} {self.subject[:30]}".strip()

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def is_overdue_on(self, day: dt.date) -> bool:
        """Answered after its due date, or still open past it."""
        if self.replied_on is not None:
            return self.replied_on > self.due_on
        return self.is_open and day > self.due_on


class LetterEventKind(models.TextChoices):
    SUBMITTED = "submitted", _("来信")
    ACCEPTED = "accepted", _("签收")
    TRANSFERRED = "transferred", _("转办")
    RETURNED = "returned", _("退回")
    SUPERVISED = "supervised", _("督办")
    REMINDED = "reminded", _("到期提醒")
    REPLIED = "replied", _("答复")
    PUBLISHED = "published", _("公开")
    UNPUBLISHED = "unpublished", _("撤销公开")
    RATED = "rated", _("评价")
    CLOSED = "closed", _("办结")
    CONVERTED = "converted", _("转为政府信息公开申请")


# What the writer sees of a letter's timeline on the tracking page (staff names never).
PUBLIC_EVENTS = frozenset(
    {
        LetterEventKind.SUBMITTED,
        LetterEventKind.ACCEPTED,
        LetterEventKind.TRANSFERRED,
        LetterEventKind.RETURNED,
        LetterEventKind.REPLIED,
        LetterEventKind.PUBLISHED,
        LetterEventKind.RATED,
        LetterEventKind.CLOSED,
        LetterEventKind.CONVERTED,
    }
)


class LetterEvent(models.Model):
    """One step of a letter's life, with who took it (a staff account, ``api:<token>``, ``public``, ``system``)."""

    letter = models.ForeignKey(
        Letter, verbose_name=_("来信"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("事项"), max_length=12, choices=LetterEventKind.choices)
    at = models.DateTimeField(_("时间"))
    on = models.DateField(_("日期"))
    actor_label = models.CharField(_("办理人"), max_length=150, blank=True)
    note = models.TextField(_("说明"), blank=True)
    from_body = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("原承办机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_body = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("转至机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("来信办理记录")
        verbose_name_plural = _("来信办理记录")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["kind", "on"], name="mailbox_event_kind_on")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on}"
