"""Online interviews and press conferences (在线访谈、新闻发布会): announced with their date and time, topic and guests;
the public sends questions beforehand (moderated); staff append a live text transcript during the event; once
held (ended) the event is recorded as an engagement ``ResponseAction`` (the 2014 table's press-conference and
interview rows count it) and its record is published. Writes go through ``gongkai.interviews.actions``."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.masking import mask_text


class InterviewKind(models.TextChoices):
    INTERVIEW = "interview", _("在线访谈")
    PRESS = "press", _("新闻发布会")


class InterviewState(models.TextChoices):
    ANNOUNCED = "announced", _("预告")
    LIVE = "live", _("直播中")
    ENDED = "ended", _("已结束")
    PUBLISHED = "published", _("已发布实录")


# The engagement response kind an event of each kind is recorded as.
RESPONSE_KIND = {InterviewKind.INTERVIEW: "online_interview", InterviewKind.PRESS: "press_conference"}


class Interview(models.Model):
    body = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("主办机关"),
        on_delete=models.PROTECT,
        related_name="interviews",
    )
    kind = models.CharField(_("类型"), max_length=10, choices=InterviewKind.choices)
    topic = models.CharField(_("主题"), max_length=200)
    summary = models.TextField(_("内容简介"), blank=True)
    starts_at = models.DateTimeField(_("开始时间"))
    video_url = models.URLField(_("视频链接"), blank=True)
    event = models.ForeignKey(
        "engagement.PublicConcernEvent",
        verbose_name=_("回应的关切事件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interviews",
    )
    state = models.CharField(
        _("状态"),
        max_length=10,
        choices=InterviewState.choices,
        default=InterviewState.ANNOUNCED,
        db_index=True,
    )
    went_live_at = models.DateTimeField(_("开始直播时间"), null=True, blank=True)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    held_on = models.DateField(_("举办日期"), null=True, blank=True)
    published_at = models.DateTimeField(_("实录发布时间"), null=True, blank=True)
    response = models.OneToOneField(
        "engagement.ResponseAction",
        verbose_name=_("回应记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interview",
    )

    class Meta:
        verbose_name = _("在线访谈和新闻发布会")
        verbose_name_plural = _("在线访谈和新闻发布会")
        ordering = ["-starts_at", "-id"]

    def __str__(self) -> str:
        return self.topic

    @property
    def principal_leader(self) -> bool:
        return any(g.principal_leader for g in self.guests.all())


class Guest(models.Model):
    interview = models.ForeignKey(
        Interview, verbose_name=_("访谈"), on_delete=models.CASCADE, related_name="guests"
    )
    name = models.CharField(_("嘉宾姓名"), max_length=50)
    post = models.CharField(_("职务"), max_length=100, blank=True)
    principal_leader = models.BooleanField(_("主要负责同志"), default=False)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("嘉宾")
        verbose_name_plural = _("嘉宾")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class QuestionState(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已通过")
    REJECTED = "rejected", _("未通过")


class Question(models.Model):
    """A question of the public sent before the event; shown once approved (``asker`` is a nickname the asker
    chose, masked for ID and phone numbers like the text)."""

    interview = models.ForeignKey(
        Interview, verbose_name=_("访谈"), on_delete=models.CASCADE, related_name="questions"
    )
    asker = models.CharField(_("网友昵称"), max_length=30, blank=True)
    text = models.TextField(_("问题"))
    received_at = models.DateTimeField(_("提交时间"))
    state = models.CharField(
        _("审核"), max_length=10, choices=QuestionState.choices, default=QuestionState.PENDING, db_index=True
    )

    class Meta:
        verbose_name = _("网友提问")
        verbose_name_plural = _("网友提问")
        ordering = ["received_at", "id"]

    def __str__(self) -> str:
        return self.text[:30]

    @property
    def public_text(self) -> str:
        return mask_text(self.text)

    @property
    def public_asker(self) -> str:
        return mask_text(self.asker)


class TranscriptLine(models.Model):
    interview = models.ForeignKey(
        Interview, verbose_name=_("访谈"), on_delete=models.CASCADE, related_name="lines"
    )
    speaker = models.CharField(_("发言人"), max_length=60)
    text = models.TextField(_("内容"))
    at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("文字实录")
        verbose_name_plural = _("文字实录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.speaker}: {self.text[:30]}"
