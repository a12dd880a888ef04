"""The access matrix: every URL of the portal (pages, exports, API, admin,
uploads) × every role (anonymous, officer of province A, officer of province
B, ministry staff, administrator), with arguments pointing at objects of
province A, answers GET and POST with the status written below.

The URLs are read from the URL configuration, so a new URL that is missing
here fails the test: add it with the statuses it should give. Each request is
undone afterwards (and each role logs in again), so requests do not affect
each other. CSRF checks are off in the test client: this is about who may do
what, not about forged requests.
"""

import pytest

from .access import ROLES, province_a_objects, request_undone, routes, url_for

pytestmark = pytest.mark.django_db

# For each URL (its name, or its route when it has none): "GET/POST" status for
# anonymous, officer_a, officer_b, ministry_user, administrator.
# 302 for anonymous users: to the login page. 403: signed in, not allowed.
# Officer B gets 403 on province A's objects, in pages and API alike (a former
# province of A is 404: the API lists only former provinces of their own).
# Admin pages: only administrators (staff); axes' logs are not theirs.
ADMINISTRATORS_ONLY = "302/302 302/302 302/302 302/302 200/200"
NO_ADMINISTRATOR_PERMISSION = "302/302 302/302 302/302 302/302 403/403"
# An object's bare admin address redirects (to the login page or the change page).
ADMIN_REDIRECT = "302/302 302/302 302/302 302/302 302/302"
# Open data: every role reads, nobody writes.
PUBLIC = "200/405 200/405 200/405 200/405 200/405"
EXPECTED = {
    "home": "200/405 200/405 200/405 200/405 200/405",
    "methodology": "200/405 200/405 200/405 200/405 200/405",
    "login": "200/200 200/200 200/200 200/200 200/200",
    "logout": "405/302 405/302 405/302 405/302 405/302",
    "password_change": "302/302 200/200 200/200 200/200 200/200",
    "password_change_done": "302/302 200/405 200/405 200/405 200/405",
    "institutions:list": "302/302 200/405 200/405 200/405 200/405",
    "institutions:create": "302/302 200/200 200/200 403/403 200/200",
    "institutions:detail": "302/302 200/405 403/405 200/405 200/405",
    "institutions:update": "302/302 200/200 403/403 403/403 200/200",
    "institutions:close": "302/302 200/200 403/403 403/403 200/200",
    "institutions:export": "302/302 200/405 200/405 200/405 200/405",
    "institutions:import": "302/302 200/200 200/200 403/403 200/200",
    "institutions:import-preview": "302/302 404/404 404/404 403/403 404/404",
    "institutions:template": "302/302 200/405 200/405 200/405 200/405",
    "institutions:communes": "302/302 200/405 200/405 200/405 200/405",
    "reports:dashboard": "302/302 302/405 302/405 200/405 200/405",
    "reports:trends": "302/302 200/405 200/405 200/405 200/405",
    "reports:provinces": "302/302 200/405 200/405 200/405 200/405",
    "reports:province": "302/302 200/405 403/405 200/405 200/405",
    "reports:dashboard_export": "302/302 200/405 200/405 200/405 200/405",
    "reports:report_pdf": "302/302 403/405 403/405 200/405 200/405",
    "reports:sheet": "302/302 200/302 200/302 200/403 200/302",
    # Province A's sheet has a submitted report only: nothing to submit, so
    # the confirmation sends people back to the sheet (302); the ministry
    # may not submit (403).
    "reports:sheet_submit": "302/302 302/302 302/302 403/403 302/302",
    "reports:detail": "302/302 200/400 403/403 200/403 200/400",
    "reports:edit": "302/302 200/400 403/403 200/403 200/400",
    "reports:submit": "302/302 405/302 405/403 403/403 405/302",
    "reports:approve": "302/302 403/403 403/403 405/302 405/302",
    "reports:return": "302/302 403/403 403/403 405/302 405/302",
    "reports:reopen": "302/302 403/403 403/403 405/302 405/302",
    "reports:review": "302/302 403/403 403/403 200/405 200/405",
    "reports:review_sheet": "302/302 403/403 403/403 200/404 200/404",
    "reports:grid": "302/302 403/403 403/403 200/405 200/405",
    "reports:grid_export": "302/302 403/403 403/403 200/405 200/405",
    # Nothing chosen: back to the grid, saying so.
    "reports:grid_approve": "302/302 403/403 403/403 302/302 302/302",
    # Nothing chosen: the console's confirmation pages send reviewers back to
    # it (302); a reply to a report without a thread is refused the same way.
    "reports:review_console": "302/302 403/403 403/403 200/405 200/405",
    "reports:review_console_approve": "302/302 403/403 403/403 302/302 302/302",
    "reports:review_console_return": "302/302 403/403 403/403 302/302 302/302",
    "reports:comment": "302/302 405/302 405/403 405/302 405/302",
    "reports:upload": "302/302 200/200 200/200 403/403 200/200",
    "reports:upload_template": "302/302 200/405 200/405 403/403 200/405",
    "reports:upload_preview": "302/302 404/404 404/404 403/403 404/404",
    # An import's page and status: the person who confirmed it (officer A)
    # and administrators; not found for anyone else.
    "jobs:detail": "302/302 200/405 404/405 404/405 200/405",
    "jobs:status": "302/302 200/405 404/405 404/405 200/405",
    # Notices: everyone's own; another person's notice is not found (404).
    "reports:notices": "302/302 200/405 200/405 200/405 200/405",
    "reports:notice_open": "302/302 302/405 404/405 404/405 404/405",
    "reports:notices_read": "302/302 405/302 405/302 405/302 405/302",
    "reports:notice_settings": "302/302 200/302 200/302 200/302 200/302",
    # Reporting periods: ministry staff and administrators; a bare POST is an
    # invalid form, shown again (200).
    "reports:periods": "302/302 403/403 403/403 200/405 200/405",
    "reports:period_create": "302/302 403/403 403/403 200/200 200/200",
    "reports:period": "302/302 403/403 403/403 200/200 200/200",
    "reports:extension_create": "302/302 403/403 403/403 200/200 200/200",
    "reports:extension": "302/302 403/403 403/403 200/200 200/200",
    # Releases (staff pages): ministry staff and administrators; a bare POST
    # is an invalid form, shown again (200); the confirmation is POST only.
    "reports:releases": "302/302 403/403 403/403 200/405 200/405",
    "reports:release": "302/302 403/403 403/403 200/405 200/405",
    "reports:release_publish": "302/302 403/403 403/403 200/200 200/200",
    "reports:release_publish_confirm": "302/302 403/403 403/403 405/200 405/200",
    "api:progress": "401/401 400/405 400/405 400/405 400/405",
    "api:schema": "200/405 200/405 200/405 200/405 200/405",
    "api:docs": "200/405 200/405 200/405 200/405 200/405",
    "api:province-list": "401/401 200/405 200/405 200/405 200/405",
    "api:province-detail": "401/401 200/405 403/405 200/405 200/405",
    "api:former-province-list": "401/401 200/405 200/405 200/405 200/405",
    "api:former-province-detail": "401/401 200/405 404/405 200/405 200/405",
    "api:institution-list": "401/401 200/405 200/405 200/405 200/405",
    "api:institution-detail": "401/401 200/405 403/405 200/405 200/405",
    "api:report-list": "401/401 200/405 200/405 200/405 200/405",
    "api:report-detail": "401/401 200/405 403/405 200/405 200/405",
    # Releases are open data: anyone reads them; nobody writes.
    "api:release-list": "200/405 200/405 200/405 200/405 200/405",
    "api:release-detail": "200/405 200/405 200/405 200/405 200/405",
    "api:release-progress": "200/405 200/405 200/405 200/405 200/405",
    "catalog:jsonld": "200/405 200/405 200/405 200/405 200/405",
    "catalog:turtle": "200/405 200/405 200/405 200/405 200/405",
    # The public pages of releases: anyone reads them; nobody writes. The
    # release drop-down's answer redirects to the page chosen.
    "public:choose": "302/405 302/405 302/405 302/405 302/405",
    "public:release_file": PUBLIC,
    "public:release_zip": PUBLIC,
    "public:overview": PUBLIC,
    "public:release_overview": PUBLIC,
    "public:trends": PUBLIC,
    "public:release_trends": PUBLIC,
    "public:provinces": PUBLIC,
    "public:release_provinces": PUBLIC,
    "public:province": PUBLIC,
    "public:release_province": PUBLIC,
    "public:revisions": PUBLIC,
    "public:release_revisions": PUBLIC,
    "public:files": PUBLIC,
    "public:release_files": PUBLIC,
    "public:embed_card": PUBLIC,
    "public:release_embed_card": PUBLIC,
    "public:embed_chart": PUBLIC,
    "public:release_embed_chart": PUBLIC,
    "audit": "302/302 403/403 403/403 200/405 200/405",
    "set_language": "302/302 302/302 302/302 302/302 302/302",
    "admin:index": ADMINISTRATORS_ONLY,
    "admin:login": "200/200 200/200 200/200 200/200 302/200",
    "admin:logout": "302/302 302/302 302/302 302/302 405/302",
    "admin:password_change": ADMINISTRATORS_ONLY,
    "admin:password_change_done": "302/302 302/302 302/302 302/302 200/405",
    "admin:autocomplete": "302/302 302/302 302/302 302/302 403/405",
    "admin:jsi18n": "302/302 302/302 302/302 302/302 200/405",
    "admin:view_on_site": "302/302 302/302 302/302 302/302 302/302",
    "admin:auth_group_changelist": ADMINISTRATORS_ONLY,
    "admin:auth_group_add": ADMINISTRATORS_ONLY,
    "admin:auth_group_history": ADMINISTRATORS_ONLY,
    "admin:auth_group_delete": ADMINISTRATORS_ONLY,
    "admin:auth_group_change": ADMINISTRATORS_ONLY,
    "admin/auth/group/<path:object_id>/": ADMIN_REDIRECT,
    "admin:axes_accessattempt_changelist": NO_ADMINISTRATOR_PERMISSION,
    "admin:axes_accessattempt_add": NO_ADMINISTRATOR_PERMISSION,
    "admin:axes_accessattempt_history": NO_ADMINISTRATOR_PERMISSION,
    "admin:axes_accessattempt_delete": NO_ADMINISTRATOR_PERMISSION,
    "admin:axes_accessattempt_change": NO_ADMINISTRATOR_PERMISSION,
    "admin/axes/accessattempt/<path:object_id>/": ADMIN_REDIRECT,
    "admin:axes_accesslog_changelist": NO_ADMINISTRATOR_PERMISSION,
    "admin:axes_accesslog_add": NO_ADMINISTRATOR_PERMISSION,
    "admin:axes_accesslog_history": NO_ADMINISTRATOR_PERMISSION,
    "admin:axes_accesslog_delete": NO_ADMINISTRATOR_PERMISSION,
    "admin:axes_accesslog_change": NO_ADMINISTRATOR_PERMISSION,
    "admin/axes/accesslog/<path:object_id>/": ADMIN_REDIRECT,
    "admin:axes_accessfailurelog_changelist": NO_ADMINISTRATOR_PERMISSION,
    "admin:axes_accessfailurelog_add": NO_ADMINISTRATOR_PERMISSION,
    "admin:axes_accessfailurelog_history": NO_ADMINISTRATOR_PERMISSION,
    "admin:axes_accessfailurelog_delete": NO_ADMINISTRATOR_PERMISSION,
    "admin:axes_accessfailurelog_change": NO_ADMINISTRATOR_PERMISSION,
    "admin/axes/accessfailurelog/<path:object_id>/": ADMIN_REDIRECT,
    "admin:authtoken_tokenproxy_changelist": ADMINISTRATORS_ONLY,
    "admin:authtoken_tokenproxy_add": ADMINISTRATORS_ONLY,
    "admin:authtoken_tokenproxy_history": ADMINISTRATORS_ONLY,
    "admin:authtoken_tokenproxy_delete": ADMINISTRATORS_ONLY,
    "admin:authtoken_tokenproxy_change": ADMINISTRATORS_ONLY,
    "admin/authtoken/tokenproxy/<path:object_id>/": ADMIN_REDIRECT,
    "admin:institutions_province_changelist": ADMINISTRATORS_ONLY,
    "admin:institutions_province_add": ADMINISTRATORS_ONLY,
    "admin:institutions_province_history": ADMINISTRATORS_ONLY,
    "admin:institutions_province_delete": ADMINISTRATORS_ONLY,
    "admin:institutions_province_change": ADMINISTRATORS_ONLY,
    "admin/institutions/province/<path:object_id>/": ADMIN_REDIRECT,
    "admin:institutions_commune_changelist": ADMINISTRATORS_ONLY,
    "admin:institutions_commune_add": ADMINISTRATORS_ONLY,
    "admin:institutions_commune_history": ADMINISTRATORS_ONLY,
    "admin:institutions_commune_delete": ADMINISTRATORS_ONLY,
    "admin:institutions_commune_change": ADMINISTRATORS_ONLY,
    "admin/institutions/commune/<path:object_id>/": ADMIN_REDIRECT,
    "admin:institutions_formerprovince_changelist": ADMINISTRATORS_ONLY,
    "admin:institutions_formerprovince_add": ADMINISTRATORS_ONLY,
    "admin:institutions_formerprovince_history": ADMINISTRATORS_ONLY,
    "admin:institutions_formerprovince_delete": ADMINISTRATORS_ONLY,
    "admin:institutions_formerprovince_change": ADMINISTRATORS_ONLY,
    "admin/institutions/formerprovince/<path:object_id>/": ADMIN_REDIRECT,
    "admin:institutions_userprofile_changelist": ADMINISTRATORS_ONLY,
    "admin:institutions_userprofile_add": ADMINISTRATORS_ONLY,
    "admin:institutions_userprofile_history": ADMINISTRATORS_ONLY,
    "admin:institutions_userprofile_delete": ADMINISTRATORS_ONLY,
    "admin:institutions_userprofile_change": ADMINISTRATORS_ONLY,
    "admin/institutions/userprofile/<path:object_id>/": ADMIN_REDIRECT,
    "admin:institutions_institution_simple_history": ADMINISTRATORS_ONLY,
    "admin:institutions_institution_changelist": ADMINISTRATORS_ONLY,
    "admin:institutions_institution_add": ADMINISTRATORS_ONLY,
    "admin:institutions_institution_history": ADMINISTRATORS_ONLY,
    "admin:institutions_institution_delete": ADMINISTRATORS_ONLY,
    "admin:institutions_institution_change": ADMINISTRATORS_ONLY,
    "admin/institutions/institution/<path:object_id>/": ADMIN_REDIRECT,
    "admin:auth_user_password_change": ADMINISTRATORS_ONLY,
    "admin:auth_user_changelist": ADMINISTRATORS_ONLY,
    "admin:auth_user_add": ADMINISTRATORS_ONLY,
    "admin:auth_user_history": ADMINISTRATORS_ONLY,
    "admin:auth_user_delete": ADMINISTRATORS_ONLY,
    "admin:auth_user_change": ADMINISTRATORS_ONLY,
    "admin/auth/user/<path:object_id>/": ADMIN_REDIRECT,
    "admin:targets_target_simple_history": ADMINISTRATORS_ONLY,
    "admin:targets_target_changelist": ADMINISTRATORS_ONLY,
    "admin:targets_target_add": ADMINISTRATORS_ONLY,
    "admin:targets_target_history": ADMINISTRATORS_ONLY,
    "admin:targets_target_delete": ADMINISTRATORS_ONLY,
    "admin:targets_target_change": ADMINISTRATORS_ONLY,
    "admin/targets/target/<path:object_id>/": ADMIN_REDIRECT,
    # Reverting to an old version saves through the report service, and only
    # with the version the page was opened with: a bare POST is refused (200).
    "admin:reports_annualreport_simple_history": (
        "302/302 302/302 302/302 302/302 200/200"
    ),
    "admin:reports_annualreport_changelist": ADMINISTRATORS_ONLY,
    "admin:reports_annualreport_add": ADMINISTRATORS_ONLY,
    "admin:reports_annualreport_history": ADMINISTRATORS_ONLY,
    "admin:reports_annualreport_delete": ADMINISTRATORS_ONLY,
    "admin:reports_annualreport_change": ADMINISTRATORS_ONLY,
    "admin/reports/annualreport/<path:object_id>/": ADMIN_REDIRECT,
    # Returned sheets are a read-only record: no adding, changing or deleting.
    "admin:reports_sheetreturn_changelist": ADMINISTRATORS_ONLY,
    "admin:reports_sheetreturn_add": NO_ADMINISTRATOR_PERMISSION,
    "admin:reports_sheetreturn_history": ADMINISTRATORS_ONLY,
    "admin:reports_sheetreturn_delete": NO_ADMINISTRATOR_PERMISSION,
    "admin:reports_sheetreturn_change": "302/302 302/302 302/302 302/302 200/403",
    "admin/reports/sheetreturn/<path:object_id>/": ADMIN_REDIRECT,
    "admin:reports_reportingperiod_simple_history": ADMINISTRATORS_ONLY,
    "admin:reports_reportingperiod_changelist": ADMINISTRATORS_ONLY,
    "admin:reports_reportingperiod_add": ADMINISTRATORS_ONLY,
    "admin:reports_reportingperiod_history": ADMINISTRATORS_ONLY,
    "admin:reports_reportingperiod_delete": ADMINISTRATORS_ONLY,
    "admin:reports_reportingperiod_change": ADMINISTRATORS_ONLY,
    "admin/reports/reportingperiod/<path:object_id>/": ADMIN_REDIRECT,
    # Releases never change: read only, published through the portal's page.
    "admin:reports_release_changelist": ADMINISTRATORS_ONLY,
    "admin:reports_release_add": NO_ADMINISTRATOR_PERMISSION,
    "admin:reports_release_history": ADMINISTRATORS_ONLY,
    "admin:reports_release_delete": NO_ADMINISTRATOR_PERMISSION,
    "admin:reports_release_change": "302/302 302/302 302/302 302/302 200/403",
    "admin/reports/release/<path:object_id>/": ADMIN_REDIRECT,
    "admin:app_list": ADMINISTRATORS_ONLY,
    "admin/(?P<url>.*)$": "302/302 302/302 302/302 302/302 404/404",
}


