"""Wires highlight boxes and follow-ups into the article extension points (from ready())."""

from django.db.models import Prefetch

from articles import demo, serializers, services, views
from articles.followups import followups_cancel_for_article
from articles.highlights import public_highlight_boxes
from articles.models import FollowUp, HighlightBox


def public_followups(article, language: str) -> list[dict]:
    """detail extension: the promise to readers, never owners or emails."""
    result = []
    for followup in article.followups.all():
        target = followup.followed_up_by
        result.append(
            {
                "promise": followup.promise,
                # Snoozing is the desk's scheduling, not news: readers see it as watched.
                "status": (
                    FollowUp.Status.WATCHING
                    if followup.status == FollowUp.Status.SNOOZED
                    else followup.status
                ),
                "followed_up_by": (
                    {
                        "id": target.pk,
                        "slug": target.slug,
                        "language": target.language,
                        "headline": target.headline,
                    }
                    if target is not None and target.is_live()
                    else None
                ),
            }
        )
    return result


def register() -> None:
    if getattr(register, "done", False):
        return
    register.done = True
    from articles import nested_writes

    nested_writes.register()
    services.retract_hooks.append(followups_cancel_for_article)
    serializers.detail_extensions.append(("highlight_boxes", public_highlight_boxes))
    serializers.detail_extensions.append(("followups", public_followups))
    views.detail_prefetches.append(
        Prefetch(
            "highlight_boxes",
            queryset=HighlightBox.objects.prefetch_related("items").order_by("order", "id"),
        )
    )
    views.detail_prefetches.append(
        Prefetch(
            "followups",
            queryset=FollowUp.objects.public()
            .select_related("followed_up_by")
            .only(
                "id",
                "article_id",
                "promise",
                "status",
                "followed_up_by__id",
                "followed_up_by__slug",
                "followed_up_by__language",
                "followed_up_by__headline",
                "followed_up_by__status",
                "followed_up_by__published_at",
                "followed_up_by__embargo_until",
            )
            .order_by("created_at", "id"),
        )
    )
    from articles.demo_followups import demo_highlights_and_followups

    demo.demo_steps.append(demo_highlights_and_followups)
