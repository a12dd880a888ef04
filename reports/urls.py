"""The reports app's URLs, one namespace (``reports:``) over its sub-packages."""

from reports.entry import urls as entry_urls
from reports.notices import urls as notices_urls
from reports.periods import urls as periods_urls
from reports.progress import urls as progress_urls
from reports.releases import urls as releases_urls

app_name = "reports"

urlpatterns = [
    *progress_urls.urlpatterns,
    *entry_urls.urlpatterns,
    *periods_urls.urlpatterns,
    *notices_urls.urlpatterns,
    *releases_urls.urlpatterns,
]