def expected_status(key: str, role: str) -> tuple[int, int]:
    get, post = EXPECTED[key].split()[ROLES.index(role)].split("/")
    return int(get), int(post)


def test_every_url_is_in_the_matrix():
    keys = [route.key for route in routes()]
    missing = sorted(set(keys) - set(EXPECTED))
    stale = sorted(set(EXPECTED) - set(keys))
    assert not missing, f"URLs missing from the access matrix: {missing}"
    assert not stale, f"URLs in the matrix that no longer exist: {stale}"
    assert all(len(EXPECTED[key].split()) == len(ROLES) for key in EXPECTED)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_status_on_every_url(
    client, request, role, officer_a, officer_b, ministry_user, administrator
):
    objects = province_a_objects(officer_a)
    user = None if role == "anonymous" else request.getfixturevalue(role)
    wrong = []
    checks = 0
    for route in routes():
        url = url_for(route, objects)
        for method, expected in zip(
            ("get", "post"), expected_status(route.key, role), strict=True
        ):
            client.logout()
            if user is not None:
                client.force_login(user)
            status = request_undone(client, method, url)
            checks += 1
            if status != expected:
                wrong.append(
                    f"{method.upper()} {url} ({route.key}): {status}, "
                    f"expected {expected}"
                )
    assert not wrong, f"{role}:\n" + "\n".join(wrong)
    assert checks == 2 * len(EXPECTED)


@pytest.mark.parametrize(
    "url",
    [
        "/institutions/",
        "/institutions/export.csv",
        "/api/v1/institutions/",
        "/api/v1/reports/",
    ],
)
def test_lists_and_exports_show_officers_their_own_province_only(
    client, url, officer_a, officer_b, ministry_user
):
    objects = province_a_objects(officer_a)
    code = objects.institution.code
    for user, sees in ((officer_a, True), (ministry_user, True), (officer_b, False)):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        content = (
            b"".join(response.streaming_content)
            if response.streaming
            else (response.content)
        )
        assert (code.encode() in content) is sees, (user.username, url)
