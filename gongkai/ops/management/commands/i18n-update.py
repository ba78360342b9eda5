"""gongkai i18n-update [--check]

Extracts the msgids from the sources (Django's makemessages extraction; needs GNU gettext), rewrites the zh_Hant
catalogue from them by opencc ``s2t``, keeps the English translations of the msgids still used, and lists the
msgids that have no English translation yet (to translate in gongkai/locale/en/LC_MESSAGES/django.po). Then
compiles the ``.mo`` files (gongkai/ops/catalogues.py). ``--check`` exits with status 1 while one is missing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext_noop

from gongkai.ops import catalogues


class Command(BaseCommand):
    help = gettext_noop("提取界面文字，更新繁体中文和英文翻译目录并编译；列出尚未翻译成英文的条目。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help=gettext_noop("有未翻译的条目时以状态 1 退出")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = catalogues.update()
        catalogues.compile_catalogues()
        missing = [(d, m) for d, ids in result.missing_english.items() for m in ids]
        for domain, count in result.msgids.items():
            self.stdout.write(
                f"{domain}: {count} msgids; zh_Hant regenerated; English missing: "
                f"{len(result.missing_english[domain])}"
            )
        for domain, msgid in missing:
            self.stdout.write(f"  [{domain}] {msgid!r}")
        if missing and options["check"]:
            raise CommandError(f"{len(missing)} msgids have no English translation")
