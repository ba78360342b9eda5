"""Security headers (issue #10, defect 9): a Content-Security-Policy on every page, `Cache-Control: private,
no-store` on staff pages and every answer to a signed-in user, and Swagger UI and every other asset served from
the site itself."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from gongkai.security import NO_STORE
from tests.conftest import Personas

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted((ROOT / "gongkai").glob("**/templates/**/*.html"))


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_every_page_has_a_self_only_content_security_policy() -> None:
    response = Client().get("/")
    policy = response.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert (
        "'unsafe-inline'" not in directives["script-src"] and "'unsafe-eval'" not in directives["script-src"]
    )
    assert "http" not in policy and "*" not in policy  # no outside host
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"


def test_the_policy_is_set_from_the_environment(settings: Any) -> None:
    settings.GONGKAI_CSP = "default-src 'none'"
    assert Client().get("/").headers["Content-Security-Policy"] == "default-src 'none'"
    settings.GONGKAI_CSP_REPORT_ONLY = True
    response = Client().get("/")
    assert response.headers["Content-Security-Policy-Report-Only"] == "default-src 'none'"
    assert "Content-Security-Policy" not in response.headers
    settings.GONGKAI_CSP = ""
    assert not {"Content-Security-Policy", "Content-Security-Policy-Report-Only"} & set(
        Client().get("/").headers
    )


def test_templates_run_no_inline_script_but_the_one_the_policy_allows() -> None:
    """The policy allows one inline handler by its hash; anything else inline would be blocked by browsers."""
    for template in TEMPLATES:
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)", text), template
        assert "javascript:" not in text, template
        for handler in re.findall(r"\son[a-z]+=\"([^\"]*)\"", text):
            assert handler == "this.form.submit()", (template, handler)
    assert "'sha256-osjxnKEPL/pQJbFk1dKsF7PYFmTyMWGmVSiL9inhxJY='" in settings.DEFAULT_CSP  # its hash


def test_no_template_loads_anything_from_another_host() -> None:
    for template in TEMPLATES:
        for url in re.findall(r"(?:src|href|action)=\"(https?:)?//", template.read_text(encoding="utf-8")):
            pytest.fail(f"{template} loads {url}")


@pytest.mark.parametrize(
    ("path", "who"),
    [
        ("/staff/", "clerk"),
        ("/staff/cases/", "clerk"),
        ("/admin/", "admin"),
        ("/admin/login/", None),
        ("/accounts/login/", None),
        ("/api/v1/cases", "clerk"),
        ("/apply/", None),
        ("/track/", None),
        ("/", "clerk"),  # a public page seen by a signed-in user shows their name
        ("/catalog/", "clerk"),
    ],
)
def test_staff_and_personal_pages_are_never_stored(
    django_user_model: Any, personas: Personas, path: str, who: str | None
) -> None:
    """Defect 9: staff pages had no Cache-Control, so a shared browser or proxy could keep case files."""
    users = {
        "clerk": personas.clerk,
        "admin": django_user_model.objects.create_superuser("root", password="x" * 12),
    }
    client = signed_in(users[who]) if who else Client()
    response = client.get(path)
    assert response.status_code == 200, path
    assert response.headers["Cache-Control"] == NO_STORE


def test_public_pages_for_the_public_stay_cacheable(personas: Personas) -> None:
    response = Client().get("/catalog/")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_the_staff_api_answer_is_never_stored_even_when_refused() -> None:
    response = Client().get("/api/v1/cases")
    assert response.status_code == 401 and response.headers["Cache-Control"] == NO_STORE


def test_hsts_on_https_answers_when_configured(settings: Any) -> None:
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = Client().get("/", secure=True)
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_swagger_ui_is_served_from_the_site_itself() -> None:
    """Defect 9: /api/v1/docs loaded Swagger UI from a CDN and was blank offline."""
    client = Client()
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert not re.search(r"https?://", html), "the docs page names an outside host"
    assets = re.findall(r"(?:src|href)=\"(/static/[^\"]+)\"", html)
    assert {a.rsplit("/", 1)[-1] for a in assets} >= {
        "swagger-ui-bundle.js",
        "swagger-ui.css",
        "swagger-ui-init.js",
    }
    for asset in assets:
        response = client.get(asset)
        assert response.status_code == 200, asset
        assert b"".join(response.streaming_content).strip(), asset  # type: ignore[attr-defined]
    settings_json = re.search(r'id="swagger-settings">(.*?)</script>', html, re.S)
    assert settings_json is not None and '"validatorUrl": null' in settings_json[1]
