"""The publish form of a release and its confirmation."""

from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lifelong_learning.numbers import count_text
from reports.releases.models import Release
from reports.releases.selectors import (
    YearCounts,
    release_next_number,
    release_years,
)
from reports.releases.services import (
    NOTES_MAX_LENGTH,
    ReleaseError,
    release_latest,
    release_publish,
)


class ReleaseForm(forms.Form):
    """The data year to publish (only years with approved reports) and notes."""

    year = forms.TypedChoiceField(
        label=_("Data year"),
        coerce=int,
        help_text=_(
            "Only approved reports go into a release: drafts, submitted and "
            "returned reports are left out."
        ),
        error_messages={
            "invalid_choice": _(
                "Nothing of %(value)s can be published: choose a data year of the "
                "targets with approved reports (a release holds approved reports "
                "only)."
            ),
        },
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": NOTES_MAX_LENGTH}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["notes"].help_text = gettext(
            "Shown publicly with the release, e.g. what a correction changes "
            "(at most %(max)s characters)."
        ) % {"max": NOTES_MAX_LENGTH}
        self.years = {counts.year: counts for counts in release_years()}
        self.fields["year"].choices = [
            (year, self._year_label(counts)) for year, counts in self.years.items()
        ]

    def clean_notes(self) -> str:
        # Browsers send a textarea's lines with CRLF; the snapshot keeps LF,
        # and a line break counts as one character, as the browser counts it.
        notes = self.cleaned_data["notes"].replace("\r\n", "\n")
        if len(notes) > NOTES_MAX_LENGTH:
            raise forms.ValidationError(
                gettext(
                    "Notes can be at most %(max)s characters (they have %(length)s)."
                )
                % {"max": NOTES_MAX_LENGTH, "length": len(notes)}
            )
        return notes

    @staticmethod
    def _year_label(counts: YearCounts) -> str:
        label = gettext(
            "%(year)s — %(approved)s approved, %(left_out)s not approved"
        ) % {
            "year": counts.year,
            "approved": count_text(counts.approved),
            "left_out": count_text(counts.left_out),
        }
        if counts.released is None:
            return label
        return gettext("%(label)s (%(number)s already published)") % {
            "label": label,
            "number": counts.released,
        }

    @property
    def counts(self) -> YearCounts:
        return self.years[self.cleaned_data["year"]]


class _Overtaken(Exception):
    """Another release of the year was published between the check and now."""


class ReleaseConfirmForm(ReleaseForm):
    """The confirmed choice, with the number the confirmation showed: when
    another release of the year was published in between, nothing is
    published and the form says so (a second click publishes nothing)."""

    number = forms.CharField(widget=forms.HiddenInput, max_length=16)

    def clean(self):
        cleaned = super().clean()
        year, number = cleaned.get("year"), cleaned.get("number")
        if year is not None and number and number != release_next_number(year):
            raise forms.ValidationError(self._meanwhile(release_latest(year)))
        return cleaned

    @staticmethod
    def _meanwhile(latest: Release) -> str:
        return gettext(
            "Release %(number)s of %(year)s was published on %(when)s, after this "
            "confirmation was shown: nothing more was published. Check it in the "
            "list before publishing again."
        ) % {
            "number": latest.number,
            "year": latest.year,
            "when": date_format(
                timezone.localtime(latest.published_at), "SHORT_DATETIME_FORMAT"
            ),
        }

    def publish(self, *, user) -> Release | None:
        """Publishes the confirmed release; None, with the reason on the form,
        when it cannot be published or another one came first."""
        data = self.cleaned_data
        try:
            with transaction.atomic():
                release = release_publish(
                    year=data["year"], user=user, notes=data["notes"]
                )
                if release.number != data["number"]:
                    raise _Overtaken
        except ReleaseError as error:
            self.add_error(None, error.message)
            return None
        except _Overtaken:
            # Rolled back: the latest release is now the other one.
            self.add_error(None, self._meanwhile(release_latest(data["year"])))
            return None
        return release
