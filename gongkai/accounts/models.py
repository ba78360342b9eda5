"""Staff accounts: a user belongs to one body with a role; a supervisor names the body whose subtree it
supervises. Access decisions themselves live in ``gongkai.permissions``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CLERK = "clerk", _("经办人")
    REVIEWER = "reviewer", _("审核人")
    OFFICE_HEAD = "office_head", _("政务公开办公室负责人")
    ADMIN = "admin", _("系统管理员")
    SUPERVISOR = "supervisor", _("监督管理人员")


class StaffProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="staff_profile",
    )
    body = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("所属机关"),
        on_delete=models.PROTECT,
        related_name="staff",
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    supervises = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("监督范围（含下级）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervisors",
    )

    class Meta:
        verbose_name = _("工作人员")
        verbose_name_plural = _("工作人员")
        constraints = [
            models.CheckConstraint(
                condition=(Q(role="supervisor") & Q(supervises__isnull=False))
                | (~Q(role="supervisor") & Q(supervises__isnull=True)),
                name="supervisor_names_supervised_body",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.body} · {self.get_role_display()}"
