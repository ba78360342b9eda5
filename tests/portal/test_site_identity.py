"""The site's identity (issue 12 §1): 许昌市's administrator sets the government's name, emblem, 主办单位, contact,
网站标识码 and filing numbers once; every page's header and footer shows them (error pages too, the 500 page even
without the database), a change shows at once on cached public pages, and an admin change is audited."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from PIL import Image

from gongkai import errors
from gongkai.audit.models import AuditEntry
from gongkai.portal.actions import save_site_identity
from gongkai.portal.identity import current
from tests.conftest import PASSWORD, Tree

XUCHANG = {
    "government_name": "测试市人民政府",
    "host": "测试市人民政府办公室",
    "address": "测试市建安大道1号",
    "phone": "0374-1234567",
    "email": "zwgk@example.gov.cn",
    "site_code": "4110000001",
    "icp_number": "豫ICP备00000001号",
    "police_number": "豫公网安备41100202000001号",
    "police_link": "https://www.beian.gov.cn/portal/registerSystemInfo?recordcode=41100202000001",
}


def png(size: int = 8) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (size, size), "red").save(out, format="PNG")
    return out.getvalue()


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.django_db
def test_home_and_error_pages_show_the_identity(tree: Tree) -> None:
    save_site_identity("admin", body=tree.city, **XUCHANG)
    for url, status in (("/", 200), ("/no-such-page/", 404)):
        response = Client().get(url)
        assert response.status_code == status
        page = response.content.decode()
        assert "测试市人民政府" in page and "政府信息公开" in page
        for value in (
            "测试市人民政府办公室",
            "4110000001",
            "豫ICP备00000001号",
            "豫公网安备41100202000001号",
        ):
            assert value in page, (url, value)
        assert 'href="https://beian.miit.gov.cn/"' in page
        assert XUCHANG["police_link"].replace("&", "&amp;") in page
        # 指南 and 制度 open the city government's own guide and rules.
        assert f'href="/bodies/{tree.city.org_code}/guide/"' in page
        assert f'href="/bodies/{tree.city.org_code}/rules/"' in page
        assert "/static/gongkai/emblem.svg" in page  # no emblem uploaded: the default one


@pytest.mark.django_db
def test_without_identity_the_site_still_has_its_columns() -> None:
    page = Client().get("/").content.decode()
    for column in ("指南", "制度", "法定主动公开内容", "年报", "依申请公开", "检索"):
        assert f">{column}</a>" in page
    assert 'href="/bodies/"' in page  # no body set: 指南/制度 lead to the list of bodies
    assert "网站标识码" not in page  # nothing invented


@pytest.mark.django_db
def test_a_change_shows_at_once_on_cached_pages(tree: Tree, settings: Any) -> None:
    settings.GONGKAI_PAGE_CACHE = True
    save_site_identity("admin", **XUCHANG)
    visitor = Client()
    first = visitor.get("/catalog/")
    assert "测试市人民政府" in first.content.decode()
    assert visitor.get("/catalog/")["ETag"] == first["ETag"]  # served from the cache
    save_site_identity("admin", government_name="测试市人民政府（新）")
    assert current().government_name == "测试市人民政府（新）"
    again = Client().get("/catalog/").content.decode()
    assert "测试市人民政府（新）" in again
    assert "测试市人民政府办公室" in again  # fields not given are kept


@pytest.mark.django_db
def test_admin_change_goes_through_the_audited_function(tree: Tree) -> None:
    admin = get_user_model().objects.create_superuser("site-admin", password=PASSWORD)
    client = Client()
    assert client.login(username="site-admin", password=PASSWORD)
    assert client.get("/admin/portal/siteidentity/")["Location"] == "/admin/portal/siteidentity/add/"
    form: dict[str, Any] = XUCHANG | {"body": tree.city.pk, "organiser": "", "postcode": "461000"}
    form["emblem"] = SimpleUploadedFile("emblem.png", png(), content_type="image/png")
    response = client.post("/admin/portal/siteidentity/add/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(action="portal.site_identity.save")
    assert entry.actor_id == admin.pk and entry.before is None  # the admin who made it; nothing before
    assert entry.after is not None and entry.after["government_name"] == "测试市人民政府"
    assert entry.after["emblem"].startswith("site/emblem")
    # The uploaded emblem is on every page, served by its own view.
    page = Client().get("/").content.decode()
    assert "/emblem/?v=" in page
    served = Client().get("/emblem/")
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    # A second change edits the same row; a delete is not offered.
    assert client.get("/admin/portal/siteidentity/")["Location"] == "/admin/portal/siteidentity/1/change/"
    form = form | {"phone": "0374-7654321"}
    form.pop("emblem")
    assert client.post("/admin/portal/siteidentity/1/change/", form).status_code == 302
    changed = AuditEntry.objects.filter(action="portal.site_identity.save").order_by("-pk").first()
    assert changed is not None and changed.before is not None and changed.after is not None
    assert changed.before["phone"] == "0374-1234567" and changed.after["phone"] == "0374-7654321"
    assert changed.after["emblem"] == entry.after["emblem"]  # the emblem kept
    assert client.get("/admin/portal/siteidentity/1/delete/").status_code == 403


@pytest.mark.django_db
def test_emblem_type_and_size_are_checked() -> None:
    svg = SimpleUploadedFile("emblem.svg", b"<svg onload='alert(1)'/>", content_type="image/svg+xml")
    with pytest.raises(ValidationError) as raised:
        save_site_identity("admin", government_name="测试市人民政府", emblem=svg)
    assert "emblem" in raised.value.message_dict
    huge = SimpleUploadedFile("emblem.png", png() + b"\0" * 600_000, content_type="image/png")
    with pytest.raises(ValidationError) as raised:
        save_site_identity("admin", government_name="测试市人民政府", emblem=huge)
    assert "emblem" in raised.value.message_dict
    assert not AuditEntry.objects.filter(action="portal.site_identity.save").exists()


def test_the_500_page_renders_without_the_database() -> None:
    """No django_db mark: any query here raises; the page shows the default identity and the site's layout."""
    response = errors.server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert "500" in page and "服务器错误" in page
    assert 'class="site"' in page and "/static/gongkai/emblem.svg" in page
    assert ">法定主动公开内容</a>" in page


@pytest.mark.django_db
def test_the_500_page_shows_the_cached_identity() -> None:
    save_site_identity("admin", **XUCHANG)
    current()  # cached, as by the pages served before the failure
    page = errors.server_error(RequestFactory().get("/")).content.decode()
    assert "测试市人民政府" in page and "4110000001" in page
