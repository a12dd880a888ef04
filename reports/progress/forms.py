"""The forms of the progress pages: the dashboards' filters, read from the
address, and the national PDF report's year."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from institutions.models import Province
from lifelong_learning.years import YEAR_MAX, YEAR_MIN
from reports.progress.figures import NATION
from reports.progress.years import dashboard_years, data_year_message, default_year
from targets.selectors import target_list


class DashboardFilterForm(forms.Form):
    """Year, area and counted reports, read from the address so that a link
    can be shared."""

    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int)
    province = forms.ChoiceField(label=gettext_lazy("Area"), required=False)
    approved = forms.BooleanField(
        label=gettext_lazy("Approved reports only"), required=False
    )

    def __init__(
        self, data, *, years: list[int], provinces: list[Province], initial=None
    ):
        super().__init__(data, initial=initial)
        self.fields["year"].choices = [(year, year) for year in years]
        self.fields["province"].choices = [
            (NATION, _("Whole country")),
            *((p.code, p.name) for p in provinces),
        ]


class NationalReportForm(forms.Form):
    """The year of the report (by default the dashboards' year: the latest
    collected one) and whether only approved reports count."""

    year = forms.IntegerField(
        label=gettext_lazy("year"),
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        required=False,
    )
    approved_only = forms.BooleanField(
        label=gettext_lazy("Approved reports only"), required=False
    )

    def clean(self):
        data = super().clean()
        if "year" in self.errors:
            return data
        years = dashboard_years(list(target_list()))
        if data.get("year") is None:
            if not years:
                self.add_error("year", self.fields["year"].error_messages["required"])
                return data
            data["year"] = default_year(years, approved_only=data["approved_only"])
        message = data_year_message(data["year"])
        if message:
            self.add_error("year", message)
        return data
