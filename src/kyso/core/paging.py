"""A list page's rows one page at a time — the pages that cut their lists at 100 to 500 rows without saying so
(an officer's requests, the approval lists, the key devices, the unit's signing credentials, the tokens an
administrator manages, the archive's renewals) — with the query string its links keep (filters, search)."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import Q

PER_PAGE = 50


def page_of(request, rows, per: int = PER_PAGE) -> Page:
    """The page of `rows` (ordered) the request asks for (`?page=`; a wrong number gives the nearest page);
    `page.query` is the request's query string without `page`, for the links of `core/_pager.html`."""
    page = Paginator(rows, per).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    page.query = params.urlencode()
    return page


def first_matching(rows, q: str, fields, limit: int) -> tuple[list, int]:
    """For a choice list too long to show whole (a <select> of a province's staff): the rows whose `fields`
    contain the search `q` (all without one), the first `limit` in `rows`' order, and how many more match —
    for the page to say so and ask for a narrower search instead of leaving the rest unreachable."""
    if q:
        match = Q()
        for name in fields:
            match |= Q(**{f"{name}__icontains": q})
        rows = rows.filter(match)
    shown = list(rows[:limit + 1])
    if len(shown) > limit:
        return shown[:limit], rows.count() - limit
    return shown, 0
