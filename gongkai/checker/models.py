"""What the checker keeps: each report file once by its SHA-256 (fetched by address or uploaded to a batch),
where and when it was fetched, and the batches supervisors ran with one row per report (docs/checker-input.md).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def report_path(instance: FetchedReport, filename: str) -> str:
    return f"checker/{instance.sha256[:2]}/{instance.sha256}"


class FetchedReport(models.Model):
    """A report file, kept once whatever how often it is fetched or uploaded (the bytes in the data dir)."""

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    file = models.FileField(_("文件"), upload_to=report_path, max_length=300)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    content_type = models.CharField(_("内容类型"), max_length=100, blank=True)
    name = models.CharField(_("首次的文件名"), max_length=255, blank=True)
    stored_at = models.DateTimeField(_("保存时间"))

    class Meta:
        verbose_name = _("年报文件")
        verbose_name_plural = _("年报文件")

    def __str__(self) -> str:
        return f"{self.name or self.sha256[:12]} ({self.size} B)"


class FetchSource(models.Model):
    """One fetch of a report by its address: the same content fetched again adds a row, not a copy."""

    report = models.ForeignKey(
        FetchedReport, verbose_name=_("年报文件"), on_delete=models.CASCADE, related_name="sources"
    )
    url = models.URLField(_("地址"), max_length=2000)
    final_url = models.URLField(_("最终地址（跳转后）"), max_length=2000)
    content_type = models.CharField(_("内容类型"), max_length=100, blank=True)
    fetched_at = models.DateTimeField(_("获取时间"))
    fetched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("获取人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("获取记录")
        verbose_name_plural = _("获取记录")
        ordering = ["-fetched_at"]

    def __str__(self) -> str:
        return self.url


class BatchStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("检查中")
    DONE = "done", _("已完成")


class Batch(models.Model):
    """A supervisor's batch check: many reports at once, one ``BatchItem`` each; seen by its creator only."""

    token = models.UUIDField(_("编号"), default=uuid.uuid4, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"))
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.QUEUED
    )
    # Set when a run starts and after each report: a batch not done whose last sign of life is old was lost
    # with its worker (``batch.resume_stalled`` hands it to a worker again).
    heartbeat_at = models.DateTimeField(_("最近进展时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("批量检查")
        verbose_name_plural = _("批量检查")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(self.token)


class ItemStatus(models.TextChoices):
    PENDING = "pending", _("待检查")
    CHECKED = "checked", _("已检查")
    UNREADABLE = "unreadable", _("无法读取")


class BatchItem(models.Model):
    batch = models.ForeignKey(
        Batch, verbose_name=_("批量检查"), on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveIntegerField(_("序号"))
    name = models.CharField(_("文件名或地址"), max_length=2000)
    url = models.URLField(_("地址"), max_length=2000, blank=True)
    report = models.ForeignKey(
        FetchedReport,
        verbose_name=_("年报文件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="batch_items",
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.PENDING
    )
    reason = models.CharField(_("无法读取的原因"), max_length=300, blank=True)
    source = models.CharField(_("文件类型"), max_length=8, blank=True)
    format = models.CharField(_("报告格式"), max_length=16, blank=True)
    body = models.CharField(_("机关"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    errors = models.PositiveIntegerField(_("错误"), default=0)
    warnings = models.PositiveIntegerField(_("提示"), default=0)
    result = models.JSONField(_("检查结果"), default=dict, blank=True)  # Result.as_json()
    checked_at = models.DateTimeField(_("检查时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("批量检查的报告")
        verbose_name_plural = _("批量检查的报告")
        ordering = ["batch", "position"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "position"], name="checker_item_position_unique"),
            models.CheckConstraint(
                condition=~Q(status="unreadable") | ~Q(reason=""), name="checker_unreadable_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return self.name
