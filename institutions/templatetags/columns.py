"""The words for the column codes of the files people import."""

from django import template

register = template.Library()


@register.filter
def column_label(column: str, labels: dict | None) -> str:
    """The words ``labels`` gives a column code; nothing for an unknown one."""
    if not column or not labels:
        return ""
    return str(labels.get(column, ""))
