from django import template

from kyso.audit import display

register = template.Library()


@register.filter
def audit_action(rec):
    return display.action_label(rec.action, rec.object_type)


@register.filter
def audit_object(rec):
    return display.object_label(rec)


@register.filter
def audit_channel(channel):
    return display.channel_label(channel)


@register.filter
def audit_actor(actor):
    return display.actor_label(actor)
