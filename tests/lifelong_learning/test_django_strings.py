"""Words of Django and of the packages the portal uses that their own
catalogues do not translate, in Vietnamese (lifelong_learning/django_strings.py)."""

import html
import re

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    """The words a person reads on the page."""
    body = response.content.decode().split("<body", 1)[1]
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", body).split()))


@pytest.mark.parametrize(
    ("language", "previous", "next_"),
    [("vi", "trang trước", "trang sau"), ("en", "previous", "next")],
)
def test_registry_pagination_is_in_the_readers_language(
    client, officer_a, language, previous, next_
):
    InstitutionFactory.create_batch(51)
    client.force_login(officer_a)
    if language == "en":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    first = _text(client.get(reverse("institutions:list")))
    assert f"{next_} »" in first
    second = _text(client.get(reverse("institutions:list") + "?page=2"))
    assert f"« {previous}" in second
    if language == "vi":
        assert "previous" not in second
        assert "next" not in first
