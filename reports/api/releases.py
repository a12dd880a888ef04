"""The anonymous, read-only JSON API of official releases.

Anyone may read the releases and their frozen figures, without signing in:
they are what the public pages show. A release never changes, so its detail
and its figures carry an ``ETag`` (from the snapshot's SHA-256) and may be
cached forever; the list grows when a release is published and is cached
briefly. Every client is throttled (scope ``releases`` of
``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``, set by the environment variable
``RELEASES_THROTTLE_RATE``).
"""

import hashlib
import json

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from lifelong_learning.tabular import province_code_normalise
from reports.api.views import ProgressSerializer
from reports.progress.figures import NATION
from reports.releases.catalog import release_page_url, release_zip_url
from reports.releases.models import Release

NUMBER_PATTERN = r"[0-9]{4}-[0-9]{1,5}"
# Any number reaches the views, so an unknown or malformed one is answered in
# JSON, naming it, like every other answer of the API (not the HTML 404 page).
NUMBER_ROUTE = r"[^/]+"
IMMUTABLE = "public, max-age=31536000, immutable"
LIST_MAX_AGE = 300


def release_links(request, release: Release) -> dict:
    """Absolute URLs of a release: its figures in the API, its public page and
    the zip of its files."""
    absolute = request.build_absolute_uri
    progress = reverse("api:release-progress", kwargs={"number": release.number})
    return {
        "progress": absolute(progress),
        "page": release_page_url(release.number, absolute),
        "zip": release_zip_url(release.number, absolute),
    }


def previous_number(release: Release) -> str | None:
    """The release of the same year this one corrects (sequences have no gaps)."""
    if release.sequence <= 1:
        return None
    return f"{release.year}-{release.sequence - 1}"


class ReleaseLinksSerializer(serializers.Serializer):
    progress = serializers.URLField(
        help_text="The frozen figures of the nation; add ?province=01 for a province."
    )
    page = serializers.URLField(help_text="The release's public page.")
    zip = serializers.URLField(
        help_text="Every file of the release (PDF, CSV, XLSX, JSON and "
        "manifest.json) in one zip.",
    )


class ReleaseSerializer(serializers.ModelSerializer):
    """An official release: the frozen figures of a data year."""

    number = serializers.CharField(
        help_text="Data year and sequence, e.g. 2025-1; a correction is 2025-2."
    )
    year = serializers.IntegerField(help_text="The data year.")
    sequence = serializers.IntegerField(help_text="1 for the first release of a year.")
    publisher = serializers.CharField(help_text="The agency that publishes the data.")
    notes = serializers.CharField(help_text="What the release holds or corrects.")
    snapshot_sha256 = serializers.CharField(
        help_text="SHA-256 of the frozen snapshot every figure is read from."
    )
    previous = serializers.SerializerMethodField(
        help_text="Number of the release of the same year this one corrects, "
        "or null for the first."
    )
    links = serializers.SerializerMethodField()

    class Meta:
        model = Release
        fields = [
            "number",
            "year",
            "sequence",
            "published_at",
            "publisher",
            "notes",
            "snapshot_sha256",
            "previous",
            "links",
        ]
        read_only_fields = fields

    def get_previous(self, release: Release) -> str | None:
        return previous_number(release)

    @extend_schema_field(ReleaseLinksSerializer)
    def get_links(self, release: Release) -> dict:
        return release_links(self.context["request"], release)


class NotFoundSerializer(serializers.Serializer):
    detail = serializers.CharField(
        help_text='What was not found, in the language asked for, e.g. "No '
        'release 2099-1."'
    )


class ReleaseProgressQuerySerializer(serializers.Serializer):
    province = serializers.CharField(
        required=False,
        help_text='Code of a province of the release ("1" is read as "01"), or '
        '"VN" for the nation (the default).',
    )


class ReleaseThrottle(ScopedRateThrottle):
    """DRF's scoped throttle, reading its rates when asked (not at import), so
    a changed setting applies at once."""

    @property
    def THROTTLE_RATES(self):
        return api_settings.DEFAULT_THROTTLE_RATES


