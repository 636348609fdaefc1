from django import template

from budget.money import format_sek

register = template.Library()


@register.filter
def sek(amount):
    """Write an amount as Swedish kronor: {{ amount|sek }} → 90 000 kr."""
    return format_sek(amount)
