import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "address",
    [
        "/institutions/?province=%00",
        "/institutions/?q=thu%00vien",
        "/institutions/?%00=1",
        "/reports/review/01/2024/?status=%00",
        "/reports/dashboard/provinces/%00/",
        "/api/v1/institutions/?province=%00",
    ],
)
def test_a_nul_character_in_the_address_is_a_bad_request(
    client, ministry_user, address
):
    client.force_login(ministry_user)
    assert client.get(address).status_code == 400


def test_an_address_without_one_passes(client, ministry_user):
    client.force_login(ministry_user)
    assert client.get("/institutions/?province=01&q=th%C6%B0").status_code == 200
