"""What makes a submission idempotent, and what verifies a tracking secret. Neither table holds a key or a
secret in clear: only one-way hashes (``gongkai.acknowledgement.keys``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IdempotencyKey(models.Model):
    """One submitted form that created something: the SHA-256 of the random key the form carried, and where its
    result is. A second POST with the same key finds this row and leads to the same result instead of creating
    again. ``limit_key`` is what a per-subject limit counts (an HMAC of the applicant's phone number for the
    online application, ``gongkai.acknowledgement.limits``)."""

    scope = models.CharField(_("表单"), max_length=40)
    key_hash = models.CharField(_("提交键哈希"), max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    object_type = models.CharField(_("对象类型"), max_length=60, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=40, blank=True)
    result_url = models.CharField(_("结果地址"), max_length=500, blank=True)
    limit_key = models.CharField(_("限额计数键"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("表单提交键")
        verbose_name_plural = _("表单提交键")
        constraints = [models.UniqueConstraint(fields=["scope", "key_hash"], name="idempotency_key_once")]
        indexes = [models.Index(fields=["scope", "limit_key", "created_at"], name="idempotency_limit")]

    def __str__(self) -> str:
        return f"{self.scope} {timezone.localtime(self.created_at):%Y-%m-%d %H:%M}"


class TrackingSecret(models.Model):
    """The salted slow hash (Django's password hashers) of a case's tracking secret. It depends on no
    configured key, so rotating ``SECRET_KEY`` or the field key leaves every tracking lookup working."""

    case = models.OneToOneField(
        "cases.InformationRequest", on_delete=models.CASCADE, related_name="tracking_secret"
    )
    secret_hash = models.CharField(_("查询码哈希"), max_length=200)
    issued_at = models.DateTimeField(_("签发时间"), auto_now=True)

    class Meta:
        verbose_name = _("查询码")
        verbose_name_plural = _("查询码")

    def __str__(self) -> str:
        return str(self.case_id)
