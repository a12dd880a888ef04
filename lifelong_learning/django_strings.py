"""Strings of Django itself that its Vietnamese catalogue does not translate
yet. Listed here so that ``make messages`` puts them in the portal's
catalogue, which Django reads before its own (``LOCALE_PATHS``)."""

from django.utils.translation import gettext_noop, ngettext_lazy

DJANGO_STRINGS = (
    # django.db.models.fields.BLANK_CHOICE_LABEL (Django 6.1): the empty choice
    # of a select.
    gettext_noop("- Select an option -"),
)

# The administration and account pages of Django 6 (django.contrib.admin and
# django.contrib.auth) that Django's Vietnamese catalogue lacks, and the names
# rest_framework.authtoken gives its tokens in the administration.
ADMIN_STRINGS = (
    gettext_noop("Select this object for an action - {}"),
    gettext_noop("Run"),
    gettext_noop("Breadcrumbs"),
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop(
        "After you’ve created a user, you’ll be able to edit more user options."
    ),
    gettext_noop("Error:"),
    gettext_noop("Set password"),
    gettext_noop(
        "This action will <strong>enable</strong> password-based authentication "
        "for this user."
    ),
    gettext_noop("Disable password-based authentication"),
    gettext_noop("Enable password-based authentication"),
    gettext_noop("Skip to main content"),
    gettext_noop("Hide counts"),
    gettext_noop("Show counts"),
    gettext_noop("Toggle theme (current theme: auto)"),
    gettext_noop("Toggle theme (current theme: light)"),
    gettext_noop("Toggle theme (current theme: dark)"),
    gettext_noop("Filter by %(field_name)s"),
    gettext_noop("Added:"),
    gettext_noop("Changed:"),
    gettext_noop("Deleted:"),
    gettext_noop("Toggle navigation"),
    gettext_noop("Sidebar"),
    gettext_noop("Filter navigation items"),
    gettext_noop("Pagination %(name)s entries"),
    gettext_noop("Pagination %(name)s"),
    gettext_noop("Search %(name)s"),
    gettext_noop("View selected %(model)s"),
    gettext_noop("Logout"),
    gettext_noop("Select all objects on this page for an action"),
    gettext_noop("Conflicting form data submitted. Please try again."),
    gettext_noop("Password-based authentication was disabled."),
    gettext_noop("Set password: %s"),
    gettext_noop("Reset password"),
    gettext_noop("Password-based authentication"),
    gettext_noop("Enabled"),
    gettext_noop("Disabled"),
    gettext_noop(
        "Raw passwords are not stored, so there is no way to see the user’s password."
    ),
    gettext_noop(
        "Enable password-based authentication for this user by setting a password."
    ),
    ngettext_lazy(
        "…and %(count)d more object.", "…and %(count)d more objects.", "count"
    ),
    ngettext_lazy("entry", "entries", "count"),
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "min_length",
    ),
    gettext_noop("Auth Token"),
    gettext_noop("Token"),
    gettext_noop("Tokens"),
)

# django-tables2's pagination of the registry ("« previous", "next »"); the
# package has no Vietnamese catalogue.
TABLES_STRINGS = (
    gettext_noop("previous"),
    gettext_noop("next"),
)
