"""A revision of a published item waits beside it, not in it (2019 Regulations art 17: nothing is published
before its confidentiality review).

While a published item is being revised, every public column of the ``Publication`` row keeps what was last
published — title, text, description, keywords, topic, genre, dates — so that every public page, list, filter,
count and the search index, all of which read the row, show only reviewed content without having to know about
revisions. The changes of the revision are kept in ``Publication.pending`` (field name → value as text) until
``transitions.publish`` applies them. Staff pages show and edit the proposed item (``proposed``); the reviewer
reviews what would be published.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models

from gongkai.catalog.models import Publication, PublicationStatus


def under_revision(pub: Publication) -> bool:
    """Published before, now a revision waiting for its review and publication."""
    return pub.status == PublicationStatus.DRAFT and pub.published_on is not None


def _field(name: str) -> models.Field[Any, Any]:
    field = Publication._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field


def proposed(pub: Publication) -> Publication:
    """An unsaved copy of ``pub`` with its pending changes applied: what the revision would publish. For
    display, editing and checks only; never save it."""
    if not pub.pending:
        return pub
    shown = _copy(pub)
    for name, value in pub.pending.items():
        field = _field(name)
        setattr(shown, field.attname, None if value is None else field.to_python(value))
    return shown


def _copy(pub: Publication) -> Publication:
    shown = copy.copy(pub)
    shown._state = copy.copy(pub._state)
    shown._state.fields_cache = {}  # related objects are fetched again for the changed keys
    return shown


def with_changes(pub: Publication, changes: Mapping[str, Any]) -> Publication:
    """An unsaved copy of the proposed item with ``changes`` applied on top (to validate before ``keep``)."""
    shown = _copy(proposed(pub))
    for name, value in changes.items():
        setattr(shown, name, value)
    return shown


def keep(pub: Publication, shown: Publication, names: Iterable[str]) -> None:
    """Set ``pub.pending`` to every field (of ``names`` and those already pending) where the proposed item
    ``shown`` differs from the published row. ``pub`` is changed only in ``pending``."""
    pending: dict[str, Any] = {}
    for field in {_field(name) for name in (*pub.pending, *names)}:
        value = getattr(shown, field.attname)
        if value != getattr(pub, field.attname):
            pending[field.name] = None if value is None else field.value_to_string(shown)
    pub.pending = pending


def apply_pending(pub: Publication) -> list[str]:
    """Move the pending changes into the row (on publication); returns the attribute names changed."""
    changed = []
    for name, value in pub.pending.items():
        field = _field(name)
        setattr(pub, field.attname, None if value is None else field.to_python(value))
        changed.append(field.attname)
    pub.pending = {}
    return changed
