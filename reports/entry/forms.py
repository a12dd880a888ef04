"""Forms of annual reports: one report, the rows of a year sheet, the sheet's
filter, review comments and the upload."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from institutions.forms import InstitutionImportForm
from institutions.models import Category, Institution, Province
from lifelong_learning.history import reason_field
from lifelong_learning.numbers import grouping_example, thousand_separator
from lifelong_learning.roles import user_province, user_sees_all_provinces
from lifelong_learning.tabular import parse_non_negative_int
from reports.entry.models import AnnualReport, ReportStatus
from reports.entry.selectors import SheetRow
from reports.entry.services import EntryCheck, ReportEntry, report_values_check
from reports.entry.warnings import (
    EXPLANATION_MAX,
    EXPLANATION_MIN,
    explanation_key,
    warnings_find,
)
from targets.indicators import COUNT_FIELDS, REPORT_FIELDS, applicable_fields

FIRST_YEAR = 2020


def report_years_choices() -> list[tuple[int, int]]:
    """Years offered by the year sheet: from 2020 up to the current year."""
    return [(year, str(year)) for year in range(date.today().year, FIRST_YEAR - 1, -1)]


def default_report_year() -> int:
    """Reports are entered for the year that has just ended."""
    return date.today().year - 1


def _yes(value) -> bool:
    return value is True or value == "1"


class YesNoField(forms.TypedChoiceField):
    """A criterion: yes, no or empty (not reported)."""

    def __init__(self, **kwargs):
        super().__init__(
            choices=[("", "—"), ("1", _("Yes")), ("0", _("No"))],
            coerce=_yes,
            empty_value=None,
            required=False,
            **kwargs,
        )

    def prepare_value(self, value):
        if value is None:
            return ""
        if isinstance(value, bool):
            return "1" if value else "0"
        return value


class CountField(forms.CharField):
    """A count: a whole number of 0 or more written with digits, or empty;
    the digits may be grouped with the thousands separator of the reader's
    language (1.234 in Vietnamese, 1,234 in English). Uses the parser of the
    import, which accepts plain digits only."""

    widget = forms.TextInput(
        attrs={"inputmode": "numeric", "autocomplete": "off", "size": 9}
    )

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        try:
            return parse_non_negative_int(text, thousands=thousand_separator())
        except ValueError as error:
            raise forms.ValidationError(
                _(
                    "Enter a whole number of 0 or more, in digits only; thousands "
                    "may be grouped with a comma (%(example)s)."
                ),
                code="invalid",
                params={"example": grouping_example()},
            ) from error


class ExplanationField(forms.CharField):
    """The explanation of one warning, typed beside it: empty (a draft may
    wait), or 3 to 500 characters after trimming."""

    def __init__(self, **kwargs):
        super().__init__(
            required=False,
            min_length=EXPLANATION_MIN,
            max_length=EXPLANATION_MAX,
            error_messages={
                "min_length": _(
                    "An explanation needs at least %(limit_value)d characters "
                    "(this one has %(show_value)d)."
                ),
                "max_length": _(
                    "An explanation has at most %(limit_value)d characters "
                    "(this one has %(show_value)d)."
                ),
            },
            widget=forms.Textarea(
                attrs={
                    "rows": 2,
                    "maxlength": EXPLANATION_MAX,
                    "placeholder": _("Why is this right? (needed to submit)"),
                }
            ),
            **kwargs,
        )


def report_field(name: str) -> forms.Field:
    label = AnnualReport._meta.get_field(name).verbose_name
    if name in COUNT_FIELDS:
        return CountField(label=label)
    return YesNoField(label=label)


class ReportForm(forms.Form):
    """The values of one report. Every report field is a form field, but only
    those that apply to the institution's category are shown; a value given
    for another field is refused with the rule of ``report_values_check``."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    reason = reason_field()

    # After a refused save based on an older version: the user's and the
    # stored value of each field (see :func:`conflict_rows`).
    conflict: list[dict] | None = None
    stored: AnnualReport | None = None

    def __init__(
        self,
        *args,
        institution: Institution,
        year: int,
        report: AnnualReport | None = None,
        previous: AnnualReport | None = None,
        **kwargs,
    ):
        self.institution = institution
        self.year = year
        self.report = report
        self.previous = previous
        self.applicable = tuple(
            name
            for name in REPORT_FIELDS
            if name in applicable_fields(institution.category)
        )
        initial = {"version": report.version if report is not None else 0}
        if report is not None:
            initial.update({name: getattr(report, name) for name in REPORT_FIELDS})
            initial.update(
                {
                    explanation_key(warning["field"]): warning["explanation"]
                    for warning in report.warnings
                    if isinstance(warning, dict) and warning.get("explanation")
                }
            )
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for name in REPORT_FIELDS:
            self.fields[name] = report_field(name)
        for name in self.applicable:
            self.fields[explanation_key(name)] = ExplanationField(
                label=_("Explanation of the warning on %(field)s")
                % {"field": self.fields[name].label}
            )
        for name in self.applicable:
            self.fields[name].widget.attrs["aria-describedby"] = self.add_prefix(
                f"{name}-previous"
            )

    @property
    def visible_value_fields(self) -> list:
        """The applicable values: bound field, last year's and the stored value."""
        return [
            (
                self[name],
                getattr(self.previous, name, None),
                getattr(self.report, name, None),
            )
            for name in self.applicable
        ]

    @property
    def warning_fields(self) -> list[tuple[dict, forms.BoundField | None]]:
        """Each warning with the explanation field beside it: the warnings of
        the values typed (once checked) or else those stored on the report."""
        cleaned = getattr(self, "cleaned_data", None)
        if self.is_bound and cleaned is not None and self.previous is not None:
            warnings = warnings_find(
                {name: cleaned.get(name) for name in self.applicable}, self.previous
            )
        else:
            warnings = self.report.warnings if self.report is not None else []
        return [
            (
                warning,
                self[explanation_key(warning["field"])]
                if warning.get("field") in self.applicable
                else None,
            )
            for warning in warnings
            if isinstance(warning, dict)
        ]

    def error_field(self, name: str) -> str | None:
        """The shown field an error of the service belongs to, if any."""
        shown = {*self.applicable, *map(explanation_key, self.applicable)}
        return name if name in shown else None

    @property
    def value_changes(self) -> list[str]:
        return [name for name in self.changed_data if name not in ("version", "reason")]

    def clean(self):
        cleaned = super().clean()
        values = {
            name: cleaned.get(name)
            for name in REPORT_FIELDS
            if name in self.applicable or cleaned.get(name) is not None
        }
        check = report_values_check(
            institution=self.institution, year=self.year, values=values
        )
        for name, message in check.errors.items():
            self.add_error(name if name in self.applicable else None, message)
        return cleaned

    def entry(self) -> ReportEntry:
        return ReportEntry(
            institution=self.institution,
            year=self.year,
            values={name: self.cleaned_data.get(name) for name in self.applicable},
            expected_version=self.cleaned_data["version"],
            explanations={
                name: text
                for name in self.applicable
                if (text := self.cleaned_data.get(explanation_key(name)))
            },
        )

    def refusal_apply(self, check: EntryCheck) -> None:
        """Shows why the service refused this report."""
        for name, message in check.errors.items():
            self.add_error(self.error_field(name), message)
        if check.stale:
            self.conflict_show(check.stored)

    def conflict_show(self, stored: AnnualReport | None) -> None:
        """Keeps the user's values and takes the stored version, so that
        saving again applies them knowingly."""
        self.conflict = conflict_rows(self, stored)
        self.stored = stored
        self.data[self.add_prefix("version")] = str(
            stored.version if stored is not None else 0
        )


