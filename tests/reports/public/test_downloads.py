"""A release's files and its zip, for everyone, immutable."""

import io
import json
import zipfile

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_zip_holds_every_file_and_the_manifest(client, release_2024):
    response = client.get(reverse("public:release_zip", args=["2024-1"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "immutable" in response["Cache-Control"]
    assert "attachment" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = {name.rsplit("/", 1)[-1] for name in archive.namelist()}
    assert "manifest.json" in names
    manifest_name = next(n for n in archive.namelist() if n.endswith("manifest.json"))
    manifest = json.loads(archive.read(manifest_name))
    assert manifest["release"] == "2024-1"
    assert {entry["name"] for entry in manifest["files"]} <= names

    again = client.get(
        reverse("public:release_zip", args=["2024-1"]),
        HTTP_IF_NONE_MATCH=response["ETag"],
    )
    assert again.status_code == 304


def test_the_files_page_lists_each_file_and_a_file_downloads(client, release_2024):
    html = client.get(reverse("public:release_files", args=["2024-1"])).content
    html = html.decode()
    assert 'href="/data/2024-1/files/progress.json"' in html
    assert 'href="/data/2024-1/files.zip"' in html

    response = client.get(
        reverse("public:release_file", args=["2024-1", "progress.json"])
    )
    assert response.status_code == 200
    progress = json.loads(response.content)
    assert progress[0]["area"] == "VN"
    missing = reverse("public:release_file", args=["2024-1", "secrets.txt"])
    assert client.get(missing).status_code == 404
