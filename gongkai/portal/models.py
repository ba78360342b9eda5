"""What the public portal shows that is not a record elsewhere: each body's disclosure guide (政府信息公开指南,
2019 Regulations art 12: the body's OGI office, its address, hours, contacts, how to apply) and the documents
listed in its 制度 column."""

from __future__ import annotations

from django.db import models
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
