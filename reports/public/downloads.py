"""A release's files for everyone: the page that lists them, each file, and
all of them in one zip. The files are built from the snapshot
(:mod:`reports.releases.files`) once and kept: a release never changes, so
neither do they, and they are served with ``Cache-Control: immutable``."""

import hashlib

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import gettext as _
from django.views import View

from reports.public.caching import IMMUTABLE_SECONDS
from reports.public.selectors import release_get
from reports.public.views import PublicPageView
from reports.releases.files import release_built, zip_name


def _download(request, content: bytes, media_type: str, name: str) -> HttpResponse:
    etag = '"' + hashlib.sha256(content).hexdigest()[:32] + '"'
    response = HttpResponse(content, content_type=media_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["ETag"] = etag
    patch_cache_control(
        response, public=True, max_age=IMMUTABLE_SECONDS, immutable=True
    )
    return get_conditional_response(request, etag=etag, response=response)


class FileView(View):
    """One file of a release, by its name in the manifest."""

    def get(self, request, number: str, name: str):
        release = release_get(number)
        file = release_built(release).files.get(name)
        if file is None:
            raise Http404(_("The release has no file of this name."))
        return _download(
            request, file.content, file.media_type, f"{release.number}-{name}"
        )


class ZipView(View):
    """Every file of a release in one zip."""

    def get(self, request, number: str):
        release = release_get(number)
        return _download(
            request, release_built(release).zip, "application/zip", zip_name(release)
        )


class FilesView(PublicPageView):
    """The release's files with their sizes and SHA-256, the zip, and where
    machines read the same data (the API, the catalogue)."""

    template_name = "public/files.html"
    tab = "files"
    url_name = "files"

    def context(self, figures, links, params, **kwargs) -> dict:
        release = self.release
        built = release_built(release)
        manifest = built.manifest
        return {
            "title": _("Data and API"),
            "files": [
                {
                    **entry,
                    "url": reverse(
                        "public:release_file", args=[release.number, entry["name"]]
                    ),
                }
                for entry in manifest["files"]
            ],
            "zip_url": reverse("public:release_zip", args=[release.number]),
            "zip_bytes": len(built.zip),
            "api_urls": _api_urls(release.number),
        }


def _api_urls(number: str) -> list[tuple[str, str]]:
    """The machine-readable addresses of the release."""
    wanted = [
        (_("Releases (JSON)"), "api:release-list", {}),
        (_("This release (JSON)"), "api:release-detail", {"number": number}),
        (_("Its figures (JSON)"), "api:release-progress", {"number": number}),
        (_("Catalogue (DCAT-AP, JSON-LD)"), "catalog:jsonld", {}),
        (_("Catalogue (DCAT-AP, Turtle)"), "catalog:turtle", {}),
        (_("API documentation"), "api:docs", {}),
    ]
    return [(label, reverse(name, kwargs=kwargs)) for label, name, kwargs in wanted]
