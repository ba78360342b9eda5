"""Field-key rotation: every column of ``crypto.ENCRYPTED_COLUMNS`` encrypted again with the newest key of
``GONGKAI_FIELD_KEY`` and its keyed digest recomputed, in batches, one audit entry per batch (docs/deploy.md,
"Keys")."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.conf import settings
from django.db import models, transaction

from gongkai import crypto
from gongkai.audit.log import SYSTEM, record

ACTION = "crypto.rotate_field_key"


@dataclass(frozen=True)
class Table:
    """The encrypted columns of one model that share a row filter."""

    model: type[models.Model]
    columns: tuple[crypto.EncryptedColumn, ...]
    only: Mapping[str, Any]

    def rows(self) -> models.QuerySet[models.Model]:
        return self.model._default_manager.filter(**self.only).order_by("pk")


def tables() -> list[Table]:
    """``crypto.ENCRYPTED_COLUMNS`` grouped by model and row filter."""
    grouped: dict[tuple[str, tuple[tuple[str, Any], ...]], list[crypto.EncryptedColumn]] = defaultdict(list)
    for column in crypto.ENCRYPTED_COLUMNS:
        grouped[(column.model, tuple(sorted(column.only.items())))].append(column)
    return [
        Table(apps.get_model(label), tuple(columns), dict(only)) for (label, only), columns in grouped.items()
    ]


def rotate_field_key(batch_size: int = 500, actor: str = SYSTEM) -> dict[str, int]:
    """Encrypt every stored identifier again with the newest field key; return the rows done per model."""
    done: dict[str, int] = defaultdict(int)
    for table in tables():
        done[table.model._meta.label] += _rotate_table(table, batch_size, actor)
    return dict(done)


def _rotate_table(table: Table, batch_size: int, actor: str) -> int:
    fields = [c.column for c in table.columns] + [c.digest for c in table.columns if c.digest]
    last_pk: Any = None
    done = 0
    while True:
        with transaction.atomic():
            rows = table.rows().select_for_update()
            if last_pk is not None:
                rows = rows.filter(pk__gt=last_pk)
            batch = list(rows[:batch_size])
            if not batch:
                return done
            for row in batch:
                _rotate_row(row, table.columns)
            table.model._default_manager.bulk_update(batch, fields)
            first_pk, last_pk = batch[0].pk, batch[-1].pk
            record(
                actor,
                ACTION,
                object_type=table.model._meta.label_lower,
                object_id=f"{first_pk}-{last_pk}",
                summary=f"{', '.join(fields)}: {first_pk}-{last_pk}",
                batch_size=len(batch),
            )
        done += len(batch)


def _rotate_row(row: models.Model, columns: tuple[crypto.EncryptedColumn, ...]) -> None:
    for column in columns:
        token = getattr(row, column.column)
        setattr(row, column.column, crypto.reencrypt(token))
        if column.digest:
            setattr(row, column.digest, crypto.match_digest(crypto.decrypt(token)))


def unrotated() -> dict[str, int]:
    """Per column ("Model.column"), how many stored tokens the newest key alone cannot read (0 everywhere: the
    older keys may be dropped from GONGKAI_FIELD_KEY)."""
    newest = Fernet(settings.GONGKAI_FIELD_KEYS[0])
    counts: dict[str, int] = {}
    for table in tables():
        for column in table.columns:
            tokens = table.rows().exclude(**{column.column: ""}).values_list(column.column, flat=True)
            counts[f"{table.model._meta.label}.{column.column}"] = sum(
                not _readable(newest, token) for token in tokens.iterator()
            )
    return counts


def _readable(fernet: Fernet, token: str) -> bool:
    try:
        fernet.decrypt(token.encode())
    except InvalidToken:
        return False
    return True
