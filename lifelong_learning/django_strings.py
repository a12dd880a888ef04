"""Strings of Django itself that its Vietnamese catalogue does not translate
yet. Listed here so that ``make messages`` puts them in the portal's
catalogue, which Django reads before its own (``LOCALE_PATHS``)."""

from django.utils.translation import gettext_noop

DJANGO_STRINGS = (
    # django.db.models.fields.BLANK_CHOICE_LABEL (Django 6.1): the empty choice
    # of a select.
    gettext_noop("- Select an option -"),
)
