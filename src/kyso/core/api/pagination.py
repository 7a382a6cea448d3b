"""Keyset (cursor) pagination: constant cost per page however many millions of rows — for the viewsets (DRF's
default) and, through `page`, for the list endpoints written as plain views, which cut their lists at a few
hundred rows without saying so (an e-office book, a province's SIM lines)."""

from __future__ import annotations

from functools import lru_cache

from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.pagination import CursorPagination


class KeysetPagination(CursorPagination):
    ordering = "-pk"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


PAGE_PARAMETERS = [OpenApiParameter("cursor", str, description="the page: the cursor of a `next` or `previous` link"),
                   OpenApiParameter("page_size", int, description=f"rows a page (at most {KeysetPagination.max_page_size})")]


def page(request, queryset, serializer_class, *, ordering: str = "-pk", context=None, view=None):
    """One page of `queryset`, newest first by `ordering` (a field that grows with time), in the envelope every
    list of the API has: {"next", "previous", "results"}. `context(items)`: the serializer's context for the
    rows of this page (what the reader may see of them, screened and audited row by row)."""
    paginator = KeysetPagination()
    paginator.ordering = ordering
    items = paginator.paginate_queryset(queryset, request, view=view)
    ctx = context(items) if callable(context) else (context or {})
    return paginator.get_paginated_response(serializer_class(items, many=True, context=ctx).data)


@lru_cache(maxsize=None)
def paged(serializer_class):
    """The OpenAPI shape of a page of `serializer_class` (for `extend_schema(responses=…)` of a `page` view)."""
    name = serializer_class.__name__.removesuffix("Serializer") + "Page"
    return type(name, (serializers.Serializer,), {
        "next": serializers.URLField(allow_null=True), "previous": serializers.URLField(allow_null=True),
        "results": serializer_class(many=True), "__module__": serializer_class.__module__})
