"""The portal in three languages (issue 12 §4): zh-Hans at /, zh-Hant at /zh-hant/, English at /en/; the
choice remembered; the public page cache kept per language; statutory report labels as published.

Personas: 王芳 (an English-speaking visitor), 陈伟 (reads Traditional characters), and the clerk of tests/conftest.py
who publishes a document."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import polib
import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from gongkai import languages, pagecache
from gongkai.cases.models import InformationRequest
from gongkai.catalog import transitions as p
from gongkai.catalog.models import Channel, ChannelKind, Publication
from gongkai.ops import catalogues
from gongkai.organisations.models import Organisation
from gongkai.reports import actions as report_actions
from tests.conftest import PASSWORD, Personas, Tree
from tests.i18n.chrome import chrome_text, han

pytestmark = pytest.mark.django_db
COOKIE = settings.LANGUAGE_COOKIE_NAME


@pytest.fixture
def document(tree: Tree, personas: Personas) -> Publication:
    site = Channel.objects.create(
        name="测试市门户网站", kind=ChannelKind.objects.get(code="website"), owner=tree.city
    )
    on = dt.date(2025, 3, 3)
    pub, _w = p.create_draft(personas.clerk, tree.education, title="关于招生工作的通知", made_on=on)
    p.review(personas.reviewer, pub, on=on, conclusion="passed")
    return p.publish(personas.clerk, pub, on=on, channels=[site])


def key_pages(document: Publication) -> dict[str, str]:
    """The key public pages, unprefixed (the 404 page is the error page)."""
    with translation.override(settings.LANGUAGE_CODE):
        doc = reverse(
            "portal:document", args=[document.index_code, document.index_year, document.index_serial]
        )
    return {
        "home": "/",
        "catalog": "/catalog/",
        "search": "/search/?q=招生",
        "apply": "/apply/",
        "track": "/track/",
        "reports": "/reports/",
        "bodies": "/bodies/",
        "document": doc,
        "error": "/no-such-page/",
    }


def without_data(text: str) -> str:
    """``text`` without the data it quotes: the names of bodies and the titles of documents stay as published."""
    names = [o.name for o in Organisation.objects.all()] + [o.short_name for o in Organisation.objects.all()]
    names += [pub.title for pub in Publication.objects.all()] + ["招生"]  # and the search term
    names += [req.subject for req in InformationRequest.objects.all()]  # what an applicant asked, as asked
    for name in sorted(filter(None, names), key=len, reverse=True):
        text = text.replace(name, " ")
    return text


def get(client: Client, url: str) -> tuple[int, str]:
    response = client.get(url)
    assert response.status_code in {200, 404}, (url, response.status_code)
    return response.status_code, response.content.decode()


def test_unprefixed_urls_stay_in_simplified_chinese(client: Client, document: Publication) -> None:
    assert reverse("portal:catalog") == "/catalog/"
    status, page = get(client, "/catalog/")
    assert status == 200 and '<html lang="zh-hans">' in page and "政府信息公开目录" in page
    assert client.get("/api/v1/openapi.json").status_code == 200  # the API has no prefix
    assert client.get("/en/api/v1/openapi.json").status_code == 404
    assert client.get("/healthz").status_code in {200, 503}


def test_key_pages_in_english_have_english_chrome(client: Client, document: Publication) -> None:
    for name, url in key_pages(document).items():
        status, page = get(client, "/en" + url)
        assert status == (404 if name == "error" else 200), name
        assert '<html lang="en">' in page, name
        chrome = without_data(chrome_text(page))
        assert chrome.strip(), name
        assert han(chrome) == [], f"{name}: Chinese in the English chrome: {chrome}"
    _status, page = get(client, "/en/catalog/")
    assert "Government information disclosure catalogue" in page
    assert "关于招生工作的通知" in page  # the data stays as published
    _status, page = get(client, "/en/no-such-page/")
    assert "Page not found" in page


def test_key_pages_in_traditional_chinese(client: Client, document: Publication) -> None:
    for name, url in key_pages(document).items():
        status, page = get(client, "/zh-hant" + url)
        assert status == (404 if name == "error" else 200), name
        assert '<html lang="zh-hant">' in page, name
        chrome = without_data(chrome_text(page))
        assert han(chrome), name
        simplified = [ch for ch in han(chrome) if catalogues.traditional(ch) != ch]
        assert simplified == [], (
            f"{name}: Simplified characters in the Traditional chrome: {simplified} {chrome}"
        )
    _status, page = get(client, "/zh-hant/catalog/")
    assert "政府信息公開目錄" in page and "政府信息公开目录" not in page


def test_links_stay_in_the_chosen_language(client: Client, document: Publication) -> None:
    _status, page = get(client, "/en/catalog/")
    assert 'href="/en/search/' in page or 'action="/en/search/' in page
    assert 'href="/search/' not in page


def test_the_switcher_links_the_same_page_in_each_language(rf: RequestFactory) -> None:
    request = rf.get("/en/catalog/", {"year": "2025"})
    with translation.override("en"):
        request.language_links = languages.links(request)  # type: ignore[attr-defined]
        html = render_to_string("gongkai/_languages.html", request=request)
    assert 'href="/catalog/?lang=zh-hans&amp;year=2025" lang="zh-Hans" hreflang="zh-Hans">简体</a>' in html
    assert 'href="/zh-hant/catalog/?lang=zh-hant&amp;year=2025" lang="zh-Hant"' in html
    assert (
        'href="/en/catalog/?lang=en&amp;year=2025" lang="en" hreflang="en" aria-current="true">English'
        in html
    )
    assert html.count("aria-current") == 1
    assert "<script" not in html


def test_a_visitor_who_chose_english_comes_back_in_english(client: Client, tree: Tree) -> None:
    """王芳 follows the switcher's English link, leaves, and later opens an unprefixed link."""
    response = client.get("/catalog/", {"lang": "en", "year": "2025"})
    assert response.status_code == 302 and response["Location"] == "/en/catalog/?year=2025"
    assert response.cookies[COOKIE].value == "en"
    assert response.cookies[COOKIE]["httponly"] and response.cookies[COOKIE]["samesite"] == "Lax"
    response = client.get("/bodies/", {"page": "2"})
    assert response.status_code == 302 and response["Location"] == "/en/bodies/?page=2"
    assert client.get("/en/bodies/").status_code == 200  # a prefixed page is served, never redirected
    # The API, the admin and posted forms are never redirected.
    assert client.get("/api/v1/openapi.json").status_code == 200
    assert client.get("/admin/login/").status_code == 200
    assert client.post("/track/", {"code": "X", "secret": "Y"}).status_code != 302
    # Back to Simplified Chinese: the choice is remembered too.
    response = client.get("/en/bodies/", {"lang": "zh-hans"})
    assert response.status_code == 302 and response["Location"] == "/bodies/"
    assert client.cookies[COOKIE].value == "zh-hans"
    assert client.get("/bodies/").status_code == 200


