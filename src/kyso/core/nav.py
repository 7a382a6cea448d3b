"""Menu entries contributed by the apps, shown according to the user's permissions."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from . import authz


@dataclass
class NavEntry:
    label: object
    url_name: str
    perm: str | None = None  # None: every logged-in user
    order: int = 100
    public: bool = False  # shown to anonymous visitors too


_entries: list[NavEntry] = []


def register(label, url_name: str, *, perm: str | None = None, order: int = 100, public: bool = False) -> None:
    if not any(e.url_name == url_name for e in _entries):
        _entries.append(NavEntry(label, url_name, perm, order, public))


def links_for(user, current_path: str = "") -> list[dict]:
    perms = authz.permissions(user)
    out = []
    for e in sorted(_entries, key=lambda e: e.order):
        if user is None or not user.is_authenticated:
            if not e.public:
                continue
        elif e.perm and e.perm not in perms:
            continue
        try:
            url = reverse(e.url_name)
        except NoReverseMatch:
            continue
        out.append({"label": e.label, "url": url, "active": current_path.startswith(url) and url != "/"})
    return out
