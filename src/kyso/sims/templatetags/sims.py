"""`{{ amount|vnd }}`: đồng amounts grouped the Vietnamese way (1.234.567)."""

from django import template

from kyso.sims.report import _money

register = template.Library()


@register.filter
def vnd(value) -> str:
    try:
        return _money(int(value))
    except (TypeError, ValueError):
        return ""
