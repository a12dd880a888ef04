"""What an institution reports each year, and which of it applies to which
category: the one table of applicability that forms, imports, targets and the
progress engine all read."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from institutions.models import Category


class Criterion(models.TextChoices):
    """A yes/no fact that an institution reports for a year."""

    LLL_SERVICES = "lll_services", _("Provides lifelong-learning services")
    DIGITAL_TRANSFORMATION = (
        "digital_transformation",
        _("Applies IT and digital transformation"),
    )
    EDUCATION_PROGRAMME = "education_programme", _("Runs an education programme")
    DIGITAL_EXHIBITIONS = (
        "digital_exhibitions",
        _("Presents thematic exhibitions in digital space"),
    )
    CREATIVE_ACTIVITIES = (
        "creative_activities",
        _("Organises creative and cultural activities"),
    )
    CLUBS_AND_CLASSES = (
        "clubs_and_classes",
        _("Has talent classes, clubs and hobby groups"),
    )
    REGULAR_ACTIVITIES = (
        "regular_activities",
        _("Regularly organises cultural, artistic and sports activities"),
    )


class Count(models.TextChoices):
    """A whole number that an institution reports for a year."""

    LEARNING_VISITS = "learning_visits", _("Visits for learning")
    STUDY_VISITS = "study_visits", _("Visitors for research and study")


_LIBRARY = (Criterion.LLL_SERVICES, Criterion.DIGITAL_TRANSFORMATION)
_LIBRARY_FIELDS = frozenset({*_LIBRARY, Count.LEARNING_VISITS})

APPLICABLE_FIELDS: dict[str, frozenset[str]] = {
    Category.LIBRARY_PROVINCIAL: _LIBRARY_FIELDS,
    Category.LIBRARY_DISTRICT: _LIBRARY_FIELDS,
    Category.LIBRARY_COMMUNE: _LIBRARY_FIELDS,
    Category.LIBRARY_UNIVERSITY: _LIBRARY_FIELDS,
    Category.LIBRARY_SPECIALISED: _LIBRARY_FIELDS,
    Category.LIBRARY_ARMED_FORCES: _LIBRARY_FIELDS,
    Category.LIBRARY_SCHOOL: _LIBRARY_FIELDS,
    Category.MUSEUM: frozenset(
        {
            Criterion.EDUCATION_PROGRAMME,
            Criterion.DIGITAL_EXHIBITIONS,
            Count.STUDY_VISITS,
        }
    ),
    Category.CULTURE_PROVINCIAL: frozenset({Criterion.CREATIVE_ACTIVITIES}),
    Category.CULTURE_DISTRICT: frozenset({Criterion.CREATIVE_ACTIVITIES}),
    Category.CULTURE_COMMUNE: frozenset(
        {Criterion.CLUBS_AND_CLASSES, Criterion.REGULAR_ACTIVITIES}
    ),
    Category.CULTURE_VILLAGE: frozenset(
        {Criterion.CLUBS_AND_CLASSES, Criterion.REGULAR_ACTIVITIES}
    ),
}


def applicable_fields(category: str) -> frozenset[str]:
    """Returns the criteria and counts that an institution of ``category`` reports."""
    return APPLICABLE_FIELDS[category]


# Every report field with its label, in the column order of formats.md.
REPORT_FIELDS: dict[str, str] = {
    **{c.value: c.label for c in Criterion},
    **{c.value: c.label for c in Count},
}

# Read once: ``TextChoices.values`` builds a new list on every access, and the
# importer asks for every cell of every row.
COUNT_FIELDS: frozenset[str] = frozenset(Count.values)
CRITERION_FIELDS: frozenset[str] = frozenset(Criterion.values)


class Kind(models.TextChoices):
    """How a target row is measured (metrics.md, share and growth targets)."""

    SHARE = "share", _("Share of institutions")
    GROWTH = "growth", _("Average annual growth")
