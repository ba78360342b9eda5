"""The permission matrix as data (issue #10, deliverable 9; docs/security.md, "Permission matrix").

One row per URL pattern × method × object (own/other body), one cell per role: what the role must get. The
rule comes from ``gongkai/permissions.py`` and each view's docstring, not from what the code happens to do.
``test_permission_matrix.py`` fails if a URL pattern of the live resolver has no row here, then makes every
request of the table and checks every cell.

Roles (columns, in this order):

==============  ==========================================================================================
anon            not signed in
applicant       not signed in, holds the tracking code and secret of the own-body case
outsider        signed in, no staff profile (e.g. a profile removed; not a role anyone should have)
clerk           经办人 of 教育局 (the own body of the world)
reviewer        审核人 of 教育局
office_head     政务公开办公室负责人 of the city government (its own body is the city)
body_admin      系统管理员 role of 教育局 (a body role, not a superuser)
supervisor      监督管理人员 in the city office, supervises the county's subtree
superuser       Django superuser (sees everything)
==============  ==========================================================================================

Objects: ``own`` is an object of the role's own body (教育局; the city for office_head; for the supervisor a
body inside its supervised subtree, 县公安局); ``other`` an object of a body the role may not see (县公安局;
教育局 for the supervisor). The anonymous roles, the outsider and the superuser take 教育局 as "own" and 县公安局
as "other". Other objects: ``draft`` (an item never published), ``unpublished`` (a report year not published),
``forged`` (a token not signed by the site).

Cells:

======  ====================================================================================================
ok      allowed: 2xx, or a redirect to a page that is not a login page; with a marker, the marker is shown
no      allowed, but the object is not shown (lists, lookups: the marker is absent)
login   redirect to a login page (/accounts/login/ or /admin/login/)
401     the API's "not signed in"
403     refused
404     hidden: answered as if the object did not exist
405     method not allowed
410     gone (a withdrawn item)
======  ====================================================================================================

Paths and form data are templates: ``{name}`` is filled from the fixture world (test_permission_matrix.py,
``World.values``) for the role and the row's object. A data value ``@pdf`` / ``@xlsx`` is a file upload.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ROLES: tuple[str, ...] = (
    "anon",
    "applicant",
    "outsider",
    "clerk",
    "reviewer",
    "office_head",
    "body_admin",
    "supervisor",
    "superuser",
)
CELLS = frozenset({"ok", "no", "login", "401", "403", "404", "405", "410"})


@dataclass(frozen=True)
class Row:
    route: str  # the URL pattern as the resolver spells it (``test_permission_matrix.route_of``)
    method: str
    obj: str  # own, other, draft, unpublished, forged, or "" (no object)
    cells: str  # one cell per role, in ROLES order, separated by spaces
    path: str  # the URL to request (a template)
    data: dict[str, Any] = field(default_factory=dict)  # query (GET) or form/JSON body (POST), templates
    marker: str = ""  # a template: must be in the answer for "ok", absent for "no"
    json: bool = False  # POST the data as JSON (the API)
    note: str = ""

    @property
    def id(self) -> str:
        """Unique in the table: method, path template, object and the step posted."""
        what = self.data.get("action") or self.data.get("op") or ""
        tail = f"[{self.obj}]" if self.obj else ""
        return f"{self.method} {self.path}{tail}{'(' + what + ')' if what else ''}"

    def expected(self) -> dict[str, str]:
        values = self.cells.split()
        assert len(values) == len(ROLES), f"{self.id}: {len(values)} cells for {len(ROLES)} roles"
        assert set(values) <= CELLS, f"{self.id}: unknown cell in {values}"
        return dict(zip(ROLES, values, strict=True))


ALL_OK = "ok ok ok ok ok ok ok ok ok"
ALL_405 = "405 405 405 405 405 405 405 405 405"
ALL_404 = "404 404 404 404 404 404 404 404 404"
STAFF_405 = "login login 405 405 405 405 405 405 405"
#                    anon  appl  outs  clerk revw  head  badm  supv  su
STAFF_READ_OWN = "login login 403 ok ok ok ok ok ok"  # every staff member of the body, supervisor included
STAFF_READ_OTHER = "login login 403 403 403 403 403 403 ok"
STAFF_WRITE_OWN = "login login 403 ok ok ok ok 403 ok"  # the body's own staff; the supervisor only reads
HEAD_WRITE_OWN = "login login 403 403 403 ok ok 403 ok"  # the body's office head or admin
HEAD_OR_SUPERVISOR_OWN = "login login 403 403 403 ok ok ok ok"  # 填报: office head, admin or the supervisor
ITEM_READ_OWN = "login login 404 ok ok ok ok ok ok"  # catalog items outside the user's bodies are hidden
ITEM_HIDDEN = "login login 404 404 404 404 404 404 ok"
ITEM_WRITE_OWN = "login login 404 ok ok ok ok 403 ok"
ADMIN_ONLY = "login login login login login login login login ok"
API_READ_OWN = "401 401 403 ok ok ok ok ok ok"
API_READ_OTHER = "401 401 403 403 403 403 403 403 ok"
LIST_OWN = "login login 403 ok ok ok ok ok ok"
LIST_OTHER = "login login 403 no no no no no ok"

CASE = "/staff/cases/{case}/"
ITEM = "/staff/catalog/{pub}/"
DRAFT = "/staff/catalog/{draft}/"
REPORT = "/staff/reports/{org}/{year}/"
SUBMISSIONS = "/staff/submissions/{org}/{year}/"
DOCUMENT = "/documents/{doc}/"
API_CASE = "/api/v1/cases/{case}"

ON = {"on": "{today}"}
APPLICATION = {
    "body": "{body_pk}",
    "kind": "natural",
    "name": "李四",
    "id_document": "resident_id",
    "id_number": "11010519491231002X",
    "phone": "13812345678",
    "subject": "2025年义务教育招生划片方案",
    "provision_form": "electronic",
    "delivery_method": "email",
    "email": "li@example.invalid",
}
INTAKE = {
    "body": "{body_pk}",
    "received": "{yesterday} 10:00",  # never in the future, whatever the hour
    "channel": "in_person",
    "kind": "natural",
    "name": "张三",
    "id_document": "resident_id",
    "id_number": "11010519491231002X",
    "phone": "13812345678",
    "subject": "申请公开招生计划",
}
NEW_DRAFT = {
    "body_choice": "{body_pk}",
    "title": "关于招生工作的通知",
    "document_number": "",
    "made_on": "{today}",
    "text": "正文。",
    "keywords": "",
    "normative_kind": "",
}


def _rows_public() -> list[Row]:
    """Public portal: every role alike; drafts and unpublished reports are hidden from everyone."""
    r = Row
    return [
        r("", "GET", "", ALL_OK, "/"),
        r("healthz", "GET", "", ALL_OK, "/healthz"),  # the load balancer's probe: no data, no session
        r("", "GET", "draft", ALL_OK.replace("ok", "no"), "/", marker="{draft_title}"),
        r("reports/", "GET", "", ALL_OK, "/reports/"),
        r("interact/", "GET", "", ALL_OK, "/interact/"),
        r("reports/<str:org_code>/<int:year>/", "GET", "own", ALL_OK, "/reports/{org}/{year}/"),
        r(
            "reports/<str:org_code>/<int:year>/",
            "GET",
            "unpublished",
            ALL_404,
            "/reports/{org}/{year_unpublished}/",
        ),
        r(
            "reports/<str:org_code>/<int:year>/v<int:number>/",
            "GET",
            "own",
            ALL_OK,
            "/reports/{org}/{year}/v1/",
        ),
        r(
            "reports/<str:org_code>/<int:year>/v<int:number>/files/<slug:suffix>",
            "GET",
            "own",
            ALL_OK,
            "/reports/{org}/{year}/v1/files/json",
        ),
        r(
            "reports/<str:org_code>/<int:year>/",
            "GET",
            "withdrawn",
            ALL_404,
            "/reports/{org}/{year_withdrawn}/",
        ),
        r(
            "reports/<str:org_code>/<int:year>/v<int:number>/",
            "GET",
            "withdrawn",
            ALL_404,
            "/reports/{org}/{year_withdrawn}/v1/",
        ),
        r(
            "reports/<str:org_code>/<int:year>/v<int:number>/files/<slug:suffix>",
            "GET",
            "withdrawn",
            ALL_404,
            "/reports/{org}/{year_withdrawn}/v1/files/json",
            note="a withdrawn report's frozen files are off the site too",
        ),
        r("apply/", "GET", "", ALL_OK, "/apply/"),
        r("apply/", "POST", "", ALL_OK, "/apply/", data=APPLICATION, note="a valid application"),
        r(
            "apply/body/",
            "POST",
            "",
            ALL_OK,
            "/apply/body/",
            data={"body_q": "教育", "name": "李四"},
            note="the body search without JavaScript: the form comes back, nothing is stored",
        ),
        r("apply/body/", "GET", "", ALL_405, "/apply/body/"),
        r("apply/receipt/", "GET", "", ALL_OK, "/apply/receipt/"),
        r("apply/print/", "GET", "", ALL_OK, "/apply/print/"),
        r("track/", "GET", "", ALL_OK, "/track/"),
        r(
            "track/",
            "POST",
            "own",
            "no ok no no no no no no no",
            "/track/",
            data={"code": "{tracking_code}", "secret": "{secret}"},
            marker="{case_body}",
            note="only the applicant knows the secret; the others send the code with a wrong one",
        ),
        r(
            "track/letters/<str:token>/",
            "GET",
            "own",
            ALL_OK,
            "/track/letters/{token}/",
            note="a bearer link",
        ),
        r("track/letters/<str:token>/", "GET", "forged", ALL_404, "/track/letters/{forged_token}/"),
        r("bodies/", "GET", "", ALL_OK, "/bodies/"),
        r(
            "bodies/pick/",
            "GET",
            "",
            ALL_OK,
            "/bodies/pick/",
            data={"q": "教育"},
            note="the body step's matches",
        ),
        r("bodies/<str:org_code>/", "GET", "own", ALL_OK, "/bodies/{org}/", marker="{pub_title}"),
        r("bodies/<str:org_code>/guide/", "GET", "own", ALL_OK, "/bodies/{org}/guide/"),
        r("bodies/<str:org_code>/rules/", "GET", "own", ALL_OK, "/bodies/{org}/rules/"),
        r(
            "bodies/<str:org_code>/catalog/",
            "GET",
            "own",
            ALL_OK,
            "/bodies/{org}/catalog/",
            marker="{pub_title}",
        ),
        r(
            "bodies/<str:org_code>/catalog/",
            "GET",
            "draft",
            ALL_OK.replace("ok", "no"),
            "/bodies/{org}/catalog/",
            marker="{draft_title}",
        ),
        r("bodies/<str:org_code>/reports/", "GET", "own", ALL_OK, "/bodies/{org}/reports/"),
        r("catalog/", "GET", "own", ALL_OK, "/catalog/", marker="{pub_title}"),
        r("catalog/", "GET", "draft", ALL_OK.replace("ok", "no"), "/catalog/", marker="{draft_title}"),
        r(
            "documents/<str:index_code>/<int:year>/<int:serial>/",
            "GET",
            "own",
            ALL_OK,
            DOCUMENT,
            marker="{pub_title}",
        ),
        r(
            "documents/<str:index_code>/<int:year>/<int:serial>/",
            "GET",
            "draft",
            ALL_404,
            "/documents/{draft_doc}/",
        ),
        r(
            "documents/<str:index_code>/<int:year>/<int:serial>/",
            "GET",
            "withdrawn",
            "410 410 410 410 410 410 410 410 410",
            "/documents/{withdrawn_doc}/",
        ),
        r(
            "documents/<str:index_code>/<int:year>/<int:serial>/files/<int:pk>/",
            "GET",
            "own",
            ALL_OK,
            DOCUMENT + "files/{att}/",
        ),
        r(
            "documents/<str:index_code>/<int:year>/<int:serial>/files/<int:pk>/",
            "GET",
            "draft",
            ALL_404,
            "/documents/{draft_doc}/files/{draft_att}/",
        ),
        r("search/", "GET", "own", ALL_OK, "/search/", data={"q": "{pub_title}"}, marker="/documents/{doc}/"),
        r(
            "search/",
            "GET",
            "draft",
            ALL_OK.replace("ok", "no"),
            "/search/",
            data={"q": "{draft_title}"},
            marker="/documents/{draft_doc}/",
            note="the query is echoed in the search box: the marker is the hit's link",
        ),
        r("charts/publications/<str:org_code>.svg", "GET", "own", ALL_OK, "/charts/publications/{org}.svg"),
        r("care/", "GET", "", ALL_OK, "/care/", data={"on": "1", "next": "/catalog/"}),
        r("care.css", "GET", "", ALL_OK, "/care.css"),
        r("emblem/", "GET", "", ALL_404, "/emblem/", note="none uploaded: the default is a static file"),
    ]


def _rows_accounts() -> list[Row]:
    r = Row
    own_account = "login login ok ok ok ok ok ok ok"
    return [
        r("accounts/login/", "GET", "", ALL_OK, "/accounts/login/"),
        r("accounts/logout/", "GET", "", ALL_405, "/accounts/logout/"),
        r("accounts/logout/", "POST", "", ALL_OK, "/accounts/logout/"),
        r("accounts/password_change/", "GET", "", own_account, "/accounts/password_change/"),
        r("accounts/password_change/done/", "GET", "", own_account, "/accounts/password_change/done/"),
        r("accounts/password_reset/", "GET", "", ALL_OK, "/accounts/password_reset/"),
        r("accounts/password_reset/done/", "GET", "", ALL_OK, "/accounts/password_reset/done/"),
        r("accounts/reset/<uidb64>/<token>/", "GET", "forged", ALL_OK, "/accounts/reset/MQ/bad-token/"),
        r("accounts/reset/done/", "GET", "", ALL_OK, "/accounts/reset/done/"),
    ]


def _rows_cases() -> list[Row]:
    r = Row
    reveal = {"action": "reveal", "reason": "核实身份"}
    supervise = {"action": "supervise", "supervise-on": "{today}", "supervise-comment": "请按期办结"}
    supervise |= {"supervise-until": "{today}"}
    supplement = {"action": "request_supplement", "request_supplement-on": "{today}"}
    supplement |= {"request_supplement-note": "请说明年度"}
    remedy = {"kind": "review", "filed_on": "{today}"}
    return [
        r(
            "staff/cases/",
            "GET",
            "own",
            LIST_OWN,
            "/staff/cases/",
            data={"view": "all"},
            marker="{case_subject}",
        ),
        r(
            "staff/cases/",
            "GET",
            "other",
            LIST_OTHER,
            "/staff/cases/",
            data={"view": "all"},
            marker="{case_subject}",
        ),
        r("staff/cases/new/", "GET", "", "login login 403 ok ok ok ok 403 ok", "/staff/cases/new/"),
        r(
            "staff/cases/new/",
            "POST",
            "own",
            "login login 403 ok ok ok ok 403 ok",
            "/staff/cases/new/",
            data=INTAKE,
            note="a valid intake into the own body",
        ),
        r(
            "staff/cases/export.xlsx",
            "GET",
            "own",
            LIST_OWN,
            "/staff/cases/export.xlsx",
            {"view": "all"},
            "{case_subject}",
        ),
        r(
            "staff/cases/export.xlsx",
            "GET",
            "other",
            LIST_OTHER,
            "/staff/cases/export.xlsx",
            {"view": "all"},
            "{case_subject}",
        ),
        r(
            "staff/cases/numbering/",
            "GET",
            "",
            "login login 403 ok ok ok ok 403 403",
            "/staff/cases/numbering/",
        ),
        r(
            "staff/cases/numbering/",
            "POST",
            "",
            "login login 403 ok ok ok ok 403 403",
            "/staff/cases/numbering/",
            {"year": "2026", "template": "{{机关代字}}依申〔{{year}}〕{{seq}}号"},
        ),
        r(
            "staff/cases/<int:pk>/documents/<int:document_pk>",
            "GET",
            "own",
            STAFF_WRITE_OWN,
            "/staff/cases/{answered_case}/documents/{document}",
        ),
        r(
            "staff/cases/<int:pk>/documents/<int:document_pk>",
            "GET",
            "other",
            STAFF_READ_OTHER,
            "/staff/cases/{answered_case}/documents/{document}",
        ),
        r("staff/cases/<int:pk>/", "GET", "own", STAFF_READ_OWN, CASE, marker="{case_subject}"),
        r("staff/cases/<int:pk>/", "GET", "other", STAFF_READ_OTHER, CASE),
        r(
            "staff/cases/<int:pk>/",
            "POST",
            "own",
            STAFF_WRITE_OWN,
            CASE,
            reveal,
            "11010519491231002X",
            note="reveal the ID number",
        ),
        r("staff/cases/<int:pk>/", "POST", "other", STAFF_READ_OTHER, CASE, reveal),
        r("staff/cases/<int:pk>/", "POST", "own", STAFF_WRITE_OWN, CASE, supplement),
        r("staff/cases/<int:pk>/", "POST", "other", STAFF_READ_OTHER, CASE, supplement),
        r("staff/cases/<int:pk>/", "POST", "own", "login login 403 403 403 403 403 ok ok", CASE, supervise),
        r("staff/cases/<int:pk>/", "POST", "other", STAFF_READ_OTHER, CASE, supervise),
        r("staff/cases/<int:pk>/remedies/<str:what>", "GET", "own", STAFF_405, CASE + "remedies/file"),
        r(
            "staff/cases/<int:pk>/remedies/<str:what>",
            "POST",
            "own",
            STAFF_WRITE_OWN,
            CASE + "remedies/file",
            remedy,
        ),
        r(
            "staff/cases/<int:pk>/remedies/<str:what>",
            "POST",
            "other",
            STAFF_READ_OTHER,
            CASE + "remedies/file",
            remedy,
        ),
        r(
            "staff/cases/<int:pk>/letters/<int:event_pk>.<str:fmt>",
            "GET",
            "own",
            STAFF_READ_OWN,
            CASE + "letters/{event}.pdf",
        ),
        r(
            "staff/cases/<int:pk>/letters/<int:event_pk>.<str:fmt>",
            "GET",
            "other",
            STAFF_READ_OTHER,
            CASE + "letters/{event}.pdf",
        ),
        r(
            "staff/cases/<int:pk>/letters/<int:event_pk>/<str:what>",
            "GET",
            "own",
            STAFF_405,
            CASE + "letters/{event}/delivered",
        ),
        r(
            "staff/cases/<int:pk>/letters/<int:event_pk>/<str:what>",
            "POST",
            "own",
            STAFF_WRITE_OWN,
            CASE + "letters/{event}/delivered",
            ON,
        ),
        r(
            "staff/cases/<int:pk>/letters/<int:event_pk>/<str:what>",
            "POST",
            "other",
            STAFF_READ_OTHER,
            CASE + "letters/{event}/delivered",
            ON,
        ),
    ]


def _rows_catalog() -> list[Row]:
    r = Row
    withdraw = {"action": "withdraw", "withdraw-reason": "测试撤回"}
    review = {"action": "review", "review-on": "{today}", "review-conclusion": "passed", "review-note": ""}
    att = "attachments/{draft_att}/"
    vocab = "/staff/catalog/vocabularies/"
    term = vocab + "genre/{genre}/"
    editors = "login login 403 403 403 ok ok 403 ok"  # the city's office head, system administrators
    return [
        r("staff/catalog/", "GET", "own", LIST_OWN, "/staff/catalog/", marker="{pub_title}"),
        r("staff/catalog/", "GET", "other", LIST_OTHER, "/staff/catalog/", marker="{pub_title}"),
        r("staff/catalog/new/", "GET", "", STAFF_WRITE_OWN, "/staff/catalog/new/"),
        r("staff/catalog/new/", "POST", "own", STAFF_WRITE_OWN, "/staff/catalog/new/", NEW_DRAFT),
        r("staff/catalog/<int:pk>/", "GET", "own", ITEM_READ_OWN, ITEM, marker="{pub_title}"),
        r("staff/catalog/<int:pk>/", "GET", "other", ITEM_HIDDEN, ITEM),
        r("staff/catalog/<int:pk>/", "POST", "own", ITEM_WRITE_OWN, ITEM, withdraw),
        r("staff/catalog/<int:pk>/", "POST", "other", ITEM_HIDDEN, ITEM, withdraw),
        r("staff/catalog/<int:pk>/", "POST", "draft", "login login 404 403 ok ok ok 403 ok", DRAFT, review),
        r("staff/catalog/<int:pk>/edit/", "GET", "own", ITEM_WRITE_OWN, DRAFT + "edit/"),
        r("staff/catalog/<int:pk>/edit/", "GET", "other", ITEM_HIDDEN, DRAFT + "edit/"),
        r("staff/catalog/<int:pk>/edit/", "POST", "own", ITEM_WRITE_OWN, DRAFT + "edit/", {"title": ""}),
        r("staff/catalog/<int:pk>/edit/", "POST", "other", ITEM_HIDDEN, DRAFT + "edit/", {"title": ""}),
        r("staff/catalog/<int:pk>/attachments/", "GET", "own", ITEM_READ_OWN, DRAFT + "attachments/"),
        r(
            "staff/catalog/<int:pk>/attachments/",
            "POST",
            "own",
            ITEM_WRITE_OWN,
            DRAFT + "attachments/",
            {"attachments": "@pdf"},
        ),
        r(
            "staff/catalog/<int:pk>/attachments/",
            "POST",
            "other",
            ITEM_HIDDEN,
            DRAFT + "attachments/",
            {"attachments": "@pdf"},
        ),
        r(
            "staff/catalog/<int:pk>/attachments/<int:attachment_pk>/",
            "GET",
            "own",
            ITEM_READ_OWN,
            ITEM + "attachments/{att}/",
        ),
        r(
            "staff/catalog/<int:pk>/attachments/<int:attachment_pk>/",
            "GET",
            "other",
            ITEM_HIDDEN,
            ITEM + "attachments/{att}/",
        ),
        r(
            "staff/catalog/<int:pk>/attachments/<int:attachment_pk>/remove",
            "GET",
            "own",
            ITEM_READ_OWN,
            DRAFT + att + "remove",
        ),
        r(
            "staff/catalog/<int:pk>/attachments/<int:attachment_pk>/remove",
            "POST",
            "own",
            ITEM_WRITE_OWN,
            DRAFT + att + "remove",
        ),
        r(
            "staff/catalog/<int:pk>/attachments/<int:attachment_pk>/remove",
            "POST",
            "other",
            ITEM_HIDDEN,
            DRAFT + att + "remove",
        ),
        r("staff/catalog/vocabularies/", "GET", "", STAFF_READ_OWN, vocab),
        r(
            "staff/catalog/vocabularies/",
            "POST",
            "",
            editors,
            vocab,
            {"kind": "genre", "genre-code": "99", "genre-name": "测试体裁"},
        ),
        r("staff/catalog/vocabularies/<str:kind>/<int:pk>/", "GET", "", editors, term),
        r(
            "staff/catalog/vocabularies/<str:kind>/<int:pk>/",
            "POST",
            "",
            editors,
            term,
            {"op": "rename", "name": "测试改名"},
        ),
    ]


def _rows_reports() -> list[Row]:
    r = Row
    withdraw = {"action": "withdraw", "scope": "own"}
    section = REPORT + "sections/1/"
    return [
        r("staff/guide/<str:org_code>/", "GET", "own", HEAD_WRITE_OWN, "/staff/guide/{org}/"),
        r("staff/guide/<str:org_code>/", "GET", "other", STAFF_READ_OTHER, "/staff/guide/{org}/"),
        r(
            "staff/guide/<str:org_code>/",
            "POST",
            "own",
            HEAD_WRITE_OWN,
            "/staff/guide/{org}/",
            {"revised_on": ""},
        ),
        r(
            "staff/guide/<str:org_code>/",
            "POST",
            "other",
            STAFF_READ_OTHER,
            "/staff/guide/{org}/",
            {"revised_on": ""},
        ),
        r("staff/", "GET", "", STAFF_READ_OWN, "/staff/"),
        r(
            "staff/reports/<str:org_code>/<int:year>/publish/confirm",
            "GET",
            "own",
            HEAD_WRITE_OWN,
            REPORT + "publish/confirm",
        ),
        r(
            "staff/reports/<str:org_code>/<int:year>/publish/confirm",
            "GET",
            "other",
            STAFF_READ_OTHER,
            REPORT + "publish/confirm",
        ),
        r("staff/reports/<str:org_code>/<int:year>/", "GET", "own", STAFF_READ_OWN, REPORT),
        r("staff/reports/<str:org_code>/<int:year>/", "GET", "other", STAFF_READ_OTHER, REPORT),
        r("staff/reports/<str:org_code>/<int:year>/publish", "GET", "own", STAFF_405, REPORT + "publish"),
        r(
            "staff/reports/<str:org_code>/<int:year>/publish",
            "POST",
            "own",
            HEAD_WRITE_OWN,
            REPORT + "publish",
            withdraw,
        ),
        r(
            "staff/reports/<str:org_code>/<int:year>/publish",
            "POST",
            "other",
            STAFF_READ_OTHER,
            REPORT + "publish",
            withdraw,
        ),
        r(
            "staff/reports/<str:org_code>/<int:year>/sections/<int:section>/",
            "GET",
            "own",
            STAFF_WRITE_OWN,
            section,
        ),
        r(
            "staff/reports/<str:org_code>/<int:year>/sections/<int:section>/",
            "GET",
            "other",
            STAFF_READ_OTHER,
            section,
        ),
        r(
            "staff/reports/<str:org_code>/<int:year>/sections/<int:section>/",
            "POST",
            "own",
            STAFF_WRITE_OWN,
            section,
            {"text": "本年度工作概述。"},
        ),
        r(
            "staff/reports/<str:org_code>/<int:year>/sections/<int:section>/",
            "POST",
            "other",
            STAFF_READ_OTHER,
            section,
            {"text": "本年度工作概述。"},
        ),
        r(
            "staff/reports/<str:org_code>/<int:year>/figures/",
            "GET",
            "own",
            STAFF_READ_OWN,
            REPORT + "figures/",
        ),
        r(
            "staff/reports/<str:org_code>/<int:year>/figures/",
            "GET",
            "other",
            STAFF_READ_OTHER,
            REPORT + "figures/",
        ),
        r(
            "staff/reports/<str:org_code>/<int:year>/figures/",
            "POST",
            "own",
            HEAD_WRITE_OWN,
            REPORT + "figures/",
        ),
        r(
            "staff/reports/<str:org_code>/<int:year>/figures/",
            "POST",
            "other",
            STAFF_READ_OTHER,
            REPORT + "figures/",
        ),
        r(
            "staff/reports/<str:org_code>/<int:year>/cells/<str:key>/",
            "GET",
            "own",
            STAFF_READ_OWN,
            REPORT + "cells/{stat}/",
        ),
        r(
            "staff/reports/<str:org_code>/<int:year>/cells/<str:key>/",
            "GET",
            "other",
            STAFF_READ_OTHER,
            REPORT + "cells/{stat}/",
        ),
    ]


def _rows_submissions() -> list[Row]:
    r = Row
    upload = SUBMISSIONS + "upload"
    withdraw = "/staff/submissions/withdraw/{sub}"
    return [
        r("staff/submissions/<str:org_code>/<int:year>/", "GET", "own", STAFF_READ_OWN, SUBMISSIONS),
        r("staff/submissions/<str:org_code>/<int:year>/", "GET", "other", STAFF_READ_OTHER, SUBMISSIONS),
        r(
            "staff/submissions/<str:org_code>/<int:year>/template.xlsx",
            "GET",
            "own",
            STAFF_READ_OWN,
            SUBMISSIONS + "template.xlsx",
        ),
        r(
            "staff/submissions/<str:org_code>/<int:year>/template.xlsx",
            "GET",
            "other",
            STAFF_READ_OTHER,
            SUBMISSIONS + "template.xlsx",
        ),
        r("staff/submissions/<str:org_code>/<int:year>/upload", "GET", "own", STAFF_405, upload),
        r(
            "staff/submissions/<str:org_code>/<int:year>/upload",
            "POST",
            "own",
            HEAD_OR_SUPERVISOR_OWN,
            upload,
            {"file": "@xlsx"},
        ),
        r(
            "staff/submissions/<str:org_code>/<int:year>/upload",
            "POST",
            "other",
            STAFF_READ_OTHER,
            upload,
            {"file": "@xlsx"},
        ),
        r("staff/submissions/file/<int:pk>", "GET", "own", STAFF_READ_OWN, "/staff/submissions/file/{sub}"),
        r(
            "staff/submissions/file/<int:pk>",
            "GET",
            "other",
            STAFF_READ_OTHER,
            "/staff/submissions/file/{sub}",
        ),
        r("staff/submissions/withdraw/<int:pk>", "GET", "own", STAFF_405, withdraw),
        r(
            "staff/submissions/withdraw/<int:pk>",
            "POST",
            "own",
            HEAD_OR_SUPERVISOR_OWN,
            withdraw,
            {"reason": "数据有误"},
        ),
        r(
            "staff/submissions/withdraw/<int:pk>",
            "POST",
            "other",
            STAFF_READ_OTHER,
            withdraw,
            {"reason": "数据有误"},
        ),
    ]


def _rows_api() -> list[Row]:
    r = Row
    supplement = {"data": {"on": "{today}", "note": "请说明年度"}}
    supervise = {"data": {"on": "{today}", "comment": "请按期办结", "until": "{today}"}}
    action = "api/v1/cases/<pk>/actions/<name>"
    everyone = "ok ok ok ok ok ok ok ok ok"
    return [
        r("api/v1/", "GET", "", ALL_404, "/api/v1/", note="no page at the API's root"),
        r("api/v1/docs", "GET", "", everyone, "/api/v1/docs"),
        r("api/v1/openapi.json", "GET", "", everyone, "/api/v1/openapi.json"),
        r(
            "api/v1/cases",
            "GET",
            "own",
            "401 401 403 ok ok ok ok ok ok",
            "/api/v1/cases",
            {"view": "all"},
            "{case_subject}",
        ),
        r(
            "api/v1/cases",
            "GET",
            "other",
            "401 401 403 no no no no no ok",
            "/api/v1/cases",
            {"view": "all"},
            "{case_subject}",
        ),
        r("api/v1/cases/<pk>", "GET", "own", API_READ_OWN, API_CASE, marker="{case_subject}"),
        r("api/v1/cases/<pk>", "GET", "other", API_READ_OTHER, API_CASE),
        r(action, "GET", "own", ALL_405, API_CASE + "/actions/request_supplement"),
        r(
            action,
            "POST",
            "own",
            "401 401 403 ok ok ok ok 403 ok",
            API_CASE + "/actions/request_supplement",
            supplement,
            json=True,
        ),
        r(
            action,
            "POST",
            "other",
            API_READ_OTHER,
            API_CASE + "/actions/request_supplement",
            supplement,
            json=True,
        ),
        r(
            action,
            "POST",
            "own",
            "401 401 403 403 403 403 403 ok ok",
            API_CASE + "/actions/supervise",
            supervise,
            json=True,
        ),
        r(action, "POST", "other", API_READ_OTHER, API_CASE + "/actions/supervise", supervise, json=True),
        r("api/v1/public/status", "GET", "", ALL_405, "/api/v1/public/status"),
        r(
            "api/v1/public/status",
            "POST",
            "own",
            "404 ok 404 404 404 404 404 404 404",
            "/api/v1/public/status",
            {"code": "{tracking_code}", "secret": "{secret}"},
            "{case_body}",
            json=True,
        ),
        r("api/v1/deadline", "GET", "", everyone, "/api/v1/deadline", {"received": "{today}"}),
        *_rows_api_systems(),
    ]


def _rows_api_systems() -> list[Row]:
    """The API for other systems (docs/api.md) as the browser session sees it: staff read their bodies' records
    and write as on the staff pages (tokens: tests/api/test_tokens.py)."""
    r = Row
    hidden = "401 401 403 404 404 404 404 404 ok"
    listed_other = "401 401 403 no no no no no ok"
    write_own = "401 401 403 ok ok ok ok 403 ok"  # the body's own staff; the supervisor only reads
    write_other = "401 401 403 403 403 403 403 403 ok"
    document = {"body": "{org}", "title": "矩阵推送的通知", "made_on": "{today}"}
    ticket = {
        "body": "{org}",
        "received": "{today}",
        "channel": "letter",
        "subject": "矩阵登记的申请",
        "applicant": {
            "kind": "natural",
            "name": "赵六",
            "id_document": "resident_id",
            "id_number": "11010519491231002X",
        },
    }
    upload = {
        "body": "{org}",
        "year": "{year}",
        "format": "2021",
        "file": "@xlsx",
    }  # 填报: head, admin, supervisor
    items, item = "/api/v1/catalog/items", "/api/v1/catalog/items/{draft}"
    return [
        r("api/v1/catalog/items", "GET", "own", API_READ_OWN, items, marker="{draft_title}"),
        r("api/v1/catalog/items", "GET", "other", listed_other, items, marker="{draft_title}"),
        r("api/v1/catalog/items", "POST", "own", write_own, items, document, json=True),
        r("api/v1/catalog/items", "POST", "other", write_other, items, document, json=True),
        r("api/v1/catalog/items/<pk>", "GET", "own", API_READ_OWN, item, marker="{draft_title}"),
        r("api/v1/catalog/items/<pk>", "GET", "other", hidden, item),
        r("api/v1/cases", "POST", "own", write_own, "/api/v1/cases", ticket, json=True),
        r("api/v1/cases", "POST", "other", write_other, "/api/v1/cases", ticket, json=True),
        r("api/v1/search", "GET", "own", API_READ_OWN, "/api/v1/search", {"q": "{pub_title}"}, "{pub_title}"),
        r("api/v1/reports", "GET", "own", API_READ_OWN, "/api/v1/reports", {"body": "{org}"}, "{org}"),
        r("api/v1/reports/<pk>", "GET", "own", API_READ_OWN, "/api/v1/reports/{report}", marker="{org}"),
        r("api/v1/submissions", "GET", "own", API_READ_OWN, "/api/v1/submissions", marker="{org}"),
        r(
            "api/v1/submissions",
            "POST",
            "own",
            "401 401 403 403 403 ok ok ok ok",
            "/api/v1/submissions",
            upload,
        ),
        r("api/v1/submissions", "POST", "other", write_other, "/api/v1/submissions", upload),
        r("api/v1/submissions", "GET", "other", listed_other, "/api/v1/submissions", marker="{org}"),
        r("api/v1/submissions/<pk>", "GET", "own", API_READ_OWN, "/api/v1/submissions/{sub}"),
        r("api/v1/submissions/<pk>", "GET", "other", hidden, "/api/v1/submissions/{sub}"),
        r("api/v1/submissions/<pk>/withdraw", "GET", "own", ALL_405, "/api/v1/submissions/{sub}/withdraw"),
        r(
            "api/v1/submissions/<pk>/withdraw",
            "POST",
            "own",
            "401 401 403 403 403 ok ok ok ok",
            "/api/v1/submissions/{sub}/withdraw",
            {"reason": "数据有误"},
            json=True,
        ),
        r(
            "api/v1/submissions/<pk>/withdraw",
            "POST",
            "other",
            hidden,
            "/api/v1/submissions/{sub}/withdraw",
            {"reason": "数据有误"},
            json=True,
        ),
    ]


def _rows_hotline() -> list[Row]:
    """12345 (docs/hotline.md): the body's tickets for its staff (a supervisor: the supervised subtree), imports by
    the body's own staff; the API as a session sees it (tokens: tests/hotline/test_api.py). A ticket of a body
    the caller may not write for is hidden from a status update (404)."""
    r = Row
    tickets, ticket = "/staff/hotline/", "/staff/hotline/{ticket}/"
    year = {"year": "{ticket_year}"}
    upload = {"body": "{org}"}  # no file: the permission is checked first, then the file (a redirect back)
    api = "/api/v1/hotline/tickets"
    push = {
        "body": "{org}",
        "number": "M-{org}",
        "received_at": "2025-03-04T09:00:00+08:00",
        "topic": "矩阵推送",
    }
    status = {"status": "assigned"}
    hidden = "401 401 403 404 404 404 404 404 ok"
    return [
        r("staff/hotline/", "GET", "own", LIST_OWN, tickets, year, "{ticket_number}"),
        r("staff/hotline/", "GET", "other", LIST_OTHER, tickets, year, "{ticket_number}"),
        r("staff/hotline/<int:pk>/", "GET", "own", STAFF_READ_OWN, ticket),
        r("staff/hotline/<int:pk>/", "GET", "other", STAFF_READ_OTHER, ticket),
        r("staff/hotline/import/", "GET", "", STAFF_405, "/staff/hotline/import/"),
        r("staff/hotline/import/", "POST", "own", STAFF_WRITE_OWN, "/staff/hotline/import/", upload),
        r("staff/hotline/import/", "POST", "other", STAFF_READ_OTHER, "/staff/hotline/import/", upload),
        r("api/v1/hotline/tickets", "GET", "own", API_READ_OWN, api, marker="{ticket_number}"),
        r(
            "api/v1/hotline/tickets",
            "GET",
            "other",
            "401 401 403 no no no no no ok",
            api,
            marker="{ticket_number}",
        ),
        r("api/v1/hotline/tickets", "POST", "own", "401 401 403 ok ok ok ok 403 ok", api, push, json=True),
        r("api/v1/hotline/tickets", "POST", "other", API_READ_OTHER, api, push, json=True),
        r("api/v1/hotline/tickets/<number>", "GET", "own", ALL_405, api + "/{ticket_number}"),
        r(
            "api/v1/hotline/tickets/<number>/status",
            "POST",
            "own",
            "401 401 403 ok ok ok ok 404 ok",
            api + "/{ticket_number}/status",
            status,
            json=True,
        ),
        r(
            "api/v1/hotline/tickets/<number>/status",
            "POST",
            "other",
            hidden,
            api + "/{ticket_number}/status",
            status,
            json=True,
        ),
    ]


def _rows_engagement() -> list[Row]:
    """回应关切、政务新媒体、政策解读 (docs/engagement.md): the bodies' records for their staff (a supervisor: the
    supervised subtree), written by the body's own staff only; public interpretation pages for everyone."""
    r = Row
    events, event = "/staff/engagement/", "/staff/engagement/events/{concern}/"
    posts, interps = "/staff/engagement/posts/", "/staff/engagement/interpretations/"
    interp = "/staff/engagement/interpretations/{interp}/"
    new_event = {"body": "{body_pk}", "title": "矩阵新事件", "source": "media", "noticed_on": "2025-03-03"}
    response = {"step": "response", "kind": "other", "held_on": "2025-03-05"}
    post = {
        "body": "{body_pk}",
        "channel": "weibo",
        "posted_at": "2025-03-05 10:00",
        "title": "矩阵微博",
        "url": "https://weibo.example.invalid/m",
    }
    draft = {
        "body": "{body_pk}",
        "policy": "{policy_number}",
        "title": "矩阵新解读",
        "made_on": "{policy_day}",
        "form": "text",
    }
    describe = {"form": "graphic"}
    interp_mark, interp_public = "{interp_title}", "/interpretations/{interp}/"
    return [
        r("staff/engagement/", "GET", "own", LIST_OWN, events, marker="{concern_title}"),
        r("staff/engagement/", "GET", "other", LIST_OTHER, events, marker="{concern_title}"),
        r("staff/engagement/", "POST", "own", STAFF_WRITE_OWN, events, new_event),
        r("staff/engagement/", "POST", "other", STAFF_READ_OTHER, events, new_event),
        r("staff/engagement/events/<int:pk>/", "GET", "own", STAFF_READ_OWN, event),
        r("staff/engagement/events/<int:pk>/", "GET", "other", STAFF_READ_OTHER, event),
        r("staff/engagement/events/<int:pk>/", "POST", "own", STAFF_WRITE_OWN, event, response),
        r("staff/engagement/events/<int:pk>/", "POST", "other", STAFF_READ_OTHER, event, response),
        r("staff/engagement/posts/", "GET", "own", LIST_OWN, posts, marker="{post_title}"),
        r("staff/engagement/posts/", "GET", "other", LIST_OTHER, posts, marker="{post_title}"),
        r("staff/engagement/posts/", "POST", "own", STAFF_WRITE_OWN, posts, post),
        r("staff/engagement/posts/", "POST", "other", STAFF_READ_OTHER, posts, post),
        r("staff/engagement/interpretations/", "GET", "own", LIST_OWN, interps, marker="{interp_title}"),
        r("staff/engagement/interpretations/", "GET", "other", LIST_OTHER, interps, marker="{interp_title}"),
        r("staff/engagement/interpretations/", "POST", "own", STAFF_WRITE_OWN, interps, draft),
        r("staff/engagement/interpretations/", "POST", "other", STAFF_READ_OTHER, interps, draft),
        r("staff/engagement/interpretations/<int:pk>/", "GET", "own", STAFF_READ_OWN, interp),
        r("staff/engagement/interpretations/<int:pk>/", "GET", "other", STAFF_READ_OTHER, interp),
        r("staff/engagement/interpretations/<int:pk>/", "POST", "own", STAFF_WRITE_OWN, interp, describe),
        r("staff/engagement/interpretations/<int:pk>/", "POST", "other", STAFF_READ_OTHER, interp, describe),
        r("interpretations/", "GET", "", ALL_OK, "/interpretations/", marker="{interp_title}"),
        r("interpretations/<int:pk>/", "GET", "own", ALL_OK, interp_public, marker=interp_mark),
    ]


