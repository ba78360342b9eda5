"""Public pages: home and published annual reports (a report is visible only once staff publish it)."""

from __future__ import annotations

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gongkai.cases import transitions
from gongkai.cases.applicants import create_applicant
from gongkai.cases.letters import compose
from gongkai.cases.models import CaseEventKind, InformationRequest, Letter
from gongkai.cases.tracking import issue_tracking, lookup
from gongkai.catalog.public import public_versions
from gongkai.organisations.models import Organisation, OrgKind
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


def apply(request: HttpRequest) -> HttpResponse:
    """The online application (2019 art 29): received when submitted, by art 31 practice the next working
    day when it arrives outside working hours."""
    initial = {"body": request.GET["body"]} if request.GET.get("body", "").isdigit() else {}
    form = ApplicationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                applicant = create_applicant(
                    APPLICANT,
                    kind=data["kind"],
                    name=data["name"],
                    id_document=data["id_document"],
                    id_number=data["id_number"],
                    credit_code=data["credit_code"],
                    contact_name=data["contact_name"],
                    phone=data["phone"],
                    email=data["email"],
                    address=data["address"],
                )
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
                code, secret = issue_tracking(APPLICANT, req)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            # Shown once, in this response: the secret is never stored, not even in the session.
            return render(request, "portal/receipt.html", {"code": code, "secret": secret, "case": req})
    return render(request, "portal/apply.html", {"form": form})


def receipt(request: HttpRequest) -> HttpResponse:
    """Old links to the receipt page lead to the status lookup (the receipt is shown once, after applying)."""
    return redirect("portal:track")


def track(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.POST or None)
    case = None
    if request.method == "POST" and form.is_valid():
        case = lookup(form.cleaned_data["code"], form.cleaned_data["secret"])
        if case is None:
            form.add_error(None, _("查询编号或查询码不正确"))
    events = case.events.filter(kind__in=PUBLIC_EVENTS).order_by("at", "id") if case else []
    return render(
        request,
        "portal/track.html",
        {"form": form, "case": case, "events": events, "letters": _sent_letters(case) if case else []},
    )


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
