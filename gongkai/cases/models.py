"""Requests by application (依申请公开) and the reviews and lawsuits arising from them.

The regime (2008 or 2019 Regulations) is fixed by the legal receipt date (statutory-reference §1) and stored,
so a change in the law never moves an old case. On time, extended and overdue are derived from dates, never
stored (2008 art 24; 2019 art 33).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from gongkai.audit.models import AppendOnlyError
from gongkai.cases import outcomes

if TYPE_CHECKING:
    from django.db.models.expressions import Combinable

    from gongkai.organisations.models import Organisation


class RequestChannel(models.TextChoices):
    IN_PERSON = "in_person", _("当面")
    FAX = "fax", _("传真")
    ONLINE = "online", _("网络")
    LETTER = "letter", _("信函")
    EMAIL = "email", _("电子邮件")


class ApplicantKind(models.TextChoices):
    """The applicant columns of Table 3 (2019 trial and 2021 formats)."""

    NATURAL_PERSON = "natural", _("自然人")
    BUSINESS = "business", _("商业企业")
    RESEARCH = "research", _("科研机构")
    PUBLIC_INTEREST = "public_interest", _("社会公益组织")
    LEGAL_SERVICE = "legal_service", _("法律服务机构")
    OTHER = "other", _("其他")


class ProvisionForm(models.TextChoices):
    """所需信息的提供形式 (2019 art 29)."""

    PAPER = "paper", _("纸质")
    ELECTRONIC = "electronic", _("电子文档")
    OTHER = "other", _("其他")


class DeliveryMethod(models.TextChoices):
    """获取信息的方式."""

    POST = "post", _("邮寄")
    COLLECT = "collect", _("当面领取")
    EMAIL = "email", _("电子邮件")
    ONLINE = "online", _("网上获取")


class IdDocument(models.TextChoices):
    RESIDENT_ID = "resident_id", _("居民身份证")
    PASSPORT = "passport", _("护照")
    HK_MACAO_PERMIT = "hk_macao", _("港澳居民来往内地通行证")
    TAIWAN_PERMIT = "taiwan", _("台湾居民来往大陆通行证")
    OTHER = "other", _("其他有效身份证件")


class Applicant(models.Model):
    """Who asks: a natural person (with an identity document) or an organisation of the five Table 3 kinds
    (with its credit code). ID and phone numbers are stored encrypted, with a keyed digest for matching and a
    masked form for lists (``gongkai.crypto``, ``gongkai.masking``); revealing one is audited."""

    kind = models.CharField(_("申请人类别"), max_length=16, choices=ApplicantKind.choices)
    name = models.CharField(_("姓名或名称"), max_length=100)
    id_document = models.CharField(_("证件类型"), max_length=12, choices=IdDocument.choices, blank=True)
    id_number_encrypted = models.TextField(_("证件号码（加密）"), blank=True, editable=False)
    id_number_digest = models.CharField(
        _("证件号码摘要"), max_length=64, blank=True, db_index=True, editable=False
    )
    id_number_masked = models.CharField(_("证件号码"), max_length=40, blank=True, editable=False)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True, db_index=True)
    legal_representative = models.CharField(_("法定代表人或者负责人"), max_length=50, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    phone_encrypted = models.TextField(_("联系电话（加密）"), blank=True, editable=False)
    phone_masked = models.CharField(_("联系电话"), max_length=20, blank=True, editable=False)
    email = models.EmailField(_("电子邮箱"), blank=True)
    address = models.CharField(_("通信地址"), max_length=200, blank=True)
    postcode = models.CharField(_("邮政编码"), max_length=6, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("申请人")
        verbose_name_plural = _("申请人")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="natural") & ~Q(id_document="") & ~Q(id_number_digest=""))
                | (~Q(kind="natural") & Q(id_document="")),
                name="applicant_person_has_id_document",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RegimeCode(models.TextChoices):
    R2008 = "2008", _("2008年《条例》（国务院令第492号）")
    R2019 = "2019", _("2019年《条例》（国务院令第711号）")


class CaseState(models.TextChoices):
    """Where a case stands (2019 Regulations arts 30-37). Overdue is never a state: it comes from dates."""

    ASSIGNING = "assigning", _("待分办")
    AWAITING_SIGNATURE = "awaiting_signature", _("待签收")
    RECEIVED = "received", _("办理中")
    AWAITING_SUPPLEMENT = "awaiting_supplement", _("待补正")
    CONSULTING = "consulting", _("征求意见中")
    AWAITING_FEE = "awaiting_fee", _("待缴费")
    ANSWERED = "answered", _("已答复")
    CLOSED = "closed", _("已办结")
    ABANDONED = "abandoned", _("视为放弃")


OPEN_STATES = frozenset(
    {
        CaseState.ASSIGNING,
        CaseState.AWAITING_SIGNATURE,
        CaseState.RECEIVED,
        CaseState.AWAITING_SUPPLEMENT,
        CaseState.CONSULTING,
        CaseState.AWAITING_FEE,
    }
)
TERMINAL_STATES = frozenset({CaseState.ANSWERED, CaseState.CLOSED, CaseState.ABANDONED})


class InformationRequestQuerySet(models.QuerySet["InformationRequest"]):
    def in_states(self, *states: str) -> InformationRequestQuerySet:
        return self.filter(state__in=states)

    def open_cases(self) -> InformationRequestQuerySet:
        return self.filter(state__in=OPEN_STATES)

    def running(self) -> InformationRequestQuerySet:
        """Open cases whose clock runs: a case waiting for the applicant's supplement is suspended until it
        arrives (2019 art 30), so it is neither due soon nor overdue."""
        return self.open_cases().exclude(state=CaseState.AWAITING_SUPPLEMENT)

    def with_applicable_due(self) -> InformationRequestQuerySet:
        """Annotate ``applicable_due``: the extended due date if there is one, else the due date."""
        return self.annotate(
            applicable_due=Coalesce("extended_due_date", "due_date", output_field=models.DateField())
        )

    def received_in(self, year: int) -> InformationRequestQuerySet:
        return self.filter(receipt_date__year=year)

    def closed_in(self, year: int) -> InformationRequestQuerySet:
        return self.filter(answered_on__year=year)

    def open_on(self, day: dt.date) -> InformationRequestQuerySet:
        return self.filter(Q(receipt_date__lte=day), Q(answered_on__isnull=True) | Q(answered_on__gt=day))

    def on_time(self) -> InformationRequestQuerySet:
        """Answered by the original due date (按时办结)."""
        return self.filter(answered_on__lte=F("due_date"))

    def extended(self) -> InformationRequestQuerySet:
        """Answered after the original due date within an approved extension (延期办结)."""
        return self.filter(
            extension_days__gt=0, answered_on__gt=F("due_date"), answered_on__lte=F("extended_due_date")
        )

    def overdue_on(self, day: dt.date) -> InformationRequestQuerySet:
        """Open past the applicable due date on ``day``, or answered after it."""
        late_open = (
            Q(answered_on__isnull=True)
            & ~Q(state=CaseState.AWAITING_SUPPLEMENT)  # suspended (see running())
            & (Q(extension_days=0, due_date__lt=day) | Q(extension_days__gt=0, extended_due_date__lt=day))
        )
        late_answer = Q(extension_days=0, answered_on__gt=F("due_date")) | Q(
            extension_days__gt=0, answered_on__gt=F("extended_due_date")
        )
        return self.filter(late_open | late_answer)

    def in_view(self, view: str, today: dt.date, outcome: str = "") -> InformationRequestQuerySet:
        """The cases of one of the inbox's views (``open``, ``due_soon`` within 3 working days, ``overdue``,
        ``paused``, ``supervised``, ``to_sign``, ``answered``, ``all``; anything else is ``open``): the staff
        inbox lists them and the staff home counts them, so a count always equals its list."""
        from gongkai.workdays.calendar import get_calendar  # the calendar's data is loaded on first use

        qs: Any = self if "applicable_due" in self.query.annotations else self.with_applicable_due()
        soon = get_calendar().add_working_days(today, 3)
        views: dict[str, Any] = {
            "open": lambda: qs.open_cases(),
            "due_soon": lambda: qs.running().filter(applicable_due__gte=today, applicable_due__lte=soon),
            "overdue": lambda: qs.running().filter(applicable_due__lt=today),
            "paused": lambda: qs.filter(
                state__in=[CaseState.CONSULTING, CaseState.AWAITING_FEE, CaseState.AWAITING_SUPPLEMENT]
            ),
            "supervised": lambda: qs.open_cases().filter(supervised_until__isnull=False),
            "to_sign": lambda: qs.filter(state__in=[CaseState.ASSIGNING, CaseState.AWAITING_SIGNATURE]),
            "answered": lambda: qs.filter(state__in=TERMINAL_STATES),
            "all": lambda: qs,
        }
        result: InformationRequestQuerySet = views.get(view, views["open"])()
        return result.filter(outcome=outcome) if outcome else result


def _outcome_in_regime() -> Q:
    return (
        Q(outcome="")
        | Q(regime="2008", outcome__in=outcomes.codes_for_regime("2008"))
        | Q(regime="2019", outcome__in=outcomes.codes_for_regime("2019"))
    )


class InformationRequest(models.Model):
    body = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("办理机关"),
        on_delete=models.PROTECT,
        related_name="information_requests",
    )
    received_on = models.DateField(_("提交日期"))
    receipt_date = models.DateField(_("收到申请日期"), help_text=_("依《条例》第三十一条确定的收到申请之日"))
    channel = models.CharField(_("申请方式"), max_length=12, choices=RequestChannel.choices)
    applicant_kind = models.CharField(_("申请人类别"), max_length=16, choices=ApplicantKind.choices)
    subject = models.CharField(_("申请内容"), max_length=500)
    applicant = models.ForeignKey(
        Applicant,
        verbose_name=_("申请人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests",
    )
    regime = models.CharField(_("适用条例"), max_length=4, choices=RegimeCode.choices)
    due_date = models.DateField(_("答复期限"))
    extension_days = models.PositiveSmallIntegerField(_("延长工作日数"), default=0)
    extended_due_date = models.DateField(_("延长后的答复期限"), null=True, blank=True)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    outcome = models.CharField(_("办理结果"), max_length=40, choices=outcomes.CHOICES, blank=True)
    state = models.CharField(
        _("办理状态"), max_length=24, choices=CaseState.choices, default=CaseState.RECEIVED, db_index=True
    )
    provision_form = models.CharField(
        _("信息提供形式"), max_length=12, choices=ProvisionForm.choices, blank=True
    )
    delivery_method = models.CharField(
        _("获取方式"), max_length=12, choices=DeliveryMethod.choices, blank=True
    )
    supervised_until = models.DateField(_("督办期限"), null=True, blank=True, db_index=True)
    tracking_code = models.CharField(
        _("查询编号"), max_length=20, unique=True, null=True, blank=True, editable=False
    )
    tracking_secret_digest = models.CharField(_("查询码摘要"), max_length=64, blank=True, editable=False)
    provisional = models.BooleanField(
        _("期限为暂定"), default=False, help_text=_("计算期限所跨年度的法定节假日安排尚未录入")
    )

    objects = InformationRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("政府信息公开申请")
        verbose_name_plural = _("政府信息公开申请")
        ordering = ["-receipt_date", "-id"]
        constraints = [
            models.CheckConstraint(condition=_outcome_in_regime(), name="request_outcome_valid_for_regime"),
            models.CheckConstraint(
                condition=(Q(outcome="") & Q(answered_on__isnull=True))
                | (~Q(outcome="") & Q(answered_on__isnull=False)),
                name="request_answer_has_date_and_outcome",
            ),
            models.CheckConstraint(
                condition=Q(receipt_date__gte=F("received_on")), name="request_receipt_not_before_submission"
            ),
            models.CheckConstraint(
                condition=(Q(state__in=sorted(TERMINAL_STATES)) & ~Q(outcome=""))
                | (~Q(state__in=sorted(TERMINAL_STATES)) & Q(outcome="")),
                name="request_terminal_state_has_outcome",
            ),
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | Q(answered_on__gte=F("received_on")),
                name="request_answer_not_before_submission",
            ),
            models.CheckConstraint(
                condition=(Q(extension_days=0) & Q(extended_due_date__isnull=True))
                | (
                    Q(extension_days__gt=0)
                    & Q(extended_due_date__isnull=False)
                    & Q(extended_due_date__gt=F("due_date"))
                ),
                name="request_extension_consistent",
            ),
        ]
        indexes = [
            models.Index(fields=["body", "receipt_date"], name="req_body_receipt"),
            models.Index(fields=["body", "answered_on"], name="req_body_answered"),
        ]

    def __str__(self) -> str:
        return f"{self.receipt_date} {self.subject[:30]}"

    @property
    def is_open(self) -> bool:
        return self.answered_on is None

    @property
    def applicable_due_date(self) -> dt.date:
        return self.extended_due_date or self.due_date

    def is_overdue_on(self, day: dt.date) -> bool:
        """Late if answered after the applicable due date, or still open past it; a case waiting for the
        applicant's supplement is suspended (its period restarts on the supplement, 2019 art 30)."""
        if self.state == CaseState.AWAITING_SUPPLEMENT:
            return False
        if self.answered_on is not None:
            return self.answered_on > self.applicable_due_date
        return day > self.applicable_due_date


