"""Proactive disclosure (主动公开) records: publications, the channels they go out on, and the vocabularies.

An index number (索引号, statutory-reference §5) is stored as code, year and serial and rendered by a template
set per body and inherited down the tree (``IndexNumberTemplate``); it is unique and never changes.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ChannelCategory(models.TextChoices):
    """The five channel categories of the 2014 national table (国办发〔2014〕32号, row 一（二）)."""

    GAZETTE = "gazette", _("政府公报")
    WEBSITE = "website", _("政府网站")
    WEIBO = "weibo", _("政务微博")
    WECHAT = "wechat", _("政务微信")
    OTHER = "other", _("其他方式")


class ChannelKind(models.Model):
    """An extensible kind of channel (e.g. 政务客户端) mapped to one category of the statistics table."""

    code = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    category = models.CharField(_("统计类别"), max_length=20, choices=ChannelCategory.choices)

    class Meta:
        verbose_name = _("发布渠道类型")
        verbose_name_plural = _("发布渠道类型")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Channel(models.Model):
    """A named site or account a body publishes through (the city portal, a department's Weibo account)."""

    name = models.CharField(_("名称"), max_length=100)
    kind = models.ForeignKey(ChannelKind, verbose_name=_("类型"), on_delete=models.PROTECT)
    owner = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("主办机关"),
        on_delete=models.PROTECT,
        related_name="channels",
    )
    url = models.URLField(_("网址"), blank=True)
    is_portal = models.BooleanField(
        _("是否本级政府门户网站"), default=False, help_text=_("本级政府门户网站的统计数据单独列入年度报告")
    )

    class Meta:
        verbose_name = _("发布渠道")
        verbose_name_plural = _("发布渠道")
        ordering = ["owner__path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="channel_unique_name_per_owner")
        ]

    def __str__(self) -> str:
        return self.name


