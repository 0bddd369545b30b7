"""Whether what a process has cached for visitors still shows the site as it is.

Every change to a model a visitor could see adds a row to `core_publiccontentchange` in the
changing transaction. Caches of what visitors see (whole pages for anonymous visitors in
website.middleware, the search's facet labels) key their entries by `current()`, the state
those rows describe: the first request after a commit, in any process, finds nothing under
the new state and builds afresh. No cache shared between processes is needed for that; the
state is read from the database, once per request.

Why rows and not one counter: an update of one row would lock it until the commit, and two
transactions that lock an event's row and bump in opposite orders would deadlock on
PostgreSQL. Inserts do not wait for each other. The state is the newest row's id and random
token plus the number of rows, so a transaction that commits after a later-numbered one still
changes the state, and a rolled-back row (SQLite reuses its id) is never mistaken for another.
"""

import contextvars
import uuid
from contextlib import contextmanager
from functools import wraps

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.signals import page_published, page_unpublished, post_page_move

KEEP_ROWS = 200  # rows kept after pruning; pruned every PRUNE_EVERY changes
PRUNE_EVERY = 500

# Within a request (request_scope) the state is read once; a change the request itself makes
# has it read again. Outside a request (the worker, a command) it is read at every call.
_in_request = contextvars.ContextVar("public_content_in_request", default=False)
_known_state = contextvars.ContextVar("public_content_state", default=None)


@contextmanager
def request_scope():
    scope = _in_request.set(True)
    state = _known_state.set(None)
    try:
        yield
    finally:
        _known_state.reset(state)
        _in_request.reset(scope)


def current() -> str:
    """The state of the public content, as a short string to put in a cache key."""
    state = _known_state.get()
    if state is None:
        state = read_state()
        if _in_request.get():
            _known_state.set(state)
    return state


def read_state() -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, token, (SELECT COUNT(*) FROM core_publiccontentchange) "
            "FROM core_publiccontentchange ORDER BY id DESC LIMIT 1"
        )
        row = cursor.fetchone()
    # The database's name too: a process may talk to another one (tests, a management command).
    database = connection.settings_dict.get("NAME")
    return f"{row[0]}-{row[1]}-{row[2]}" if row else f"0-{database}"


def changed() -> None:
    """Record that something a visitor could see changed (in the current transaction)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO core_publiccontentchange (token) VALUES (%s) RETURNING id",
            [uuid.uuid4().hex],
        )
        (change_id,) = cursor.fetchone()
        if change_id % PRUNE_EVERY == 0:
            cursor.execute(
                "DELETE FROM core_publiccontentchange WHERE id <= %s", [change_id - KEEP_ROWS]
            )
    _known_state.set(None)


_memos = []  # every per_state memo of this process


def clear_memos() -> None:
    """Forget every per_state result of this process (tests: settings change between them)."""
    for memo in _memos:
        memo.clear()


def per_state(function=None, *, key=None):
    """Memoise `function(*args)` in this process for the current state of the public content:
    what changes only when content changes (the vocabulary's labels, the menu) is worked out
    once after each change instead of at every request. The memo is keyed by the arguments,
    or by `key(*args)` where an argument (a request) is not itself the key."""

    def decorate(function):
        memo = {}
        _memos.append(memo)

        @wraps(function)
        def memoised(*args):
            state = current()
            memo_key = key(*args) if key else args
            found = memo.get(memo_key)
            if found is not None and found[0] == state:
                return found[1]
            value = function(*args)
            if len(memo) > 1000:  # keys from visitors (a host name): never without bound
                memo.clear()
            memo[memo_key] = (state, value)
            return value

        return memoised

    return decorate(function) if function else decorate


def site_key(request):
    """The per_state key of what differs per site a request reached (its menu, its footer)."""
    return None if request is None else (request.scheme, request.get_host())


def page_cache_exempt(view):
    """A view whose answers the page cache (website.middleware) must never keep."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.page_cache_exempt = True
        return response

    return wrapped


def _invisible(model) -> bool:
    meta = model._meta
    return (
        meta.apps is not apps  # a migration's historical model: the table may not exist yet
        or meta.app_label in settings.PUBLIC_CONTENT_IGNORED_APPS
        or meta.label in settings.PUBLIC_CONTENT_IGNORED_MODELS
    )


def _on_model_change(sender, **kwargs):
    if kwargs.get("raw") or _invisible(sender):
        return  # fixtures loading, or a model no visitor sees
    if kwargs.get("action", "post_").startswith("pre_"):
        return  # m2m_changed: only after the change
    changed()


def _on_page_event(sender, **kwargs):
    changed()


def connect() -> None:
    """Called from CoreConfig.ready()."""
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_on_model_change, dispatch_uid=f"core.freshness.{signal!r}")
    # A move rewrites the tree's paths in SQL, without saving each page.
    for signal in (post_page_move, page_published, page_unpublished):
        signal.connect(_on_page_event, dispatch_uid=f"core.freshness.page.{signal!r}")
