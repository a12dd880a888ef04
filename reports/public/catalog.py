"""The DCAT-AP catalogue of releases at a stable address, for harvesters
(data.gov.vn, CKAN): JSON-LD at ``/data/catalog.jsonld``, Turtle at
``/data/catalog.ttl``.

The document changes only when a release is published, so it is built once
per set of releases and address (kept in the cache) and served with an
``ETag`` and a short ``max-age``.
"""

import hashlib

from django.core.cache import cache
from django.db.models import Count, Max
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.views import View

from reports.releases.catalog import catalog_graph, catalog_serialise
from reports.releases.models import Release

CATALOG_MAX_AGE = 300
# Raise when the catalogue's content changes in a way a deployment must not mix.
CATALOG_CACHE_VERSION = "1"


class CatalogView(View):
    """The catalogue in one RDF serialisation."""

    rdf_format = "json-ld"
    content_type = "application/ld+json"

    def get(self, request):
        releases = Release.objects.aggregate(count=Count("pk"), last=Max("pk"))
        base = request.build_absolute_uri("/")
        key = (
            "catalog:"
            + hashlib.sha256(
                "|".join(
                    (
                        CATALOG_CACHE_VERSION,
                        self.rdf_format,
                        base,
                        str(releases["count"]),
                        str(releases["last"]),
                    )
                ).encode()
            ).hexdigest()
        )
        content = cache.get(key)
        if content is None:
            graph = catalog_graph(absolute=request.build_absolute_uri)
            content = catalog_serialise(graph, self.rdf_format)
            cache.set(key, content, None)
        etag = '"' + hashlib.sha256(content).hexdigest()[:32] + '"'
        response = HttpResponse(
            content, content_type=f"{self.content_type}; charset=utf-8"
        )
        response["ETag"] = etag
        patch_cache_control(response, public=True, max_age=CATALOG_MAX_AGE)
        return get_conditional_response(request, etag=etag, response=response)


class CatalogTurtleView(CatalogView):
    rdf_format = "turtle"
    content_type = "text/turtle"
