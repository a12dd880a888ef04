"""URLs of the DCAT-AP catalogue, mounted at /data/ before the public pages."""

from django.urls import path

from reports.public import catalog

app_name = "catalog"
urlpatterns = [
    path("catalog.jsonld", catalog.CatalogView.as_view(), name="jsonld"),
    path("catalog.ttl", catalog.CatalogTurtleView.as_view(), name="turtle"),
]
