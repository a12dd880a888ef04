"""How the public pages are kept: a release never changes, so a page of a
numbered release is rendered once and served for good (in the cache, and to
browsers and proxies with ``Cache-Control: immutable``); the pages of the
latest release move when a new one is published, so they are kept briefly.

A page is the same for everyone (no user, no session, no CSRF token: it is
rendered without the request), so it sets no cookie and does not vary by
cookie; it varies by language only (``Accept-Language``, or ``?lang=``).
"""

import gzip
import hashlib
import re
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.translation import get_language

# Raise when the pages' templates change in a way a deployment must not mix.
PAGE_CACHE_VERSION = "2"
GZIP_ACCEPTED = re.compile(r"\bgzip\b")
# A numbered release's page: a year (the most HTTP allows in practice).
IMMUTABLE_SECONDS = 31_536_000
# The latest release's pages (/data/…): a new release shows within this.
LATEST_SECONDS = 300
LATEST_KEPT_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class CachedPage:
    """A rendered page as the cache keeps it."""

    content: bytes
    content_type: str
    etag: str
    # The same bytes gzipped once, for the browsers that accept it (all of
    # them): a page travels at a sixth of its size and costs no compression
    # per request.
    gzipped: bytes = b""


def page_key(*parts: str) -> str:
    digest = hashlib.sha256(
        "|".join((PAGE_CACHE_VERSION, get_language() or "", *parts)).encode()
    ).hexdigest()
    return f"public:{digest}"


def page_cached(key: str, render, *, immutable: bool) -> CachedPage:
    """The page of ``key``, rendered by ``render() -> (bytes, content type)``
    on a miss. Its key names everything it shows (the latest release's
    number too), so a numbered release's page is kept for good; the latest's
    for a day, since a new release leaves its key unused."""
    page = cache.get(key)
    if page is None:
        content, content_type = render()
        etag = '"' + hashlib.sha256(content).hexdigest()[:32] + '"'
        page = CachedPage(
            content=content,
            content_type=content_type,
            etag=etag,
            gzipped=gzip.compress(content, compresslevel=6, mtime=0),
        )
        cache.set(key, page, None if immutable else LATEST_KEPT_SECONDS)
    return page


def accepts_gzip(request) -> bool:
    """Whether the browser takes a gzipped body (as Django's GZipMiddleware
    reads ``Accept-Encoding``)."""
    return bool(GZIP_ACCEPTED.search(request.headers.get("Accept-Encoding", "")))


def page_response(request, page: CachedPage, *, immutable: bool) -> HttpResponse:
    """The page with its ``ETag`` and ``Cache-Control``, or 304 when the
    browser already has it."""
    etag = page.etag
    if page.gzipped and accepts_gzip(request):
        response = HttpResponse(page.gzipped, content_type=page.content_type)
        response["Content-Encoding"] = "gzip"
        # Another representation, so another tag (RFC 9110 8.8.3).
        etag = page.etag[:-1] + '-gz"'
    else:
        response = HttpResponse(page.content, content_type=page.content_type)
    response["ETag"] = etag
    patch_vary_headers(response, ["Accept-Encoding"])
    if immutable:
        patch_cache_control(
            response, public=True, max_age=IMMUTABLE_SECONDS, immutable=True
        )
    else:
        patch_cache_control(response, public=True, max_age=LATEST_SECONDS)
    response["Content-Language"] = get_language()
    return get_conditional_response(request, etag=etag, response=response)
