"""Anchors: the chain's head (newest id and hash) written down outside the database (docs/audit.md).

The chain alone shows an entry changed, deleted or moved among the others; it cannot show that the newest
entries were deleted (the shorter chain is still a chain), nor that someone with full database rights rewrote
every hash. A head recorded earlier, kept where that someone cannot write, shows both: its entry must still be
there with the same hash. The anchor file holds one JSON line per verification; the last line is checked."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.audit.chain import GENESIS, Report
from gongkai.audit.models import AuditEntry


class AnchorError(Exception):
    """The anchor file cannot be read."""


@dataclass(frozen=True)
class Anchor:
    id: int  # 0: the log was empty
    hash: str


def read(path: Path) -> Anchor | None:
    """The last head written to ``path``, or None if there is no file yet."""
    if not path.exists():
        return None
    try:
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        data = json.loads(lines[-1])
        return Anchor(int(data["id"]), str(data["hash"]))
    except (OSError, ValueError, KeyError, IndexError, TypeError) as exc:
        raise AnchorError(_("锚点文件 %(path)s 无法读取：%(error)s") % {"path": path, "error": exc}) from exc


def check(anchor: Anchor) -> str | None:
    """What is wrong with the log given an earlier head, or None."""
    if anchor.id == 0:
        return None if anchor.hash == GENESIS else _("锚点文件内容无效。")
    stored = AuditEntry.objects.filter(pk=anchor.id).values_list("chain_hash", flat=True).first()
    if stored is None:
        return _("锚点记录的第%(id)d条已不存在：最新的条目被删除（日志被截短）。") % {"id": anchor.id}
    if stored != anchor.hash:
        return _("第%(id)d条的哈希与锚点记录的不符：日志被整体改写。") % {"id": anchor.id}
    return None


def append(path: Path, report: Report) -> None:
    """Write the verified head as the file's new last line."""
    line = {
        "id": report.head_id,
        "hash": report.head_hash,
        "count": report.count,
        "verified_at": timezone.now(),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as out:
        out.write(json.dumps(line, default=str) + "\n")
