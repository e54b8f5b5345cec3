"""Who made a change, for the revision history (django-simple-history).

Services run under ``acting_user(user)`` so every historical row they cause names the person,
whether the call came from the API (token or session), the admin, or a shell. Outside of it,
simple-history's middleware supplies the logged-in admin user.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_acting_user: ContextVar = ContextVar("newsroom_acting_user", default=None)


@contextmanager
def acting_user(user) -> Iterator[None]:
    """Attribute the historical rows written inside the block to ``user`` (None: unchanged)."""
    if user is None or not getattr(user, "is_authenticated", False):
        yield
        return
    token = _acting_user.set(user)
    try:
        yield
    finally:
        _acting_user.reset(token)


def current_acting_user():
    """The user a service runs for (``acting_user``), or None."""
    return _acting_user.get()


def history_user(request=None, **kwargs):
    """`get_user` of our HistoricalRecords: the acting user, else the request's user."""
    user = _acting_user.get()
    if user is not None:
        return user
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user
    return None
