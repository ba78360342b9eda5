"""Public pages: home and published annual reports (a report is visible only once staff publish it)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import OperationalError, transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gongkai import pagecache
from gongkai.acknowledgement import keys, limits
from gongkai.acknowledgement.keys import idempotent
from gongkai.cases import tracking, transitions
from gongkai.cases.applicants import create_applicant_from
from gongkai.cases.letters import compose
from gongkai.cases.models import CaseEventKind, InformationRequest, Letter
from gongkai.cases.tracking import (
    hash_secret,
    issue_tracking,
    lookup,
    public_timeline,
    secret_from_key,
)
from gongkai.catalog.public import public_versions
from gongkai.organisations.models import Organisation, OrgKind
from gongkai.pagecache import cached_page
from gongkai.portal import bodyindex, browse
from gongkai.portal.forms import ApplicationForm, TrackForm
from gongkai.reports.models import ReportPublication


def _published() -> list[ReportPublication]:
    return list(
        ReportPublication.objects.filter(published_at__isnull=False)
        .select_related("org")
        .order_by("-year", "org__path")
    )


@require_GET
@cached_page(pagecache.CATALOG, pagecache.REPORTS, pagecache.BODIES)
def home(request: HttpRequest) -> HttpResponse:
    roots = list(
        Organisation.objects.filter(parent__isnull=True, valid_to__isnull=True).order_by("sort_order", "name")
    )
    for root in roots:
        root.trend = browse.per_year(root, subtree=True)  # type: ignore[attr-defined]
    latest = public_versions(
        list(browse.public_items().select_related("body", "genre").order_by("-published_on", "-id")[:10])
    )
    context = {"publications": _published()[:10], "roots": roots, "latest": latest}
    return render(request, "portal/home.html", context)


@require_GET
@cached_page()
def interact(request: HttpRequest) -> HttpResponse:
    """互动交流: the column's landing page, pointing at the mailbox, consultations, interviews and
    interpretations (each lists its own items; this page reads nothing)."""
    return render(request, "portal/interact.html")


@require_GET
@cached_page(pagecache.REPORTS, pagecache.BODIES)
def reports(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/reports.html", {"publications": _published()})


@require_GET
@cached_page(pagecache.CATALOG, pagecache.BODIES)
def bodies(request: HttpRequest) -> HttpResponse:
    """The list of bodies, small at any size of the tree: a search box (the body index) and the tree
    collapsed to its first two levels, a body opened with ``?open=<org_code>``."""
    query = request.GET.get("q", "").strip()[: bodyindex.MAX_QUERY]
    context: dict[str, Any] = {"query": query}
    if query:
        found, more = bodyindex.current().find(query, limit=SEARCHED_BODIES)
        counts = browse.item_counts([m.pk for m in found])
        orgs = Organisation.objects.in_bulk([m.pk for m in found])
        context |= {
            "found": [
                browse.TreeRow(orgs[m.pk], counts.get(m.pk, 0), 0, False, m.path_text)
                for m in found
                if m.pk in orgs
            ],
            "more": more,
        }
    else:
        code = request.GET.get("open", "")
        opened = get_object_or_404(Organisation, org_code=code, valid_to__isnull=True) if code else None
        context |= {"rows": browse.body_tree(opened), "opened": opened}
    return render(request, "portal/bodies.html", context)


SEARCHED_BODIES = 50  # matches the bodies page lists at most
PUBLIC_EVENTS = (
    tracking.PUBLIC_EVENTS
)  # what the applicant sees of a case (the API's status lookup reads it here)
APPLICANT = "public"  # the audit actor of anonymous online applications
RECEIPT_COOKIE = "gk_receipt"
RECEIPT_SALT = "gongkai.portal.receipt"
RECEIPT_MAX_AGE = 30 * 60  # seconds: the receipt can be shown again (refresh) for half an hour


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


def _to_receipt(request: HttpRequest, key: str) -> HttpResponse:
    """POST/redirect/GET: the receipt is a GET, told which submission by a short-lived signed cookie that holds
    the form's key (HttpOnly, SameSite=Strict, sent only to the receipt page; never in the URL or the session)."""
    response = redirect("portal:receipt")
    response.set_signed_cookie(
        RECEIPT_COOKIE,
        key,
        salt=RECEIPT_SALT,
        max_age=RECEIPT_MAX_AGE,
        path=reverse("portal:receipt"),
        secure=request.is_secure() or settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Strict",
    )
    return response


