"""Public pages: home and published annual reports (a report is visible only once staff publish it)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import OperationalError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gongkai import pagecache
from gongkai.acknowledgement import keys, limits
from gongkai.acknowledgement.keys import idempotent
from gongkai.cases import transitions
from gongkai.cases.applicants import create_applicant_from
from gongkai.cases.letters import compose
from gongkai.cases.models import CaseEventKind, InformationRequest, Letter
from gongkai.cases.tracking import hash_secret, issue_tracking, lookup, secret_from_key
from gongkai.catalog.public import public_versions
from gongkai.organisations.models import Organisation, OrgKind
from gongkai.pagecache import cached_page
from gongkai.portal import browse
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
@cached_page(pagecache.REPORTS, pagecache.BODIES)
def reports(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/reports.html", {"publications": _published()})


APPLICANT = "public"  # the audit actor of anonymous online applications
# What the applicant sees of the timeline (internal notes and consultations stay internal).
PUBLIC_EVENTS = {
    CaseEventKind.REGISTERED,
    CaseEventKind.SUPPLEMENT_REQUESTED,
    CaseEventKind.SUPPLEMENT_RECEIVED,
    CaseEventKind.EXTENDED,
    CaseEventKind.FEE_NOTIFIED,
    CaseEventKind.ANSWERED,
    CaseEventKind.ABANDONED,
    CaseEventKind.CLOSED,
    CaseEventKind.REOPENED,
}


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


@idempotent(limits.APPLY_SCOPE, replay=_replay_receipt, prepare=_hash_secret_first)
def apply(request: HttpRequest) -> HttpResponse:
    """The online application (2019 art 29): received when submitted, by art 31 practice the next working
    day when it arrives outside working hours. One submission, one case: the form carries an idempotency key,
    and every POST of it leads to the same receipt (docs/cases.md, "Acknowledgement"). An invalid form answers
    400 with everything typed kept; over the per-phone limit, 429; nothing is stored in either case."""
    initial = {"body": request.GET["body"]} if request.GET.get("body", "").isdigit() else {}
    form = ApplicationForm(request.POST or None, initial=initial)
    if request.method != "POST":
        return _no_store(render(request, "portal/apply.html", {"form": form}))
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
    return _no_store(render(request, "portal/apply.html", {"form": form}, status=status))


@require_GET
def receipt(request: HttpRequest) -> HttpResponse:
    """The receipt of the submission named by the receipt cookie (set by ``apply``): tracking code and secret,
    shown again on refresh while the cookie lasts; without it, the status lookup."""
    key = request.get_signed_cookie(RECEIPT_COOKIE, default="", salt=RECEIPT_SALT, max_age=RECEIPT_MAX_AGE)
    done = keys.find(limits.APPLY_SCOPE, str(key or ""))
    req = None
    if done is not None and done.object_id.isdigit():
        req = InformationRequest.objects.select_related("body").filter(pk=int(done.object_id)).first()
    if req is None or req.tracking_code is None:
        return redirect("portal:track")
    secret = secret_from_key(str(key))
    # Staff may have issued a new secret since: then the derived one is not shown.
    current = lookup(req.tracking_code, secret) is not None
    context = {"code": req.tracking_code, "secret": secret if current else "", "case": req}
    return _no_store(render(request, "portal/receipt.html", context))


def track(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.POST or None)
    case = None
    if request.method == "POST" and form.is_valid():
        case = lookup(form.cleaned_data["code"], form.cleaned_data["secret"])
        if case is None:
            form.add_error(None, _("查询编号或查询码不正确"))
    events = case.events.filter(kind__in=PUBLIC_EVENTS).order_by("at", "id") if case else []
    context = {"form": form, "case": case, "events": events, "letters": _sent_letters(case) if case else []}
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
