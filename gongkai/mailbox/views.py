"""The public mailbox: published letters and replies (cached, invalidated on publication), the letter form
(throttled, idempotent: POST/redirect/GET to a receipt with the tracking code and secret) and the tracking page
(status, reply, the writer's rating)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gongkai import pagecache
from gongkai.acknowledgement import keys
from gongkai.acknowledgement.keys import idempotent
from gongkai.mailbox import actions
from gongkai.mailbox.forms import COUNTED, LetterForm, RateForm, TrackForm
from gongkai.mailbox.models import PUBLIC_EVENTS, Letter, LetterState
from gongkai.pagecache import cached_page
from gongkai.portal import bodyindex

PAGE_SIZE = 20
SCOPE = "mailbox.write"
RECEIPT_COOKIE = "gk_mailbox_receipt"
RECEIPT_SALT = "gongkai.mailbox.receipt"
RECEIPT_MAX_AGE = 30 * 60
PREPARED_HASH = "gongkai.mailbox.secret_hash"


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@cached_page(actions.PAGES, pagecache.BODIES)
def letter_list(request: HttpRequest) -> HttpResponse:
    """Published letters with their replies, newest reply first."""
    qs = Letter.objects.published().select_related("body").order_by("-replied_on", "-id")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "mailbox/list.html", {"page": page, "letters": page.object_list})


@require_GET
@cached_page(actions.PAGES, pagecache.BODIES)
def letter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    letter = get_object_or_404(Letter.objects.published().select_related("body"), pk=pk)
    return render(request, "mailbox/detail.html", {"letter": letter})


def _to_receipt(request: HttpRequest, key: str) -> HttpResponse:
    response = redirect("mailbox:receipt")
    response.set_signed_cookie(
        RECEIPT_COOKIE,
        key,
        salt=RECEIPT_SALT,
        max_age=RECEIPT_MAX_AGE,
        path=reverse("mailbox:receipt"),
        secure=request.is_secure() or settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Strict",
    )
    return response


def _replay_receipt(request: HttpRequest, sub: keys.Submission, done: object) -> HttpResponse:
    return _to_receipt(request, sub.key)


def _hash_first(request: HttpRequest, sub: keys.Submission) -> None:
    """The secret's slow hash before the transaction opens (SQLite's single write lock is not held for it)."""
    request.META[PREPARED_HASH] = actions.hash_secret(actions.secret_from_key(sub.key))


def _write_page(request: HttpRequest, form: LetterForm, *, checked: bool, status: int = 200) -> HttpResponse:
    picked = bodyindex.pick_for(form)
    context = {"form": form, "checked": checked and bool(form.errors), "counted": COUNTED, "picked": picked}
    return _no_store(render(request, "mailbox/write.html", context, status=status))


@require_POST
def write_find_body(request: HttpRequest) -> HttpResponse:
    """The body search without JavaScript: the search button posts the whole form here and it comes back with
    everything typed kept and the matches as choices. Nothing is checked or stored; the form still submits to
    ``write`` with its idempotency key."""
    typed = {name: value for name, value in request.POST.items() if name in LetterForm.base_fields}
    return _write_page(request, LetterForm(initial=typed), checked=False)


@idempotent(SCOPE, replay=_replay_receipt, prepare=_hash_first)
def write(request: HttpRequest) -> HttpResponse:
    """The letter form. An invalid letter answers 400 with everything typed kept and each error beside its
    field; a letter without contact details is refused unless the body accepts anonymous letters; the same
    form sent again leads to the same receipt. Nothing is stored unless the whole letter is."""
    initial = {"body": request.GET["body"]} if request.GET.get("body", "").isdigit() else {}
    form = LetterForm(request.POST or None, initial=initial)
    if request.method != "POST":
        return _write_page(request, form, checked=False)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        sub = keys.current(request)
        try:
            done = actions.submit(
                actions.PUBLIC,
                data["body"],
                kind=data["kind"],
                addressed_to=data["addressed_to"],
                subject=data["subject"],
                text=data["text"],
                writer_name=data["writer_name"],
                phone=data["phone"],
                email=data["email"],
                consent_to_publish=data["consent_to_publish"],
                secret=actions.secret_from_key(sub.key),
                secret_hash=request.META[PREPARED_HASH],
            )
            keys.bind(request, done.letter)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except OperationalError:
            form.add_error(None, _("系统繁忙，来信没有提交成功，也没有保存任何内容。请稍后再次提交。"))
            status = 503
        else:
            return _to_receipt(request, sub.key)
    return _write_page(request, form, checked=True, status=status)


@require_GET
def receipt(request: HttpRequest) -> HttpResponse:
    """The receipt of the letter named by the receipt cookie: its tracking code and secret."""
    key = str(
        request.get_signed_cookie(RECEIPT_COOKIE, default="", salt=RECEIPT_SALT, max_age=RECEIPT_MAX_AGE)
    )
    done = keys.find(SCOPE, key)
    letter = None
    if done is not None and done.object_id.isdigit():
        letter = Letter.objects.select_related("body").filter(pk=int(done.object_id)).first()
    if letter is None or letter.tracking_code is None:
        return redirect("mailbox:track")
    context = {"letter": letter, "code": letter.tracking_code, "secret": actions.secret_from_key(key)}
    return _no_store(render(request, "mailbox/receipt.html", context))


def _tracked(letter: Letter) -> dict[str, Any]:
    return {
        "letter": letter,
        "steps": letter.events.filter(kind__in=sorted(PUBLIC_EVENTS)).order_by("at", "id"),
        "may_rate": letter.state == LetterState.REPLIED,
    }


def track(request: HttpRequest) -> HttpResponse:
    """Code and secret → the letter's status, reply and, once answered, the rating form (the rating is posted
    with the same code and secret, so it is checked again)."""
    form = TrackForm(request.POST or None)
    rate_form = RateForm(request.POST if request.POST.get("action") == "rate" else None)
    letter = None
    status = 200
    if request.method == "POST" and form.is_valid():
        letter = actions.lookup(form.cleaned_data["code"], form.cleaned_data["secret"])
        if letter is None:
            form.add_error(None, _("查询编号或查询码不正确"))  # 200 either way: the answer says nothing more
        elif request.POST.get("action") == "rate":
            if rate_form.is_valid():
                try:
                    letter = actions.rate(
                        actions.PUBLIC,
                        letter,
                        satisfaction=rate_form.cleaned_data["satisfaction"],
                        comment=rate_form.cleaned_data["comment"],
                    )
                    rate_form = RateForm()
                except (actions.IllegalStep, ValidationError) as exc:
                    rate_form.add_error(
                        None, str(exc.messages[0] if isinstance(exc, ValidationError) else exc)
                    )
                    status = 400
            else:
                status = 400
    elif request.method == "POST":
        status = 400
    context: dict[str, Any] = {"form": form, "rate_form": rate_form, "letter": letter}
    if letter is not None:
        context |= _tracked(letter)
    return _no_store(render(request, "mailbox/track.html", context, status=status))
