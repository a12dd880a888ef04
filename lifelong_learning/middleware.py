"""Checks every request passes before any view reads it."""

from django.core.exceptions import BadRequest


class NulCharacterMiddleware:
    """Refuses with 400 an address whose path or query holds a NUL character
    (``%00``): no name, code or search has one, and PostgreSQL refuses it in
    any query, which would otherwise be a server error wherever a parameter
    reaches the database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            raise BadRequest("NUL character in the address")
        return self.get_response(request)