def test_traditional_choice_and_unknown_languages(client: Client, tree: Tree) -> None:
    """陈伟 chooses Traditional characters; a made-up language is ignored."""
    client.cookies[COOKIE] = "zh-hant"
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/zh-hant/"
    client.cookies[COOKIE] = "fr"
    assert client.get("/").status_code == 200
    response = client.get("/", {"lang": "fr"})
    assert response.status_code == 200 and COOKIE not in response.cookies


def test_staff_pages_have_prefixes_and_are_never_stored(client: Client, personas: Personas) -> None:
    client.force_login(personas.clerk)
    response = client.get("/en/staff/")
    assert response.status_code == 200 and '<html lang="en">' in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"
    client.logout()
    response = Client().get("/en/apply/")
    assert response["Cache-Control"] == "private, no-store"  # like /apply/: a form for personal data


def test_the_page_cache_keeps_each_language_apart(
    settings: Any, client: Client, document: Publication
) -> None:
    settings.GONGKAI_PAGE_CACHE = True
    simplified = client.get("/catalog/").content.decode()
    assert "政府信息公开目录" in simplified
    traditional = client.get("/zh-hant/catalog/").content.decode()
    assert "政府信息公開目錄" in traditional
    english = client.get("/en/catalog/").content.decode()
    assert "Government information disclosure catalogue" in english
    assert client.get("/catalog/").content.decode() == simplified
    assert client.get("/zh-hant/catalog/").content.decode() == traditional
    # A visitor who chose Traditional is sent to the Traditional page; "/" never gets the cached zh-Hant copy.
    chen = Client()
    chen.cookies[COOKIE] = "zh-hant"
    assert chen.get("/catalog/")["Location"] == "/zh-hant/catalog/"
    assert "政府信息公开目录" in Client().get("/catalog/").content.decode()
    # The key itself names the language, whatever the path.
    request = RequestFactory().get("/catalog/")
    keys = set()
    for code in languages.codes():
        with translation.override(code):
            keys.add(pagecache.page_key(request, [pagecache.CATALOG]))
    assert len(keys) == 3


