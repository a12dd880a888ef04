"""URLs of the periods pages, in the ``reports`` namespace."""

urlpatterns = []
