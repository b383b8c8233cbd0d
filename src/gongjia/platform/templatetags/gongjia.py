"""Template filters of the one formatter: `{% load gongjia %}` then `|figure`, `|yuan`,
`|share`, `|day`."""

from django import template

from gongjia.platform import formatting

register = template.Library()


@register.filter
def figure(value, fmt="count"):
    return formatting.figure(value, fmt)


@register.filter
def yuan(value):
    return formatting.money(value)


@register.filter
def share(value):
    return formatting.share(value)


@register.filter
def day(value):
    return formatting.day(value)


@register.filter
def tally(counts):
    """A vote's result, {"2800 元": 11, "2700 元": 3}, as "2800 元 11 票 · 2700 元 3 票"."""
    return formatting.tally(counts)
