"""Ending an account's sessions: when it is locked or disabled, every way it was signed in stops working.

Web sessions end by themselves (`User.sessions_ended_at` is part of the session check). Apps above
`accounts` that keep their own sign-ins (the CSC bearer tokens of `mobile`) register an ender here.
"""

from __future__ import annotations

from typing import Callable

_ENDERS: list[Callable] = []


def on_end(fn: Callable) -> Callable:
    """Register `fn(user)`: called in the transaction that locks or disables `user`."""
    if fn not in _ENDERS:
        _ENDERS.append(fn)
    return fn


def ended(user) -> None:
    for fn in list(_ENDERS):
        fn(user)
