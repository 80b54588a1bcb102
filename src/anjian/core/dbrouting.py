"""Read-replica routing: figures may be read from a PostgreSQL streaming replica, everything else uses the primary.

Reads go to the ``replica`` alias (``ANJIAN_REPLICA_DATABASE_URL``) only inside an explicit ``reading_replica()``
block, which dashboards and statistics wrap around their read-only figure queries. Writes and migrations always
use ``default``. Inside a transaction on ``default`` reads stay there too: the transaction may have written rows
the replica has not replayed yet, and the figures must include them. Without a replica everything is ``default``.

Opting in per block, rather than routing every read to the replica, keeps read-your-own-writes everywhere else:
a page shown right after a POST never misses the row the POST just wrote because of replication lag.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Concatenate, ParamSpec, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model
from django.http import HttpRequest
from django.http.response import HttpResponseBase

REPLICA = "replica"

# Read-your-own-writes state: a session or lockout row written a moment ago on the primary must be found at once.
PRIMARY_ONLY_APPS = frozenset({"sessions", "axes", "django_tasks_database"})

P = ParamSpec("P")
R = TypeVar("R", bound=HttpResponseBase)

_reading_replica: ContextVar[bool] = ContextVar("anjian_reading_replica", default=False)


@contextmanager
def reading_replica() -> Iterator[None]:
    """Send the ORM's reads in this block to the read replica, when one is configured.

    Usable as ``with reading_replica():`` or as a decorator, ``@reading_replica()``. Querysets are routed when
    they run, not when they are built: evaluate them inside the block. Wrap only reads that tolerate replication
    lag (figures, charts), never a read that decides a write.
    """
    token = _reading_replica.set(True)
    try:
        yield
    finally:
        _reading_replica.reset(token)


def replica_reads(view: Callable[Concatenate[HttpRequest, P], R]) -> Callable[Concatenate[HttpRequest, P], R]:
    """Decorate a function view so that its GET and HEAD requests read from the replica (other methods do not).

    A deferred ``TemplateResponse`` is rendered inside the block, so the querysets its template evaluates are
    routed too. Not for streaming responses: their content is produced after the view returns.
    """

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> R:
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        with reading_replica():
            response = view(request, *args, **kwargs)
            render = getattr(response, "render", None)
            if callable(render) and not getattr(response, "is_rendered", True):
                render()
            return response

    return wrapped


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    """The database router (``DATABASE_ROUTERS``): ``replica`` for reads inside ``reading_replica()`` only."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        if (
            _reading_replica.get()
            and model._meta.app_label not in PRIMARY_ONLY_APPS
            and replica_configured()
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return REPLICA
        # Explicitly the primary, also for the relations of an object that was read from the replica.
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        # The replica holds the same rows as the primary: an object read from either may point at the other's.
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool | None:
        # A streaming replica replays the primary's schema; it is never migrated on its own.
        return False if db == REPLICA else None
