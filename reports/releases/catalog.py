"""The DCAT-AP catalogue of official releases, for data.gov.vn and any CKAN.

:func:`catalog_graph` describes the portal's open data as a ``dcat:Catalog``
with one ``dcat:Dataset`` per release (its number as identifier and version,
the data year as temporal coverage, Vietnam as spatial coverage, the notes as
version notes, the release it corrects as previous version) and its
distributions: the zip and each of its files (with size and SHA-256), the
frozen figures as JSON from the API and the public page. Everything is published under
``settings.RELEASE_LICENCE_URL`` by ``settings.RELEASE_PUBLISHER``. Controlled
values come from the EU vocabularies DCAT-AP names (languages, country, data
themes, file types, frequency, access right) and IANA media types.

It is checked against the DCAT-AP 3.0.0 SHACL shapes in the tests.
"""

import datetime
import hashlib
from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, SKOS, XSD

from reports.releases.files import release_built
from reports.releases.models import Release

ADMS = Namespace("http://www.w3.org/ns/adms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
# DCAT 3 terms that rdflib's closed DCAT namespace does not list yet.
DCAT_VERSION = URIRef(str(DCAT) + "version")
DCAT_PREVIOUS_VERSION = URIRef(str(DCAT) + "previousVersion")
EU = "http://publications.europa.eu/resource/authority/"
LANGUAGE = Namespace(EU + "language/")
COUNTRY = Namespace(EU + "country/")
THEME = Namespace(EU + "data-theme/")
FILE_TYPE = Namespace(EU + "file-type/")
FREQUENCY = Namespace(EU + "frequency/")
ACCESS_RIGHT = Namespace(EU + "access-right/")
PUBLISHER_TYPE = Namespace("http://purl.org/adms/publishertype/")
IANA = Namespace("https://www.iana.org/assignments/media-types/")
VIETNAM = COUNTRY.VNM
LANGUAGES = {"vi": LANGUAGE.VIE, "en": LANGUAGE.ENG}
# Education, and population and society: the programme's subject.
THEMES = (THEME.EDUC, THEME.SOCI)
ZIP_ROUTE = "public:release_zip"
FILE_ROUTE = "public:release_file"
# The EU file type of each media type the catalogue names.
FILE_TYPES = {
    "application/zip": "ZIP",
    "application/json": "JSON",
    "text/csv": "CSV",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
    "application/pdf": "PDF",
    "text/html": "HTML",
}
PAGE_ROUTE = "public:release_overview"


def _in_languages(text_of) -> list[Literal]:
    """``text_of()`` (a translated text) in Vietnamese and in English."""
    texts = []
    for code in LANGUAGES:
        with translation.override(code):
            texts.append(Literal(text_of(), lang=code))
    return texts


def _route(name: str, number: str, absolute) -> str:
    return absolute(reverse(name, kwargs={"number": number}))


def release_page_url(number: str, absolute) -> str:
    """The release's public page (``/data/<number>/``)."""
    return _route(PAGE_ROUTE, number, absolute)


def release_zip_url(number: str, absolute) -> str:
    """The zip of the release's files."""
    return _route(ZIP_ROUTE, number, absolute)


class CatalogBuilder:
    """Writes the catalogue into one graph; ``absolute(path)`` gives a full URL."""

    def __init__(self, absolute):
        self.absolute = absolute
        self.graph = Graph(bind_namespaces="core")
        for prefix, namespace in {
            "dcat": DCAT,
            "dct": DCTERMS,
            "foaf": FOAF,
            "vcard": VCARD,
            "adms": ADMS,
            "skos": SKOS,
            "owl": OWL,
            "spdx": SPDX,
        }.items():
            self.graph.bind(prefix, namespace)
        self.licence = URIRef(settings.RELEASE_LICENCE_URL)
        self.home = URIRef(absolute("/"))
        self.catalog = URIRef(absolute(reverse("catalog:jsonld")) + "#catalog")
        self.publisher = URIRef(self.home + "#publisher")

    def add(self, subject, predicate, *objects) -> None:
        for value in objects:
            self.graph.add((subject, predicate, value))

    def build(self, releases: list[Release]) -> Graph:
        g, catalog = self.graph, self.catalog
        self.add(catalog, RDF.type, DCAT.Catalog)
        self.add(
            catalog,
            DCTERMS.title,
            *_in_languages(lambda: _("Open data of the lifelong-learning portal")),
        )
        self.add(
            catalog,
            DCTERMS.description,
            *_in_languages(
                lambda: _(
                    "Official releases of the figures of Decision 1520/QĐ-TTg "
                    "(lifelong learning in libraries, museums and cultural "
                    "centres): each release freezes a data year's progress "
                    "towards every target, for the nation and each province, "
                    "from approved reports only."
                )
            ),
        )
        self.add(catalog, FOAF.homepage, self.home)
        self.add(self.home, RDF.type, FOAF.Document)
        self.add(catalog, DCTERMS.publisher, self.publisher)
        self.add(catalog, DCTERMS.license, self.licence)
        self.add(catalog, DCTERMS.language, *LANGUAGES.values())
        self.add(catalog, DCTERMS.spatial, VIETNAM)
        self.add(catalog, DCAT.themeTaxonomy, URIRef(EU + "data-theme"))
        self._shared_resources()
        if releases:
            self.add(
                catalog,
                DCTERMS.issued,
                self._datetime(min(r.published_at for r in releases)),
            )
            self.add(
                catalog,
                DCTERMS.modified,
                self._datetime(max(r.published_at for r in releases)),
            )
        for release in releases:
            self.add(catalog, DCAT.dataset, self.dataset(release))
        return g

    def _shared_resources(self) -> None:
        """The publisher, licence and controlled values, typed as DCAT-AP
        expects of them."""
        publisher = self.publisher
        self.add(publisher, RDF.type, FOAF.Agent)
        self.add(publisher, FOAF.name, Literal(settings.RELEASE_PUBLISHER, lang="vi"))
        self.add(publisher, DCTERMS.type, PUBLISHER_TYPE.NationalAuthority)
        self.add(PUBLISHER_TYPE.NationalAuthority, RDF.type, SKOS.Concept)
        self.add(self.licence, RDF.type, DCTERMS.LicenseDocument)
        for language in LANGUAGES.values():
            self.add(language, RDF.type, DCTERMS.LinguisticSystem)
        self.add(VIETNAM, RDF.type, DCTERMS.Location)
        self.add(URIRef(EU + "data-theme"), RDF.type, SKOS.ConceptScheme)
        for theme in THEMES:
            self.add(theme, RDF.type, SKOS.Concept)
        self.add(FREQUENCY.ANNUAL, RDF.type, DCTERMS.Frequency)
        self.add(ACCESS_RIGHT.PUBLIC, RDF.type, DCTERMS.RightsStatement)

    def dataset(self, release: Release) -> URIRef:
        number = release.number
        page = URIRef(release_page_url(number, self.absolute))
        dataset = URIRef(page + "#dataset")
        add = self.add
        add(dataset, RDF.type, DCAT.Dataset)
        add(dataset, DCTERMS.identifier, Literal(number))
        values = {"number": number, "year": release.year}
        add(
            dataset,
            DCTERMS.title,
            *_in_languages(
                lambda: (
                    _(
                        "Lifelong-learning progress, data year %(year)s "
                        "(release %(number)s)"
                    )
                    % values
                )
            ),
        )
        add(
            dataset,
            DCTERMS.description,
            *_in_languages(
                lambda: (
                    _(
                        "Progress towards every target of Decision 1520/QĐ-TTg in "
                        "%(year)s for the nation and each province, with numerators, "
                        "denominators, reporting and on-time rates, frozen in "
                        "release %(number)s from approved reports only."
                    )
                    % values
                )
            ),
        )
        add(dataset, DCTERMS.issued, self._datetime(release.published_at))
        add(dataset, DCTERMS.temporal, self._period(release.year))
        add(dataset, DCTERMS.spatial, VIETNAM)
        add(dataset, DCTERMS.publisher, self.publisher)
        add(dataset, DCAT.contactPoint, self._contact())
        add(dataset, DCAT.theme, *THEMES)
        add(dataset, DCTERMS.language, *LANGUAGES.values())
        add(dataset, DCTERMS.accrualPeriodicity, FREQUENCY.ANNUAL)
        add(dataset, DCTERMS.accessRights, ACCESS_RIGHT.PUBLIC)
        add(dataset, DCAT.landingPage, page)
        add(page, RDF.type, FOAF.Document)
        for keyword in (
            lambda: _("lifelong learning"),
            lambda: _("libraries"),
            lambda: _("museums"),
            lambda: _("cultural centres"),
            lambda: _("Decision 1520"),
        ):
            add(dataset, DCAT.keyword, *_in_languages(keyword))
        add(dataset, DCAT_VERSION, Literal(number))
        add(dataset, OWL.versionInfo, Literal(number))
        if release.notes:
            add(dataset, ADMS.versionNotes, Literal(release.notes, lang="vi"))
        if release.sequence > 1:
            previous = f"{release.year}-{release.sequence - 1}"
            add(
                dataset,
                DCAT_PREVIOUS_VERSION,
                URIRef(release_page_url(previous, self.absolute) + "#dataset"),
            )
        for distribution in self._distributions(release, page):
            add(dataset, DCAT.distribution, distribution)
        return dataset

    def _distributions(self, release: Release, page: URIRef) -> Iterable[BNode]:
        number = release.number
        zip_url = release_zip_url(number, self.absolute)
        summary = release_files_summary(release)
        yield self._distribution(
            release,
            key="zip",
            url=zip_url,
            download=True,
            title=lambda: _("Every file of the release (zip)"),
            media_type="application/zip",
            size=summary["zip"],
        )
        for file in summary["files"]:
            yield self._distribution(
                release,
                key=file["name"],
                url=self.absolute(
                    reverse(FILE_ROUTE, kwargs={"number": number, "name": file["name"]})
                ),
                download=True,
                title=lambda name=file["name"]: name,
                media_type=file["media_type"],
                size=file,
            )
        progress = self.absolute(
            reverse("api:release-progress", kwargs={"number": number})
        )
        yield self._distribution(
            release,
            key="api",
            url=progress,
            download=True,
            title=lambda: _(
                "Figures of the nation as JSON (add ?province=01 for a province)"
            ),
            media_type="application/json",
        )
        yield self._distribution(
            release,
            key="page",
            url=str(page),
            download=False,
            title=lambda: _("Public page of the release"),
            media_type="text/html",
        )

    def _distribution(
        self, release, *, key, url, download, title, media_type, size=None
    ) -> BNode:
        """One distribution; ``size`` gives its bytes and SHA-256 when known."""
        distribution = BNode(f"{release.number}-{key}")
        add = self.add
        add(distribution, RDF.type, DCAT.Distribution)
        add(distribution, DCAT.accessURL, URIRef(url))
        if download:
            add(distribution, DCAT.downloadURL, URIRef(url))
        add(distribution, DCTERMS.title, *_in_languages(title))
        media = IANA[media_type]
        add(distribution, DCAT.mediaType, media)
        add(media, RDF.type, DCTERMS.MediaType)
        file_type = FILE_TYPE[FILE_TYPES[media_type]]
        add(distribution, DCTERMS["format"], file_type)
        add(file_type, RDF.type, DCTERMS.MediaTypeOrExtent)
        add(distribution, DCTERMS.license, self.licence)
        add(distribution, DCTERMS.issued, self._datetime(release.published_at))
        if size is not None:
            add(
                distribution,
                DCAT.byteSize,
                Literal(size["bytes"], datatype=XSD.nonNegativeInteger),
            )
            checksum = BNode(f"{release.number}-{key}-sha256")
            add(distribution, SPDX.checksum, checksum)
            add(checksum, RDF.type, SPDX.Checksum)
            add(checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256)
            add(SPDX.checksumAlgorithm_sha256, RDF.type, SPDX.ChecksumAlgorithm)
            add(
                checksum,
                SPDX.checksumValue,
                Literal(size["sha256"], datatype=XSD.hexBinary),
            )
        return distribution

    def _period(self, year: int) -> BNode:
        period = BNode(f"year-{year}")
        self.add(period, RDF.type, DCTERMS.PeriodOfTime)
        self.add(
            period,
            DCAT.startDate,
            Literal(datetime.date(year, 1, 1), datatype=XSD.date),
        )
        self.add(
            period,
            DCAT.endDate,
            Literal(datetime.date(year, 12, 31), datatype=XSD.date),
        )
        return period

    def _contact(self) -> BNode:
        contact = BNode("contact")
        self.add(contact, RDF.type, VCARD.Kind, VCARD.Organization)
        self.add(contact, VCARD.fn, Literal(settings.RELEASE_PUBLISHER, lang="vi"))
        self.add(contact, VCARD.hasURL, self.home)
        return contact

    @staticmethod
    def _datetime(value: datetime.datetime) -> Literal:
        return Literal(value.isoformat(), datatype=XSD.dateTime)


def release_files_summary(release: Release) -> dict:
    """The name, media type, size and SHA-256 of each file of ``release`` and
    of their zip, from the files built once and kept
    (:func:`~reports.releases.files.release_built`)."""
    built = release_built(release)
    return {
        "files": [
            {
                "name": file.name,
                "media_type": file.media_type,
                "bytes": len(file.content),
                "sha256": file.sha256,
            }
            for file in built.files.values()
        ],
        "zip": {
            "bytes": len(built.zip),
            "sha256": hashlib.sha256(built.zip).hexdigest(),
        },
    }


def catalog_graph(*, absolute) -> Graph:
    """The DCAT-AP catalogue of every release, newest first; ``absolute(path)``
    turns a path into a full URL (the request's or ``settings.PORTAL_URL``)."""
    releases = list(Release.objects.defer("snapshot").order_by("-published_at", "-pk"))
    return CatalogBuilder(absolute).build(releases)


def catalog_serialise(graph: Graph, rdf_format: str) -> bytes:
    """``graph`` as JSON-LD (``"json-ld"``) or Turtle (``"turtle"``)."""
    if rdf_format == "json-ld":
        context = {prefix: str(namespace) for prefix, namespace in graph.namespaces()}
        return graph.serialize(format="json-ld", context=context, indent=2).encode()
    return graph.serialize(format=rdf_format).encode()
