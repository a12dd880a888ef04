"""What the access matrix needs: every URL pattern of the portal, the objects
of province A its arguments point to, and a request that leaves no trace."""

import datetime
from dataclasses import dataclass

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from institutions.models import Category, Commune, FormerProvince, Institution
from jobs.models import ImportJob
from reports.entry.models import AnnualReport, ReportStatus, SheetReturn
from reports.notices.models import Notice
from reports.periods.models import PeriodExtension, ReportingPeriod
from reports.releases.models import Release
from reports.releases.services import release_publish
from targets.models import Target
from targets.services import targets_seed
from tests.conftest import PROVINCE_A
from tests.factories import InstitutionFactory, ReportFactory

ROLES = ["anonymous", "officer_a", "officer_b", "ministry_user", "administrator"]
YEAR = 2024


@dataclass(frozen=True)
class Route:
    """A URL pattern: its name (``namespace:name``), or its route when it has
    no name, and the full route."""

    key: str
    route: str
    name: str | None


def routes() -> list[Route]:
    """Every URL pattern of the URL configuration, recursively."""

    def walk(patterns, prefix="", namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = (
                        f"{namespace}:{pattern.namespace}"
                        if namespace
                        else pattern.namespace
                    )
                yield from walk(
                    pattern.url_patterns, prefix + str(pattern.pattern), inner
                )
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                name = pattern.name
                if name and namespace:
                    name = f"{namespace}:{name}"
                yield Route(key=name or route, route=route, name=name)

    return list(walk(get_resolver().url_patterns))


@dataclass
class ProvinceAObjects:
    """One object of each kind, in province A where it has a province."""

    institution: Institution
    report: AnnualReport
    commune: Commune
    former_province: FormerProvince
    target: Target
    officer_a: object
    token: Token
    group: Group
    attempt: AccessAttempt
    access_log: AccessLog
    failure_log: AccessFailureLog
    sheet_return: SheetReturn
    notice: Notice
    period: ReportingPeriod
    extension: PeriodExtension
    import_job: ImportJob
    release: Release


def province_a_objects(officer_a) -> ProvinceAObjects:
    if not Target.objects.exists():
        targets_seed()
    institution = InstitutionFactory(
        code="ACL-LIB",
        name="Thư viện Phân quyền",
        category=Category.LIBRARY_DISTRICT,
        province=PROVINCE_A,
        opened_year=2000,
    )
    report = ReportFactory(
        institution=institution,
        year=YEAR,
        lll_services=True,
        status=ReportStatus.SUBMITTED,
    )
    # Open today, so that it refuses no entry the other routes make.
    today = timezone.localdate()
    period = ReportingPeriod.objects.create(
        year=YEAR,
        opens_on=today - datetime.timedelta(days=30),
        due_on=today + datetime.timedelta(days=30),
        closes_on=today + datetime.timedelta(days=60),
    )
    attempt = AccessAttempt.objects.create(
        username="x", ip_address="127.0.0.1", failures_since_start=1
    )
    # A release of the year before, from an approved report of its own.
    ReportFactory(
        institution=InstitutionFactory(
            code="ACL-REL", province=PROVINCE_A, opened_year=2000
        ),
        year=YEAR - 1,
        status=ReportStatus.APPROVED,
    )
    release = release_publish(year=YEAR - 1)
    return ProvinceAObjects(
        institution=institution,
        report=report,
        commune=Commune.objects.filter(province_id=PROVINCE_A).first(),
        former_province=FormerProvince.objects.filter(province_id=PROVINCE_A).first(),
        target=Target.objects.order_by("position").first(),
        officer_a=officer_a,
        token=Token.objects.create(user=officer_a),
        group=Group.objects.first(),
        attempt=attempt,
        access_log=AccessLog.objects.create(username="x", ip_address="127.0.0.1"),
        failure_log=AccessFailureLog.objects.create(
            username="x", ip_address="127.0.0.1"
        ),
        sheet_return=SheetReturn.objects.create(
            province_id=PROVINCE_A, year=YEAR, comment="Bổ sung", reports=0
        ),
        notice=Notice.objects.create(
            recipient=officer_a, kind="reminder", subject="Nhắc hạn", url="/"
        ),
        period=period,
        extension=PeriodExtension.objects.create(
            period=period,
            province_id=PROVINCE_A,
            due_on=period.due_on,
            closes_on=period.closes_on,
            reason="Bão lũ",
        ),
        import_job=ImportJob.objects.create(
            user=officer_a, kind="reports", upload="1" * 32, file_name="a.csv"
        ),
        release=release,
    )


_ADMIN_OBJECTS = {
    "auth_group": lambda o: o.group.pk,
    "axes_accessattempt": lambda o: o.attempt.pk,
    "axes_accesslog": lambda o: o.access_log.pk,
    "axes_accessfailurelog": lambda o: o.failure_log.pk,
    "authtoken_tokenproxy": lambda o: o.token.user_id,
    "institutions_province": lambda o: PROVINCE_A,
    "institutions_commune": lambda o: o.commune.pk,
    "institutions_formerprovince": lambda o: o.former_province.pk,
    "institutions_userprofile": lambda o: o.officer_a.profile.pk,
    "institutions_institution": lambda o: o.institution.pk,
    "auth_user": lambda o: o.officer_a.pk,
    "targets_target": lambda o: o.target.pk,
    "reports_annualreport": lambda o: o.report.pk,
    "reports_sheetreturn": lambda o: o.sheet_return.pk,
    "reports_reportingperiod": lambda o: o.period.pk,
    "reports_release": lambda o: o.release.pk,
}
UPLOAD_TOKEN = "0" * 32  # not an upload of the requesting session


def url_for(route: Route, objects: ProvinceAObjects) -> str:
    """The URL of ``route`` for the objects of province A."""
    o = objects
    kwargs = {
        "institutions:detail": {"pk": o.institution.pk},
        "institutions:update": {"pk": o.institution.pk},
        "institutions:close": {"pk": o.institution.pk},
        "institutions:export": {"file_format": "csv"},
        "institutions:import-preview": {"token": UPLOAD_TOKEN},
        "reports:province": {"code": PROVINCE_A},
        "reports:dashboard_export": {"table": "overview", "file_format": "csv"},
        "reports:detail": {"pk": o.report.pk},
        "reports:edit": {"institution_pk": o.institution.pk, "year": YEAR},
        "reports:submit": {"pk": o.report.pk},
        "reports:approve": {"pk": o.report.pk},
        "reports:return": {"pk": o.report.pk},
        "reports:reopen": {"pk": o.report.pk},
        "reports:review_sheet": {"province": PROVINCE_A, "year": YEAR},
        "reports:grid_export": {"file_format": "csv"},
        "reports:review_console": {"province": PROVINCE_A, "year": YEAR},
        "reports:review_console_approve": {"province": PROVINCE_A, "year": YEAR},
        "reports:review_console_return": {"province": PROVINCE_A, "year": YEAR},
        "reports:comment": {"pk": o.report.pk},
        "reports:upload_preview": {"token": UPLOAD_TOKEN},
        "reports:notice_open": {"pk": o.notice.pk},
        "reports:period": {"year": YEAR},
        "reports:extension_create": {"year": YEAR},
        "reports:extension": {"year": YEAR, "pk": o.extension.pk},
        "reports:release": {"number": o.release.number},
        "api:province-detail": {"code": PROVINCE_A},
        "api:former-province-detail": {"former_code": o.former_province.pk},
        "api:institution-detail": {"code": o.institution.code},
        "api:report-detail": {"pk": o.report.pk},
        "api:release-detail": {"number": o.release.number},
        "api:release-progress": {"number": o.release.number},
        **_public_kwargs(o),
        "jobs:detail": {"pk": o.import_job.pk},
        "jobs:status": {"pk": o.import_job.pk},
    }
    if route.name is None:  # the admin's unnamed patterns
        if route.route.endswith("(?P<url>.*)$"):
            return "/admin/no-such-page/"
        model = route.route.split("/")[1] + "_" + route.route.split("/")[2]
        return "/" + route.route.replace(
            "<path:object_id>", str(_ADMIN_OBJECTS[model](o))
        )
    if route.name == "admin:view_on_site":
        content_type = ContentType.objects.get_for_model(Institution)
        return reverse(route.name, args=[content_type.pk, o.institution.pk])
    if route.name == "admin:app_list":
        return reverse(route.name, kwargs={"app_label": "institutions"})
    if route.name == "admin:auth_user_password_change":
        return reverse(route.name, args=[o.officer_a.pk])
    if route.name.endswith("_simple_history"):
        model = route.name.removeprefix("admin:").removesuffix("_simple_history")
        object_id = _ADMIN_OBJECTS[model](o)
        history_id = _history_id(model, object_id)
        return reverse(route.name, args=[object_id, history_id])
    if route.name.startswith("admin:") and "<path:object_id>" in route.route:
        model = route.name.removeprefix("admin:").rsplit("_", 1)[0]
        return reverse(route.name, args=[_ADMIN_OBJECTS[model](o)])
    return reverse(route.name, kwargs=kwargs.get(route.name, {}))


def _public_kwargs(o: ProvinceAObjects) -> dict[str, dict]:
    """The public pages of the release (reports.public.urls): each for the
    latest release and for the numbered one."""
    number = o.release.number
    pages = {
        "province": {"code": PROVINCE_A},
        "embed_card": {"position": o.target.position},
        "embed_chart": {"position": o.target.position},
    }
    kwargs = {
        "public:release_file": {"number": number, "name": "manifest.json"},
        "public:release_zip": {"number": number},
    }
    for page in ("overview", "trends", "provinces", "revisions", "files", *pages):
        kwargs[f"public:{page}"] = pages.get(page, {})
        kwargs[f"public:release_{page}"] = {"number": number, **pages.get(page, {})}
    return kwargs


def _history_id(model: str, object_id) -> int:
    history = {
        "institutions_institution": Institution,
        "targets_target": Target,
        "reports_annualreport": AnnualReport,
        "reports_reportingperiod": ReportingPeriod,
    }[model].history
    return history.filter(id=object_id).order_by("history_id").first().history_id


class _Undo(Exception):
    pass


def request_undone(client, method: str, url: str, **extra) -> int:
    """Sends the request and undoes whatever it wrote; returns the status."""
    status = None
    try:
        with transaction.atomic():
            status = getattr(client, method)(url, **extra).status_code
            raise _Undo
    except _Undo:
        pass
    return status
