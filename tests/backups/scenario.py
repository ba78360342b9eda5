"""Run in a subprocess with its own GONGKAI_DATA_DIR (and DATABASE_URL) by the backup tests:

    python -m tests.backups.scenario seed OUT.json     # a few records through the domain functions
    python -m tests.backups.scenario fetch OUT.json URL[@USERNAME]...   # GET each through the whole Django stack
    python -m tests.backups.scenario tamper OUT.json   # a raw SQL UPDATE of the audit log: refused?

``seed`` writes what it made (URLs, stored file paths and checksums) to OUT.json; ``fetch`` writes each answer's
status and body (hex) to OUT.json."""

from __future__ import annotations

import hashlib
import io
import json
import os
import sys
from pathlib import Path
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import DatabaseError, connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from gongkai.accounts.models import Role  # noqa: E402
from gongkai.catalog.figures import save_proactive_figures  # noqa: E402
from gongkai.organisations.models import OrgKind  # noqa: E402
from gongkai.reports import actions as reports  # noqa: E402
from gongkai.submissions import actions as submissions  # noqa: E402
from gongkai.submissions.xlsx import template_for  # noqa: E402
from tests.conftest import make_org, make_user  # noqa: E402
from tests.submissions.helpers import TABLE3_2021, fill  # noqa: E402

YEAR, FMT = 2024, "2021"


def seed() -> dict[str, Any]:
    """A city with a county and a township; the city's published 2024 report (its files) and the township's
    uploaded figures."""
    reports.FROZEN_SUFFIXES = (".json", ".md")  # the light files: the test is about copying, not rendering
    city = make_org("备份市人民政府", OrgKind.GOVERNMENT, short_name="备份市")
    county = make_org("备份县人民政府", OrgKind.COUNTY, city, short_name="备份县")
    township = make_org("备份县某镇人民政府", OrgKind.TOWNSHIP, county)
    office_head = make_user("office-head", city, Role.OFFICE_HEAD)
    supervisor = make_user("supervisor", city, Role.SUPERVISOR, supervises=county)
    save_proactive_figures("test", city, YEAR, licensing_items=5, licensing_decisions=12)
    publication = reports.publish_report(office_head, city, YEAR, FMT, "subtree", override_reason="测试")
    item = publication.versions.get().files.get(suffix=".json")
    data = fill(template_for(township, YEAR, FMT), FMT, TABLE3_2021)
    upload = submissions.submit(supervisor, township, YEAR, FMT, io.BytesIO(data), "填报.xlsx")  # type: ignore[arg-type]
    media = Path(settings.MEDIA_ROOT)
    assert item.file.name and upload.file.name
    return {
        "report_url": f"/reports/{city.org_code}/{YEAR}/v1/files/json",
        "report_path": f"media/{item.file.name}",
        "report_sha256": hashlib.sha256((media / item.file.name).read_bytes()).hexdigest(),
        "submission_url": f"/staff/submissions/file/{upload.pk}@{supervisor.get_username()}",
        "submission_path": f"media/{upload.file.name}",
        "submission_sha256": hashlib.sha256(data).hexdigest(),
    }


def fetch(targets: list[str]) -> list[dict[str, Any]]:
    answers = []
    for target in targets:
        url, _at, username = target.partition("@")
        client = Client()
        if username:
            client.force_login(get_user_model().objects.get(username=username))
        response = client.get(url)
        body = response.getvalue()
        answers.append({"url": url, "status": response.status_code, "body": body.hex()})
    return answers


def tamper() -> dict[str, Any]:
    """Whether the append-only triggers of the audit table (docs/audit.md) refuse a raw UPDATE."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditentry SET summary = 'changed'")
    except DatabaseError as exc:
        return {"refused": True, "error": str(exc)}
    return {"refused": False, "error": ""}


if __name__ == "__main__":
    command, out = sys.argv[1], Path(sys.argv[2])
    commands = {"seed": seed, "fetch": lambda: fetch(sys.argv[3:]), "tamper": tamper}
    result = commands[command]()
    out.write_text(json.dumps(result), encoding="utf-8")
