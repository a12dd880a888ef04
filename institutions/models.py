"""Geography (current and former provinces, communes) and the institutions that
deliver lifelong-learning services."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from simple_history.models import HistoricalRecords

from lifelong_learning.years import (
    YEAR_MAX,
    YEAR_MIN,
    YEAR_RANGE_MESSAGE,
    year_range_constraint,
)

from .activity import active_q, is_active
from .text import place_sort_key, search_key, sort_key


class DivisionType(models.TextChoices):
    PROVINCE = "tỉnh", _("province")
    CITY = "thành phố trung ương", _("centrally-governed city")
    COMMUNE = "xã", _("commune")
    WARD = "phường", _("ward")
    SPECIAL_ZONE = "đặc khu", _("special zone")


class Category(models.TextChoices):
    """The twelve kinds of institution that the programme's targets cover."""

    LIBRARY_PROVINCIAL = "library_provincial", _("Provincial public library")
    LIBRARY_DISTRICT = "library_district", _("District public library")
    LIBRARY_COMMUNE = "library_commune", _("Commune public library")
    LIBRARY_UNIVERSITY = "library_university", _("University library")
    LIBRARY_SPECIALISED = "library_specialised", _("Specialised library")
    LIBRARY_ARMED_FORCES = "library_armed_forces", _("Armed-forces library")
    LIBRARY_SCHOOL = (
        "library_school",
        _("School, vocational or other education library"),
    )
    MUSEUM = "museum", _("Museum")
    CULTURE_PROVINCIAL = "culture_provincial", _("Provincial cultural centre")
    CULTURE_DISTRICT = "culture_district", _("District culture and sports centre")
    CULTURE_COMMUNE = "culture_commune", _("Commune culture and sports centre")
    CULTURE_VILLAGE = "culture_village", _("Village cultural house with sports ground")


class NamedPlace(models.Model):
    """Fields shared by every administrative unit: a GSO code and a name."""

    name = models.CharField(_("name"), max_length=255)
    name_search = models.CharField(
        _("name without diacritics"), max_length=255, editable=False, db_index=True
    )
    name_sort = models.CharField(
        _("Vietnamese sort key"), max_length=1024, editable=False, db_index=True
    )

    # Places are ordered by their proper name ("Tỉnh Đắk Lắk" under Đ).
    sort_key_for = staticmethod(place_sort_key)

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_search = search_key(self.name)
        self.name_sort = self.sort_key_for(self.name)
        super().save(*args, **kwargs)


class Province(NamedPlace):
    """One of the 34 provinces and centrally-governed cities in force since 2025."""

    code = models.CharField(
        _("GSO code"),
        max_length=2,
        primary_key=True,
        help_text=_("Two-digit code of the General Statistics Office (current list)."),
    )
    division_type = models.CharField(
        _("division type"), max_length=32, choices=DivisionType.choices
    )

    class Meta:
        ordering = ["name_sort"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        permissions = [
            ("view_all_provinces", _("Can see data of every province")),
            ("change_all_provinces", _("Can change data of every province")),
        ]

    def __str__(self):
        return self.name


class Commune(NamedPlace):
    """A commune, ward or special zone of a current province (3,321 since 2025)."""

    code = models.CharField(
        _("GSO code"),
        max_length=5,
        primary_key=True,
        help_text=_("Five-digit code of the General Statistics Office."),
    )
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        related_name="communes",
        verbose_name=_("province"),
    )
    division_type = models.CharField(
        _("division type"), max_length=32, choices=DivisionType.choices
    )

    class Meta:
        ordering = ["name_sort"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")

    def __str__(self):
        return self.name


class FormerProvince(NamedPlace):
    """One of the 63 provinces before the 2025 merger, and the province that
    absorbed it. Its code belongs to the former list: former 80 was Long An,
    while current 80 is Tây Ninh."""

    code = models.CharField(
        _("former GSO code"),
        max_length=2,
        primary_key=True,
        help_text=_("Two-digit code in the list of the 63 provinces before 2025."),
    )
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        related_name="former_provinces",
        verbose_name=_("merged into"),
    )

    class Meta:
        ordering = ["name_sort"]
        verbose_name = _("former province")
        verbose_name_plural = _("former provinces")

    def __str__(self):
        return self.name


