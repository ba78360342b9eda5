"""Error pages (issue #10, defect 12: "the 400/403/404 pages are bare English"): Chinese, in the site's layout,
with the status, a reason and the way back; no English, no stack trace; the 500 page without the database."""

from __future__ import annotations

import re
import types
from typing import Any

import pytest
from django.test import Client
from django.urls import path

from gongkai import urls as site_urls
from tests.conftest import PASSWORD, Personas


def visible_text(response: Any) -> str:
    page = response.content.decode()
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    # The language switcher names each language in that language, marked with its own lang (English is "English").
    page = re.sub(r'<(a|span)\b[^>]*\blang="(?!zh)[^"]*"[^>]*>.*?</\1>', " ", page, flags=re.S)
    return re.sub(r"<[^>]+>", " ", page)


def assert_chinese_error_page(response: Any, status: int, reason: str) -> None:
    assert response.status_code == status
    page = response.content.decode()
    text = visible_text(response)
    assert f"{status} " in text and reason in text
    assert 'class="site"' in page  # the site's header and navigation
    assert 'href="/"' in page and 'href="/search/"' in page  # the way back: home page and search
    assert re.findall(r"[A-Za-z]{2,}", text) == []  # not a word of English
    assert "Traceback" not in page and "File &quot;" not in page


@pytest.mark.django_db
def test_404_is_chinese_with_debug_off(settings: Any) -> None:
    assert settings.DEBUG is False
    response = Client().get("/no-such-page/")
    assert_chinese_error_page(response, 404, "页面不存在")
    # A view's own Http404 gets the same page (an unknown document).
    assert_chinese_error_page(Client().get("/documents/NOPE/2026/1/"), 404, "页面不存在")


@pytest.mark.django_db
def test_403_for_an_outsider_on_a_staff_page(personas: Personas) -> None:
    client = Client()
    assert client.login(username=personas.outsider.username, password=PASSWORD)
    assert_chinese_error_page(client.get("/staff/cases/"), 403, "无权访问")


@pytest.mark.django_db
def test_400_for_a_bad_request() -> None:
    response = Client().get("/", HTTP_HOST="evil.example")  # a host the site does not serve
    assert_chinese_error_page(response, 400, "请求无效")


@pytest.mark.django_db
def test_a_failed_csrf_check_explains_itself_in_chinese() -> None:
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "x", "password": "y"})
    assert_chinese_error_page(response, 403, "页面已过期")


def _boom(request: Any) -> Any:
    raise RuntimeError("secret internals: /srv/gongkai/settings.py line 12")


def test_500_renders_without_the_database(settings: Any) -> None:
    """No django_db mark: any database query while rendering the page would raise instead of answering."""
    urlconf = types.ModuleType("error_test_urls")
    urlconf.urlpatterns = [path("boom/", _boom), *site_urls.urlpatterns]  # type: ignore[attr-defined]
    urlconf.handler500 = site_urls.handler500  # type: ignore[attr-defined]
    settings.ROOT_URLCONF = urlconf
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "a" * 32  # a page that read the session (the signed-in user) would query
    response = client.get("/boom/")
    assert_chinese_error_page(response, 500, "服务器错误")
    assert "secret internals" not in response.content.decode()