def _rows_consultations() -> list[Row]:
    """意见征集 and 在线访谈 (docs/consultations.md, docs/interviews.md): public pages and forms for everyone (a draft
    consultation is hidden); staff pages for the body's staff (a supervisor of the subtree reads); a new
    consultation or interview is for staff with a body of their own (a superuser has none); the feedback report
    is published by the body's office head or admin."""
    r = Row
    page, closed = "/staff/consultations/{consultation}/", "/staff/consultations/{consultation_closed}/"
    talk = "/staff/interviews/{interview}/"
    comment = {"text": "矩阵提的意见"}
    new = "login login 403 ok ok ok ok 403 403"
    consultation = {"title": "矩阵征集", "opens_on": "{today}", "closes_on": "{today}"}
    interview = {"kind": "press", "topic": "矩阵发布会", "starts_at": "2030-01-01T10:00"}
    return [
        r("consultations/", "GET", "", ALL_OK, "/consultations/", marker="{consultation_title}"),
        r(
            "consultations/<int:pk>/",
            "GET",
            "own",
            ALL_OK,
            "/consultations/{consultation}/",
            marker="{consultation_title}",
        ),
        r("consultations/<int:pk>/", "GET", "draft", ALL_404, "/consultations/{consultation_draft}/"),
        r("consultations/<int:pk>/comment/", "GET", "", ALL_OK, "/consultations/{consultation}/comment/"),
        r(
            "consultations/<int:pk>/comment/",
            "POST",
            "",
            ALL_OK,
            "/consultations/{consultation}/comment/",
            comment,
        ),
        r(
            "staff/consultations/",
            "GET",
            "own",
            LIST_OWN,
            "/staff/consultations/",
            marker="{consultation_title}",
        ),
        r(
            "staff/consultations/",
            "GET",
            "other",
            LIST_OTHER,
            "/staff/consultations/",
            marker="{consultation_title}",
        ),
        r("staff/consultations/new/", "GET", "", new, "/staff/consultations/new/"),
        r("staff/consultations/new/", "POST", "", new, "/staff/consultations/new/", consultation),
        r("staff/consultations/<int:pk>/", "GET", "own", STAFF_READ_OWN, page, marker="{consultation_title}"),
        r("staff/consultations/<int:pk>/", "GET", "other", STAFF_READ_OTHER, page),
        r("staff/consultations/<int:pk>/", "POST", "own", STAFF_WRITE_OWN, page, {"action": "close"}),
        r("staff/consultations/<int:pk>/", "POST", "other", STAFF_READ_OTHER, page, {"action": "close"}),
        r("staff/consultations/<int:pk>/", "POST", "own", HEAD_WRITE_OWN, closed, {"action": "publish"}),
        r("interviews/", "GET", "", ALL_OK, "/interviews/", marker="{interview_topic}"),
        r(
            "interviews/<int:pk>/",
            "GET",
            "own",
            ALL_OK,
            "/interviews/{interview}/",
            marker="{interview_topic}",
        ),
        r("interviews/<int:pk>/ask/", "GET", "", ALL_OK, "/interviews/{interview}/ask/"),
        r(
            "interviews/<int:pk>/ask/",
            "POST",
            "",
            ALL_OK,
            "/interviews/{interview}/ask/",
            {"text": "矩阵提问"},
        ),
        r("staff/interviews/", "GET", "own", LIST_OWN, "/staff/interviews/", marker="{interview_topic}"),
        r("staff/interviews/", "GET", "other", LIST_OTHER, "/staff/interviews/", marker="{interview_topic}"),
        r("staff/interviews/new/", "GET", "", new, "/staff/interviews/new/"),
        r("staff/interviews/new/", "POST", "", new, "/staff/interviews/new/", interview),
        r("staff/interviews/<int:pk>/", "GET", "own", STAFF_READ_OWN, talk, marker="{interview_topic}"),
        r("staff/interviews/<int:pk>/", "GET", "other", STAFF_READ_OTHER, talk),
        r("staff/interviews/<int:pk>/", "POST", "own", STAFF_WRITE_OWN, talk, {"action": "live"}),
        r("staff/interviews/<int:pk>/", "POST", "other", STAFF_READ_OTHER, talk, {"action": "live"}),
    ]