def conflict_rows(form: ReportForm, stored: AnnualReport | None) -> list[dict]:
    """Field by field: the label, the user's value and the stored value."""
    return [
        {
            "field": name,
            "label": form.fields[name].label,
            "mine": form.cleaned_data.get(name),
            "stored": getattr(stored, name, None),
            "differs": form.cleaned_data.get(name) != getattr(stored, name, None),
        }
        for name in form.applicable
    ]


class SheetRowForm(ReportForm):
    """One row of a year sheet. An approved row is read-only, unless the user
    opened the sheet before it was approved and posts values for it: those
    are then checked, and refused as locked if they change anything."""

    def __init__(self, data=None, *, row: SheetRow, year: int):
        self.row = row
        prefix = f"r{row.institution.pk}"
        # A row absent from the posted data (a locked row has no inputs) is
        # left as it is.
        if data is not None and not any(key.startswith(f"{prefix}-") for key in data):
            data = None
        super().__init__(
            data,
            institution=row.institution,
            year=year,
            report=row.report,
            previous=row.previous,
            prefix=prefix,
        )
        self.read_only = row.locked and not self.is_bound
        for field in self.fields.values():
            field.disabled = self.read_only
        for name in (*self.applicable, *map(explanation_key, self.applicable)):
            self.fields[name].label = _("%(institution)s: %(field)s") % {
                "institution": row.institution.name,
                "field": self.fields[name].label,
            }


