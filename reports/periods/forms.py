"""Forms of the ministry's periods page: a period's dates, a province's
extension with its reason."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lifelong_learning.history import reason_field
from lifelong_learning.years import YEAR_MAX, YEAR_MIN
from reports.periods.models import PeriodExtension, ReportingPeriod


def _date_input() -> forms.DateInput:
    # ISO dates, as the browser's date picker reads and sends them.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodForm(forms.ModelForm):
    """A data year's opening, due and closing dates."""

    change_reason = reason_field()

    class Meta:
        model = ReportingPeriod
        fields = ["year", "opens_on", "due_on", "closes_on", "notes"]
        widgets = {
            "opens_on": _date_input(),
            "due_on": _date_input(),
            "closes_on": _date_input(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].widget.attrs.update(min=YEAR_MIN, max=YEAR_MAX)
        self.fields["year"].localize = False
        self.fields["year"].widget.is_localized = False


class ExtensionForm(forms.ModelForm):
    """Later dates for one province of a period, with the reason (required)."""

    class Meta:
        model = PeriodExtension
        fields = ["province", "due_on", "closes_on", "reason"]
        widgets = {
            "due_on": _date_input(),
            "closes_on": _date_input(),
            "reason": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "reason": _("Why this province gets more time; kept in the history.")
        }

    def __init__(self, *args, period: ReportingPeriod, **kwargs):
        super().__init__(*args, **kwargs)
        self.period = period
        self.instance.period = period
        self.fields["province"].queryset = self.fields["province"].queryset.order_by(
            "name_sort"
        )
        self.fields["reason"].error_messages["required"] = _(
            "Give the reason for the extension."
        )

    def clean(self):
        cleaned = super().clean()
        due_on, closes_on = cleaned.get("due_on"), cleaned.get("closes_on")
        if due_on and due_on < self.period.due_on:
            self.add_error(
                "due_on",
                _("An extension cannot end before the period's due date."),
            )
        if closes_on and closes_on < self.period.closes_on:
            self.add_error(
                "closes_on",
                _("An extension cannot close before the period's closing date."),
            )
        province = cleaned.get("province")
        taken = PeriodExtension.objects.filter(period=self.period, province=province)
        if province and taken.exclude(pk=self.instance.pk).exists():
            self.add_error(
                "province",
                _("This province already has an extension for this period."),
            )
        return cleaned