def _rows_admin() -> list[Row]:
    """The Django admin: every page needs an active account with the staff flag (none of the body roles has
    it); model pages are one group (``ADMIN_MODEL_PAGE``), sampled on the case and audit models."""
    r = Row
    return [
        r("admin/", "GET", "", ADMIN_ONLY, "/admin/"),
        r("admin/login/", "GET", "", ALL_OK, "/admin/login/"),
        r("admin/logout/", "POST", "", ALL_OK, "/admin/logout/"),
        r("admin/password_change/", "GET", "", ADMIN_ONLY, "/admin/password_change/"),
        r("admin/password_change/done/", "GET", "", ADMIN_ONLY, "/admin/password_change/done/"),
        r("admin/auth/user/<id>/password/", "GET", "", ADMIN_ONLY, "/admin/auth/user/{root_pk}/password/"),
        r("admin/autocomplete/", "GET", "", ADMIN_ONLY.replace(" ok", " 403"), "/admin/autocomplete/"),
        r("admin/jsi18n/", "GET", "", ADMIN_ONLY, "/admin/jsi18n/"),
        r(
            "admin/r/<path:content_type_id>/<path:object_id>/",
            "GET",
            "own",
            ADMIN_ONLY.replace(" ok", " 404"),
            "/admin/r/{case_ct}/{case}/",
            note="the superuser's 404: a case has no public URL",
        ),
        r(ADMIN_APP_LIST, "GET", "", ADMIN_ONLY, "/admin/cases/"),
        r(ADMIN_CATCH_ALL, "GET", "", ADMIN_ONLY.replace(" ok", " 404"), "/admin/no-such-page/"),
        r(ADMIN_MODEL_PAGE, "GET", "own", ADMIN_ONLY, "/admin/cases/informationrequest/"),
        r(ADMIN_MODEL_PAGE, "GET", "own", ADMIN_ONLY, "/admin/cases/informationrequest/{case}/change/"),
        r(ADMIN_MODEL_PAGE, "GET", "own", ADMIN_ONLY, "/admin/cases/applicant/"),
        r(ADMIN_MODEL_PAGE, "GET", "own", ADMIN_ONLY, "/admin/audit/auditentry/"),
        r(ADMIN_MODEL_PAGE, "GET", "own", ADMIN_ONLY, "/admin/accounts/staffprofile/add/"),
    ]