class SheetForm:
    """The rows of one page of a year sheet, each a :class:`SheetRowForm`.

    The rows come from the server (the page of the sheet), never from the
    posted data, so a row can only be saved for an institution of the sheet.
    """

    def __init__(self, data=None, *, rows: list[SheetRow], year: int):
        self.data = data.copy() if data is not None else None
        self.year = year
        self.forms = [SheetRowForm(self.data, row=row, year=year) for row in rows]

    def __iter__(self):
        return iter(self.forms)

    def is_valid(self) -> bool:
        # Every row is validated, so that every error is shown at once.
        results = [form.is_valid() for form in self.forms if form.is_bound]
        return all(results)

    @property
    def editable(self) -> bool:
        """Whether any row of the page can still be changed."""
        return any(not form.read_only for form in self.forms)

    def changed_forms(self) -> list[SheetRowForm]:
        return [
            form
            for form in self.forms
            if form.is_bound and not form.read_only and form.value_changes
        ]

    def entries(self) -> list[ReportEntry]:
        """Entries of the rows the user changed; untouched rows are not saved."""
        return [form.entry() for form in self.changed_forms()]

    def refusal_apply(self, checks: list[EntryCheck]) -> None:
        by_institution = {check.entry.institution.pk: check for check in checks}
        for form in self.forms:
            check = by_institution.get(form.institution.pk)
            if check is not None and not check.ok:
                form.refusal_apply(check)

    @property
    def conflicts(self) -> list[SheetRowForm]:
        return [form for form in self.forms if form.conflict is not None]


CHOOSE_PROVINCE = _("Choose a province")


class ProvinceChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, empty_label=CHOOSE_PROVINCE, **kwargs):
        super().__init__(*args, empty_label=empty_label, **kwargs)

    def label_from_instance(self, obj):
        return obj.name


class SheetFilterForm(forms.Form):
    """Which sheet to show: year, category and, for those who see every
    province, the province. Officers always get their own province."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=())
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    province = ProvinceChoiceField(
        label=_("Province"),
        queryset=Province.objects.order_by("name_sort"),
        required=False,
    )
    missing = forms.BooleanField(
        label=_("Only those not reported yet"),
        required=False,
        help_text=_("Institutions without a submitted or approved report."),
    )

    def __init__(self, data, *, user):
        self.user = user
        self.sees_all = user_sees_all_provinces(user)
        self.own_province = user_province(user)
        data = data.copy()
        data.setdefault("year", str(default_report_year()))
        data.setdefault("category", Category.LIBRARY_PROVINCIAL)
        if self.sees_all and not data.get("province"):
            # The province shown, so the filter says which sheet this is.
            shown = self.own_province or self.default_province()
            if shown is not None:
                data["province"] = shown.code
        super().__init__(data)
        self.fields["year"].choices = report_years_choices()
        if not self.sees_all:
            del self.fields["province"]

    @staticmethod
    def default_province():
        return Province.objects.order_by("name_sort").first()

    def clean(self):
        cleaned = super().clean()
        if self.sees_all:
            if cleaned.get("province") is None and "province" not in self.errors:
                cleaned["province"] = self.own_province or self.default_province()
        else:
            cleaned["province"] = self.own_province
        return cleaned

    @property
    def requested_province_code(self) -> str | None:
        """The province asked for in the address, whatever the user may see."""
        return self.data.get("province") or None


class ReviewCommentForm(forms.Form):
    """The comment of a return, or the reason of a reopening."""

    comment = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class ReportUploadForm(InstitutionImportForm):
    """A CSV or XLSX file of annual reports, and the status to give them."""

    status = forms.ChoiceField(
        label=_("Save the reports as"),
        choices=[
            (ReportStatus.DRAFT, _("Drafts, to check and submit later")),
            (ReportStatus.SUBMITTED, _("Submitted for review")),
        ],
        initial=ReportStatus.DRAFT,
        widget=forms.RadioSelect,
    )
