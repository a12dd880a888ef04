"""The public pages of the official releases, under ``/data/`` (namespace
``public``). Every page exists for the latest release (``/data/…``, which
moves when a new release is published) and for a numbered one
(``/data/2025-1/…``, which never changes). A release number is ``YYYY-N``,
so the other addresses under ``/data/`` (the catalogue) never collide."""

from django.urls import path, register_converter

from reports.public import downloads, embeds, views

app_name = "public"


class ReleaseNumberConverter:
    regex = r"\d{4}-\d{1,3}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ReleaseNumberConverter, "release")

# (suffix, view, name): each page for the latest release and for a numbered one.
PAGES = [
    ("", views.OverviewView, "overview"),
    ("trends/", views.TrendsView, "trends"),
    ("provinces/", views.ProvincesView, "provinces"),
    ("provinces/<str:code>/", views.ProvinceView, "province"),
    ("revisions/", views.RevisionsView, "revisions"),
    ("files/", downloads.FilesView, "files"),
    ("embed/<int:position>/card/", embeds.EmbedCardView, "embed_card"),
    ("embed/<int:position>/chart/", embeds.EmbedChartView, "embed_chart"),
]

urlpatterns = [
    path("release/", views.ReleaseChoiceView.as_view(), name="choose"),
    path(
        "<release:number>/files/<str:name>",
        downloads.FileView.as_view(),
        name="release_file",
    ),
    path("<release:number>/files.zip", downloads.ZipView.as_view(), name="release_zip"),
]
for suffix, view, name in PAGES:
    urlpatterns += [
        path(suffix, view.as_view(), name=name),
        path(f"<release:number>/{suffix}", view.as_view(), name=f"release_{name}"),
    ]