class ReleaseAPIView(APIView):
    """Open to everyone; throttled per client (a signed-in user by account,
    anyone else by address)."""

    permission_classes = [AllowAny]
    throttle_classes = [ReleaseThrottle]
    throttle_scope = "releases"

    @staticmethod
    def release_get(releases: QuerySet, number: str) -> Release:
        """The release ``number``, or a 404 naming it in the client's language."""
        try:
            return releases.get(number=number)
        except Release.DoesNotExist:
            raise NotFound(_("No release %(number)s.") % {"number": number}) from None

    @staticmethod
    def immutable(request, response: Response, etag: str):
        """``response`` with the headers of a resource that never changes, or
        304 Not Modified when the client already holds it."""
        not_modified = get_conditional_response(request, etag=etag)
        if not_modified is not None:
            response = not_modified
        response["ETag"] = etag
        response["Cache-Control"] = IMMUTABLE
        return response


NUMBER = OpenApiParameter(
    "number",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="The release's number: data year and sequence.",
    pattern=f"^{NUMBER_PATTERN}$",
    examples=[OpenApiExample("The first release of 2024", value="2024-1")],
)
NOT_FOUND = OpenApiResponse(
    response=NotFoundSerializer, description="No release has this number."
)
THROTTLED = OpenApiResponse(
    description="Too many requests from this client: wait the seconds of the "
    "Retry-After header."
)
NOT_MODIFIED = OpenApiResponse(
    description="The ETag given in If-None-Match is current: a release never changes."
)


class ReleaseListView(ReleaseAPIView):
    @extend_schema(
        operation_id="releases_list",
        summary="Every official release, newest first",
        description="Open to everyone, no sign-in. Each release freezes the "
        "figures of a data year from approved reports; it never changes, and a "
        "correction is a new release of the same year. The list is cached for "
        "a few minutes (it grows when a release is published). The DCAT-AP "
        "catalogue of the same releases is at /data/catalog.jsonld.",
        responses={200: ReleaseSerializer(many=True), 429: THROTTLED},
        auth=[],
    )
    def get(self, request):
        releases = Release.objects.defer("snapshot").order_by("-published_at", "-pk")
        data = ReleaseSerializer(releases, many=True, context={"request": request})
        response = Response(data.data)
        response["Cache-Control"] = f"public, max-age={LIST_MAX_AGE}"
        return response


class ReleaseDetailView(ReleaseAPIView):
    @extend_schema(
        operation_id="releases_retrieve",
        summary="One official release",
        description="Open to everyone. Served with an ETag and "
        "Cache-Control: immutable; If-None-Match gives 304.",
        parameters=[NUMBER],
        responses={
            200: ReleaseSerializer,
            304: NOT_MODIFIED,
            404: NOT_FOUND,
            429: THROTTLED,
        },
        auth=[],
    )
    def get(self, request, number: str):
        release = self.release_get(Release.objects.defer("snapshot"), number)
        data = ReleaseSerializer(release, context={"request": request}).data
        return self.immutable(request, Response(data), f'"{release.snapshot_sha256}"')


class ReleaseProgressView(ReleaseAPIView):
    @extend_schema(
        operation_id="releases_progress",
        summary="The frozen figures of a release",
        description="Progress towards every target row for the nation or one "
        "province, exactly as `manage.py progress --format json` printed it "
        "when the release was published (approved reports only). Open to "
        "everyone; served with an ETag and Cache-Control: immutable.",
        parameters=[NUMBER, ReleaseProgressQuerySerializer],
        responses={
            200: ProgressSerializer,
            304: NOT_MODIFIED,
            400: OpenApiResponse(
                description="The province parameter names no province of the release."
            ),
            404: NOT_FOUND,
            429: THROTTLED,
        },
        auth=[],
    )
    def get(self, request, number: str):
        release = self.release_get(Release.objects.all(), number)
        snapshot = json.loads(release.snapshot)
        area = self._area(request.query_params.get("province"), snapshot)
        digest = hashlib.sha256(
            f"{release.snapshot_sha256}:{area}".encode()
        ).hexdigest()
        data = {"year": release.year, "area": area, "rows": snapshot["rows"][area]}
        return self.immutable(request, Response(data), f'"{digest}"')

    @staticmethod
    def _area(value: str | None, snapshot: dict) -> str:
        if value is None or value.strip().upper() == NATION:
            return NATION
        code = province_code_normalise(value)
        if code not in snapshot["rows"] or code == NATION:
            raise ValidationError(
                {
                    "province": [
                        _(
                            "Unknown province code %(code)s: give the two-digit "
                            "code of a current province, or VN for the nation."
                        )
                        % {"code": value}
                    ]
                }
            )
        return code
