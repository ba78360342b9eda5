"""gongkai rotate-field-key [--batch-size N] [--check]

Encrypts every stored identifier again with the newest key of GONGKAI_FIELD_KEY (the first of the list) and
recomputes the keyed digests, in batches with one audit entry each. ``--check`` writes nothing and exits with
status 1 while some token cannot be read with the newest key alone (docs/deploy.md, "Keys")."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gongkai.ops.keys import rotate_field_key, unrotated


class Command(BaseCommand):
    help = gettext_noop(
        "用 GONGKAI_FIELD_KEY 中最新的（第一个）密钥重新加密全部个人证件号码和电话号码，并重算匹配摘要。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500, help=_("每批行数（每批一条审计记录）"))
        parser.add_argument(
            "--check", action="store_true", help=_("只检查：还有多少密文不能只用最新密钥解开，不写入")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["check"]:
            self._check()
            return
        if options["batch_size"] < 1:
            raise CommandError(_("--batch-size 必须是正整数"))
        if len(settings.GONGKAI_FIELD_KEYS) == 1:
            self.stderr.write(
                _("GONGKAI_FIELD_KEY 只有一个密钥：密文将用同一密钥重新加密。轮换时把新密钥写在旧密钥前面。")
            )
        done = rotate_field_key(options["batch_size"])
        for label, n in done.items():
            self.stdout.write(_("%(model)s：已重新加密 %(n)d 行") % {"model": label, "n": n})
        self.stdout.write(
            _("完成。确认 `gongkai rotate-field-key --check` 无误后，可从 GONGKAI_FIELD_KEY 删除旧密钥。")
        )

    def _check(self) -> None:
        left = unrotated()
        for column, n in left.items():
            self.stdout.write(_("%(column)s：%(n)d 个密文不能只用最新密钥解开") % {"column": column, "n": n})
        if any(left.values()):
            raise CommandError(_("还有未轮换的密文：先运行 gongkai rotate-field-key"), returncode=1)
        self.stdout.write(_("全部密文都能用最新密钥解开。"))
