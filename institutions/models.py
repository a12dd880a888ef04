"""Geography (current and former provinces, communes) and the institutions that
deliver lifelong-learning services."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .text import search_key, sort_key


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

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_search = search_key(self.name)
        self.name_sort = sort_key(self.name)
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
