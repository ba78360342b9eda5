"""Stand-ins for models a later migration deleted, so the data migrations that copied their rows can still be
tested: ``LegacyApps`` answers ``get_model`` for the deleted models with the given rows and for every other
model with the real one (the migration functions only read the old rows: ``exists``, ``order_by("pk")``,
``iterator``)."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

from django.apps import apps as real_apps


class _Rows:
    def __init__(self, rows: list[SimpleNamespace]) -> None:
        self.rows = rows

    def exists(self) -> bool:
        return bool(self.rows)

    def order_by(self, field: str) -> _Rows:
        return _Rows(sorted(self.rows, key=lambda r: getattr(r, field.lstrip("-"))))

    def all(self) -> _Rows:
        return self

    def iterator(self, chunk_size: int = 2000) -> Iterator[SimpleNamespace]:
        return iter(self.rows)


class LegacyApps:
    def __init__(self, deleted: dict[tuple[str, str], list[dict[str, Any]]]) -> None:
        self.deleted = {
            key: SimpleNamespace(objects=_Rows([SimpleNamespace(**row) for row in rows]))
            for key, rows in deleted.items()
        }

    def get_model(self, app_label: str, model_name: str) -> Any:
        return self.deleted.get((app_label, model_name)) or real_apps.get_model(app_label, model_name)
