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

# django-simple-history's history pages in the admin; the package has no
# Vietnamese catalogue.
HISTORY_STRINGS = (
    gettext_noop("View history: %s"),
    gettext_noop("Change history: %s"),
    gettext_noop('The %(name)s "%(obj)s" was changed successfully.'),
    gettext_noop("You may edit it again below"),
    gettext_noop("View %s"),
    gettext_noop("Revert %s"),
    gettext_noop(
        "Choose a date from the list below to revert to a previous version of "
        "this object."
    ),
    gettext_noop("This object doesn't have a change history."),
    gettext_noop("View %(verbose_name)s"),
    gettext_noop("Revert %(verbose_name)s"),
    gettext_noop(
        "Press the 'Revert' button below to revert to this version of the object."
    ),
    gettext_noop("Press the 'Change History' button below to edit the history."),
    gettext_noop("Object"),
    gettext_noop("Date/time"),
    gettext_noop("Comment"),
    gettext_noop("Changed by"),
    gettext_noop("Change reason"),
    gettext_noop("Revert"),
    gettext_noop("Change History"),
    gettext_noop("Changes"),
)

# django.contrib.auth's user form in the admin.
AUTH_STRINGS = (
    gettext_noop(
        "Whether the user will be able to authenticate using a password or not. "
        "If disabled, they may still be able to authenticate using other backends, "
        "such as Single Sign-On or LDAP."
    ),
    gettext_noop(
        "Enter a valid username. This value may contain only unaccented lowercase "
        "a-z and uppercase A-Z letters, numbers, and @/./+/-/_ characters."
    ),
)
