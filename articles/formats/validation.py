"""Validation of ninjs documents against the IPTC's own schemas (``schemas/``), offline.

JSON Schema Draft 2020-12 with the format checker: without ``jsonschema[format]`` installed,
``uri`` and ``date-time`` would silently pass (https://python-jsonschema.readthedocs.io/en/stable/validate/#validating-formats).
The schemas ``$ref`` https://geojson.org/schema/GeoJSON.json, which is never fetched: the local
copy is registered under that id (https://referencing.readthedocs.io/).
"""

import json
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMAS = Path(__file__).resolve().parent / "schemas"
GEOJSON_ID = "https://geojson.org/schema/GeoJSON.json"
SCHEMA_FILES = {"2.2": "ninjs-schema_2.2.json", "3.1": "ninjs-schema_3.1.json"}


def schema_path(version: str) -> Path:
    return SCHEMAS / SCHEMA_FILES[version]


def load_schema(version: str) -> dict:
    return json.loads(schema_path(version).read_text(encoding="utf-8"))


@cache
def registry() -> Registry:
    geojson = json.loads((SCHEMAS / "GeoJSON-schema.json").read_text(encoding="utf-8"))
    # The GeoJSON schema is draft-07; it says so itself, so its own dialect is used.
    return Registry().with_resource(GEOJSON_ID, Resource.from_contents(geojson))


@cache
def validator(version: str) -> Draft202012Validator:
    schema = load_schema(version)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(
        schema,
        registry=registry(),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def version_of(document: dict) -> str:
    """2.x or 3.x, from the document's own spelling (3.x names are camelCase)."""
    standard = document.get("standard")
    if isinstance(standard, dict) and isinstance(standard.get("version"), str):
        if standard["version"].startswith("3"):
            return "3.1"
        if standard["version"].startswith("2"):
            return "2.2"
    camel = {"firstCreated", "versionCreated", "pubStatus", "altIds", "infoSources"}
    return "3.1" if camel & set(document) else "2.2"


def json_path(error) -> str:
    path = "$"
    for part in error.absolute_path:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def errors(document, version: str) -> list[dict]:
    """Every schema error, as {path, message}, in document order."""
    found = sorted(validator(version).iter_errors(document), key=lambda e: list(map(str, e.path)))
    return [{"path": json_path(e), "message": e.message} for e in found]


__all__ = ["DRAFT202012", "errors", "registry", "schema_path", "validator", "version_of"]
