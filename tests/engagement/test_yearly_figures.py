"""Issue 13 §7: yearly figures typed in the admin (``YearlyFigures``) are rows 八/九 of the 2014 table only, no
engagement figure is ever typed (they are counted from the workflow records), and wherever a report cell lists
the typed rows it says they are typed, not handled on the platform."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import LazySettings
from django.test import Client

from gongkai.engagement.models import YearlyFigures
from gongkai.reports.drilldown import Kind, cell_drilldown
from gongkai.reports.registry import REGISTRY, Scope
from gongkai.reports.stats2014 import S8, S9
from tests.conftest import PASSWORD, Tree

pytestmark = pytest.mark.django_db
TYPED = "2014年度填报数（在管理后台录入，不来自平台办理记录）"


@pytest.fixture(autouse=True)
def fast_passwords(settings: LazySettings, tmp_path: Path) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path


def root() -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("root", password=PASSWORD)


def typed(tree: Tree) -> YearlyFigures:
    return YearlyFigures.objects.create(
        body=tree.education,
        year=2014,
        dedicated_offices=1,
        reading_points=2,
        fulltime_staff=3,
        parttime_staff=4,
        budget_wan_yuan=Decimal("5.5"),
        meetings=6,
        training_sessions=7,
        people_trained=8,
    )


def test_typed_figures_reach_rows_eight_and_nine_and_no_engagement_figure(tree: Tree) -> None:
    """Every 2014 cell with a value from the typed row is in 八/九 and lists the typed row; the engagement
    cells (letters, hotline, events, responses, interpretations) stay zero."""
    typed(tree)
    user = root()
    from_typed, others_nonzero = [], []
    for stat in REGISTRY.values():
        cell = stat.cells.get("2014")
        if cell is None and not stat.key.startswith(("l.mailbox", "l.hotline")):
            continue
        drill = cell_drilldown(user, tree.education, 2014, stat.key, "2014", Scope.OWN)
        if drill.kind == Kind.ENTERED:
            from_typed.append((cell.row if cell else stat.key, drill.display))
        elif drill.kind == Kind.COUNTED and drill.value:
            others_nonzero.append(stat.key)
    assert from_typed and all(row.startswith((S8, S9)) for row, _display in from_typed), from_typed
    assert ("八、机构建设和保障经费情况/（三）从事政府信息公开工作人员数/1.专职人员数", "3") in from_typed
    assert others_nonzero == []


def test_a_cell_from_typed_figures_says_they_are_typed(tree: Tree) -> None:
    typed(tree)
    client = Client()
    client.force_login(root())
    page = client.get(
        f"/staff/reports/{tree.education.org_code}/2014/cells/s14.fulltime/?format=2014&scope=own"
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert TYPED in html and "测试市教育局" in html
