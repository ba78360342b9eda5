"""Idempotency keys: every form that creates something does so once per submission (issue #10, "one
acknowledgement path"; docs/cases.md, "Acknowledgement").

* A form page carries a random key in a hidden field (``{% idempotency_field %}``, 32 random bytes). A form
  sent back with errors keeps the key it was posted with.
* ``@idempotent(scope)`` wraps the view. On POST it looks up the key's SHA-256 in ``IdempotencyKey``. Found: the
  view does not run again, ``replay`` answers (by default a redirect to the stored result with a notice).
  Not found: the row is inserted first and the view runs in the same transaction. A redirect (success, POST/
  redirect/GET) commits both and stores where it led; any other answer (a form with errors, 4xx, 5xx) rolls
  everything back, so the corrected form can be sent with the same key.
* Concurrent duplicates (a double click, a retry while the first is still running): the unique constraint on
  (scope, key hash) lets one insert win; the other waits for it (PostgreSQL: the index entry; SQLite: the write
  lock), fails and replays the winner's result.
* A POST without a well-formed key (a script, a page from before this change) gets a fresh key of the server's:
  it is processed once, but a retry of it is not recognised.

Only the SHA-256 of a key is stored. The key has 256 random bits, so the hash needs no secret of the server and
cannot be reversed; the online application also derives its tracking secret from the key
(``cases.tracking.secret_from_key``), which is how a lost receipt is recovered by sending the same form again.
"""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.db import IntegrityError, OperationalError, models, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _

from gongkai.acknowledgement.models import IdempotencyKey
from gongkai.audit.log import Actor, record

FIELD = "idempotency_key"
_KEY = re.compile(r"[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(32)
_META = "gongkai.idempotency"
_META_FIELD_USED = "gongkai.idempotency.field_used"
PUBLIC = "public"  # the audit actor of anonymous submissions

View = Callable[..., HttpResponse]


def new_key() -> str:
    return secrets.token_urlsafe(32)


def key_hash(key: str) -> str:
    return hashlib.sha256(b"gongkai.idempotency:" + key.encode()).hexdigest()


@dataclass
class Submission:
    """The key of the POST being handled and, once claimed, its row."""

    scope: str
    key: str
    from_client: bool
    row: IdempotencyKey | None = field(default=None)

    @property
    def hash(self) -> str:
        return key_hash(self.key)


def posted_key(request: HttpRequest) -> str:
    key = str(request.POST.get(FIELD, "")) if request.method == "POST" else ""
    return key if _KEY.fullmatch(key) else ""


def field_key(request: HttpRequest | None) -> str:
    """The key a form on this page carries: the posted one for the first form of a page sent back with errors
    (so the corrected form is still the same submission), a new one otherwise."""
    if request is None:
        return new_key()
    key = posted_key(request) if not request.META.get(_META_FIELD_USED) else ""
    request.META[_META_FIELD_USED] = True
    return key or new_key()


def current(request: HttpRequest) -> Submission:
    """The submission ``@idempotent`` is handling (for views that need its key or want to ``bind``)."""
    sub: Submission = request.META[_META]
    return sub


def bind(request: HttpRequest, obj: models.Model, *, limit_key: str = "") -> None:
    """Record what the submission created (and what a per-subject limit counts it under)."""
    row = current(request).row
    if row is None:
        raise RuntimeError("bind() outside an @idempotent view")
    row.object_type, row.object_id, row.limit_key = obj._meta.label_lower, str(obj.pk), limit_key
    row.save(update_fields=["object_type", "object_id", "limit_key"])


def find(scope: str, key: str) -> IdempotencyKey | None:
    return IdempotencyKey.objects.filter(scope=scope, key_hash=key_hash(key)).first() if key else None


def _actor(request: HttpRequest) -> Actor:
    return request.user if request.user.is_authenticated else PUBLIC


def redirect_to_result(request: HttpRequest, sub: Submission, done: IdempotencyKey) -> HttpResponse:
    """The default answer to a repeated submission: where the first one led, and a notice that nothing new was
    saved."""
    messages.info(request, _("该表单已经提交过，没有重复保存。"))
    return HttpResponseRedirect(done.result_url or "/")


Replay = Callable[[HttpRequest, Submission, IdempotencyKey], HttpResponse]


def _replay(request: HttpRequest, sub: Submission, done: IdempotencyKey, replay: Replay) -> HttpResponse:
    user_id = request.user.pk if request.user.is_authenticated else None
    if done.user_id != user_id:  # someone else's key: never show another person's result
        return busy(request, _("该表单已由其他用户提交。请重新打开页面后再提交。"), status=409)
    response = replay(request, sub, done)
    response["Idempotent-Replay"] = "true"
    return response


def busy(request: HttpRequest, message: str, *, status: int = 503) -> HttpResponse:
    response = render(request, "acknowledgement/busy.html", {"message": message}, status=status)
    if status == 503:
        response["Retry-After"] = "30"
    return response


def _run(view: View, request: HttpRequest, sub: Submission, args: Any, kwargs: Any) -> HttpResponse:
    """Claim the key, run the view, keep both only if the view redirected (its success)."""
    with transaction.atomic():
        user = request.user if request.user.is_authenticated else None
        sub.row = IdempotencyKey.objects.create(scope=sub.scope, key_hash=sub.hash, user=user)
        response = view(request, *args, **kwargs)
        if 300 <= response.status_code < 400 and response.has_header("Location"):
            sub.row.result_url = response["Location"][:500]
            sub.row.save(update_fields=["result_url"])
            record(_actor(request), "form.submitted", sub.row, summary=sub.scope)
        else:
            transaction.set_rollback(True)
    return response


def idempotent(
    scope: str,
    replay: Replay = redirect_to_result,
    prepare: Callable[[HttpRequest, Submission], None] | None = None,
) -> Callable[[View], View]:
    """Make a view that creates something on POST answer every repeat of the same submission with the first
    one's result (see the module docstring). ``prepare`` runs before the view's transaction opens: slow work
    that needs no database (hashing a secret) must not hold SQLite's single write lock."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method != "POST":
                return view(request, *args, **kwargs)
            key = posted_key(request)
            sub = Submission(scope, key or new_key(), from_client=bool(key))
            request.META[_META] = sub
            done = find(scope, key)
            if done is not None:
                return _replay(request, sub, done, replay)
            if prepare is not None:
                prepare(request, sub)
            try:
                return _run(view, request, sub, args, kwargs)
            except IntegrityError:
                done = find(scope, key)  # a concurrent twin committed first
                if done is None:
                    raise
                return _replay(request, sub, done, replay)
            except OperationalError:  # e.g. "database is locked": nothing was stored
                return busy(request, _("系统繁忙，本次提交没有保存任何内容。请稍后重新提交。"))

        return wrapper

    return decorate