def _replay_receipt(request: HttpRequest, sub: keys.Submission, done: object) -> HttpResponse:
    """The same form sent again (a refresh, a double click, a retry after a lost answer): its first receipt."""
    return _to_receipt(request, sub.key)


def _file_application(request: HttpRequest, data: dict[str, Any]) -> InformationRequest:
    """Store the applicant and the case, queue the notices (transactional outbox) and issue the tracking code
    and the secret derived from the form's key, all or nothing."""
    sub = keys.current(request)
    with transaction.atomic():
        applicant = create_applicant_from(APPLICANT, data)
        req = transitions.register(
            APPLICANT,
            data["body"],
            received=timezone.now(),
            channel="online",
            subject=data["subject"],
            applicant=applicant,
            provision_form=data["provision_form"],
            delivery_method=data["delivery_method"],
            # Addressed to a government: its office distributes it to the body responsible (分办).
            route=data["body"].kind in {OrgKind.GOVERNMENT, OrgKind.COUNTY},
        )
        issue_tracking(
            APPLICANT, req, secret=secret_from_key(sub.key), secret_hash=request.META[PREPARED_HASH]
        )
        keys.bind(request, req, limit_key=limits.phone_key(data["phone"]))
    return req


PREPARED_HASH = "gongkai.tracking_secret_hash"


def _hash_secret_first(request: HttpRequest, sub: keys.Submission) -> None:
    """The slow hash of the tracking secret, computed before the transaction opens (SQLite has one write lock:
    holding it for half a second of hashing made concurrent applicants wait into "database is locked")."""
    request.META[PREPARED_HASH] = hash_secret(secret_from_key(sub.key))


def _apply_page(
    request: HttpRequest, form: ApplicationForm, *, checked: bool, status: int = 200
) -> HttpResponse:
    """The form in its steps; ``checked``: show the errors of a submission (not on a first view or a search)."""
    picked = bodyindex.pick_for(form)
    context = {"form": form, "picked": picked, "checked": checked and bool(form.errors)}
    return _no_store(render(request, "portal/apply.html", context, status=status))


