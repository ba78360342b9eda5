"""Reads on a PostgreSQL streaming replica, writes on the primary (docs/scaling.md).

Only when ``DATABASE_REPLICA_URL`` is set: settings then add the ``replica`` alias, :class:`ReplicaRouter` and
:class:`ReadYourWritesMiddleware`. A read goes to the replica only when all of these hold:

- it runs in a request the middleware marked as a replica read (a GET or HEAD of a public portal page, the search
  page, a report page: :data:`REPLICA_NAMESPACES`), or inside :func:`reading_from_replica` (report building
  outside a request);
- it is not inside a transaction (``atomic``): those read and write the primary only;
- the request has not written anything yet (after a write, the rest of the request reads the primary);
- its model is not one whose freshness is a matter of security or correctness (:data:`PRIMARY_ONLY_APPS`: users,
  sessions, roles, lockouts);
- the session has no recent write, or the replica has replayed it: after a request of a signed-in user wrote,
  the session keeps the primary's WAL position (``pg_current_wal_insert_lsn()`` after the commit); the next
  requests of that session read the replica only once its ``pg_last_wal_replay_lsn()`` has reached that position,
  and the primary until then. Anonymous visitors carry no position: they always may read the replica;
- the replica has replayed the *floor*, a WAL position every process shares (in the page cache): a write that
  invalidates shared cached pages calls :func:`raise_floor`, so that a page rendered for the shared cache right
  after a publication is never built from a replica that has not seen it yet (and then kept under the new
  generation).

Every write goes to the primary, and migrations run on the primary only. Code that reads in order to write what it
read (recomputing aggregates during a GET) must read inside its transaction or :func:`reading_from_primary`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
SESSION_KEY = "_gongkai_primary_lsn"
FLOOR_KEY = "gongkai-replica-floor"
# URL namespaces whose GET pages may read the replica: the public portal (minus the forms and the tracking pages
# below) and the staff report pages (report building, drill-down), which read and never write on GET.
REPLICA_NAMESPACES = frozenset({"portal", "reports"})
PRIMARY_URL_NAMES = frozenset({"apply", "receipt", "print_form", "track", "track_letter"})
# Apps always read from the primary: who is signed in and what they may do must never lag.
PRIMARY_ONLY_APPS = frozenset({"auth", "sessions", "accounts", "axes", "admin", "contenttypes"})


@dataclass
class Routing:
    """What the current request (or block) may read from where."""

    replica_ok: bool
    min_lsn: str = ""  # the session's last write on the primary; "" = none
    caught_up: bool | None = None  # whether the replica has replayed min_lsn (checked once, lazily)
    wrote: bool = False

    def use_replica(self) -> bool:
        if not self.replica_ok or self.wrote:
            return False
        if self.caught_up is None:
            self.caught_up = not self.min_lsn or replica_has_replayed(self.min_lsn)
        return self.caught_up


_routing: ContextVar[Routing | None] = ContextVar("gongkai_routing", default=None)


def replica_configured() -> bool:
    return REPLICA in connections.settings


def replica_has_replayed(lsn: str) -> bool:
    """Whether the replica has replayed the primary's WAL up to ``lsn``; False if it cannot tell (not a standby
    any more, or unreachable), so that the read goes to the primary."""
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])
            row = cursor.fetchone()
    except DatabaseError:
        return False
    return bool(row and row[0])


def primary_wal_position() -> str:
    """The primary's WAL insert position now: at or past the commit record of every transaction committed so far
    (the insert position, not the write position, so that an asynchronous commit is covered too)."""
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_insert_lsn()::text")
        row = cursor.fetchone()
    return str(row[0]) if row else ""


def lsn_value(lsn: str) -> int:
    """A PostgreSQL LSN ("16/B374D848") as a number; 0 for ""."""
    if not lsn:
        return 0
    high, _, low = lsn.partition("/")
    return (int(high, 16) << 32) + int(low, 16)


def _floor_cache() -> Any:
    return caches[getattr(settings, "GONGKAI_PAGE_CACHE_ALIAS", "default")]


def raise_floor() -> None:
    """When the current transaction commits (at once outside one), make the primary's WAL position the floor
    that every replica read waits for (module docstring). Nothing without a replica."""
    if replica_configured():
        transaction.on_commit(lambda: _floor_cache().set(FLOOR_KEY, primary_wal_position(), timeout=None))


def read_floor() -> str:
    return str(_floor_cache().get(FLOOR_KEY) or "")


@contextmanager
def reading_from_replica(min_lsn: str = "") -> Iterator[None]:
    """Outside a request (a command, a background job): reads in this block may use the replica (for instance
    building a report), once it has replayed ``min_lsn`` if given."""
    token = _routing.set(Routing(replica_ok=True, min_lsn=min_lsn))
    try:
        yield
    finally:
        _routing.reset(token)


@contextmanager
def reading_from_primary() -> Iterator[None]:
    """Reads in this block use the primary even in a request marked for the replica: for code that reads in order
    to write what it read (recomputing stored aggregates, say), which must never start from a lagging copy. (A
    ``transaction.atomic`` block does the same.)"""
    token = _routing.set(None)
    try:
        yield
    finally:
        _routing.reset(token)


class ReplicaRouter:
    """``DATABASE_ROUTERS`` entry: see the module docstring."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        routing = _routing.get()
        if routing is None or not replica_configured() or model._meta.app_label in PRIMARY_ONLY_APPS:
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return REPLICA if routing.use_replica() else DEFAULT_DB_ALIAS

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        routing = _routing.get()
        if routing is not None:
            routing.wrote = True
        return DEFAULT_DB_ALIAS  # explicitly: an object read from the replica is saved on the primary

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        both = {obj1._state.db, obj2._state.db}
        return True if both <= {DEFAULT_DB_ALIAS, REPLICA} else None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return False if db == REPLICA else None


def _is_replica_view(request: HttpRequest) -> bool:
    match = request.resolver_match
    if request.method not in ("GET", "HEAD") or match is None:
        return False
    return match.namespace in REPLICA_NAMESPACES and match.url_name not in PRIMARY_URL_NAMES


class ReadYourWritesMiddleware:
    """Sets the routing of each request (after the authentication middleware) and, when a signed-in user's
    request wrote, remembers the primary's WAL position in the session."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        routing = Routing(replica_ok=False)
        token = _routing.set(routing)
        try:
            response = self.get_response(request)
            if routing.wrote and _signed_in(request):
                request.session[SESSION_KEY] = primary_wal_position()
            return response
        finally:
            _routing.reset(token)

    def process_view(self, request: HttpRequest, *args: Any) -> None:
        routing = _routing.get()
        if routing is not None and _is_replica_view(request):
            routing.replica_ok = True
            session = getattr(request, "session", None)
            mine = str(session.get(SESSION_KEY, "")) if session is not None else ""
            routing.min_lsn = max(mine, read_floor(), key=lsn_value)


def _signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and hasattr(request, "session"))
