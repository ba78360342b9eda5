"""gongkai rebuild_counts: recompute the portal's published-item counts from the catalog (after a bulk load
that did not do it, or to check them: the counts are derived data, docs/portal.md "Caching")."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gongkai.catalogstats.counts import rebuild_counts


class Command(BaseCommand):
    help = gettext_noop("按目录重新计算门户的主动公开数量统计（机关、年份、主题、体裁）")

    def handle(self, *args: Any, **options: Any) -> None:
        rows = rebuild_counts()
        self.stdout.write(_("已重算主动公开数量：%(n)d 行") % {"n": rows})
