"""The checker's part of the permission-matrix world (tests/security/test_permission_matrix.py): a batch of
the superuser's, which every other role must not see."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from gongkai.checker.models import Batch


def checker_values(superuser: Any) -> dict[str, Any]:
    batch = Batch.objects.create(created_by=superuser, created_at=timezone.now())
    return {"checker_batch": str(batch.token)}
