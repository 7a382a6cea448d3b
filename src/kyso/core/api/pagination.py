"""Keyset (cursor) pagination: constant cost per page however many millions of rows — for the viewsets (DRF's
default) and, through `page`, for the list endpoints written as plain views, which cut their lists at a few
hundred rows without saying so (an e-office book, a province's SIM lines)."""

from __future__ import annotations

from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, serializers
from rest_framework.pagination import CursorPagination

from kyso.core.errors import InvalidInput


class KeysetPagination(CursorPagination):
    """DRF's cursor pages, with the cursor checked: it is plain base64 anyone can write, and a position that is not
    a value of the ordering field (`p=x` for an id, a date for a number, an id past 2**63) reached the database and
    answered 500 on every list."""

    ordering = "-pk"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    _model = None

    def paginate_queryset(self, queryset, request, view=None):
        self._model = queryset.model
        return super().paginate_queryset(queryset, request, view=view)

    def decode_cursor(self, request):
        try:
            cursor = super().decode_cursor(request)
        except exceptions.NotFound:
            raise _bad_cursor() from None
        if cursor is not None and cursor.position is not None and not self._is_position(cursor.position):
            raise _bad_cursor()
        return cursor

    def _is_position(self, position: str) -> bool:
        ordering = self.ordering if isinstance(self.ordering, str) else self.ordering[0]
        if self._model is None:
            return True
        name = ordering.lstrip("-")
        field = self._model._meta.pk if name == "pk" else self._model._meta.get_field(name)
        try:
            value = field.to_python(position)
        except (ValidationError, ValueError, TypeError, OverflowError):
            return False
        return value is not None and not (isinstance(value, int) and not -2 ** 63 <= value < 2 ** 63)


def _bad_cursor() -> InvalidInput:
    return InvalidInput("pagination.cursor", _("The page link is not valid: start again from the first page."))


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
