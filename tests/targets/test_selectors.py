from targets.models import Target
from targets.selectors import target_list


def test_target_list_follows_position_not_creation_order(seeded):
    last = Target.objects.get(position=340)
    last.position = 5
    last.save()

    targets = list(target_list())

    assert targets[0] == last
    assert [t.position for t in targets[1:]] == list(range(10, 340, 10))


def test_target_list_filters_by_family_and_year(seeded):
    targets = target_list(family="museum_education", year=2030)

    assert [(t.family, t.year, t.threshold) for t in targets] == [
        ("museum_education", 2030, 100)
    ]


def test_target_list_of_a_family_keeps_file_order(seeded):
    years = [t.year for t in target_list(family="library_visits")]

    assert years == [2025, 2030]
