"""What the public portal shows that is not a record elsewhere: each body's disclosure guide (政府信息公开指南,
2019 Regulations art 12: the body's OGI office, its address, hours, contacts, how to apply) and the documents
listed in its 制度 column."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, RegexValidator
from django.db import models
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class DisclosureGuide(models.Model):
    """A body's guide (2019 art 12; 2008 art 10): kept current by the body, dated by its last revision."""

    body = models.OneToOneField(
        "organisations.Organisation",
        verbose_name=_("机关"),
        on_delete=models.PROTECT,
        related_name="disclosure_guide",
    )
    office = models.CharField(_("政府信息公开工作机构"), max_length=100)
    address = models.CharField(_("办公地址"), max_length=200)
    postcode = models.CharField(_("邮政编码"), max_length=6, blank=True)
    hours = models.CharField(_("办公时间"), max_length=200)
    phone = models.CharField(_("咨询电话"), max_length=60, blank=True)
    fax = models.CharField(_("传真"), max_length=60, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    reading_room = models.CharField(
        _("政府信息公开查阅场所"), max_length=200, blank=True, help_text=_("例如：市档案馆、市图书馆查阅点")
    )
    notes = models.TextField(
        _("补充说明"), blank=True, help_text=_("本机关特有的申请须知，显示在法定申请流程之后")
    )
    rules = models.ManyToManyField(
        "catalog.Publication",
        verbose_name=_("政府信息公开制度文件"),
        blank=True,
        related_name="+",
        help_text=_("显示在“制度”栏目中的本机关政府信息公开工作制度"),
    )
    revised_on = models.DateField(_("指南更新日期"))

    class Meta:
        verbose_name = _("政府信息公开指南")
        verbose_name_plural = _("政府信息公开指南")

    def __str__(self) -> str:
        return f"{self.body}"


EMBLEM_MAX_BYTES = 512 * 1024
EMBLEM_TYPES = ("png", "jpg", "jpeg", "webp")


def validate_emblem_size(file: Any) -> None:
    """An emblem is a small picture shown in every page's header: at most 512 KB."""
    if file and getattr(file, "size", 0) > EMBLEM_MAX_BYTES:
        raise ValidationError(_("徽标图片不能超过 512 KB"))


class SiteIdentity(models.Model):
    """Who runs the site (one row, pk 1): the government's name and emblem in the header; in the footer the
    主办单位/承办单位, contact, 网站标识码 and the ICP and 公安 filing numbers that every government site shows
    (《政府网站发展指引》国办发〔2017〕47号; 《互联网信息服务管理办法》art 12: the ICP number on the home page).
    Changed only through ``gongkai.portal.actions.save_site_identity``; read through
    ``gongkai.portal.identity.current``."""

    SINGLETON = 1

    body = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("本级人民政府（机关）"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("导航中的“指南”“制度”栏目链接到该机关"),
    )
    government_name = models.CharField(_("政府名称"), max_length=100, blank=True)
    emblem = models.ImageField(
        _("徽标"),
        upload_to="site/",
        blank=True,
        validators=[FileExtensionValidator(list(EMBLEM_TYPES)), validate_emblem_size],
        help_text=_("PNG、JPEG 或 WebP 图片，不超过 512 KB；不上传则显示默认国徽式样徽标"),
    )
    host = models.CharField(_("主办单位"), max_length=100, blank=True)
    organiser = models.CharField(_("承办单位"), max_length=100, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    postcode = models.CharField(
        _("邮政编码"),
        max_length=6,
        blank=True,
        validators=[RegexValidator(r"^\d{6}$", _("邮政编码为6位数字"))],
    )
    phone = models.CharField(_("联系电话"), max_length=60, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    site_code = models.CharField(
        _("网站标识码"),
        max_length=10,
        blank=True,
        validators=[RegexValidator(r"^\d{10}$", _("网站标识码为10位数字"))],
    )
    icp_number = models.CharField(
        _("ICP备案号"), max_length=60, blank=True, help_text=_("例如：豫ICP备12345678号")
    )
    police_number = models.CharField(
        _("公安机关备案号"), max_length=60, blank=True, help_text=_("例如：豫公网安备 41100202000001号")
    )
    police_link = models.URLField(_("公安机关备案链接"), blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("网站标识")
        verbose_name_plural = _("网站标识")
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="portal_siteidentity_singleton")]

    def __str__(self) -> str:
        return self.government_name or str(_("网站标识"))

    @property
    def emblem_url(self) -> str:
        """The uploaded emblem (served by ``portal:emblem``, versioned by the last change) or the default one."""
        if self.emblem:
            version = int(self.updated_at.timestamp()) if self.updated_at else 0
            return f"{reverse('portal:emblem')}?v={version}"
        return static("gongkai/emblem.svg")

    @property
    def icp_link(self) -> str:
        """The MIIT filing system, where an ICP number is looked up."""
        return "https://beian.miit.gov.cn/" if self.icp_number else ""