class Topic(models.Model):
    """主题分类 (e.g. 综合政务\\政务公开): an editable two-level vocabulary."""

    code = models.CharField(_("代码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        verbose_name = _("主题分类")
        verbose_name_plural = _("主题分类")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.parent.name}\\{self.name}" if self.parent else self.name


class Genre(models.Model):
    """体裁 (政府令, 决定, 公告 … 解读): an editable vocabulary."""

    INTERPRETATION = "jiedu"

    code = models.SlugField(_("代码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=20)

    class Meta:
        verbose_name = _("体裁")
        verbose_name_plural = _("体裁")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class KeyArea(models.Model):
    """重点领域 (行政审批, 财政资金 …), the art 20 categories the seed names."""

    code = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=50)

    class Meta:
        verbose_name = _("重点领域")
        verbose_name_plural = _("重点领域")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class IndexNumberTemplate(models.Model):
    """How a body renders index numbers; inherited by every body below it unless overridden.

    Placeholders: ``{code}`` (the code stored on the publication), ``{year}``, ``{serial}`` (an int, so
    ``{serial:05d}`` pads). The national form is ``{code}/{year}-{serial:05d}``.
    """

    body = models.OneToOneField(
        "organisations.Organisation",
        verbose_name=_("机关"),
        on_delete=models.CASCADE,
        related_name="index_template",
    )
    template = models.CharField(_("索引号模板"), max_length=100)

    class Meta:
        verbose_name = _("索引号模板")
        verbose_name_plural = _("索引号模板")

    def __str__(self) -> str:
        return f"{self.body}: {self.template}"

    def clean(self) -> None:
        from gongkai.catalog.actions import validate_index_template

        validate_index_template(self.template)


class NormativeKind(models.TextChoices):
    NONE = "", _("非规范性文件")
    RULE = "rule", _("规章")
    NORMATIVE = "normative", _("行政规范性文件")


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


def public_condition(prefix: str = "") -> Q:
    """The items the public sees: published ones, and published ones whose revision awaits its review (the
    public then sees the version last published, ``catalog.public.public_versions``). ``prefix`` names the
    relation from another model, e.g. ``"publications__"``."""
    return Q(**{f"{prefix}status": PublicationStatus.PUBLISHED}) | Q(
        **{f"{prefix}status": PublicationStatus.DRAFT, f"{prefix}published_on__isnull": False}
    )


class PublicationQuerySet(models.QuerySet["Publication"]):
    def public(self) -> PublicationQuerySet:
        """What the portal lists and counts (``public_condition``)."""
        return self.filter(public_condition())

    def published_in(self, year: int) -> PublicationQuerySet:
        return self.filter(published_on__year=year)

    def normative(self) -> PublicationQuerySet:
        return self.exclude(normative_kind=NormativeKind.NONE)

    def in_force_on(self, day: dt.date) -> PublicationQuerySet:
        return self.normative().filter(
            Q(issued_on__lte=day), Q(repealed_on__isnull=True) | Q(repealed_on__gt=day)
        )


class Publication(models.Model):
    body = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("发布机关"),
        on_delete=models.PROTECT,
        related_name="publications",
    )
    index_code = models.CharField(_("索引号机关代码"), max_length=18)
    index_year = models.PositiveSmallIntegerField(_("索引号年份"))
    index_serial = models.PositiveIntegerField(_("索引号序号"))
    title = models.CharField(_("标题"), max_length=300)
    description = models.TextField(_("内容概述"), blank=True)
    text = models.TextField(_("正文"), blank=True)
    document_number = models.CharField(_("文号"), max_length=60, blank=True)
    publisher = models.CharField(
        _("发布机构"),
        max_length=100,
        blank=True,
        help_text=_("留空时为发布机关名称；联合发文可写明各发文机关"),
    )
    keywords = models.CharField(
        _("关键词"), max_length=200, blank=True, help_text=_("多个关键词用空格或逗号分隔")
    )
    made_on = models.DateField(_("成文日期"))
    published_on = models.DateField(_("发布日期"), null=True, blank=True, db_index=True)
    topic = models.ForeignKey(
        Topic, verbose_name=_("主题分类"), null=True, blank=True, on_delete=models.PROTECT
    )
    genre = models.ForeignKey(Genre, verbose_name=_("体裁"), null=True, blank=True, on_delete=models.PROTECT)
    key_area = models.ForeignKey(
        KeyArea, verbose_name=_("重点领域"), null=True, blank=True, on_delete=models.PROTECT
    )
    normative_kind = models.CharField(
        _("规范性文件类别"),
        max_length=10,
        choices=NormativeKind.choices,
        blank=True,
        default=NormativeKind.NONE,
    )
    issued_on = models.DateField(_("印发日期"), null=True, blank=True, db_index=True)
    repealed_on = models.DateField(_("废止日期"), null=True, blank=True)
    interprets = models.ForeignKey(
        "self",
        verbose_name=_("解读的政策文件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interpretations",
    )
    channels = models.ManyToManyField(Channel, through="PublicationChannel", verbose_name=_("发布渠道"))
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
        db_index=True,
    )
    version = models.PositiveIntegerField(_("版本"), default=1)
    changed_on = models.DateField(
        _("修订日期"),
        null=True,
        blank=True,
        help_text=_("当前版本作出变更的日期；发布时限自此起算（2019年条例第二十六条）"),
    )
    version_published_on = models.DateField(
        _("本版发布日期"), null=True, blank=True, help_text=_("当前版本发布的日期；修订稿未发布时为空")
    )
    withdrawn_on = models.DateField(_("撤回日期"), null=True, blank=True)
    pending = models.JSONField(
        _("待审修订内容"),
        default=dict,
        blank=True,
        help_text=_(
            "已发布信息的修订稿在通过保密审查并发布前的改动（字段名 → 值）；公开的字段保持上次发布的内容"
        ),
    )
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("当前版本起草人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("保密审查须由起草人以外的人员进行"),
    )

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("政府信息")
        verbose_name_plural = _("政府信息")
        ordering = ["-published_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["index_code", "index_year", "index_serial"], name="publication_unique_index_number"
            ),
            models.CheckConstraint(
                condition=Q(normative_kind="") | Q(issued_on__isnull=False),
                name="normative_document_has_issue_date",
            ),
            models.CheckConstraint(
                condition=Q(repealed_on__isnull=True) | ~Q(normative_kind=""),
                name="only_normative_documents_are_repealed",
            ),
        ]
        indexes = [
            models.Index(fields=["body", "published_on"], name="pub_body_published"),
            models.Index(fields=["normative_kind", "issued_on"], name="pub_normative_issued"),
            # one body's normative documents (Table 2 of the 2021 format, per body): without it, SQLite's sampled
            # statistics (``analysis_limit``) made the kind look selective and a body's count scanned every
            # body's documents of that kind (1.5 s at 5M items; 50 ms with it)
            models.Index(fields=["body", "normative_kind", "issued_on"], name="pub_body_normative"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        """A normative document is repealed on or after it was issued (else 现行有效 would not add up)."""
        if self.repealed_on is not None and self.issued_on is not None and self.repealed_on < self.issued_on:
            raise ValidationError({"repealed_on": _("废止日期不能早于印发日期")})

    @property
    def publisher_name(self) -> str:
        """The publishing body as printed on the document page (发布机构)."""
        return self.publisher or self.body.name

    def keyword_list(self) -> list[str]:
        return [k for k in self.keywords.replace("，", " ").replace(",", " ").replace("、", " ").split() if k]

    def in_force_on(self, day: dt.date) -> bool | None:
        """有效/废止 for normative documents; None for other items (validity does not apply)."""
        if not self.normative_kind:
            return None
        return (
            self.issued_on is not None
            and self.issued_on <= day
            and (self.repealed_on is None or self.repealed_on > day)
        )


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"attachments/{instance.publication.index_year}/{instance.sha256[:2]}/{instance.sha256}/{filename}"


class Attachment(models.Model):
    """A file published with an item (the document as issued, annexes, forms); stored with its checksum so
    the public download is what was reviewed."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("附件名称"), max_length=200)
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=300)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content_type = models.CharField(_("类型"), max_length=100, blank=True)
    added_in_version = models.PositiveIntegerField(_("加入的版本"), default=1)
    uploaded_at = models.DateTimeField(_("上传时间"))

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["publication", "id"]

    def __str__(self) -> str:
        return self.name


class ProactiveFigures(models.Model):
    """Table 2 figures that are not catalog items, entered per body and year (2019 Regulations art 20 (5), (6),
    (8), (9)): the number of licensing, service, penalty, enforcement and fee items at the end of the year,
    the decisions made during it, fees collected and centralised procurement."""

    body = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("机关"),
        on_delete=models.PROTECT,
        related_name="proactive_figures",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    licensing_items = models.PositiveIntegerField(_("行政许可项目数量（年末）"), default=0)
    licensing_decisions = models.PositiveIntegerField(_("行政许可处理决定数量"), default=0)
    service_items = models.PositiveIntegerField(_("其他对外管理服务事项项目数量（年末）"), default=0)
    service_decisions = models.PositiveIntegerField(_("其他对外管理服务事项处理决定数量"), default=0)
    penalty_items = models.PositiveIntegerField(_("行政处罚项目数量（年末）"), default=0)
    penalty_decisions = models.PositiveIntegerField(_("行政处罚处理决定数量"), default=0)
    enforcement_items = models.PositiveIntegerField(_("行政强制项目数量（年末）"), default=0)
    enforcement_decisions = models.PositiveIntegerField(_("行政强制处理决定数量"), default=0)
    fee_items = models.PositiveIntegerField(_("行政事业性收费项目数量（年末）"), default=0)
    fee_amount_wan_yuan = models.DecimalField(
        _("行政事业性收费金额（万元）"), max_digits=14, decimal_places=4, default=0
    )
    procurement_projects = models.PositiveIntegerField(_("政府集中采购项目数量"), default=0)
    procurement_amount_wan_yuan = models.DecimalField(
        _("政府集中采购总金额（万元）"), max_digits=14, decimal_places=4, default=0
    )

    class Meta:
        verbose_name = _("主动公开年度数据")
        verbose_name_plural = _("主动公开年度数据")
        constraints = [
            models.UniqueConstraint(fields=["body", "year"], name="proactive_figures_once_per_body_year"),
            models.CheckConstraint(
                condition=Q(fee_amount_wan_yuan__gte=0) & Q(procurement_amount_wan_yuan__gte=0),
                name="proactive_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body} {self.year}"


class PublicationChannel(models.Model):
    """One publication going out on one channel on a date (the same item on several channels counts once in
    the total but once per channel in the channel rows)."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="postings")
    channel = models.ForeignKey(
        Channel, verbose_name=_("发布渠道"), on_delete=models.PROTECT, related_name="postings"
    )
    published_on = models.DateField(_("发布日期"), db_index=True)

    class Meta:
        verbose_name = _("渠道发布记录")
        verbose_name_plural = _("渠道发布记录")
        constraints = [
            models.UniqueConstraint(fields=["publication", "channel"], name="posting_once_per_channel"),
        ]
        indexes = [models.Index(fields=["channel", "published_on"], name="posting_channel_day")]

    def __str__(self) -> str:
        return f"{self.publication_id} @ {self.channel_id}"


class ReviewConclusion(models.TextChoices):
    PASSED = "passed", _("同意公开")
    FAILED = "failed", _("不同意公开")


class ConfidentialityReview(models.Model):
    """保密审查: a reviewer's conclusion on one version of a publication; publishing needs a passed review of
    the version being published (2019 Regulations art 17)."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="reviews")
    version = models.PositiveIntegerField(_("审查的版本"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审查人"), on_delete=models.PROTECT, related_name="+"
    )
    reviewed_on = models.DateField(_("审查日期"))
    conclusion = models.CharField(_("审查结论"), max_length=10, choices=ReviewConclusion.choices)
    note = models.CharField(_("审查意见"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("保密审查")
        verbose_name_plural = _("保密审查")
        ordering = ["publication", "-version", "-id"]

    def __str__(self) -> str:
        return f"{self.publication_id} v{self.version} {self.get_conclusion_display()}"


class PublicationVersion(models.Model):
    """Every earlier version of a publication, kept when it is revised (statutory-reference §5: an index
    number never changes; what it pointed to is kept)."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField(_("版本"))
    title = models.CharField(_("标题"), max_length=300)
    text = models.TextField(_("正文"), blank=True)
    document_number = models.CharField(_("文号"), max_length=60, blank=True)
    replaced_at = models.DateTimeField(_("被修订时间"))
    reason = models.CharField(_("修订原因"), max_length=300)

    class Meta:
        verbose_name = _("历史版本")
        verbose_name_plural = _("历史版本")
        constraints = [models.UniqueConstraint(fields=["publication", "version"], name="version_once")]

    def __str__(self) -> str:
        return f"{self.publication_id} v{self.version}"
