import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from PIL import Image as PillowImage

from media_credits import services
from media_credits.models import DigitalSourceType, Image, Licence, Rendition
from media_credits.tasks import image_renditions_make as image_renditions_make_task
from tests.media_credits import files

pytestmark = pytest.mark.django_db


def ingest(data: bytes, **metadata) -> Image:
    image, created = services.image_ingest(file=ContentFile(data, name="x.jpg"), metadata=metadata)
    assert created
    return image


def media_path(settings, rendition: Rendition) -> Path:
    return Path(settings.MEDIA_ROOT) / rendition.file.name


def test_a_large_image_gets_four_widths_in_webp_and_jpeg(settings):
    image = ingest(files.jpeg((2400, 1600)))

    made = services.image_renditions_make(image_id=image.pk)

    assert sorted((r.format, r.width, r.height) for r in made) == sorted(
        (fmt, w, round(1600 * w / 2400)) for w in (320, 640, 1024, 1600) for fmt in ("jpeg", "webp")
    )
    for rendition in made:
        path = media_path(settings, rendition)
        assert rendition.spec == f"w{rendition.width}-{rendition.format}"
        assert path.stat().st_size == rendition.bytes
        with PillowImage.open(path) as im:
            assert im.format == rendition.format.upper()
            assert im.size == (rendition.width, rendition.height)


def test_a_small_image_is_never_upscaled(settings):
    image = ingest(files.png((500, 300)))

    made = services.image_renditions_make(image_id=image.pk)

    assert sorted({r.width for r in made}) == [320, 500]
    assert max(r.width for r in made) <= 500


def test_renditions_apply_exif_orientation_and_drop_gps_and_other_exif(settings):
    # Stored landscape 600x400, orientation 6: displayed as a 400x600 portrait.
    exif = files.exif_with(orientation=6, gps=True, artist="Camera Owner")
    image = ingest(files.jpeg((600, 400), exif=exif))
    assert (image.width, image.height) == (400, 600)

    made = services.image_renditions_make(image_id=image.pk)

    assert sorted({(r.width, r.height) for r in made}) == [(320, 480), (400, 600)]
    for rendition in made:
        with PillowImage.open(media_path(settings, rendition)) as im:
            assert im.size == (rendition.width, rendition.height)
            exif = im.getexif()
            assert 0x8825 not in exif  # GPS
            assert 0x0112 not in exif  # orientation already applied
            assert 0x013B not in exif  # no other EXIF either
            assert "exif" not in im.info


def test_the_original_is_not_touched_by_renditions(settings):
    data = files.jpeg((900, 600), exif=files.exif_with(gps=True))
    image = ingest(data)

    services.image_renditions_make(image_id=image.pk)

    assert (Path(settings.NEWSROOM_ORIGINALS_ROOT) / image.original.name).read_bytes() == data


@pytest.mark.skipif(
    shutil.which("exiftool") is None and os.environ.get("NEWSROOM_REQUIRE_SERVICES") != "1",
    reason="exiftool is not installed (apt-get install libimage-exiftool-perl); CI installs it",
)
def test_exiftool_reads_back_the_rights_and_ai_metadata_from_each_format(settings):
    image = ingest(
        files.jpeg((1000, 700)),
        alt_text="A glowing chip.",
        credit_line="Midjourney / Desk & Co",
        copyright_notice="© 2026 newsroom",
        usage_terms="Editorial use only <no resale>",
        digital_source_type=DigitalSourceType.TRAINED_ALGORITHMIC_MEDIA,
        ai_system="Midjourney",
        ai_system_version="6.1",
        ai_prompt="a secret prompt",
        licensor_name="Midjourney",
        licensor_url="https://www.midjourney.com/",
        licence_basis=Image.LicenceBasis.NON_COMMERCIAL_CREATIVE_COMMONS,
        licence=Licence.objects.get(code="cc-by-nc-4.0"),
    )
    made = services.image_renditions_make(image_id=image.pk)
    paths = [str(media_path(settings, r)) for r in made if r.width == 320]
    assert len(paths) == 2

    result = subprocess.run(
        ["exiftool", "-json", "-G1", "-XMP:all", *paths],
        capture_output=True,
        check=True,
        text=True,
        timeout=60,
    )

    for tags in json.loads(result.stdout):
        assert tags["XMP-iptcExt:DigitalSourceType"] == DigitalSourceType.TRAINED_ALGORITHMIC_MEDIA
        assert tags["XMP-iptcExt:AISystemUsed"] == "Midjourney"
        assert str(tags["XMP-iptcExt:AISystemVersionUsed"]) == "6.1"
        assert tags["XMP-photoshop:Credit"] == "Midjourney / Desk & Co"
        assert tags["XMP-dc:Rights"] == "© 2026 newsroom"
        assert tags["XMP-xmpRights:UsageTerms"] == "Editorial use only <no resale>"
        assert (
            tags["XMP-xmpRights:WebStatement"] == "https://creativecommons.org/licenses/by-nc/4.0/"
        )
        assert tags["XMP-plus:LicensorName"] == "Midjourney"
        assert tags["XMP-plus:LicensorURL"] == "https://www.midjourney.com/"
        assert tags["XMP-iptcCore:AltTextAccessibility"] == "A glowing chip."
        assert "a secret prompt" not in json.dumps(tags)


