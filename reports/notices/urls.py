"""URLs of the notices pages, in the ``reports`` namespace."""

urlpatterns = []
