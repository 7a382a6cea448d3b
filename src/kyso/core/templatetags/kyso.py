from django import template

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
