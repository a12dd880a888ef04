"""Page sizes: every list of the portal and the API shows at most
``settings.MAX_PAGE_SIZE`` rows a page, whatever the address asks for."""

from django.conf import settings
from django.core.paginator import Paginator


def page_size_bound(per_page) -> int:
    """``per_page`` within 1 and ``MAX_PAGE_SIZE``."""
    return min(max(int(per_page), 1), settings.MAX_PAGE_SIZE)


class BoundedPaginator(Paginator):
    """A paginator whose pages hold at least one and at most ``MAX_PAGE_SIZE``
    rows: ``?per_page=200000`` shows ``MAX_PAGE_SIZE`` rows, ``?per_page=-1``
    one row, instead of a page that takes a worker down or an error."""

    def __init__(self, object_list, per_page, *args, **kwargs):
        super().__init__(object_list, page_size_bound(per_page), *args, **kwargs)
