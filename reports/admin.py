"""The admin of annual reports lives with data entry (reports/entry/admin.py);
Django's admin autodiscovery imports this module, which loads it."""

from reports.entry import admin  # noqa: F401
