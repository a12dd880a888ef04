"""Showing people in templates."""

from django import template

register = template.Library()


@register.filter
def person_name(user) -> str:
    """A user's name in Vietnamese order, family name first ("Trần Văn
    Hà"), or the login when no name is set; empty for no user."""
    if user is None or user == "":
        return ""
    name = f"{user.last_name} {user.first_name}".strip()
    return name or user.get_username()
