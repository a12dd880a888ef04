"""The notices' forms: a person's choice of e-mail."""

from django import forms
from django.utils.translation import gettext_lazy as _


class NoticeSettingsForm(forms.Form):
    """Whether notices also come by e-mail (the inbox always keeps them)."""

    email = forms.BooleanField(
        label=_("Also send me my notices by e-mail"),
        required=False,
        help_text=_("Notices always stay in the inbox."),
    )
