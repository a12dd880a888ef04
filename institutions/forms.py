"""Forms of the institution registry: edit, close and import."""

from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lifelong_learning.history import reason_field
from lifelong_learning.roles import user_can_write_province
from lifelong_learning.tabular import TableError, table_content_check, table_format
from lifelong_learning.years import YEAR_MAX, YEAR_MIN

from .models import Commune, FormerProvince, Institution, Province
from .selectors import commune_list

IMPORT_MAX_BYTES = settings.MAX_UPLOAD_BYTES
# The bounds of a year field, for the browser to check before sending.
YEAR_ATTRS = {"min": YEAR_MIN, "max": YEAR_MAX}


CHOOSE_PROVINCE = _("Choose a province")


class ProvinceChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, empty_label=CHOOSE_PROVINCE, **kwargs):
        super().__init__(*args, empty_label=empty_label, **kwargs)

    def label_from_instance(self, obj):
        return f"{obj.code} – {obj.name}"


class FormerProvinceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} – {obj.name} → {obj.province.name}"


def commune_choices(
    province_code: str | None, empty_label: str = _("No commune")
) -> list[tuple[str, str]]:
    """Options of a commune select: the communes of one province."""
    return [("", empty_label)] + [
        (commune.code, f"{commune.name} ({commune.code})")
        for commune in commune_list(province_code=province_code)
    ]


def commune_field_limit(
    field: forms.Field, province_code: str | None, empty_label: str = _("No commune")
) -> None:
    """Shows only the province's communes while still accepting any commune,
    so that a commune of another province gets the model's clear message
    rather than "select a valid choice"."""
    field.widget.choices = commune_choices(province_code, empty_label)
    field.widget.attrs["data-communes-url"] = reverse("institutions:communes")


class InstitutionForm(forms.ModelForm):
    """Creates or edits an institution; the province list holds only the
    provinces the user may write to."""

    province = ProvinceChoiceField(queryset=Province.objects.all(), label=_("Province"))
    former_province = FormerProvinceChoiceField(
        queryset=FormerProvince.objects.select_related("province").order_by("code"),
        required=False,
        empty_label=_("None"),
        label=_("Former province"),
        help_text=Institution._meta.get_field("former_province").help_text,
    )
    reason = reason_field()

    class Meta:
        model = Institution
        fields = Institution.DATA_FIELDS

    def __init__(self, *args, user, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        writable = [
            province.code
            for province in Province.objects.all()
            if user_can_write_province(user, province.code, permission)
        ]
        self.fields["province"].queryset = Province.objects.filter(code__in=writable)
        self.fields["province"].help_text = Institution._meta.get_field(
            "province"
        ).help_text
        if len(writable) == 1 and not self.instance.pk:
            self.initial.setdefault("province", writable[0])
        self.fields["province"].widget.attrs["data-commune-select"] = "id_commune"
        self.fields["commune"].queryset = Commune.objects.all()
        self.fields["commune"].label = _("Commune")
        commune_field_limit(self.fields["commune"], self._province_code())
        if self.instance.pk:
            # The code identifies the institution in every exchange file.
            self.fields["code"].disabled = True
        for name in ("opened_year", "closed_year"):
            self.fields[name].widget.attrs.update(YEAR_ATTRS)
            self.fields[name].localize = False
            self.fields[name].widget.is_localized = False

    def _province_code(self) -> str | None:
        if self.is_bound:
            return self.data.get(self.add_prefix("province")) or None
        initial = self.initial.get("province")
        if isinstance(initial, Province):
            return initial.code
        return initial or self.instance.province_id

    def clean_name(self):
        return self.cleaned_data["name"].strip()


class InstitutionCloseForm(forms.ModelForm):
    """Sets the closing year; the model checks it against the opening year."""

    class Meta:
        model = Institution
        fields = ["closed_year"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["closed_year"]
        field.required = True
        field.localize = False
        field.widget.is_localized = False
        field.widget.attrs.update(YEAR_ATTRS)


class InstitutionImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_("Columns as in the template; at most 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            table_format(upload.name)
        except TableError as error:
            raise forms.ValidationError(str(error)) from error
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 20 MB; split it into several files.")
            )
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        try:
            table_content_check(upload, upload.name)
        except TableError as error:
            raise forms.ValidationError(str(error)) from error
        return upload
