"""The admin of the reports app lives with the sub-package that owns each
model (reports/entry/admin.py, reports/notices/admin.py,
reports/periods/admin.py, reports/releases/admin.py); Django's admin
autodiscovery imports this module, which loads them."""

from reports.entry import admin as entry_admin  # noqa: F401
from reports.notices import admin as notices_admin  # noqa: F401
from reports.periods import admin as periods_admin  # noqa: F401
from reports.releases import admin as releases_admin  # noqa: F401
