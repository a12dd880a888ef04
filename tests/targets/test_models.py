from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from targets.indicators import Kind
from targets.models import Target

pytestmark = pytest.mark.django_db


def share(**fields):
    values = {
        "family": "library_lll_services",
        "kind": Kind.SHARE,
        "criteria": ["lll_services"],
        "categories": ["library_district"],
        "baseline_year": 2022,
        "year": 2027,
        "threshold": Decimal("75"),
        "upper": None,
        "position": 500,
    }
    return Target(**values | fields)


def growth(**fields):
    values = {
        "family": "museum_study_visits",
        "kind": Kind.GROWTH,
        "criteria": ["study_visits"],
        "categories": ["museum"],
        "threshold": Decimal("10"),
        "upper": Decimal("15"),
    }
    return share(**values | fields)


def messages(error: ValidationError, field=NON_FIELD_ERRORS) -> list[str]:
    return error.message_dict.get(field, [])


def test_a_valid_share_row_and_a_valid_growth_row_pass():
    share().full_clean()
    growth().full_clean()

    # The database's constraints accept them as well.
    share().save()
    growth(position=510).save()
    assert set(
        Target.objects.filter(position__in=[500, 510]).values_list("family", "kind")
    ) == {("library_lll_services", Kind.SHARE), ("museum_study_visits", Kind.GROWTH)}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"year": 2022},
            "The target year must come after the baseline year.",
        ),
        (
            {"year": 2020},
            "The target year must come after the baseline year.",
        ),
        (
            {"upper": Decimal("70")},
            "The upper bound cannot be below the threshold.",
        ),
        (
            {"threshold": Decimal("100.5")},
            "A share is a percentage: its threshold and upper bound cannot exceed 100.",
        ),
        (
            {"upper": Decimal("101")},
            "A share is a percentage: its threshold and upper bound cannot exceed 100.",
        ),
        (
            {"threshold": Decimal("-1"), "upper": None},
            "The threshold cannot be negative.",
        ),
    ],
)
def test_constraints_are_refused_with_their_message(fields, message):
    with pytest.raises(ValidationError) as caught:
        share(**fields).full_clean()

    assert message in messages(caught.value)


def test_growth_rows_may_exceed_100_percent():
    growth(threshold=Decimal("120"), upper=Decimal("150")).full_clean()

    growth(threshold=Decimal("120"), upper=Decimal("150")).save()
    assert Target.objects.get(position=500).upper == Decimal("150")


def test_a_negative_growth_threshold_is_refused():
    with pytest.raises(ValidationError) as caught:
        growth(threshold=Decimal("-5")).full_clean()

    assert messages(caught.value) == ["The threshold cannot be negative."]


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValidationError) as caught:
        share(kind="average").full_clean()

    assert messages(caught.value, "kind") == ["Value 'average' is not a valid choice."]


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"year": 2021}, "target_year_after_baseline"),
        ({"upper": Decimal("50")}, "target_upper_not_below_threshold"),
        ({"threshold": Decimal("101")}, "target_share_at_most_100"),
        ({"threshold": Decimal("-1")}, "target_threshold_not_negative"),
        ({"kind": "average"}, "target_kind_valid"),
    ],
)
def test_the_database_refuses_what_validation_refuses(fields, constraint):
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        share(**fields).save()


def test_the_database_refuses_a_duplicate_row():
    share().save()

    with pytest.raises(IntegrityError), transaction.atomic():
        share(position=510).save()


def test_a_duplicate_family_categories_and_year_is_refused():
    share(categories=["library_university", "library_specialised"]).save()
    duplicate = share(categories=["library_specialised", "library_university"])

    with pytest.raises(ValidationError) as caught:
        duplicate.full_clean()

    assert messages(caught.value) == [
        "This family already has a target for these categories and this year."
    ]


def test_the_same_categories_in_another_year_or_family_are_accepted():
    share().save()

    share(year=2028).full_clean()
    share(family="library_digital", criteria=["digital_transformation"]).full_clean()

    share(year=2028, position=510).save()
    share(
        family="library_digital", criteria=["digital_transformation"], position=520
    ).save()
    assert Target.objects.filter(position__in=[500, 510, 520]).count() == 3