class RequestItem(models.Model):
    """One item of a multi-item application, with its own outcome; the request's Table 3 row follows
    ``outcomes.combined_outcome``."""

    request = models.ForeignKey(InformationRequest, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("序号"))
    description = models.CharField(_("申请事项"), max_length=300)
    outcome = models.CharField(_("办理结果"), max_length=40, choices=outcomes.CHOICES, blank=True)

    class Meta:
        verbose_name = _("申请事项")
        verbose_name_plural = _("申请事项")
        ordering = ["request", "position"]
        constraints = [models.UniqueConstraint(fields=["request", "position"], name="item_position_unique")]

    def __str__(self) -> str:
        return f"{self.position}. {self.description}"


class CaseEventKind(models.TextChoices):
    REGISTERED = "registered", _("登记受理")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("告知补正")
    SUPPLEMENT_RECEIVED = "supplement_received", _("收到补正")
    ABANDONED = "abandoned", _("视为放弃")
    CONSULTATION_STARTED = "consultation_started", _("征求第三方或其他机关意见")
    CONSULTATION_ENDED = "consultation_ended", _("收到征求意见答复")
    EXTENDED = "extended", _("延长答复期限")
    FEE_NOTIFIED = "fee_notified", _("发出收费通知")
    FEE_PAID = "fee_paid", _("缴纳费用")
    ANSWERED = "answered", _("作出答复")
    CLOSED = "closed", _("办结")
    REOPENED = "reopened", _("重新办理")
    ASSIGNED = "assigned", _("分办")
    SIGNED_FOR = "signed_for", _("签收")
    RETURNED = "returned", _("退回")
    TRANSFERRED = "transferred", _("转办")
    SUPERVISED = "supervised", _("督办")


