"""gongkai audit verify [--anchor FILE]

Recomputes the audit log's hash chain (docs/audit.md). Exit status 0 when it is intact, printing the number of
entries and the head (newest id and hash, to be recorded elsewhere); 1 naming the first changed, deleted or
reordered entry. ``--anchor FILE`` also checks the head last written to FILE (which catches deleted newest
entries and a rewritten chain) and, when all is well, appends the current head to it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gongkai.audit import anchor, chain


class Command(BaseCommand):
    help = gettext_noop("审计日志维护：verify 核对哈希链是否完整。")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, parser_class=CommandParser)
        verify = sub.add_parser("verify", help=_("核对审计日志的哈希链；被篡改时以状态 1 退出并指出第一处"))
        verify.add_argument(
            "--anchor", type=Path, help=_("锚点文件：先核对其中最后记录的链头，完整时再追加当前链头")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "verify":
            self._verify(options["anchor"])

    def _verify(self, anchor_path: Path | None) -> None:
        report = chain.verify()
        if report.problem is not None:
            raise CommandError(_("审计日志被篡改：%(problem)s") % {"problem": report.problem}, returncode=1)
        if anchor_path is not None:
            self._check_anchor(anchor_path)
        self.stdout.write(
            _("审计日志完整：共 %(count)d 条；链头为第 %(id)d 条，哈希 %(hash)s")
            % {"count": report.count, "id": report.head_id, "hash": report.head_hash}
        )
        if anchor_path is not None:
            anchor.append(anchor_path, report)
            self.stdout.write(_("已把链头追加到锚点文件 %(path)s") % {"path": anchor_path})

    def _check_anchor(self, path: Path) -> None:
        try:
            earlier = anchor.read(path)
        except anchor.AnchorError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        problem = anchor.check(earlier) if earlier is not None else None
        if problem is not None:
            raise CommandError(_("审计日志被篡改：%(problem)s") % {"problem": problem}, returncode=1)
