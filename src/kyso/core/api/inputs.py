"""The body of an API request read by its serializer, for the views that call a domain function themselves."""

from __future__ import annotations


def valid(serializer_class, request, **kwargs):
    """`request.data` checked by `serializer_class` (keyword arguments go to it: `partial`, `context`) and its
    validated data returned; a refused body answers 400 with the per-field errors (the one exception handler)."""
    ser = serializer_class(data=request.data, **kwargs)
    ser.is_valid(raise_exception=True)
    return ser.validated_data


def valid_query(serializer_class, request):
    """The query string checked by `serializer_class`, for the GET endpoints that answer a question (the same
    400 with per-field errors)."""
    ser = serializer_class(data=request.query_params)
    ser.is_valid(raise_exception=True)
    return ser.validated_data
