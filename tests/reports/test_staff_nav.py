"""The staff pages' header reaches the engagement queues of issue 13 and the report checker, and shows a link
only to whom the page lets in (``gongkai.permissions``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import LazySettings
from django.test import Client

from tests.conftest import PASSWORD, Personas

pytestmark = pytest.mark.django_db
LINKS = [
    "/staff/mailbox/",
    "/staff/hotline/",
    "/staff/engagement/",
    "/staff/consultations/",
    "/staff/interviews/",
    "/staff/checker/batch/",
    "/staff/checker/compare/",
]


@pytest.fixture(autouse=True)
def fast_passwords(settings: LazySettings, tmp_path: Path) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path


def nav_links(client: Client, url: str = "/staff/") -> list[str]:
    html = client.get(url).content.decode()
    menu = re.search(r'<ul id="staff-nav">(.*?)</ul>', html, re.S)
    return re.findall(r'href="([^"]+)"', menu.group(1)) if menu else []


@pytest.mark.parametrize("who", ["clerk", "supervisor"])
def test_a_staff_member_reaches_every_engagement_queue_and_the_checker_from_any_staff_page(
    personas: Personas, who: str
) -> None:
    client = Client()
    assert client.login(username=getattr(personas, who).username, password=PASSWORD)
    assert nav_links(client) == LINKS
    assert nav_links(client, "/staff/cases/") == nav_links(client)
    for url in LINKS:
        assert client.get(url).status_code == 200, url


def test_the_menu_is_not_shown_to_who_may_not_use_it(personas: Personas) -> None:
    """A signed-in account without a staff post (the outsider) would be refused by every queue, and an
    anonymous visitor of the portal sees no staff menu at all."""
    assert nav_links(Client(), "/") == []
    client = Client()
    assert client.login(username=personas.outsider.username, password=PASSWORD)
    assert nav_links(client, "/") == []
    for url in LINKS:
        assert client.get(url).status_code in {302, 403}, url