def test_running_twice_keeps_the_renditions_already_up_to_date(settings):
    image = ingest(files.jpeg((800, 500)))
    first = services.image_renditions_make(image_id=image.pk)
    before = {
        r.spec: (r.pk, r.file.name, media_path(settings, r).stat().st_mtime_ns) for r in first
    }

    second = services.image_renditions_make(image_id=image.pk)

    after = {
        r.spec: (r.pk, r.file.name, media_path(settings, r).stat().st_mtime_ns) for r in second
    }
    assert after == before
    assert Rendition.objects.filter(image=image).count() == len(before)


def test_edited_metadata_remakes_the_renditions_and_removes_the_old_files(
    settings, django_capture_on_commit_callbacks
):
    image = ingest(files.jpeg((800, 500)), credit_line="Old credit")
    old = services.image_renditions_make(image_id=image.pk)
    old_paths = [media_path(settings, r) for r in old]

    image.credit_line = "New credit"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.image_update(image=image)
    assert [c.args for c in callbacks] == [(image.pk,)]
    with django_capture_on_commit_callbacks(execute=True):
        new = services.image_renditions_make(image_id=image.pk)

    assert {r.spec for r in new} == {r.spec for r in old}
    assert not any(p.exists() for p in old_paths)
    with PillowImage.open(media_path(settings, new[0])) as im:
        assert b"New credit" in im.info["xmp"]


def test_the_task_makes_renditions_and_is_safe_to_run_twice():
    image = ingest(files.jpeg((700, 500)))

    assert image_renditions_make_task.run(image.pk) == 6
    assert image_renditions_make_task.run(image.pk) == 6
    assert Rendition.objects.filter(image=image).count() == 6


def test_the_task_does_nothing_for_an_image_deleted_meanwhile(settings):
    image = ingest(files.jpeg((700, 500)))
    pk = image.pk
    services.image_delete(image=image)

    assert image_renditions_make_task.run(pk) == 0
    assert not Rendition.objects.filter(image_id=pk).exists()


def test_the_task_does_nothing_when_the_original_file_is_gone(settings):
    image = ingest(files.jpeg((700, 500)))
    (Path(settings.NEWSROOM_ORIGINALS_ROOT) / image.original.name).unlink()

    assert image_renditions_make_task.run(image.pk) == 0


def test_transparent_png_renditions_keep_alpha_in_webp_and_are_flattened_in_jpeg(settings):
    image = ingest(files.png((400, 300), transparent=True))

    made = services.image_renditions_make(image_id=image.pk)

    modes = {}
    for r in made:
        with PillowImage.open(media_path(settings, r)) as im:
            modes[r.format] = im.mode
    assert modes == {"webp": "RGBA", "jpeg": "RGB"}


def test_editing_a_licence_remakes_the_renditions_of_its_images(
    django_capture_on_commit_callbacks,
):
    licence = Licence.objects.get(code="cc-by-4.0")
    image = ingest(files.jpeg((400, 300)), licence=licence)
    services.image_renditions_make(image_id=image.pk)
    licence.url = "https://creativecommons.org/licenses/by/4.0/deed.fr"

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.licence_update(licence=licence)
    [callback] = callbacks
    image_renditions_make_task.run(*callback.args)

    rendition = Rendition.objects.filter(image=image).first()
    with PillowImage.open(rendition.file.path) as im:
        assert b"licenses/by/4.0/deed.fr" in im.info["xmp"]