def test_statutory_report_labels_stay_as_published(
    client: Client, tree: Tree, personas: Personas, tmp_path: Path, settings: Any
) -> None:
    """The labels of report-formats.json are data, never msgids: an English report page shows them verbatim,
    even those that are also interface strings with an English translation."""
    settings.MEDIA_ROOT = tmp_path
    report_actions.publish_report(
        personas.office_head, tree.city, 2024, "2021", "subtree", override_reason="测试"
    )
    formats = json.loads((Path(catalogues.PACKAGE_DIR) / "reports/data/report-formats.json").read_text())
    labels = {t["table"] for t in formats["formats"]["2021"]["tables"] if isinstance(t.get("table"), str)}
    msgids = {e.msgid for e in polib.pofile(str(catalogues.po_path(catalogues.ENGLISH)))}
    page = client.get(f"/en/reports/{tree.city.org_code}/2024/").content.decode()
    assert '<html lang="en">' in page
    shown = [label for label in labels if label in page]
    assert shown, labels
    for label in labels & msgids:
        assert label in page


def test_staff_pages_in_english_have_english_chrome(client: Client, personas: Personas, tree: Tree) -> None:
    """The education bureau's clerk works in English: the workbench, the case inbox, the intake form and the
    catalogue list."""
    client.force_login(personas.clerk)
    for url in ("/en/staff/", "/en/staff/cases/", "/en/staff/cases/new/", "/en/staff/catalog/"):
        response = client.get(url)
        assert response.status_code == 200, url
        chrome = without_data(chrome_text(response.content.decode()))
        assert han(chrome) == [], f"{url}: Chinese in the English chrome: {chrome}"


def test_signing_in_keeps_the_language(client: Client, personas: Personas) -> None:
    response = client.get("/en/staff/")
    assert response.status_code == 302 and response["Location"] == "/en/accounts/login/?next=/en/staff/"
    assert Client().get("/staff/")["Location"] == "/accounts/login/?next=/staff/"
    response = client.post("/en/accounts/login/", {"username": "clerk", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/en/staff/"


def test_more_staff_pages_in_english_have_english_chrome(
    client: Client, personas: Personas, tree: Tree
) -> None:
    """Beyond the lists: the clerk's case page, the 文号 templates, a draft and her body's submission; the city
    office head's report studio (its statutory table labels are data: they stay as published)."""
    from tests.cases.builders import new_case

    req = new_case(tree, personas)
    draft, _w = p.create_draft(
        personas.clerk, tree.education, title="关于招生工作的通知", made_on=dt.date(2025, 3, 3)
    )
    client.force_login(personas.clerk)
    pages = [
        f"/en/staff/cases/{req.pk}/",
        "/en/staff/cases/numbering/",
        f"/en/staff/catalog/{draft.pk}/",
        f"/en/staff/submissions/{tree.education.org_code}/2025/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        chrome = without_data(chrome_text(response.content.decode()))
        assert han(chrome) == [], f"{url}: Chinese in the English chrome: {chrome}"
    client.force_login(personas.office_head)
    url = f"/en/staff/reports/{tree.city.org_code}/2025/"
    response = client.get(url)
    assert response.status_code == 200
    chrome = without_statutory_labels(without_data(chrome_text(response.content.decode())), "2021")
    assert han(chrome) == [], f"{url}: Chinese in the English chrome: {chrome}"


def without_statutory_labels(text: str, fmt: str) -> str:
    """``text`` without the report format's own labels (sections, tables, rows, columns): they are published
    as the State Council's notice prints them, in Chinese, whatever the page's language."""
    from gongkai.reports import charts, formats

    labels = set(formats.sections(fmt))
    for spec in formats.tables(fmt):
        labels |= {spec.table, spec.block} | set(spec.columns) | set(spec.rows)
        labels |= {part for label in (*spec.rows, *spec.columns) for part in label.split("/")}
    labels |= {charts.short_label(label) for label in labels}  # the charts' axes shorten them
    labels |= {re.sub(r"政府信息公开申请数量$", "", label) for label in labels}
    for label in sorted(filter(None, labels), key=len, reverse=True):
        text = text.replace(label, " ")
    return text
