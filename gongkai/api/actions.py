"""Domain functions of the API, each atomic and audited: creating and revoking tokens, finding the token of a
request, and a pushed document (an OA system's item entering the publication workflow, idempotently).

A token is ``gk_<prefix>_<secret>``: the prefix (public) finds the row, the secret is checked against its
stored SHA-256 in constant time. The secret has 256 bits of entropy, so a plain hash is enough (no key
stretching, which would cost every request)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.api.models import SUBTREE_KINDS, ApiToken, ExternalReference, KeyKind, Scope, Target
from gongkai.audit.log import Actor, acting_user, record, snapshot
from gongkai.cases import transitions as case_transitions
from gongkai.cases.applicants import create_applicant
from gongkai.cases.models import InformationRequest
from gongkai.catalog import transitions
from gongkai.catalog.models import Publication
from gongkai.organisations.models import Organisation

PREFIX = "gk_"
LAST_USED_EVERY = dt.timedelta(minutes=5)  # last_used_at is written at most this often per token


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # the whole token as the client sends it; shown once, never stored


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _check_scopes(scopes: Iterable[str]) -> list[str]:
    wanted = sorted(set(scopes))
    unknown = [s for s in wanted if s not in Scope.values]
    if unknown or not wanted:
        raise ValidationError(
            {
                "scopes": _("未知的权限范围：%(s)s；可选：%(all)s")
                % {"s": "、".join(unknown), "all": "、".join(Scope.values)}
            }
        )
    return wanted


@transaction.atomic
def create_token(
    actor: AbstractBaseUser | AnonymousUser | str,
    *,
    name: str,
    body: Organisation,
    scopes: Iterable[str],
    include_subtree: bool = False,
    expires_at: dt.datetime | None = None,
) -> NewToken:
    """A new token for ``body`` with ``scopes``; the returned ``secret`` is the only time it is seen."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("请填写令牌名称")})
    if ApiToken.objects.filter(name=name).exists():
        raise ValidationError({"name": _("名称“%(n)s”已被使用") % {"n": name}})
    if include_subtree and body.kind not in SUBTREE_KINDS:
        raise ValidationError({"include_subtree": _("只有人民政府及其办公室的令牌可以代表所属单位")})
    now = timezone.now()
    if expires_at is not None and expires_at <= now:
        raise ValidationError({"expires_at": _("到期时间须晚于现在")})
    prefix = secrets.token_hex(6)
    secret = f"{PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        name=name,
        body=body,
        include_subtree=include_subtree,
        scopes=_check_scopes(scopes),
        prefix=prefix,
        secret_hash=_digest(secret),
        created_by=acting_user(actor),
        created_at=now,
        expires_at=expires_at,
    )
    record(actor, "api.token_create", token, after=snapshot(token), summary=name)
    return NewToken(token, secret)


