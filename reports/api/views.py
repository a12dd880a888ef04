"""The read-only JSON API: provinces, former provinces, institutions, annual
reports and progress, scoped by role exactly like the pages.

Ministry staff and administrators see every province; a provincial officer
sees only their own; anonymous requests get 401. Field names are English and
follow programme/formats.md: they are a contract, never translated. Every
endpoint only reads: writes go through the pages, the admin and the commands.
"""

import django_filters
from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from institutions.filters import InstitutionFilterSet as RegistryFilterSet
from institutions.formats import COLUMNS as INSTITUTION_COLUMNS
from institutions.models import (
    Category,
    FormerProvince,
    Institution,
    Province,
)
from institutions.selectors import institution_visible_list, province_visible_list
from lifelong_learning.pagination import BoundedPaginator
from lifelong_learning.roles import (
    user_can_see_province,
    user_province,
    user_sees_all_provinces,
)
from lifelong_learning.tabular import province_code_normalise
from lifelong_learning.years import YEAR_MAX, YEAR_MIN
from reports.entry.formats import COLUMNS as REPORT_COLUMNS
from reports.entry.models import AnnualReport, ReportStatus
from reports.progress.figures import NATION, progress_rows
from reports.progress.progress import Status
from reports.progress.years import data_year_message
from targets.indicators import Kind


class Pagination(PageNumberPagination):
    """100 objects a page by default; ``page_size`` asks for up to
    ``settings.MAX_PAGE_SIZE``."""

    page_size = 100
    page_size_query_param = "page_size"
    django_paginator_class = BoundedPaginator

    @property
    def max_page_size(self) -> int:
        return settings.MAX_PAGE_SIZE


def report_visible_list(*, user) -> QuerySet[AnnualReport]:
    """Annual reports of the institutions the user may see (every province,
    the officer's own, or none, as :func:`institution_visible_list`), in every
    status."""
    reports = AnnualReport.objects.select_related("institution")
    if user_sees_all_provinces(user):
        return reports
    own = user_province(user)
    if own is None:
        return reports.none()
    return reports.filter(institution__province=own)


# Serializers ---------------------------------------------------------------


class ProvinceSerializer(serializers.ModelSerializer):
    code = serializers.CharField(
        read_only=True, help_text="GSO code in the list of the 34 current provinces."
    )

    class Meta:
        model = Province
        fields = ["code", "name", "division_type"]
        read_only_fields = fields


class FormerProvinceSerializer(serializers.ModelSerializer):
    former_code = serializers.CharField(
        source="code",
        read_only=True,
        help_text="GSO code in the list of the 63 provinces before 2025.",
    )
    province_code = serializers.CharField(
        source="province_id",
        read_only=True,
        help_text="Code of the current province it merged into (list of 34).",
    )

    class Meta:
        model = FormerProvince
        fields = ["former_code", "name", "province_code"]
        read_only_fields = fields


class InstitutionSerializer(serializers.ModelSerializer):
    """The columns of the institution exchange format (formats.md)."""

    province_code = serializers.CharField(
        source="province_id",
        read_only=True,
        help_text="Code of one of the 34 current provinces.",
    )
    legacy_province_code = serializers.CharField(
        source="former_province_id",
        read_only=True,
        allow_null=True,
        help_text="Code of the former province (list of 63) the record was kept "
        "under, if any.",
    )
    commune_code = serializers.CharField(
        source="commune_id", read_only=True, allow_null=True
    )

    class Meta:
        model = Institution
        fields = list(INSTITUTION_COLUMNS)
        read_only_fields = fields


class AnnualReportSerializer(serializers.ModelSerializer):
    """The columns of the annual-report exchange format (formats.md), with the
    review status, the version and the time of the last change."""

    institution_code = serializers.CharField(source="institution.code", read_only=True)

    class Meta:
        model = AnnualReport
        fields = ["id", *REPORT_COLUMNS, "status", "version", "updated_at"]
        read_only_fields = fields


class ProgressQuerySerializer(serializers.Serializer):
    """The options of ``manage.py progress``, with the same checks."""

    year = serializers.IntegerField(
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        help_text="Data year, from the baseline year to the last target year.",
    )
    province = serializers.CharField(
        required=False,
        max_length=2,
        help_text='Code of a current province ("1" is read as "01"), or "VN" for '
        "the nation. Defaults to the officer's own province, and to the nation "
        "for everyone else.",
    )
    approved_only = serializers.BooleanField(
        default=False, help_text="Count approved reports only."
    )

    def validate_year(self, value: int) -> int:
        message = data_year_message(value)
        if message:
            raise serializers.ValidationError(message)
        return value

    def validate_province(self, value: str) -> str:
        if value == NATION:
            return value
        code = province_code_normalise(value)
        if not Province.objects.filter(pk=code).exists():
            raise serializers.ValidationError(_("Unknown province code."))
        return code


class ProgressRowSerializer(serializers.Serializer):
    """One target row, as in the output of the ``progress`` command. Share rows
    carry numerator to share_among_reporters (the timeliness on_time and
    on_time_rate beside reporting_rate); growth rows panel to year_total."""

    family = serializers.CharField()
    categories = serializers.ListField(child=serializers.CharField())
    kind = serializers.ChoiceField(choices=Kind.choices)
    target_year = serializers.IntegerField()
    threshold = serializers.FloatField()
    upper = serializers.FloatField(allow_null=True)
    value = serializers.FloatField(allow_null=True)
    status = serializers.ChoiceField(choices=Status.choices)
    numerator = serializers.IntegerField(required=False)
    denominator = serializers.IntegerField(required=False)
    reporters = serializers.IntegerField(required=False)
    reporting_rate = serializers.FloatField(required=False, allow_null=True)
    on_time = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="Active institutions whose report was first submitted by their "
        "province's due date (extension included; a calendar day in Vietnam); "
        "null for a year without a reporting period.",
    )
    on_time_rate = serializers.FloatField(
        required=False,
        allow_null=True,
        help_text="Timeliness: 100 × on_time / denominator, rounded half up to "
        "one decimal like reporting_rate; null without a reporting period or "
        "active institution.",
    )
    share_among_reporters = serializers.FloatField(required=False, allow_null=True)
    panel = serializers.IntegerField(required=False)
    base_total = serializers.IntegerField(required=False)
    year_total = serializers.IntegerField(required=False)


class ProgressSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    area = serializers.CharField(help_text='"VN" or a current province code.')
    rows = ProgressRowSerializer(many=True)


# Filters -------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.INT)
class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", YEAR_MIN)
        kwargs.setdefault("max_value", YEAR_MAX)
        super().__init__(*args, **kwargs)


class InstitutionFilterSet(django_filters.FilterSet):
    province = django_filters.CharFilter(
        field_name="province_id", help_text="Current province code."
    )
    category = django_filters.ChoiceFilter(choices=Category.choices)
    active_in_year = YearFilter(method="active_in", help_text="Active in this year.")
    q = django_filters.CharFilter(
        method="search",
        help_text="Part of the name, with or without diacritics, or of the code.",
    )

    class Meta:
        model = Institution
        fields = ["province", "category", "active_in_year", "q"]

    # The same search and activity rule as the registry's list page.
    active_in = RegistryFilterSet.active_in
    search = RegistryFilterSet.search


class AnnualReportFilterSet(django_filters.FilterSet):
    year = YearFilter()
    province = django_filters.CharFilter(
        field_name="institution__province_id", help_text="Current province code."
    )
    status = django_filters.ChoiceFilter(choices=ReportStatus.choices)
    category = django_filters.ChoiceFilter(
        field_name="institution__category", choices=Category.choices
    )

    class Meta:
        model = AnnualReport
        fields = ["year", "province", "status", "category"]


# Views ---------------------------------------------------------------------


class ProvinceFenceMixin:
    """Like the pages: an object of a province the user may not see is 403 (not
    404), and so is a list filtered on such a province."""

    def unscoped_queryset(self):
        return self.serializer_class.Meta.model.objects.all()

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            lookup = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
            if self.unscoped_queryset().filter(**{self.lookup_field: lookup}).exists():
                raise PermissionDenied(
                    _("You may not see the data of this province.")
                ) from None
            raise

    def list(self, request, *args, **kwargs):
        province = request.query_params.get("province", "")
        # ASCII digits only: "²" is a digit to isdigit() but not to int().
        code = province.isascii() and province.isdigit() and f"{int(province):02d}"
        if code and not user_can_see_province(request.user, code):
            raise PermissionDenied(_("You may not see the data of this province."))
        return super().list(request, *args, **kwargs)


class ProvinceViewSet(ProvinceFenceMixin, viewsets.ReadOnlyModelViewSet):
    """The 34 current provinces (a provincial officer: their own)."""

    serializer_class = ProvinceSerializer
    lookup_field = "code"
    lookup_value_regex = "[0-9]{2}"
    pagination_class = None

    def get_queryset(self):
        return province_visible_list(user=self.request.user)


class FormerProvinceViewSet(viewsets.ReadOnlyModelViewSet):
    """The 63 provinces before 2025 and the current province each merged into
    (a provincial officer: those merged into their own)."""

    serializer_class = FormerProvinceSerializer
    lookup_field = "code"
    lookup_url_kwarg = "former_code"
    lookup_value_regex = "[0-9]{2}"
    pagination_class = None

    def get_queryset(self):
        return FormerProvince.objects.filter(
            province__in=province_visible_list(user=self.request.user)
        )


class InstitutionViewSet(ProvinceFenceMixin, viewsets.ReadOnlyModelViewSet):
    """Institutions of the registry that the user may see."""

    serializer_class = InstitutionSerializer
    pagination_class = Pagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = InstitutionFilterSet
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z0-9._-]{1,40}"

    def get_queryset(self):
        return institution_visible_list(user=self.request.user)


class AnnualReportViewSet(ProvinceFenceMixin, viewsets.ReadOnlyModelViewSet):
    """Annual reports of the institutions the user may see, in every status."""

    serializer_class = AnnualReportSerializer
    pagination_class = Pagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = AnnualReportFilterSet
    lookup_value_regex = "[0-9]{1,18}"

    def get_queryset(self):
        # Newest year first; the id keeps pages stable without a join to sort.
        return report_visible_list(user=self.request.user).order_by("-year", "pk")


class ProgressView(APIView):
    """Progress towards every target row in a year, for the nation or one
    province: the same object as ``manage.py progress --format json``.

    National figures are open to every signed-in user; a province's figures
    to those who may see the province. A provincial officer's default area is
    their own province.
    """

    @extend_schema(parameters=[ProgressQuerySerializer], responses=ProgressSerializer)
    def get(self, request):
        query = ProgressQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data["year"]
        area = query.validated_data.get("province") or self._default_area(request.user)
        if area != NATION and not user_can_see_province(request.user, area):
            raise PermissionDenied(_("You may not see the figures of this province."))
        rows = progress_rows(
            year=year,
            province_code=None if area == NATION else area,
            approved_only=query.validated_data["approved_only"],
        )
        return Response({"year": year, "area": area, "rows": rows})

    @staticmethod
    def _default_area(user) -> str:
        own = None if user_sees_all_provinces(user) else user_province(user)
        return own.code if own else NATION
