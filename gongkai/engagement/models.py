"""Responses and engagement: public-concern events and the actions responding to them, the mayor's hotline
and mailbox, complaints, and per-body yearly figures that are not events (staff, reading points, budget,
meetings, training)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ConcernSource(models.TextChoices):
    ONLINE_OPINION = "online_opinion", _("网络舆情")
    MEDIA = "media", _("媒体报道")
    DEPUTIES = "deputies", _("人大建议/政协提案")
    HOTLINE = "hotline_12345", _("12345热线")
    OTHER = "other", _("其他")


class PublicConcernEvent(models.Model):
    """A hot topic or major public-opinion event (社会关注热点或重大舆情) a body responded to."""

    body = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("回应机关"),
        on_delete=models.PROTECT,
        related_name="events",
    )
    title = models.CharField(_("事件"), max_length=200)
    noticed_on = models.DateField(_("发现日期"))
    source = models.CharField(
        _("来源"), max_length=20, choices=ConcernSource.choices, default=ConcernSource.OTHER
    )
    first_response_at = models.DateTimeField(_("首次回应时间"), null=True, blank=True)
    noticed_at = models.DateTimeField(_("发现时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("社会关注事件")
        verbose_name_plural = _("社会关注事件")

    def __str__(self) -> str:
        return self.title

    @property
    def response_hours(self) -> float | None:
        """Hours from noticing the event (its time, else the start of its day) to the first response."""
        if self.first_response_at is None:
            return None
        start = self.noticed_at or timezone.make_aware(dt.datetime.combine(self.noticed_on, dt.time()))
        return round((self.first_response_at - start).total_seconds() / 3600, 1)


class ResponseKind(models.TextChoices):
    PRESS_CONFERENCE = "press_conference", _("新闻发布会")
    ONLINE_INTERVIEW = "online_interview", _("政府网站在线访谈")
    ARTICLE = "article", _("发布回应文章")
    WEIBO_WECHAT = "weibo_wechat", _("微博微信回应")
    OTHER = "other", _("其他方式回应")


class ResponseAction(models.Model):
    """One way an event was answered; an event answered several ways counts once as an event. A press
    conference or interview not tied to one event has no event (it still counts as a conference or interview);
    its body is then the body that held it (with an event, always the event's body)."""

    body = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("回应机关"),
        on_delete=models.PROTECT,
        related_name="responses",
    )
    event = models.ForeignKey(
        PublicConcernEvent,
        verbose_name=_("回应的事件"),
        on_delete=models.CASCADE,
        related_name="actions",
        null=True,
        blank=True,
    )
    kind = models.CharField(_("回应方式"), max_length=20, choices=ResponseKind.choices)
    held_on = models.DateField(_("日期"), db_index=True)
    principal_leader = models.BooleanField(_("主要负责同志参加"), default=False)
    title = models.CharField(_("标题"), max_length=200, blank=True)
    url = models.URLField(_("链接"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("回应解读")
        verbose_name_plural = _("回应解读")
        constraints = [
            models.CheckConstraint(
                condition=Q(principal_leader=False) | Q(kind__in=["press_conference", "online_interview"]),
                name="principal_leader_only_for_conference_or_interview",
            ),
        ]
        indexes = [models.Index(fields=["kind", "held_on"], name="action_kind_day")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._body_from_event()
        super().save(*args, **kwargs)

    def full_clean(self, *args: Any, **kwargs: Any) -> None:
        self._body_from_event()
        super().full_clean(*args, **kwargs)

    def _body_from_event(self) -> None:
        if self.body_id is None and self.event is not None:
            self.body_id = self.event.body_id  # an action answering an event belongs to the event's body

    def clean(self) -> None:
        if self.event is not None and self.body_id is not None and self.event.body_id != self.body_id:
            raise ValidationError({"body": _("回应机关须是事件的回应机关")})


class Complaint(models.Model):
    """A report or complaint (举报投诉) about a body's disclosure work."""

    body = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("被举报投诉机关"),
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    received_on = models.DateField(_("收到日期"), db_index=True)
    summary = models.CharField(_("内容摘要"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("举报投诉")
        verbose_name_plural = _("举报投诉")

    def __str__(self) -> str:
        return f"{self.body} {self.received_on}"


class YearlyFigures(models.Model):
    """Per body and year figures that are not events (2014 table rows 八 and 九: offices, reading points, staff,
    budget, meetings, training), typed in the admin.

    Issue 13 §7 (typed yearly figures remain only where the platform has no records, shown as such): no
    workflow on the platform records these figures for any body, so they are the only source of rows 八/九 and
    never add to a figure counted from records. Every engagement figure (letters, tickets, events, responses,
    interpretations, posts) is counted from its workflow records only: the typed letters and calls
    (``MailboxLetter``, ``HotlineCall``) were copied into the mailbox and the hotline and deleted (engagement
    0003). A body with a current submission (填报) is counted from it instead (``Context.bodies``). Drill-downs
    label these rows as typed figures (``reports.drilldown._entered``)."""

    body = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("机关"),
        on_delete=models.PROTECT,
        related_name="yearly_figures",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    dedicated_offices = models.PositiveIntegerField(_("政府信息公开工作专门机构数"), default=0)
    reading_points = models.PositiveIntegerField(_("设置政府信息公开查阅点数"), default=0)
    fulltime_staff = models.PositiveIntegerField(_("专职人员数"), default=0)
    parttime_staff = models.PositiveIntegerField(_("兼职人员数"), default=0)
    budget_wan_yuan = models.DecimalField(
        _("政府信息公开专项经费（万元）"), max_digits=12, decimal_places=2, default=0
    )
    meetings = models.PositiveIntegerField(_("召开政府信息公开工作会议或专题会议数"), default=0)
    training_sessions = models.PositiveIntegerField(_("举办各类培训班数"), default=0)
    people_trained = models.PositiveIntegerField(_("接受培训人员数"), default=0)

    class Meta:
        verbose_name = _("年度工作数据")
        verbose_name_plural = _("年度工作数据")
        constraints = [
            models.UniqueConstraint(fields=["body", "year"], name="yearly_figures_once_per_body_year"),
            models.CheckConstraint(condition=Q(budget_wan_yuan__gte=0), name="budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.body} {self.year}"


class InterpretationForm(models.TextChoices):
    TEXT = "text", _("文字解读")
    GRAPHIC = "graphic", _("图解")
    VIDEO = "video", _("视频解读")
    OFFICIAL = "official", _("负责人解读")


class Interpretation(models.Model):
    """A policy interpretation (政策解读). The catalog item that carries it (genre 解读) is published through
    the catalog's workflow (保密审查 first); it names the policy it explains (``Publication.interprets``).
    This record adds how it interprets: its form, and for an official's reading the official's name and post."""

    publication = models.OneToOneField(
        "catalog.Publication",
        verbose_name=_("解读稿件"),
        on_delete=models.CASCADE,
        related_name="interpretation_record",
    )
    form = models.CharField(_("解读形式"), max_length=10, choices=InterpretationForm.choices)
    official_name = models.CharField(_("解读人姓名"), max_length=50, blank=True)
    official_post = models.CharField(_("解读人职务"), max_length=100, blank=True)
    media_url = models.URLField(_("图解或视频链接"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("政策解读")
        verbose_name_plural = _("政策解读")
        constraints = [
            models.CheckConstraint(
                condition=~Q(form="official") | (~Q(official_name="") & ~Q(official_post="")),
                name="official_reading_names_the_official",
            ),
        ]

    def __str__(self) -> str:
        return self.publication.title

    @property
    def policy(self) -> Any:
        """The policy it explains (the catalog item's ``interprets``)."""
        return self.publication.interprets

    @property
    def late(self) -> bool:
        """同步解读: published later than its policy's publication (the same day is on time)."""
        from gongkai.engagement.interpretations import is_late

        return is_late(self.publication)


class SocialChannel(models.TextChoices):
    WEIBO = "weibo", _("政务微博")
    WECHAT = "wechat", _("政务微信")


class SocialPost(models.Model):
    """A post on the body's Weibo or WeChat account, with its link. A post answering a public-concern event
    is also a response action (kind 微博微信回应) of that event."""

    body = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("发布机关"),
        on_delete=models.PROTECT,
        related_name="social_posts",
    )
    channel = models.CharField(_("平台"), max_length=10, choices=SocialChannel.choices)
    posted_at = models.DateTimeField(_("发布时间"), db_index=True)
    url = models.URLField(_("链接"), max_length=500)
    title = models.CharField(_("标题"), max_length=200)
    response = models.OneToOneField(
        ResponseAction,
        verbose_name=_("回应的事件"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="social_post",
    )

    class Meta:
        verbose_name = _("政务新媒体发布")
        verbose_name_plural = _("政务新媒体发布")
        ordering = ["-posted_at", "-id"]

    def __str__(self) -> str:
        return self.title