class UserProfile(models.Model):
    """What the portal knows about a user beyond Django's account: for a
    provincial officer, the one province they may write to."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name=_("user"),
    )
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officers",
        verbose_name=_("province"),
        help_text=_("Provincial officers see and change data of this province only."),
    )

    class Meta:
        verbose_name = _("user profile")
        verbose_name_plural = _("user profiles")

    def __str__(self):
        return str(self.user)


class InstitutionQuerySet(models.QuerySet):
    def search(self, text: str) -> "InstitutionQuerySet":
        """Institutions matching every word of ``text``, in any order, each in
        the name, the code, the province or the commune, ignoring diacritics
        and case: "thu vien dak lak" finds "Thư viện tỉnh Đắk Lắk" and the
        libraries of Tỉnh Đắk Lắk."""
        for word in search_key(text).split():
            self = self.filter(
                models.Q(name_search__contains=word)
                | models.Q(code__icontains=word)
                | models.Q(province__name_search__contains=word)
                | models.Q(commune__name_search__contains=word)
            )
        return self

    def active_in(self, year: int) -> "InstitutionQuerySet":
        """Institutions open during ``year``: opened in or before it (or no
        opening year) and not closed in or before it (a library closed in 2025
        is active up to 2024)."""
        return self.filter(active_q(year))


CODE_PATTERN = r"^[A-Za-z0-9._-]{1,40}$"
CODE_FORMAT_MESSAGE = _(
    "A code has 1 to 40 letters, digits, dots, hyphens or underscores."
)
CLOSED_AFTER_OPENED_MESSAGE = _(
    "The closing year must be greater than the opening year."
)
_year_validators = [
    MinValueValidator(YEAR_MIN, message=YEAR_RANGE_MESSAGE),
    MaxValueValidator(YEAR_MAX, message=YEAR_RANGE_MESSAGE),
]


def commune_outside_province_message(commune: Commune, province: Province) -> str:
    return _(
        "Commune %(commune)s lies in %(commune_province)s, not in %(province)s."
    ) % {
        "commune": commune.name,
        "commune_province": commune.province.name,
        "province": province.name,
    }


def former_province_mismatch_message(former: FormerProvince, province: Province) -> str:
    return _(
        "Former province %(former)s (%(code)s) merged into %(merged)s, not into "
        "%(province)s."
    ) % {
        "former": former.name,
        "code": former.code,
        "merged": former.province.name,
        "province": province.name,
    }


class Institution(NamedPlace):
    """A library, museum or cultural centre that reports to the programme: one
    row of a provincial department's register, identified nationwide by its
    code."""

    code = models.CharField(
        _("code"),
        max_length=40,
        unique=True,
        validators=[RegexValidator(CODE_PATTERN, message=CODE_FORMAT_MESSAGE)],
        help_text=_(
            "Stable identifier, unique nationwide: 1 to 40 letters, digits, dots, "
            "hyphens or underscores."
        ),
    )
    name = models.CharField(
        _("name"),
        max_length=255,
        help_text=_("Name in Vietnamese, with diacritics."),
    )
    category = models.CharField(
        _("category"),
        max_length=32,
        choices=Category.choices,
        help_text=_("Kind of institution, as the programme's targets group them."),
    )
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        related_name="institutions",
        verbose_name=_("province"),
        help_text=_("One of the 34 provinces in force since 2025."),
    )
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="institutions",
        verbose_name=_("commune"),
        help_text=_("Commune, ward or special zone; it must lie in the province."),
    )
    former_province = models.ForeignKey(
        FormerProvince,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="institutions",
        verbose_name=_("former province"),
        help_text=_(
            "Province before the 2025 merger under which the record was kept, "
            "if any; it must have merged into the province."
        ),
    )
    opened_year = models.PositiveSmallIntegerField(
        _("opening year"),
        null=True,
        blank=True,
        validators=_year_validators,
        help_text=_("Four-digit year; empty when unknown."),
    )
    closed_year = models.PositiveSmallIntegerField(
        _("closing year"),
        null=True,
        blank=True,
        validators=_year_validators,
        help_text=_(
            "Four-digit year from which the institution no longer operates; "
            "empty while it is open."
        ),
    )
    history = HistoricalRecords()
    # The audit trail filters the history by province along this path.
    audit_province_path = "province"

    objects = InstitutionQuerySet.as_manager()

    # What a person or a file says of an institution, in the order forms, the
    # admin list and the exchange format use; the rest is derived.
    DATA_FIELDS = (
        "code",
        "name",
        "category",
        "province",
        "commune",
        "former_province",
        "opened_year",
        "closed_year",
    )

    # An institution's name is ordered as written.
    sort_key_for = staticmethod(sort_key)

    class Meta:
        ordering = ["name_sort", "code"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        indexes = [
            models.Index(
                fields=["province", "category"], name="institution_province_cat"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=CODE_PATTERN),
                name="institution_code_format",
                violation_error_message=CODE_FORMAT_MESSAGE,
            ),
            year_range_constraint(
                "opened_year",
                name="institution_opened_year_range",
                message=gettext_noop(
                    "The opening year must lie between %(min)s and %(max)s."
                ),
                null=True,
            ),
            year_range_constraint(
                "closed_year",
                name="institution_closed_year_range",
                message=gettext_noop(
                    "The closing year must lie between %(min)s and %(max)s."
                ),
                null=True,
            ),
            models.CheckConstraint(
                condition=models.Q(opened_year__isnull=True)
                | models.Q(closed_year__isnull=True)
                | models.Q(closed_year__gt=models.F("opened_year")),
                name="institution_closed_after_opened",
                violation_error_message=CLOSED_AFTER_OPENED_MESSAGE,
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def get_absolute_url(self):
        return reverse("institutions:detail", args=[self.pk])

    def clean(self):
        """Rejects a commune or former province outside the province (rules a
        single-table constraint cannot express), a closing year that is not
        after the opening year, and a change that an app above refuses
        (:data:`institutions.signals.institutions_changing`: changes that
        would move approved figures)."""
        super().clean()
        errors = {}
        province_id = self.province_id
        if province_id and self.commune_id and self.commune.province_id != province_id:
            errors["commune"] = commune_outside_province_message(
                self.commune, self.province
            )
        if (
            province_id
            and self.former_province_id
            and self.former_province.province_id != province_id
        ):
            errors["former_province"] = former_province_mismatch_message(
                self.former_province, self.province
            )
        if (
            self.opened_year is not None
            and self.closed_year is not None
            and self.closed_year <= self.opened_year
        ):
            errors["closed_year"] = CLOSED_AFTER_OPENED_MESSAGE
        stored = Institution.objects.filter(pk=self.pk).first() if self.pk else None
        if stored is not None:
            from .signals import institution_change_errors

            for name, message in (
                institution_change_errors([(stored, self)]).get(self.pk, {}).items()
            ):
                errors.setdefault(name, message)
        if errors:
            raise ValidationError(errors)

    def is_active_in(self, year: int) -> bool:
        """Same rule as :meth:`InstitutionQuerySet.active_in`, for one object."""
        return is_active(self.opened_year, self.closed_year, year)
