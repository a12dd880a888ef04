"""The DCAT-AP catalogue of releases: what it says of each release, that it
conforms to the DCAT-AP 3.0.0 SHACL shapes (checked offline with pyshacl), and
how it is served and cached."""

import hashlib
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, SH

from reports.releases.catalog import DCAT_PREVIOUS_VERSION, DCAT_VERSION
from reports.releases.files import release_files, release_zip
from reports.releases.services import release_publish
from tests.reports.api.test_releases import CORRECTED, releases_2024_publish

pytestmark = pytest.mark.django_db

# rdflib's closed DCAT namespace warns of any name it lacks.
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SHAPES = Path(__file__).parents[1] / "releases" / "shapes"
CATALOG = "http://testserver/data/catalog.jsonld"
LICENCE = URIRef("https://creativecommons.org/licenses/by/4.0/")
SPDX = Namespace("http://spdx.org/rdf/terms#")
ALGORITHM_RESTRICTION = URIRef("http://data.europa.eu/r5r#ChecksumAlgorithmRestriction")
SHAPE_BUG = "shape bug"


@pytest.fixture
def releases_2024(geography):
    return releases_2024_publish()


def _shapes() -> Graph:
    shapes = Graph()
    for name in ("dcat-ap-SHACL.ttl", "dcat-ap-mdr-vocabularies.shape.ttl"):
        shapes.parse(SHAPES / name, format="turtle")
    return shapes


def _results(data: Graph) -> dict:
    """The SHACL results of ``data`` by severity, each as "focus path:
    message", read with the concepts of the EU vocabularies it uses. RDFS
    inference: the shapes ask for rdfs:Resource values.

    One violation is the shapes' own bug, kept apart under ``SHAPE_BUG``: the
    vocabulary shapes ask the checksum algorithm to match
    ``^https://spdx.org/rdf/terms``, which the SPDX namespace itself
    (``http://spdx.org/rdf/terms#``, as DCAT-AP's JSON-LD context names it)
    never does (SOURCE.md)."""
    vocabularies = Graph().parse(SHAPES / "vocabularies.ttl", format="turtle")
    shapes = _shapes()
    _conforms, report, _text = validate(
        data + vocabularies,
        shacl_graph=shapes,
        inference="rdfs",
        allow_warnings=True,
    )
    results = {SH.Violation: [], SH.Warning: [], SH.Info: [], SHAPE_BUG: []}
    for result in report.objects(None, SH.result):
        severity = report.value(result, SH.resultSeverity)
        source = report.value(result, SH.sourceShape)
        if (source, SH.node, ALGORITHM_RESTRICTION) in shapes and report.value(
            result, SH.value
        ) == SPDX.checksumAlgorithm_sha256:
            severity = SHAPE_BUG
        results[severity].append(
            f"{report.value(result, SH.focusNode)} "
            f"{report.value(result, SH.resultPath)}: "
            f"{report.value(result, SH.resultMessage)}"
        )
    return results


def _violations(data: Graph) -> list[str]:
    return _results(data)[SH.Violation]


def _catalog(client, suffix="jsonld") -> Graph:
    response = client.get(f"/data/catalog.{suffix}")
    assert response.status_code == 200
    rdf_format = "json-ld" if suffix == "jsonld" else "turtle"
    return Graph().parse(data=response.content, format=rdf_format)


def test_the_catalogue_of_two_releases_conforms_to_dcat_ap(client, releases_2024):
    graph = _catalog(client)

    results = _results(graph)

    assert results[SH.Violation] == []
    assert len(set(graph.subjects(RDF.type, DCAT.Dataset))) == 2
    # The only advice: the publisher is not in the EU's corporate-body list
    # (a Vietnamese ministry cannot be), for the catalogue and each dataset.
    assert len(results[SH.Warning]) == 3
    assert all(str(DCTERMS.publisher) in w for w in results[SH.Warning])
    # The shapes' https pattern rejects every SPDX algorithm, ours included.
    checksums = set(graph.subjects(RDF.type, SPDX.Checksum))
    assert len(results[SHAPE_BUG]) == len(checksums) > 0


def test_a_dataset_without_a_title_fails_the_check(client, releases_2024):
    graph = _catalog(client)
    dataset = next(graph.subjects(DCTERMS.identifier, Literal("2024-1")))
    graph.remove((dataset, DCTERMS.title, None))

    violations = _violations(graph)

    assert len(violations) == 1
    assert "title" in violations[0]


