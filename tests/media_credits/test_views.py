"""The images endpoint: its filters, pagination and refusals of hostile input."""

import pytest

from media_credits.models import Image
from newsroom.pagination import MAX_SQL_INTEGER
from tests.factories import AIImageFactory, ImageFactory
from tests.media_credits import files

pytestmark = pytest.mark.django_db

IMAGES = "/api/v1/images/"


def test_the_format_filter_lists_only_images_of_that_format(staff_client):
    jpeg = ImageFactory(format=Image.Format.JPEG)
    ImageFactory(format=Image.Format.PNG)

    response = staff_client.get(IMAGES, {"format": "JPEG"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert [i["id"] for i in response.json()["results"]] == [jpeg.pk]


def test_an_unknown_format_is_a_400_of_the_filter_not_a_404_of_the_renderer(staff_client):
    response = staff_client.get(IMAGES, {"format": "json"})

    assert response.status_code == 400
    assert "format" in response.json()


def test_the_schema_still_takes_format_json():
    from rest_framework.test import APIClient

    response = APIClient().get("/api/schema/?format=json")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")


@pytest.mark.parametrize("parameter", ["limit", "offset"])
@pytest.mark.parametrize("value", [MAX_SQL_INTEGER + 1, 2**64, 10**30])
def test_a_limit_or_offset_beyond_a_bigint_is_a_400_naming_it(staff_client, parameter, value):
    ImageFactory()

    response = staff_client.get(IMAGES, {parameter: str(value)})

    assert response.status_code == 400
    assert list(response.json()) == [parameter]


def test_the_largest_bigint_offset_is_an_empty_page(staff_client):
    ImageFactory()

    response = staff_client.get(IMAGES, {"offset": str(MAX_SQL_INTEGER), "limit": "5"})

    assert response.status_code == 200
    assert response.json()["results"] == []


def test_nul_in_the_licence_code_of_an_upload_is_a_400_on_the_licence_field(staff_client, upload):
    response = staff_client.post(
        IMAGES, {"file": upload(files.jpeg()), "licence": "cc-by-4.0\x00"}, format="multipart"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["licence"]
    assert Image.objects.count() == 0


@pytest.mark.parametrize(
    "field",
    [
        "alt_text",
        "caption",
        "credit_line",
        "creator",
        "copyright_holder",
        "copyright_notice",
        "usage_terms",
        "digital_source_type",
        "ai_system",
        "ai_system_version",
        "ai_prompt",
        "ai_prompt_writer",
        "licensor_name",
        "licensor_url",
        "licence_basis",
        "licence_expires_on",
    ],
)
def test_nul_in_any_text_field_of_an_upload_is_a_400_naming_it(staff_client, upload, field):
    response = staff_client.post(
        IMAGES, {"file": upload(files.jpeg()), field: "a\x00b"}, format="multipart"
    )

    assert response.status_code == 400
    assert field in response.json()
    assert Image.objects.count() == 0


def test_nul_in_a_filter_is_a_400_naming_it(staff_client):
    AIImageFactory()

    response = staff_client.get(IMAGES, {"licence__code": "cc-by-nc-4.0\x00"})

    assert response.status_code == 400
    assert "licence__code" in response.json()


def test_the_schema_documents_blank_values_and_the_error_responses_of_the_images():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    image = schema["components"]["schemas"]["Image"]["properties"]
    operations = {
        (path, method): operation
        for path, item in schema["paths"].items()
        if path.startswith("/api/v1/images/")
        for method, operation in item.items()
    }

    assert {"type": "string", "maxLength": 0} in image["licensor_url"]["oneOf"]
    assert {"$ref": "#/components/schemas/BlankEnum"} in image["licence_basis"]["oneOf"]
    assert image["licence"]["nullable"] is True
    assert image["licence_expires_on"]["nullable"] is True
    # At least these; the schema also documents what every operation's machinery can answer
    # (newsroom.openapi: 415 with a body, 429 when throttled).
    responses = {key: set(op["responses"]) for key, op in operations.items()}
    assert {"200", "400", "401", "403"} <= responses[("/api/v1/images/", "get")]
    assert {"200", "201", "400", "401", "403", "413"} <= responses[("/api/v1/images/", "post")]
    assert {"200", "401", "403", "404"} <= responses[("/api/v1/images/{id}/", "get")]
