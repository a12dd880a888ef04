"""The programme's targets, one row per family, categories and target year, as
in programme/targets.csv."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.text import get_text_list
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from institutions.models import Category
from targets.indicators import APPLICABLE_FIELDS, Count, Criterion, Kind

FAMILY_LABELS = {
    "library_lll_services": _("Libraries providing lifelong-learning services"),
    "library_digital": _("Libraries applying IT and digital transformation"),
    "library_visits": _("Library visits for learning"),
    "museum_education": _(
        "Museums with an education programme and digital exhibitions"
    ),
    "museum_study_visits": _("Museum visitors for research and study"),
    "culture_centre_activities": _("Cultural centres organising creative activities"),
    "grassroots_clubs": _("Grassroots centres with clubs and regular activities"),
}

# Criteria and categories are stored in the order their choices are declared,
# so that one set of names has one stored form (the unique constraint compares
# the stored lists) and targets.csv reads the same.
CRITERION_ORDER = [*Criterion.values, *Count.values]
CATEGORY_ORDER = Category.values

_NAME_MESSAGES = {
    "criteria": {
        "empty": _("Choose the criteria of a share row or the count of a growth row."),
        "unknown": _("“%(name)s” is neither a criterion nor a count."),
    },
    "categories": {
        "empty": _("Choose at least one category."),
        "unknown": _("“%(name)s” is not a category."),
    },
}


def _declared_order(names: list[str], order: list[str]) -> list[str]:
    return sorted(set(names), key=order.index)


_LABELS = {**dict(Criterion.choices), **dict(Count.choices), **dict(Category.choices)}


def _labels(names: list[str]) -> str:
    # Joined with "and": some category labels contain commas themselves.
    labels = [str(_LABELS.get(name, name)) for name in names]
    return get_text_list(labels, gettext("and"))


class Target(models.Model):
    """A target of Decision 1520 for some categories of institution and a
    target year: a share of institutions meeting every criterion, or the
    average annual growth of a count."""

    family = models.SlugField(
        _("family"),
        max_length=64,
        help_text=_(
            "Groups the rows of one target of the decision across categories "
            "and years, e.g. <code>library_lll_services</code>."
        ),
    )
    kind = models.CharField(
        _("kind"),
        max_length=16,
        choices=Kind.choices,
        help_text=_(
            "Share: percentage of institutions meeting every criterion. "
            "Growth: average annual growth of a count."
        ),
    )
    criteria = models.JSONField(
        _("criteria or count"),
        default=list,
        blank=True,
        help_text=_(
            "Share rows: the criteria an institution must all meet. Growth "
            "rows: the one count whose growth is measured."
        ),
    )
    categories = models.JSONField(
        _("categories of institution"),
        default=list,
        blank=True,
        help_text=_("The categories of institution that the row covers."),
    )
    baseline_year = models.PositiveSmallIntegerField(
        _("baseline year"), help_text=_("The year progress is measured from.")
    )
    year = models.PositiveSmallIntegerField(
        _("target year"),
        help_text=_("The year by which the threshold should be reached."),
    )
    threshold = models.DecimalField(
        _("threshold"),
        max_digits=6,
        decimal_places=2,
        help_text=_(
            "Share rows: percentage of institutions, from 0 to 100. Growth "
            "rows: average annual growth in percent."
        ),
    )
    upper = models.DecimalField(
        _("upper bound"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "Optional top of the desired range, such as 15 for growth of 10 to "
            "15 percent a year. The target is met at the threshold."
        ),
    )
    position = models.PositiveIntegerField(
        _("position"),
        help_text=_("Rows are listed by ascending position, as in targets.csv."),
    )

    history = HistoricalRecords()
    # The audit trail names a target by its label; targets are national.
    audit_subject = "label"

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["family", "categories", "year"],
                name="target_unique_family_categories_year",
                violation_error_code="duplicate",
                violation_error_message=_(
                    "This family already has a target for these categories "
                    "and this year."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=Kind.values),
                name="target_kind_valid",
                violation_error_code="kind",
                violation_error_message=_("The kind must be share or growth."),
            ),
            models.CheckConstraint(
                condition=Q(year__gt=F("baseline_year")),
                name="target_year_after_baseline",
                violation_error_code="year_order",
                violation_error_message=_(
                    "The target year must come after the baseline year."
                ),
            ),
            models.CheckConstraint(
                condition=Q(threshold__gte=0),
                name="target_threshold_not_negative",
                violation_error_code="negative_threshold",
                violation_error_message=_("The threshold cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(upper__isnull=True) | Q(upper__gte=F("threshold")),
                name="target_upper_not_below_threshold",
                violation_error_code="upper_below_threshold",
                violation_error_message=_(
                    "The upper bound cannot be below the threshold."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(kind=Kind.SHARE)
                | (Q(threshold__lte=100) & (Q(upper__isnull=True) | Q(upper__lte=100))),
                name="target_share_at_most_100",
                violation_error_code="share_over_100",
                violation_error_message=_(
                    "A share is a percentage: its threshold and upper bound "
                    "cannot exceed 100."
                ),
            ),
        ]

    def __str__(self):
        return gettext("%(target)s, %(year)s") % {
            "target": self.label,
            "year": self.year,
        }

    def clean(self):
        """Stores criteria and categories in declaration order. Rejects unknown
        names, a share row with a count, a growth row without exactly one
        count, and a criterion or count that a listed category does not
        report."""
        errors = {}
        categories_valid = self._names_check("categories", CATEGORY_ORDER, errors)
        criteria_valid = self._names_check("criteria", CRITERION_ORDER, errors)
        if criteria_valid:
            self.criteria = _declared_order(self.criteria, CRITERION_ORDER)
            self._kind_check(errors)
        if categories_valid:
            self.categories = _declared_order(self.categories, CATEGORY_ORDER)
        if criteria_valid and categories_valid and "criteria" not in errors:
            self._applicability_check(errors)
        if errors:
            raise ValidationError(errors)

    def _names_check(self, field: str, known: list[str], errors: dict) -> bool:
        names = getattr(self, field)
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            errors[field] = ValidationError(
                _("Give a list of names."), code="not_a_list"
            )
            return False
        messages = _NAME_MESSAGES[field]
        if not names:
            errors[field] = ValidationError(messages["empty"], code="empty")
            return False
        unknown = [name for name in names if name not in known]
        if unknown:
            errors[field] = [
                ValidationError(messages["unknown"], code="unknown", params={"name": n})
                for n in unknown
            ]
            return False
        return True

    def _kind_check(self, errors: dict) -> None:
        counts = [name for name in self.criteria if name in Count.values]
        if self.kind == Kind.SHARE and counts:
            errors["criteria"] = ValidationError(
                _("A share row takes criteria, not a count."), code="share_count"
            )
        elif self.kind == Kind.GROWTH and (len(self.criteria) != 1 or not counts):
            errors["criteria"] = ValidationError(
                _("A growth row measures exactly one count and no criteria."),
                code="growth_count",
            )

    def _applicability_check(self, errors: dict) -> None:
        problems = []
        for name in self.criteria:
            missing = [c for c in self.categories if name not in APPLICABLE_FIELDS[c]]
            if missing:
                problems.append(
                    ValidationError(
                        _("“%(field)s” does not apply to: %(categories)s."),
                        code="not_applicable",
                        params={
                            "field": _LABELS[name],
                            "categories": _labels(missing),
                        },
                    )
                )
        if problems:
            errors["criteria"] = problems

    @property
    def categories_sorted(self) -> list[str]:
        """The category slugs in alphabetical order, as the JSON output gives
        them."""
        return sorted(self.categories)

    @property
    def count_field(self) -> str | None:
        """The count a growth row measures; ``None`` for a share row."""
        return self.criteria[0] if self.kind == Kind.GROWTH and self.criteria else None

    @property
    def criteria_display(self) -> str:
        return _labels(self.criteria)

    @property
    def categories_display(self) -> str:
        return _labels(self.categories)

    @property
    def label(self) -> str:
        """The family and, unless the row covers every category that reports
        its criteria, the categories: "Libraries providing lifelong-learning
        services: District public library"."""
        family = FAMILY_LABELS.get(self.family) or self.criteria_display
        reporting = {
            category
            for category in CATEGORY_ORDER
            if set(self.criteria) <= APPLICABLE_FIELDS[category]
        }
        if set(self.categories) == reporting:
            return str(family)
        return gettext("%(family)s: %(categories)s") % {
            "family": family,
            "categories": self.categories_display,
        }
