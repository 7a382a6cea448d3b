from django import template

from django.utils.html import format_html

from kyso.core import dates, display
from kyso.core.nav import links_for

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_links(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    return links_for(user, request.path if request else "")


@register.filter
def get_item(mapping, key):
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.simple_tag
def date_input(name, value="", id="", label="", required=False):
    """A dd/mm/yyyy text box with the calendar, for pages that read raw fields (parse with `core.dates.parse`)."""
    text = dates.format_date(value) if hasattr(value, "strftime") else (value or "")
    return format_html('<input type="text" name="{}" id="{}" value="{}" placeholder="dd/mm/yyyy" inputmode="numeric" '
                       'autocomplete="off" pattern="\\d{{1,2}}/\\d{{1,2}}/\\d{{4}}" data-datepicker="1" size="10" '
                       'maxlength="10"{}{}>', name, id or name, text,
                       format_html(' aria-label="{}"', label) if label else "", " required" if required else "")


# What a person reads instead of a code (core.display): {{ s.indication|indication }},
# {{ s.indication|verdict:s.sub_indication }}, {{ cert.subject|dn }}, {{ s.signing_time|when }}, {{ m|month }}.
register.filter("indication", display.indication)
register.filter("sub_indication", display.sub_indication)
register.filter("verdict", display.verdict)
register.filter("revocation_reason", display.revocation_reason)
register.filter("dn", display.distinguished_name)
register.filter("month", display.month)
register.filter("in_words", display.in_words)


@register.filter
def when(value, arg=""):
    """dd/mm/yyyy HH:MM in Vietnam time (`|when:"s"` adds the seconds), from a datetime or ISO text."""
    return display.when(value, seconds=arg == "s")


@register.filter
def passed(code) -> bool:
    return code in (display.PASSED, "PASSED")