def _rows_mailbox() -> list[Row]:
    """信箱 (docs/mailbox.md): public pages for everyone, tracking with the secret, staff pages for the body's
    staff (a supervisor of the subtree reads and presses, 督办), the API's public and staff operations."""
    r = Row
    letter = {
        "body": "{body_pk}",
        "addressed_to": "body",
        "kind": "consult",
        "subject": "矩阵写的信",
        "text": "内容",
        "phone": "13900005555",
    }
    api_letter = {
        "body": "{org}",
        "kind": "consult",
        "subject": "矩阵写的信",
        "text": "内容",
        "phone": "13900005555",
    }
    page = "/staff/mailbox/{letter}/"
    supervise_own = "login login 403 403 403 403 403 ok ok"
    head_own = "login login 403 403 403 ok ok 403 403"  # a superuser has no body of its own to set
    api_write_own = "401 401 403 ok ok ok ok 403 ok"
    api_write_other = "401 401 403 403 403 403 403 403 ok"
    staff_api = "/api/v1/mailbox/staff/letters"
    return [
        r("mailbox/", "GET", "", ALL_OK, "/mailbox/", marker="{published_subject}"),
        r(
            "mailbox/<int:pk>/",
            "GET",
            "own",
            ALL_OK,
            "/mailbox/{letter_published}/",
            marker="{published_subject}",
        ),
        r("mailbox/<int:pk>/", "GET", "draft", ALL_404, "/mailbox/{letter}/", note="a letter not published"),
        r("mailbox/write/", "GET", "", ALL_OK, "/mailbox/write/"),
        r("mailbox/write/", "POST", "", ALL_OK, "/mailbox/write/", letter, note="to the receipt"),
        r(
            "mailbox/write/body/",
            "POST",
            "",
            ALL_OK,
            "/mailbox/write/body/",
            data={"body_q": "教育", "subject": "积水"},
            note="the body search without JavaScript: the form comes back, nothing is stored",
        ),
        r("mailbox/write/body/", "GET", "", ALL_405, "/mailbox/write/body/"),
        r(
            "mailbox/receipt/",
            "GET",
            "",
            ALL_OK,
            "/mailbox/receipt/",
            note="without its cookie: to the lookup",
        ),
        r("mailbox/track/", "GET", "", ALL_OK, "/mailbox/track/"),
        r(
            "mailbox/track/",
            "POST",
            "own",
            "no ok no no no no no no no",
            "/mailbox/track/",
            {"code": "{letter_code}", "secret": "{secret}"},
            "{letter_subject}",
            note="only the writer knows the secret",
        ),
        r(
            "mailbox/track/",
            "POST",
            "own",
            "no ok no no no no no no no",
            "/mailbox/track/",
            {
                "code": "{letter_replied_code}",
                "secret": "{secret}",
                "action": "rate",
                "satisfaction": "satisfied",
            },
            "{letter_replied_subject}",
        ),
        r("staff/mailbox/", "GET", "own", LIST_OWN, "/staff/mailbox/", marker="{letter_subject}"),
        r("staff/mailbox/", "GET", "other", LIST_OTHER, "/staff/mailbox/", marker="{letter_subject}"),
        r("staff/mailbox/", "POST", "own", head_own, "/staff/mailbox/", {"accepts_anonymous": "on"}),
        r("staff/mailbox/<int:pk>/", "GET", "own", STAFF_READ_OWN, page, marker="{letter_subject}"),
        r("staff/mailbox/<int:pk>/", "GET", "other", STAFF_READ_OTHER, page),
        r("staff/mailbox/<int:pk>/", "POST", "own", STAFF_WRITE_OWN, page, {"action": "accept"}),
        r("staff/mailbox/<int:pk>/", "POST", "other", STAFF_READ_OTHER, page, {"action": "accept"}),
        r(
            "staff/mailbox/<int:pk>/",
            "POST",
            "own",
            STAFF_WRITE_OWN,
            page,
            {"action": "transfer", "to_body": "{transfer_pk}", "reason": "职责"},
        ),
        r(
            "staff/mailbox/<int:pk>/",
            "POST",
            "own",
            supervise_own,
            page,
            {"action": "supervise", "note": "请加快"},
        ),
        r(
            "staff/mailbox/<int:pk>/",
            "POST",
            "other",
            STAFF_READ_OTHER,
            page,
            {"action": "supervise", "note": "x"},
        ),
        r(
            "staff/mailbox/<int:pk>/",
            "POST",
            "own",
            STAFF_WRITE_OWN,
            "/staff/mailbox/{letter_accepted}/",
            {"action": "reply", "text": "答复", "channel": "site"},
        ),
        r(
            "staff/mailbox/<int:pk>/",
            "POST",
            "own",
            STAFF_WRITE_OWN,
            "/staff/mailbox/{letter_replied}/",
            {"action": "publish"},
        ),
        r("staff/mailbox/<int:pk>/", "POST", "own", STAFF_WRITE_OWN, page, {"action": "convert"}),
        r("api/v1/mailbox/letters", "GET", "", ALL_405, "/api/v1/mailbox/letters"),
        r("api/v1/mailbox/letters", "POST", "own", ALL_OK, "/api/v1/mailbox/letters", api_letter, json=True),
        r(
            "api/v1/mailbox/track",
            "POST",
            "own",
            "404 ok 404 404 404 404 404 404 404",
            "/api/v1/mailbox/track",
            {"code": "{letter_code}", "secret": "{secret}"},
            json=True,
        ),
        r(
            "api/v1/mailbox/rate",
            "POST",
            "own",
            "404 ok 404 404 404 404 404 404 404",
            "/api/v1/mailbox/rate",
            {"code": "{letter_replied_code}", "secret": "{secret}", "satisfaction": "mostly"},
            json=True,
        ),
        r("api/v1/mailbox/staff/letters", "GET", "own", API_READ_OWN, staff_api, marker="{letter_subject}"),
        r(
            "api/v1/mailbox/staff/letters",
            "GET",
            "other",
            "401 401 403 no no no no no ok",
            staff_api,
            marker="{letter_subject}",
        ),
        r("api/v1/mailbox/staff/letters/<pk>", "GET", "own", API_READ_OWN, staff_api + "/{letter}"),
        r("api/v1/mailbox/staff/letters/<pk>", "GET", "other", API_READ_OTHER, staff_api + "/{letter}"),
        r(
            "api/v1/mailbox/staff/letters/<pk>/accept",
            "POST",
            "own",
            api_write_own,
            staff_api + "/{letter}/accept",
        ),
        r(
            "api/v1/mailbox/staff/letters/<pk>/accept",
            "POST",
            "other",
            api_write_other,
            staff_api + "/{letter}/accept",
        ),
        r(
            "api/v1/mailbox/staff/letters/<pk>/transfer",
            "POST",
            "own",
            api_write_own,
            staff_api + "/{letter}/transfer",
            {"to_body": "{transfer_code}", "reason": "职责"},
            json=True,
        ),
        r(
            "api/v1/mailbox/staff/letters/<pk>/return",
            "POST",
            "own",
            api_write_own,
            staff_api + "/{letter}/return",
            {"reason": "不属于受理范围"},
            json=True,
        ),
        r(
            "api/v1/mailbox/staff/letters/<pk>/reply",
            "POST",
            "own",
            api_write_own,
            staff_api + "/{letter_accepted}/reply",
            {"text": "答复"},
            json=True,
        ),
        r(
            "api/v1/mailbox/staff/letters/<pk>/publish",
            "POST",
            "own",
            api_write_own,
            staff_api + "/{letter_replied}/publish",
            {},
            json=True,
        ),
        r(
            "api/v1/mailbox/staff/letters/<pk>/publish",
            "POST",
            "other",
            api_write_other,
            staff_api + "/{letter_replied}/publish",
            {},
            json=True,
        ),
    ]


