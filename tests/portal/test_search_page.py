"""The search page's body list (gongkai.portal.catalog_views.search): the top levels of the tree and the chosen
body, so that a province's result pages stay small."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.organisations.models import OrgKind
from tests.conftest import Tree, make_org

pytestmark = pytest.mark.django_db


def test_the_search_form_lists_the_top_levels_and_the_chosen_body(client: Client, tree: Tree) -> None:
    deep = make_org("测试市教育局招生办公室第一科", OrgKind.OTHER, tree.school_office)
    assert deep.depth == 3 and tree.school_office.depth == 2
    url = reverse("portal:search")
    plain = client.get(url, {"q": "通知"}).content.decode()
    assert f'<option value="{tree.school_office.org_code}">' in plain
    assert deep.org_code not in plain
    narrowed = client.get(url, {"q": "通知", "body": deep.org_code}).content.decode()
    assert f'<option value="{deep.org_code}" selected>' in narrowed
    assert f'<option value="{tree.city.org_code}">' in narrowed