def test_a_distribution_without_an_access_url_fails_the_check(client, releases_2024):
    graph = _catalog(client)
    distribution = next(graph.subjects(RDF.type, DCAT.Distribution))
    graph.remove((distribution, DCAT.accessURL, None))

    assert len(_violations(graph)) == 1


def test_each_release_is_a_dataset_with_its_version_licence_and_coverage(
    client, releases_2024
):
    _first, second = releases_2024
    graph = _catalog(client)
    catalog = URIRef(CATALOG + "#catalog")
    dataset = next(graph.subjects(DCTERMS.identifier, Literal("2024-2")))

    assert (catalog, RDF.type, DCAT.Catalog) in graph
    assert (catalog, DCAT.dataset, dataset) in graph
    assert {t.language for t in graph.objects(catalog, DCTERMS.title)} == {"vi", "en"}
    assert (catalog, DCTERMS.license, LICENCE) in graph
    assert graph.value(dataset, DCAT_VERSION) == Literal("2024-2")
    assert graph.value(dataset, URIRef("http://www.w3.org/ns/adms#versionNotes")) == (
        Literal("Đính chính", lang="vi")
    )
    assert graph.value(dataset, DCAT_PREVIOUS_VERSION) == URIRef(
        "http://testserver/data/2024-1/#dataset"
    )
    assert graph.value(dataset, DCTERMS.issued).toPython() == CORRECTED
    period = graph.value(dataset, DCTERMS.temporal)
    assert str(graph.value(period, DCAT.startDate)) == "2024-01-01"
    assert str(graph.value(period, DCAT.endDate)) == "2024-12-31"
    assert graph.value(dataset, DCTERMS.spatial) == URIRef(
        "http://publications.europa.eu/resource/authority/country/VNM"
    )
    publisher = graph.value(dataset, DCTERMS.publisher)
    assert str(graph.value(publisher, URIRef("http://xmlns.com/foaf/0.1/name"))) == (
        second.publisher
    )
    urls = {
        str(graph.value(d, DCAT.accessURL))
        for d in graph.objects(dataset, DCAT.distribution)
    }
    assert "http://testserver/api/v1/releases/2024-2/progress/" in urls
    for distribution in graph.objects(dataset, DCAT.distribution):
        assert graph.value(distribution, DCTERMS.license) == LICENCE
    archive = release_zip(second)
    (zipped,) = graph.subjects(
        DCAT.downloadURL, URIRef("http://testserver/data/2024-2/files.zip")
    )
    assert graph.value(zipped, DCAT.byteSize).toPython() == len(archive)
    checksum = graph.value(zipped, SPDX.checksum)
    assert str(graph.value(checksum, SPDX.checksumValue)) == (
        hashlib.sha256(archive).hexdigest()
    )
    files = {file.name: file for file in release_files(second)}
    for name, file in files.items():
        (distribution,) = graph.subjects(
            DCAT.downloadURL,
            URIRef(f"http://testserver/data/2024-2/files/{name}"),
        )
        checksum = graph.value(distribution, SPDX.checksum)
        assert str(graph.value(checksum, SPDX.checksumValue)) == file.sha256
    assert "revisions.csv" in files
    first_dataset = next(graph.subjects(DCTERMS.identifier, Literal("2024-1")))
    assert graph.value(first_dataset, DCAT_PREVIOUS_VERSION) is None


def test_turtle_says_the_same_as_json_ld(client, releases_2024):
    assert _catalog(client, "ttl").isomorphic(_catalog(client))


def test_the_catalogue_is_json_ld_cached_until_a_release_is_published(
    client, releases_2024
):
    response = client.get("/data/catalog.jsonld")

    assert response["Content-Type"] == "application/ld+json; charset=utf-8"
    assert response["Cache-Control"] == "public, max-age=300"
    again = client.get("/data/catalog.jsonld", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    release_publish(year=2024, notes="Lần ba")
    third = client.get("/data/catalog.jsonld", HTTP_IF_NONE_MATCH=response["ETag"])
    assert third.status_code == 200
    assert b"2024-3" in third.content


def test_an_empty_catalogue_still_conforms(client, geography):
    graph = _catalog(client)

    assert _violations(graph) == []
    assert not set(graph.subjects(RDF.type, DCAT.Dataset))


def test_the_api_docs_link_the_catalogue(client):
    content = client.get("/api/v1/docs/").content.decode()

    assert 'href="/data/catalog.jsonld"' in content
    assert 'href="/data/catalog.ttl"' in content
    assert "không cần đăng nhập" in content
