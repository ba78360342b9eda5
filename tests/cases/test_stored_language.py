"""What a case stores is record data in Chinese, whatever language the page that wrote it was in: 陈七 applies
through the English portal and the registration's legal basis is still the statute's own name (it overflowed
the 100-character column on PostgreSQL when the English regime name was stored)."""

from __future__ import annotations

import pytest
from django.utils import translation

from gongkai.cases.models import CaseEventKind
from tests.cases.builders import new_case
from tests.conftest import Personas, Tree

pytestmark = pytest.mark.django_db


def test_a_case_registered_in_english_stores_the_chinese_basis(tree: Tree, personas: Personas) -> None:
    with translation.override("en"):
        req = new_case(tree, personas)
    event = req.events.get(kind=CaseEventKind.REGISTERED)
    assert event.legal_basis.endswith("第31条") or event.legal_basis.endswith("第三十一条")
    assert "《" in event.legal_basis or "条例" in event.legal_basis
    assert not any("a" <= ch.lower() <= "z" for ch in event.legal_basis)


def test_the_audit_entry_of_an_english_registration_is_written_in_chinese(
    tree: Tree, personas: Personas
) -> None:
    from gongkai.audit.models import AuditEntry

    with translation.override("en"):
        req = new_case(tree, personas)
        assert str(CaseEventKind.REGISTERED.label) != "登记受理"  # the page really was English
    entry = AuditEntry.objects.filter(object_id=str(req.pk), action="case.registered").get()
    assert entry.summary == "登记受理"