# Route groups: a resolver route matching one of these regexes is covered by the group's rows.
ADMIN_APP_LIST = "admin/^(?P<app_label>…)/$"
ADMIN_CATCH_ALL = "admin/(?P<url>.*)$"
ADMIN_MODEL_PAGE = "admin/<app>/<model>/…"
GROUPS: dict[str, str] = {
    ADMIN_APP_LIST: r"^admin/\^?\(\?P<app_label>[a-z_|]+\)/\$$",  # the resolver's match drops the ^
    ADMIN_MODEL_PAGE: r"^admin/[a-z_]+/[a-z_]+/(|add/|<path:object_id>/(|history/|delete/|change/))$",
}


def _rows_checker_compare() -> list[Row]:
    """Year over year (docs/checker-compare.md): any staff member compares two uploaded reports; the DOCX of a
    comparison is kept under a random token bound to the user who made it (a forged or someone else's: 404)."""
    r = Row
    page = "/staff/checker/compare/"
    return [
        r("staff/checker/compare/", "GET", "", "login login 403 ok ok ok ok ok ok", page),
        r(
            "staff/checker/compare/<str:token>.docx",
            "GET",
            "forged",
            "login login 403 404 404 404 404 404 404",
            page + "forged-token.docx",
        ),
    ]


def _rows_checker_batch() -> list[Row]:
    """Batch checks (docs/checker-input.md): any staff member uploads reports; a batch is seen by the user who
    made it (and a superuser) only: another's batch and its XLSX answer 404."""
    r = Row
    page = "/staff/checker/batch/"
    other = "login login 403 404 404 404 404 404 ok"
    return [
        r("staff/checker/batch/", "GET", "", STAFF_READ_OWN, page),
        r("staff/checker/batch/", "POST", "", STAFF_READ_OWN, page, {"files": "@pdf", "urls": ""}),
        r("staff/checker/batch/<uuid:token>/", "GET", "other", other, page + "{checker_batch}/"),
        r(
            "staff/checker/batch/<uuid:token>/batch.xlsx",
            "GET",
            "other",
            other,
            page + "{checker_batch}/batch.xlsx",
        ),
    ]


# Known holes: (row id, role) -> why the cell fails today. Each is an xfail(strict=True) test, so that a fix
# turns it into a failure that says "remove me from HOLES".
HOLES: dict[tuple[str, str], str] = {}

ROWS: list[Row] = [
    *_rows_public(),
    *_rows_accounts(),
    *_rows_cases(),
    *_rows_catalog(),
    *_rows_reports(),
    *_rows_submissions(),
    *_rows_api(),
    *_rows_mailbox(),
    *_rows_hotline(),
    *_rows_consultations(),
    *_rows_engagement(),
    *_rows_admin(),
    *_rows_checker_compare(),
    *_rows_checker_batch(),
]
