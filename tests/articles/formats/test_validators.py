"""Both validator setups (jsonschema, and ajv-cli as IPTC's CI runs it) accept exactly IPTC's
should_pass vectors and reject exactly the should_fail ones, before they judge our output."""

import json

import pytest

from articles.formats import ninjs, validation
from articles.models import Article
from articles.serializers.public import detail_queryset
from tests.articles.formats.conftest import VECTORS, node_tool, run

SCHEMAS = validation.SCHEMAS


def vectors() -> list:
    """(file, version the schema judges it by, expected validity) for every IPTC vector."""
    found = []
    for path in sorted(VECTORS.glob("*/should_*/*.json")):
        version = "3.1" if path.parts[-3].startswith("3") else "2.2"
        found.append((path, version, path.parts[-2] == "should_pass"))
    return found


def test_the_iptc_vectors_are_all_there():
    assert len(vectors()) == 56
    assert {v for _, v, _ in vectors()} == {"2.2", "3.1"}


@pytest.mark.parametrize(
    ("path", "version", "valid"), vectors(), ids=lambda v: getattr(v, "name", str(v))
)
def test_jsonschema_accepts_exactly_the_should_pass_vectors(path, version, valid):
    errors = validation.errors(json.loads(path.read_text()), version)
    assert (errors == []) is valid, errors


def test_the_iptc_examples_are_valid_2_2():
    for path in sorted(VECTORS.glob("example-2.2-*.json")):
        assert validation.errors(json.loads(path.read_text()), "2.2") == [], path.name


def test_the_format_checker_is_on_so_bad_uris_and_times_are_rejected():
    paths = {e["path"] for e in validation.errors({"uri": "not a uri"}, "2.2")}
    assert paths == {"$.uri"}
    bad_time = {"uri": "urn:x", "versioncreated": "yesterday"}
    assert [e["path"] for e in validation.errors(bad_time, "2.2")] == ["$.versioncreated"]


def test_geojson_is_checked_from_the_local_copy():
    place = {"uri": "urn:x", "places": [{"name": "Paris", "geojson": {"type": "Nowhere"}}]}
    assert validation.errors(place, "2.2")
    place["places"][0]["geojson"] = {"type": "Point", "coordinates": [2.35, 48.85]}
    assert validation.errors(place, "2.2") == []


def ajv(schema_version: str, files: list) -> dict[str, bool]:
    """ajv-cli 5 with ajv-formats 3, Draft 2020-12: {file: valid}."""
    binary = node_tool("ajv")
    result = run(
        [
            binary,
            "validate",
            "--spec=draft2020",
            "-c",
            "ajv-formats",
            "-s",
            validation.schema_path(schema_version),
            "-r",
            SCHEMAS / "GeoJSON-schema.json",
            *[arg for f in files for arg in ("-d", f)],
        ]
    )
    verdicts = {}
    for line in (result.stdout + result.stderr).splitlines():
        name, _, verdict = line.rpartition(" ")
        if verdict in ("valid", "invalid") and name in {str(f) for f in files}:
            verdicts[name] = verdict == "valid"
    assert len(verdicts) == len(files), result.stdout + result.stderr
    return verdicts


@pytest.mark.parametrize("version", ninjs.VERSIONS)
def test_ajv_accepts_exactly_the_should_pass_vectors(version):
    cases = [(p, valid) for p, v, valid in vectors() if v == version]
    verdicts = ajv(version, [p for p, _ in cases])
    assert verdicts == {str(p): valid for p, valid in cases}


@pytest.mark.django_db
@pytest.mark.parametrize("version", ninjs.VERSIONS)
def test_ajv_accepts_our_output_for_the_demo_and_the_edge_cases(
    demo_articles, cases, version, tmp_path
):
    files = []
    for article in Article.objects.order_by("id"):
        loaded = detail_queryset(Article.objects.filter(pk=article.pk)).defer(None).get()
        path = tmp_path / f"{article.pk}-{article.slug}.json"
        path.write_text(json.dumps(ninjs.article_ninjs(loaded, version=version, editorial=True)))
        files.append(path)
    assert len(files) == len(demo_articles) + len(cases)
    assert ajv(version, files) == {str(f): True for f in files}