@idempotent(limits.APPLY_SCOPE, replay=_replay_receipt, prepare=_hash_secret_first)
def apply(request: HttpRequest) -> HttpResponse:
    """The online application (2019 art 29): received when submitted, by art 31 practice the next working
    day when it arrives outside working hours. One submission, one case: the form carries an idempotency key,
    and every POST of it leads to the same receipt (docs/cases.md, "Acknowledgement"). An invalid form answers
    400 with everything typed kept; over the per-phone limit, 429; nothing is stored in either case."""
    initial = {"body": request.GET["body"]} if request.GET.get("body", "").isdigit() else {}
    form = ApplicationForm(request.POST or None, initial=initial)
    if request.method != "POST":
        return _apply_page(request, form, checked=False)
    status = 400
    if form.is_valid() and not limits.application_allowed(form.cleaned_data["phone"]):
        form.add_error("phone", _("同一联系电话24小时内提交的申请已达上限，请明天再提交。"))
        status = 429
    elif form.is_valid():
        try:
            _file_application(request, form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except OperationalError:  # e.g. "database is locked": the whole submission was rolled back
            form.add_error(
                None, _("系统繁忙，申请没有提交成功，也没有保存任何内容。请稍后再次点击“提交申请”。")
            )
            status = 503
        else:
            return _to_receipt(request, keys.current(request).key)
    return _apply_page(request, form, checked=True, status=status)


@require_POST
def apply_find_body(request: HttpRequest) -> HttpResponse:
    """The body step without JavaScript: the search button posts the whole form here, and the form comes back
    with everything typed kept and the matches as choices. Nothing is checked or stored; the form still
    submits to ``apply`` with its idempotency key."""
    typed = {name: value for name, value in request.POST.items() if name in ApplicationForm.base_fields}
    return _apply_page(request, ApplicationForm(initial=typed), checked=False)


@require_GET
def body_pick(request: HttpRequest) -> HttpResponse:
    """Matches for the body step as you type (apply.js): at most 20 bodies with their superiors, from the
    in-memory index (``bodyindex``: no query in proportion to the tree). HTML for the form, or JSON with
    ``format=json``."""
    chosen = request.GET.get("chosen", "")
    picked = bodyindex.pick(request.GET.get("q", ""), int(chosen) if chosen.isdigit() else None)
    if request.GET.get("format") == "json":
        return JsonResponse({"results": [m.as_json() for m in picked.choices], "more": picked.more})
    return render(request, "portal/_body_choices.html", {"picked": picked})


@require_GET
def receipt(request: HttpRequest) -> HttpResponse:
    """The receipt of the submission named by the receipt cookie (set by ``apply``): tracking code and secret,
    shown again on refresh while the cookie lasts; without it, the status lookup."""
    key = request.get_signed_cookie(RECEIPT_COOKIE, default="", salt=RECEIPT_SALT, max_age=RECEIPT_MAX_AGE)
    done = keys.find(limits.APPLY_SCOPE, str(key or ""))
    req = None
    if done is not None and done.object_id.isdigit():
        req = (
            InformationRequest.objects.select_related("body", "applicant")
            .filter(pk=int(done.object_id))
            .first()
        )
    if req is None or req.tracking_code is None:
        return redirect("portal:track")
    secret = secret_from_key(str(key))
    # Staff may have issued a new secret since: then the derived one is not shown.
    current = lookup(req.tracking_code, secret) is not None
    context = {
        "code": req.tracking_code,
        "secret": secret if current else "",
        "case": req,
    } | _request_summary(req)
    return _no_store(render(request, "portal/receipt.html", context))


def _request_summary(req: InformationRequest) -> dict[str, Any]:
    """What the receipt and the tracking page repeat of the request: the body with its superiors, the
    applicant as stored (identifiers masked, ``gongkai.masking``), and the statutory period that applies
    (2019 art 33: 20 working days, extendable by 20; 2008 art 24: 15 and 15)."""
    found = bodyindex.current().match(req.body_id)
    days = 20 if req.regime == "2019" else 15
    return {
        "body_path": found.path_text if found else req.body.name,
        "applicant": req.applicant,
        "period_days": days,
        "received_later": req.receipt_date != req.received_on,
    }


def track(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.POST or None)
    case = None
    if request.method == "POST" and form.is_valid():
        case = lookup(form.cleaned_data["code"], form.cleaned_data["secret"])
        if case is None:
            form.add_error(None, _("查询编号或查询码不正确"))
    context: dict[str, Any] = {"form": form, "case": case}
    if case is not None:
        context |= {
            "steps": public_timeline(case),
            "letters": _sent_letters(case),
            "body_path": _request_summary(case)["body_path"],
        }
    return _no_store(render(request, "portal/track.html", context))


LETTER_SALT = "gongkai.track.letter"


def _sent_letters(case: InformationRequest) -> list[dict[str, object]]:
    """The letters sent to the applicant, each with a download link valid for an hour (signed, no login)."""
    sent = Letter.objects.filter(request=case).select_related("event").order_by("dispatched_on", "pk")
    return [
        {
            "title": compose(letter.event).title,
            "dispatched_on": letter.dispatched_on,
            "token": signing.dumps({"letter": letter.pk, "case": case.pk}, salt=LETTER_SALT),
        }
        for letter in sent
        if letter.event.kind != CaseEventKind.CONSULTATION_STARTED
    ]


def track_letter(request: HttpRequest, token: str) -> HttpResponse:
    try:
        data = signing.loads(token, salt=LETTER_SALT, max_age=3600)
    except signing.BadSignature as exc:
        raise Http404(_("链接无效或已过期，请重新查询")) from exc
    letter = get_object_or_404(Letter, pk=data["letter"], request_id=data["case"])
    response = HttpResponse(letter.pdf.read(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="letter-{letter.pk}.pdf"'
    return response


def print_form(request: HttpRequest) -> HttpResponse:
    """A blank application form (政府信息公开申请表) to print for in-person and postal applications."""
    return render(request, "portal/print_form.html", {"form": ApplicationForm()})
