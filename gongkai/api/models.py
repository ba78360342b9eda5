"""API tokens for other systems (an OA system pushing documents, a 12345 platform, a city's data centre) and the
external references that make a pushed document idempotent.

A token acts for one body (or, when ``include_subtree`` is set on a people's government or its general office,
for the body's subtree) with a set of scopes. Only a SHA-256 hash of its secret is stored; the secret is shown
once, when the token is created (``gongkai.api.actions.create_token``). Tokens are created and revoked only
through ``gongkai.api.actions`` (atomic, audited)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    CATALOG_READ = "catalog:read", _("读取政府信息目录")
    CATALOG_WRITE = "catalog:write", _("推送政府信息（进入保密审查）")
    CASES_READ = "cases:read", _("读取依申请公开案件")
    CASES_WRITE = "cases:write", _("办理依申请公开案件")
    REPORTS_READ = "reports:read", _("读取已发布的年度报告")
    SUBMISSIONS_READ = "submissions:read", _("读取报表填报")
    SUBMISSIONS_WRITE = "submissions:write", _("提交报表填报")
    SEARCH = "search", _("全文检索")
    HOTLINE_READ = "hotline:read", _("读取12345热线工单")
    HOTLINE_WRITE = "hotline:write", _("推送12345热线工单及其状态")
    MAILBOX = "mailbox", _("办理信箱来信")


SUBTREE_KINDS = frozenset({"government", "county", "township", "general_office"})  # OrgKind values


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self, at: dt.datetime) -> ApiTokenQuerySet:
        """Neither revoked nor expired at ``at``."""
        return self.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=at), revoked_at__isnull=True)


class ApiToken(models.Model):
    name = models.CharField(
        _("名称"), max_length=100, unique=True, help_text=_("调用系统的名称，记入审计日志")
    )
    body = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("代表机关"), on_delete=models.PROTECT, related_name="+"
    )
    include_subtree = models.BooleanField(
        _("含所属单位"), default=False, help_text=_("仅人民政府及其办公室的令牌可代表其所属单位")
    )
    scopes = models.JSONField(_("权限范围"), default=list)
    prefix = models.CharField(_("前缀"), max_length=16, unique=True, help_text=_("令牌的公开部分，用于查找"))
    secret_hash = models.CharField(_("密钥哈希"), max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"))
    expires_at = models.DateTimeField(_("到期时间"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用时间"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def actor_label(self) -> str:
        """How the token's writes appear in the audit log and case timelines."""
        return f"api:{self.name}"

    def is_active(self, at: dt.datetime) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > at)


class KeyKind(models.TextChoices):
    EXTERNAL_ID = "external_id", _("对方系统编号")
    IDEMPOTENCY_KEY = "idempotency_key", _("幂等键")


class Target(models.TextChoices):
    PUBLICATION = "publication", _("政府信息")
    CASE = "case", _("依申请公开申请")


class ExternalReference(models.Model):
    """A record pushed by another system (a document, a 12345 ticket), by the system's own id or by the
    request's Idempotency-Key: a retry finds the record created the first time instead of creating another
    (per body and kind of record)."""

    body = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    target = models.CharField(_("记录类别"), max_length=20, choices=Target.choices)
    kind = models.CharField(_("编号类别"), max_length=20, choices=KeyKind.choices)
    key = models.CharField(_("编号"), max_length=200)
    publication = models.ForeignKey(
        "catalog.Publication",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="external_references",
    )
    case = models.ForeignKey(
        "cases.InformationRequest",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="external_references",
    )
    payload_sha256 = models.CharField(_("请求内容摘要"), max_length=64)
    created_at = models.DateTimeField(_("创建时间"))

    class Meta:
        verbose_name = _("外部系统编号")
        verbose_name_plural = _("外部系统编号")
        constraints = [
            models.UniqueConstraint(
                fields=["body", "target", "kind", "key"], name="external_reference_once_per_body"
            ),
            models.CheckConstraint(
                condition=models.Q(target="publication", publication__isnull=False, case__isnull=True)
                | models.Q(target="case", case__isnull=False, publication__isnull=True),
                name="external_reference_names_its_record",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target}:{self.kind}:{self.key}"

    @property
    def record(self) -> models.Model:
        record = self.publication if self.target == Target.PUBLICATION else self.case
        assert record is not None
        return record