def test_criteria_and_categories_are_stored_in_declaration_order():
    target = share(
        family="grassroots_clubs",
        criteria=["regular_activities", "clubs_and_classes", "regular_activities"],
        categories=["culture_village", "culture_commune"],
    )

    target.full_clean()

    assert target.criteria == ["clubs_and_classes", "regular_activities"]
    assert target.categories == ["culture_commune", "culture_village"]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"categories": []},
            "categories",
            "Choose at least one category.",
        ),
        (
            {"categories": ["library_district", "library_town"]},
            "categories",
            "“library_town” is not a category.",
        ),
        (
            {"categories": "library_district"},
            "categories",
            "Give a list of names.",
        ),
        (
            {"criteria": []},
            "criteria",
            "Choose the criteria of a share row or the count of a growth row.",
        ),
        (
            {"criteria": ["lll_services", "happiness"]},
            "criteria",
            "“happiness” is neither a criterion nor a count.",
        ),
        (
            {"criteria": ["lll_services", "learning_visits"]},
            "criteria",
            "A share row takes criteria, not a count.",
        ),
        (
            {
                "categories": ["library_district", "museum"],
            },
            "criteria",
            "“Provides lifelong-learning services” does not apply to: Museum.",
        ),
        (
            {
                "criteria": ["education_programme", "digital_exhibitions"],
                "categories": [
                    "museum",
                    "culture_provincial",
                    "culture_district",
                ],
            },
            "criteria",
            "“Runs an education programme” does not apply to: Provincial "
            "cultural centre and District culture and sports centre.",
        ),
    ],
)
def test_share_rows_refuse_invalid_criteria_and_categories(fields, field, message):
    with pytest.raises(ValidationError) as caught:
        share(**fields).full_clean()

    assert message in messages(caught.value, field)


@pytest.mark.parametrize(
    ("criteria", "categories", "message"),
    [
        (
            ["lll_services"],
            ["museum"],
            "A growth row measures exactly one count and no criteria.",
        ),
        (
            ["study_visits", "learning_visits"],
            ["museum"],
            "A growth row measures exactly one count and no criteria.",
        ),
        (
            ["study_visits", "education_programme"],
            ["museum"],
            "A growth row measures exactly one count and no criteria.",
        ),
        (
            ["study_visits"],
            ["museum", "library_commune"],
            "“Visitors for research and study” does not apply to: Commune "
            "public library.",
        ),
        (
            ["learning_visits"],
            ["culture_commune"],
            "“Visits for learning” does not apply to: Commune culture and "
            "sports centre.",
        ),
    ],
)
def test_growth_rows_take_one_count_that_applies(criteria, categories, message):
    target = growth(criteria=criteria, categories=categories)

    with pytest.raises(ValidationError) as caught:
        target.full_clean()

    assert messages(caught.value, "criteria") == [message]


def test_every_unknown_name_is_reported():
    with pytest.raises(ValidationError) as caught:
        share(categories=["town", "village"]).full_clean()

    assert messages(caught.value, "categories") == [
        "“town” is not a category.",
        "“village” is not a category.",
    ]


def test_label_names_family_and_categories():
    target = share(categories=["library_university", "library_specialised"])

    assert target.label == (
        "Libraries providing lifelong-learning services: University library "
        "and Specialised library"
    )
    assert str(target) == (
        "Libraries providing lifelong-learning services: University library "
        "and Specialised library, 2027"
    )


def test_label_omits_categories_when_the_row_covers_all_that_report():
    target = share(
        family="culture_centre_activities",
        criteria=["creative_activities"],
        categories=["culture_provincial", "culture_district"],
    )

    assert target.label == "Cultural centres organising creative activities"


def test_label_of_an_unnamed_family_comes_from_its_criteria():
    target = share(family="new_family", criteria=["digital_exhibitions"])
    target.categories = ["museum"]

    assert target.label == "Presents thematic exhibitions in digital space"


def test_label_is_translated():
    with translation.override("vi"):
        label = share().label

    assert label == (
        "Thư viện cung cấp dịch vụ học tập suốt đời: Thư viện công cộng cấp huyện"
    )


def test_label_survives_names_that_validation_would_refuse():
    target = share(criteria=["happiness"], categories=["library_town"])

    assert (
        target.label == "Libraries providing lifelong-learning services: library_town"
    )


def test_categories_sorted_is_alphabetical():
    target = share(categories=["library_university", "library_specialised"])

    assert target.categories_sorted == ["library_specialised", "library_university"]


def test_count_field_is_the_count_of_a_growth_row_only():
    assert growth().count_field == "study_visits"
    assert share().count_field is None
    assert growth(criteria=[]).count_field is None
