from decimal import Decimal

import pytest
from django.urls import reverse

from targets.admin import TargetAdminForm
from targets.models import Target

CHANGELIST = reverse("admin:targets_target_changelist")
ADD = reverse("admin:targets_target_add")


def change_url(target):
    return reverse("admin:targets_target_change", args=[target.pk])


def form_data(target, **changes):
    data = {
        "family": target.family,
        "kind": target.kind,
        "criteria": target.criteria,
        "categories": target.categories,
        "baseline_year": target.baseline_year,
        "year": target.year,
        "threshold": target.threshold,
        "upper": "" if target.upper is None else target.upper,
        "position": target.position,
    }
    return data | changes


@pytest.fixture
def admin_client(client, administrator, seeded):
    client.force_login(administrator)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def district_2025(seeded):
    return Target.objects.get(
        family="library_lll_services", categories=["library_district"], year=2025
    )


def test_changelist_lists_every_row_in_file_order(admin_client):
    response = admin_client.get(CHANGELIST)

    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    assert [row.position for row in rows] == list(range(10, 350, 10))
    assert "Library visits for learning" in response.text


@pytest.mark.parametrize(
    ("query", "families"),
    [
        ({"category": "museum"}, {"museum_education", "museum_study_visits"}),
        ({"category": "culture_village"}, {"grassroots_clubs"}),
        ({"kind": "growth"}, {"library_visits", "museum_study_visits"}),
        ({"q": "digital_exhibitions"}, {"museum_education"}),
    ],
)
def test_changelist_filters_and_searches(admin_client, query, families):
    response = admin_client.get(CHANGELIST, query)

    assert response.status_code == 200
    rows = response.context["cl"].result_list
    assert {row.family for row in rows} == families


def test_category_filter_does_not_match_a_prefix(admin_client):
    response = admin_client.get(CHANGELIST, {"category": "library_school"})

    assert {tuple(row.categories) for row in response.context["cl"].result_list} == {
        ("library_school",),
        (
            "library_provincial",
            "library_district",
            "library_commune",
            "library_university",
            "library_specialised",
            "library_armed_forces",
            "library_school",
        ),
    }


def test_change_page_shows_checkboxes_for_criteria_and_categories(
    admin_client, district_2025
):
    response = admin_client.get(change_url(district_2025))

    assert response.status_code == 200
    assert (
        '<input type="checkbox" name="criteria" value="lll_services" '
        'id="id_criteria_0_0" checked>'
    ) in response.text
    assert (
        '<input type="checkbox" name="categories" value="library_district" '
        'id="id_categories_1" checked>'
    ) in response.text
    assert "Counts, for growth rows" in response.text


def test_add_page_proposes_the_next_position(admin_client):
    response = admin_client.get(ADD)

    assert response.status_code == 200
    assert response.context["adminform"].form.initial["position"] == 350


def test_adding_a_row_through_the_admin(admin_client, district_2025):
    data = form_data(district_2025, year=2027, threshold="80", position=35)

    response = admin_client.post(ADD, data)

    assert response.status_code == 302
    added = Target.objects.get(year=2027)
    assert (added.criteria, added.categories, added.threshold) == (
        ["lll_services"],
        ["library_district"],
        Decimal("80"),
    )


def test_an_edit_is_kept_in_history_with_its_user(
    admin_client, administrator, district_2025
):
    response = admin_client.post(
        change_url(district_2025), form_data(district_2025, threshold="75")
    )

    assert response.status_code == 302
    latest = district_2025.history.first()
    assert latest.history_type == "~"
    assert latest.history_user == administrator
    assert latest.threshold == Decimal("75")
    assert latest.prev_record.threshold == Decimal("70")
    history = admin_client.get(
        reverse("admin:targets_target_history", args=[district_2025.pk])
    )
    assert history.status_code == 200
    assert "administrator-test" in history.text


def test_an_invalid_edit_is_shown_and_not_saved(admin_client, district_2025):
    response = admin_client.post(
        change_url(district_2025),
        form_data(district_2025, categories=["library_district", "museum"]),
    )

    assert response.status_code == 200
    assert (
        "“Provides lifelong-learning services” does not apply to: Museum."
        in response.text
    )
    district_2025.refresh_from_db()
    assert district_2025.categories == ["library_district"]
    assert district_2025.history.count() == 1


def test_errors_are_shown_in_vietnamese_by_default(
    client, administrator, district_2025
):
    client.force_login(administrator)

    response = client.post(
        change_url(district_2025), form_data(district_2025, year=2021)
    )

    assert response.status_code == 200
    assert "Năm mục tiêu phải sau năm gốc." in response.text


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"year": 2022},
            "__all__",
            "The target year must come after the baseline year.",
        ),
        (
            {"upper": "60"},
            "__all__",
            "The upper bound cannot be below the threshold.",
        ),
        (
            {"threshold": "120"},
            "__all__",
            "A share is a percentage: its threshold and upper bound cannot exceed 100.",
        ),
        (
            {"threshold": "-3"},
            "__all__",
            "The threshold cannot be negative.",
        ),
        (
            {"year": 2030},
            "__all__",
            "This family already has a target for these categories and this year.",
        ),
        (
            {"criteria": []},
            "criteria",
            "Choose the criteria of a share row or the count of a growth row.",
        ),
        (
            {"categories": []},
            "categories",
            "Choose at least one category.",
        ),
        (
            {"categories": ["library_town"]},
            "categories",
            "Select a valid choice. library_town is not one of the available choices.",
        ),
        (
            {"criteria": ["lll_services", "learning_visits"]},
            "criteria",
            "A share row takes criteria, not a count.",
        ),
        (
            {"kind": "growth"},
            "criteria",
            "A growth row measures exactly one count and no criteria.",
        ),
        (
            {"kind": "growth", "criteria": ["study_visits"]},
            "criteria",
            "“Visitors for research and study” does not apply to: District "
            "public library.",
        ),
    ],
)
def test_admin_form_refuses_each_rule_with_its_message(
    district_2025, changes, field, message
):
    form = TargetAdminForm(
        data=form_data(district_2025, **changes), instance=Target(pk=None)
    )

    assert not form.is_valid()
    assert message in form.errors[field]


def test_officers_cannot_reach_the_target_admin(client, officer_a):
    client.force_login(officer_a)

    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
