"""Who is asking: the client's address, also behind a reverse proxy."""

from django.conf import settings


def client_ip(request) -> str | None:
    """The client's address.

    Without a proxy (``TRUSTED_PROXY_COUNT = 0``) it is ``REMOTE_ADDR``. Behind
    N trusted proxies, each of which appends the address it received the
    request from to ``X-Forwarded-For``, it is the N-th address from the
    right: entries further left were written by the client and may be forged.
    """
    count = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR")
    if count <= 0:
        return remote
    forwarded = [
        address.strip()
        for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if address.strip()
    ]
    if len(forwarded) < count:
        return remote
    return forwarded[-count]