class CaseEventQuerySet(models.QuerySet["CaseEvent"]):
    def update(self, **kwargs: object) -> int:
        raise AppendOnlyError("case events are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("case events are append-only")


class CaseEvent(models.Model):
    """One step in a case's life: the timeline, the audit of the workflow and the clock's input.

    ``effective_on`` is the date of legal effect (e.g. the day a supplement was received); ``at`` is when it
    was recorded. Append-only."""

    request = models.ForeignKey(InformationRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("事项"), max_length=24, choices=CaseEventKind.choices)
    effective_on = models.DateField(_("日期"))
    at = models.DateTimeField(_("记录时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("经办人标识"), max_length=150)
    from_state = models.CharField(_("原状态"), max_length=24, choices=CaseState.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=24, choices=CaseState.choices)
    legal_basis = models.CharField(_("法律依据"), max_length=100, blank=True)
    data = models.JSONField(_("内容"), default=dict, blank=True)

    objects = CaseEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["request", "kind"], name="case_event_request_kind")]

    def __str__(self) -> str:
        return f"{self.effective_on} {self.get_kind_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("case events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("case events are append-only")


class Letter(models.Model):
    """A written notice (告知书) belonging to one step of a case. Rendered from the case when opened; when sent,
    its DOCX and PDF are stored with their checksum and the dispatch date; the delivery date (送达) is recorded
    when known, and periods that run from delivery (a third party's 15 working days, 20 to pay a fee) use it."""

    request = models.ForeignKey(InformationRequest, on_delete=models.CASCADE, related_name="letters")
    event = models.OneToOneField(
        CaseEvent, verbose_name=_("所属步骤"), on_delete=models.PROTECT, related_name="letter"
    )
    sent_at = models.DateTimeField(_("发出时间"))
    dispatched_on = models.DateField(_("寄（送）出日期"))
    delivered_on = models.DateField(_("送达日期"), null=True, blank=True)
    docx = models.FileField(_("DOCX"), upload_to="letters/%Y/")
    pdf = models.FileField(_("PDF"), upload_to="letters/%Y/")
    checksum = models.CharField(_("校验值（SHA-256）"), max_length=64)
    number = models.CharField(_("文号"), max_length=100, blank=True)
    numbering = models.ForeignKey(
        "LetterNumbering",
        verbose_name=_("编号规则"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="letters",
    )
    sequence = models.PositiveIntegerField(_("顺序号"), null=True, blank=True)

    class Meta:
        verbose_name = _("告知书")
        verbose_name_plural = _("告知书")
        constraints = [
            models.CheckConstraint(
                condition=Q(delivered_on__isnull=True) | Q(delivered_on__gte=F("dispatched_on")),
                name="letter_delivered_after_dispatch",
            ),
            # A sequence number is used once: never two letters with one number of one body's year.
            models.UniqueConstraint(fields=["numbering", "sequence"], name="letter_sequence_once"),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} {self.event.get_kind_display()}"


class LetterNumbering(models.Model):
    """A body's 文号 sequence for one year: the template the letters' numbers follow (placeholders
    ``{机关代字}``, ``{year}``, ``{seq}``) and the next sequence number. Numbers are allocated when a letter is
    sent (``gongkai.cases.numbering.allocate``), under a row lock, and never reused."""

    body = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("机关"),
        on_delete=models.PROTECT,
        related_name="letter_numberings",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    template = models.CharField(_("文号模板"), max_length=100)
    next_sequence = models.PositiveIntegerField(_("下一个顺序号"), default=1)

    class Meta:
        verbose_name = _("告知书文号")
        verbose_name_plural = _("告知书文号")
        ordering = ["body", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["body", "year"], name="letter_numbering_body_year"),
            models.CheckConstraint(
                condition=Q(next_sequence__gte=1), name="letter_numbering_sequence_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body} {self.year} {self.template}"


def answer_document_path(instance: AnswerDocument, filename: str) -> str:
    """Outside any served folder (MEDIA_ROOT is never served directly); named by content checksum."""
    return f"answers/{instance.request_id}/{instance.sha256[:2]}/{instance.sha256}/{filename}"


class AnswerDocument(models.Model):
    """A document provided with an answer (2019 Regulations art 36 (二), art 37): stored with its checksum,
    listed by name in the 答复书, downloadable only by the handling body's staff."""

    request = models.ForeignKey(InformationRequest, on_delete=models.CASCADE, related_name="answer_documents")
    event = models.ForeignKey(
        CaseEvent, verbose_name=_("所属答复"), on_delete=models.PROTECT, related_name="documents"
    )
    name = models.CharField(_("文件名称"), max_length=200)
    file = models.FileField(_("文件"), upload_to=answer_document_path, max_length=300)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content_type = models.CharField(_("类型"), max_length=100, blank=True)
    uploaded_at = models.DateTimeField(_("上传时间"))

    class Meta:
        verbose_name = _("答复提供的文件")
        verbose_name_plural = _("答复提供的文件")
        ordering = ["event", "id"]

    def __str__(self) -> str:
        return self.name


class OutcomeMapping(models.Model):
    """Which Table 3 row (2019/2021 formats) an answer counts in (statutory-reference §2): editable data."""

    outcome = models.CharField(_("办理结果"), max_length=40, choices=outcomes.CHOICES, unique=True)
    table3_row = models.CharField(_("表三行"), max_length=200)
    confirmed = models.BooleanField(_("有官方依据"), default=True)

    class Meta:
        verbose_name = _("办理结果统计口径")
        verbose_name_plural = _("办理结果统计口径")
        ordering = ["outcome"]

    def __str__(self) -> str:
        return f"{self.outcome} → {self.table3_row}"


class RemedyOutcome(models.TextChoices):
    UPHELD = "upheld", _("维持（驳回诉讼请求）")
    CORRECTED = "corrected", _("纠正")
    OTHER = "other", _("其他结果")
    PENDING = "", _("尚未审结")


if TYPE_CHECKING:  # the field types of a remedy (django-stubs: what is assigned, what is read)
    Against = models.ForeignKey[Organisation | Combinable, Organisation]
    OfRequest = models.ForeignKey[InformationRequest | Combinable | None, InformationRequest | None]
    Filed = models.DateField[dt.date | str | Combinable, dt.date]
    Decided = models.DateField[dt.date | str | Combinable | None, dt.date | None]
    Outcome = models.CharField[str | int | Combinable, str]


class Remedy(models.Model):
    """What 行政复议 and 行政诉讼 share: filed against a body's handling of a request, then decided — an outcome
    and its date, both or neither (``decision_complete``). Table 4 counts them by filing year and their state on
    31 December; ``gongkai.cases.remedies`` files and decides both. Each concrete model declares the fields
    through the functions below, with its own statutory labels and related names (the columns are the same)."""

    body: Against
    request: OfRequest
    request_id: int | None
    filed_on: Filed
    decided_on: Decided
    outcome: Outcome

    class Meta:
        abstract = True

    if TYPE_CHECKING:

        def get_outcome_display(self) -> str: ...  # added to each concrete model by Django

    def __str__(self) -> str:
        return f"{self.body} {self.filed_on}"


def remedy_body(label: StrOrPromise, related_name: str) -> Against:
    """The body whose handling is challenged (the review's respondent, the lawsuit's defendant)."""
    return models.ForeignKey(
        "organisations.Organisation", verbose_name=label, on_delete=models.PROTECT, related_name=related_name
    )


def remedy_request(related_name: str) -> OfRequest:
    return models.ForeignKey(
        InformationRequest,
        verbose_name=_("原申请"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name=related_name,
    )


def remedy_filed_on(label: StrOrPromise) -> Filed:
    """Indexed: Table 4 counts by filing year."""
    return models.DateField(label, db_index=True)


def remedy_decided_on(label: StrOrPromise) -> Decided:
    """Empty until the decision."""
    return models.DateField(label, null=True, blank=True)


def remedy_outcome(label: StrOrPromise) -> Outcome:
    return models.CharField(label, max_length=10, choices=RemedyOutcome.choices, blank=True)


def decision_complete(name: str) -> models.CheckConstraint:
    """A decision has both an outcome and its date; a pending remedy neither."""
    return models.CheckConstraint(
        condition=(Q(outcome="") & Q(decided_on__isnull=True))
        | (~Q(outcome="") & Q(decided_on__isnull=False)),
        name=name,
    )


class AdministrativeReview(Remedy):
    """行政复议 against a body's handling of a request."""

    body = remedy_body(_("被申请机关"), "reviews")
    request = remedy_request("reviews")
    filed_on = remedy_filed_on(_("申请复议日期"))
    decided_on = remedy_decided_on(_("复议决定日期"))
    outcome = remedy_outcome(_("复议结果"))

    class Meta:
        verbose_name = _("行政复议")
        verbose_name_plural = _("行政复议")
        constraints = [decision_complete("review_decision_has_date_and_outcome")]


class Lawsuit(Remedy):
    """行政诉讼; a lawsuit where the review body is co-defendant counts only for the original body
    (国办公开办函〔2016〕201号)."""

    body = remedy_body(_("被告机关"), "lawsuits")
    request = remedy_request("lawsuits")
    after_review = models.BooleanField(_("复议后起诉"), default=False)
    filed_on = remedy_filed_on(_("起诉日期"))
    decided_on = remedy_decided_on(_("判决（裁定）日期"))
    outcome = remedy_outcome(_("诉讼结果"))

    class Meta:
        verbose_name = _("行政诉讼")
        verbose_name_plural = _("行政诉讼")
        constraints = [decision_complete("lawsuit_decision_has_date_and_outcome")]


class FeeCollected(models.Model):
    """A fee collected for providing information (yuan; reports show 万元)."""

    body = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("收费机关"),
        on_delete=models.PROTECT,
        related_name="fees",
    )
    request = models.ForeignKey(
        InformationRequest, verbose_name=_("申请"), null=True, blank=True, on_delete=models.PROTECT
    )
    amount_yuan = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2)
    collected_on = models.DateField(_("收费日期"), db_index=True)

    class Meta:
        verbose_name = _("收费记录")
        verbose_name_plural = _("收费记录")
        constraints = [models.CheckConstraint(condition=Q(amount_yuan__gte=0), name="fee_not_negative")]

    def __str__(self) -> str:
        return f"{self.body} {self.amount_yuan}"
