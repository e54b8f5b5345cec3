from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from media_credits import c2pa
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Users made by the factories get a password; PBKDF2 would cost seconds per test here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def staff_user():
    return UserFactory(username="photo-desk", is_staff=True)


@pytest.fixture
def staff_client(staff_user) -> APIClient:
    client = APIClient()
    client.force_authenticate(staff_user)
    return client


@pytest.fixture
def upload():
    """Build a multipart upload of `data` named `name`."""

    def build(data: bytes, name: str = "picture.jpg", content_type: str = "image/jpeg"):
        return SimpleUploadedFile(name, data, content_type=content_type)

    return build


@pytest.fixture
def stored_files(settings):
    """Every file under the originals folder and MEDIA_ROOT, to check nothing was written."""

    def list_files() -> list[Path]:
        found: list[Path] = []
        for root in (Path(settings.NEWSROOM_ORIGINALS_ROOT), Path(settings.MEDIA_ROOT)):
            if root.exists():
                found += [p for p in root.rglob("*") if p.is_file()]
        return found

    return list_files


@pytest.fixture(scope="module")
def chain():
    """(leaf + CA chain PEM, key PEM, CA PEM) of a fresh throwaway CA."""
    return c2pa.throwaway_signing_chain(organisation="Test Agency", common_name="Test Camera")
