"""The audit log is the body's record: 赵六 works in the English staff pages, and what the log says of his work is
still written in the site's language (zh-Hans), whether the summary is a lazy text or an object's name."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy

from gongkai.audit.log import described, record

pytestmark = pytest.mark.django_db


class _Named:
    def __str__(self) -> str:
        return str(gettext_lazy("机关"))


def test_a_lazy_summary_is_written_in_chinese_from_an_english_page() -> None:
    with translation.override("en"), transaction.atomic():
        assert str(gettext_lazy("机关")) == "Body"
        entry = record("system", "test.lazy", object_type="x", object_id="1", summary=gettext_lazy("机关"))
    assert entry.summary == "机关"


def test_an_objects_name_is_taken_in_chinese_when_written() -> None:
    with translation.override("en"), transaction.atomic():
        entry = record(
            "system", "test.described", object_type="x", object_id="2", summary=described(_Named())
        )
    assert entry.summary == "机关"


def test_a_plain_summary_is_kept_as_given() -> None:
    with translation.override("en"), transaction.atomic():
        entry = record("system", "test.plain", object_type="x", object_id="3", summary="Backup restored")
    assert entry.summary == "Backup restored"
