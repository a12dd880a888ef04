"""Property-based test of the JSON API against its own OpenAPI schema.

Schemathesis loads the schema the portal serves, generates requests for every
operation (bounded, so the run stays well under a minute) and sends them to
the WSGI application with a ministry token and with an officer's session:
no request may cause a server error, and every response must match the
schema.
"""

import pytest
import schemathesis
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from reports.releases.services import release_publish

from .test_views import registry  # noqa: F401  (fixture)

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


APPLICATION = get_wsgi_application()
# Loaded when the module is collected: serving the schema reads no data.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", APPLICATION)


@pytest.fixture(autouse=True)
def shared_transaction(registry):  # noqa: F811
    """Lets the WSGI application run inside the test's database transaction.

    Django closes "old" connections when a request starts and ends, which
    would end the test transaction; the handlers are detached for the test,
    as Django's own test client does.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    # Release 2024-1 (the example of the release endpoints), of the approved
    # report of the registry.
    release_publish(year=2024)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


HYPOTHESIS = hypothesis_settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@schema.parametrize()
@HYPOTHESIS
def test_api_with_a_ministry_token(case, ministry_user):
    token, _created = Token.objects.get_or_create(user=ministry_user)
    response = case.call(headers={"Authorization": f"Token {token.key}"})
    case.validate_response(response, checks=CHECKS)
    assert response.status_code != 401


@schema.parametrize()
@HYPOTHESIS
def test_api_with_an_officer_session(case, officer_a):
    browser = Client()
    browser.force_login(officer_a)
    session = browser.cookies[settings.SESSION_COOKIE_NAME].value
    # Generated credentials would take precedence over the session: none.
    response = case.call(
        headers={"Authorization": ""},
        cookies={settings.SESSION_COOKIE_NAME: session},
    )
    case.validate_response(response, checks=CHECKS)
    assert response.status_code != 401
