"""The articles every format test judges: the demo's, and factory-made edge cases.

Also the other people's validators (npm, installed by .ci/run into .ci/node): a test that needs
one skips without it on a laptop, and fails in CI (NEWSROOM_REQUIRE_SERVICES=1).
"""

import datetime
import os
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article
from media_credits.models import ArticleImage, Rendition
from tests.factories import (
    AIImageFactory,
    ArticleFactory,
    ArticleImageFactory,
    CorrectionFactory,
    EntityFactory,
    FollowUpFactory,
    HighlightBoxFactory,
    HighlightItemFactory,
    ImageFactory,
    MentionFactory,
    PublishedArticleFactory,
    QuoteFactory,
    full_article,
)

ON_CI = os.environ.get("NEWSROOM_REQUIRE_SERVICES") == "1"
ROOT = Path(__file__).resolve().parents[3]
NODE = ROOT / ".ci" / "node"
VECTORS = Path(__file__).resolve().parent / "ninjs_test_suite"


def node_tool(name: str) -> Path:
    """A binary from .ci/node; skipped when missing, except in CI where it must be there."""
    path = NODE / "node_modules" / ".bin" / name
    if not path.exists():
        message = f"{name} is not installed: run `npm ci --prefix .ci/node` (.ci/run does)"
        if ON_CI:
            pytest.fail(message)
        pytest.skip(message)
    return path


def run(args: list, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, timeout=180, **kwargs
    )


def with_renditions(image) -> None:
    """Rendition rows (no files needed: the formats only link to them)."""
    for width in (320, 640):
        for fmt in ("webp", "jpeg"):
            Rendition.objects.create(
                image=image,
                spec=f"w{width}-{fmt}",
                file=f"renditions/{image.pk}/w{width}.{fmt}",
                format=fmt,
                width=width,
                height=width * 2 // 3,
                bytes=width * 30,
                metadata_digest="0" * 64,
            )


def edge_cases() -> dict[str, Article]:
    """One article per case the formats must carry without becoming invalid."""
    no_image = full_article(headline="No image at all", slug="no-image")

    ai = full_article(headline="An AI-illustrated story", slug="ai-image")
    image = AIImageFactory()
    with_renditions(image)
    ArticleImageFactory(article=ai, image=image, role=ArticleImage.Role.LEAD)
    photo = ImageFactory(copyright_holder="Agency", copyright_notice="© 2026 Agency")
    with_renditions(photo)
    ArticleImageFactory(article=ai, image=photo, role=ArticleImage.Role.INLINE)
    box = HighlightBoxFactory(article=ai)
    HighlightItemFactory(box=box)
    FollowUpFactory(article=ai)
    speaker = EntityFactory(name="Ada Lovelace", kind="person", wikidata_id="Q7259")
    QuoteFactory(article=ai, speaker=speaker, speaker_label="")
    MentionFactory(article=ai, entity=speaker, role="subject")

    original = full_article(headline="The original", slug="shared-slug", language="en")
    translation = full_article(
        headline="La traduction", slug="shared-slug", language="fr", translation_of=original
    )

    embargoed = ArticleFactory(
        headline="Embargoed draft",
        slug="embargoed-draft",
        editor_note="Check the figures with the desk.",
        embargo_until=timezone.now() + datetime.timedelta(days=1),
    )
    retracted = PublishedArticleFactory(headline="Retracted story", slug="retracted")
    retracted.status = Article.Status.RETRACTED
    retracted.save()
    CorrectionFactory(article=retracted, text="This article was retracted.")
    return {
        "no_image": no_image,
        "ai_image": ai,
        "original": original,
        "translation": translation,
        "embargoed_draft": embargoed,
        "retracted": retracted,
    }


@pytest.fixture
def demo_articles() -> list[Article]:
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return list(Article.objects.order_by("id"))


@pytest.fixture
def cases() -> dict[str, Article]:
    return edge_cases()