@transaction.atomic
def revoke_token(actor: Actor, token: ApiToken) -> ApiToken:
    """Revoke ``token`` now (a revoked token is refused from its next request on; revoking twice is a no-op)."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    before = snapshot(token)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record(actor, "api.token_revoke", token, before=before, after=snapshot(token), summary=token.name)
    return token


def authenticate(secret: str) -> ApiToken | None:
    """The active token whose secret this is, or None (unknown prefix, wrong secret, revoked, expired)."""
    parts = secret.strip().split("_", 2)
    if len(parts) != 3 or f"{parts[0]}_" != PREFIX or not parts[1] or len(secret) > 200:
        return None
    token = ApiToken.objects.select_related("body").filter(prefix=parts[1]).first()
    if token is None or not hmac.compare_digest(token.secret_hash, _digest(secret.strip())):
        return None
    now = timezone.now()
    if not token.is_active(now):
        return None
    if token.last_used_at is None or token.last_used_at < now - LAST_USED_EVERY:
        # one conditional UPDATE every few minutes, not a write per request
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


# --- pushed records ---------------------------------------------------------------------------------------------


class KeyReused(Exception):
    """The same external id or Idempotency-Key came with a different record."""


M = TypeVar("M", bound=models.Model)


def payload_digest(fields: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(fields, sort_keys=True, default=str).encode()).hexdigest()


def _earlier(
    body: Organisation, target: str, keys: list[tuple[str, str]], digest: str
) -> models.Model | None:
    for kind, key in keys:
        ref = ExternalReference.objects.filter(body=body, target=target, kind=kind, key=key).first()
        if ref is not None:
            if ref.payload_sha256 != digest:
                raise KeyReused(
                    _("%(k)s“%(v)s”已用于另一条内容不同的记录（编号%(id)s）")
                    % {"k": KeyKind(kind).label, "v": key, "id": ref.publication_id or ref.case_id}
                )
            return ref.record
    return None


def _push(
    actor: Actor,
    body: Organisation,
    target: Target,
    create: Callable[[], M],
    *,
    digest: str,
    external_id: str,
    idempotency_key: str,
) -> tuple[M, bool]:
    """``create()`` once per external id or Idempotency-Key (and body and kind of record): a retry with the same
    content gets the record created the first time. Returns (record, created)."""
    keys = [
        (str(k), v)
        for k, v in ((KeyKind.EXTERNAL_ID, external_id), (KeyKind.IDEMPOTENCY_KEY, idempotency_key))
        if v
    ]
    earlier = _earlier(body, target, keys, digest)
    if earlier is not None:
        return earlier, False  # type: ignore[return-value]
    try:
        with transaction.atomic():
            made = create()
            now = timezone.now()
            for kind, key in keys:
                ref = ExternalReference.objects.create(
                    body=body,
                    target=target,
                    kind=kind,
                    key=key,
                    payload_sha256=digest,
                    created_at=now,
                    **{str(target): made},
                )
                record(actor, "api.external_reference", ref, after=snapshot(ref), summary=str(ref)[:100])
    except IntegrityError:  # a concurrent retry won the race: answer with its record
        earlier = _earlier(body, target, keys, digest)
        if earlier is None:
            raise
        return earlier, False  # type: ignore[return-value]
    return made, True


def push_document(
    actor: Actor,
    body: Organisation,
    fields: dict[str, Any],
    *,
    external_id: str = "",
    idempotency_key: str = "",
) -> tuple[Publication, bool]:
    """A document another system pushes: a new draft of ``body`` awaiting its confidentiality review (保密审查,
    2019 Regulations art 17; ``catalog.transitions.create_draft``), or, for a retry with the same external id or
    Idempotency-Key and the same content, the item created the first time. Returns (item, created). Raises
    ``KeyReused`` for a key seen with different content, ``ValidationError`` naming the field."""

    def create() -> Publication:
        return transitions.create_draft(actor, body, **fields)[0]

    digest = payload_digest(fields | {"external_id": external_id})
    return _push(
        actor,
        body,
        Target.PUBLICATION,
        create,
        digest=digest,
        external_id=external_id,
        idempotency_key=idempotency_key,
    )


def push_request(
    actor: Actor,
    body: Organisation,
    applicant: dict[str, str],
    fields: dict[str, Any],
    *,
    external_id: str = "",
    idempotency_key: str = "",
) -> tuple[InformationRequest, bool]:
    """A request for information another system received (a 12345 hotline ticket, a provincial platform's online
    form): its applicant (``cases.applicants.create_applicant``, validated as on the public form) and the request
    registered for ``body`` (``cases.transitions.register``: receipt date, regime and deadline by 2019 Regulations
    art 31 and 33). Idempotent as ``push_document``."""

    def create() -> InformationRequest:
        person = create_applicant(actor, **applicant)
        return case_transitions.register(actor, body, applicant=person, **fields)

    digest = payload_digest(fields | applicant | {"external_id": external_id})
    return _push(
        actor,
        body,
        Target.CASE,
        create,
        digest=digest,
        external_id=external_id,
        idempotency_key=idempotency_key,
    )
