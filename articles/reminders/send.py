"""One reminder email: its message, the send with its claim, and which SMTP errors to retry."""

import datetime
import logging
import smtplib
import socket

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import pgettext

from articles.models import Article, FollowUp, ReminderDelivery
from articles.reminders.clock import backoff_delay
from articles.services.followups import ACTIONS, followup_action_token, owner_profile

logger = logging.getLogger(__name__)

State = ReminderDelivery.State


class PermanentSendError(Exception):
    pass


def is_transient(exc: BaseException) -> bool:
    """4xx SMTP answers, refused or dropped connections and timeouts are worth retrying."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        return any(400 <= code < 500 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    if isinstance(exc, PermanentSendError):
        return False
    return isinstance(exc, (smtplib.SMTPException, OSError, socket.timeout, TimeoutError))


def related_articles(followup: FollowUp, *, since: datetime.datetime, limit: int = 20):
    entity_ids = list(followup.entities.values_list("pk", flat=True))
    if not entity_ids:
        return []
    return list(
        Article.objects.live()
        .filter(mentions__entity_id__in=entity_ids)
        .filter(Q(published_at__gte=since) | Q(first_published_at__gte=since))
        .exclude(pk=followup.article_id)
        .distinct()
        .only("id", "headline", "published_at", "language")
        .order_by("-published_at", "-id")[:limit]
    )


def email_language(language: str) -> str:
    """The profile's language if the site speaks it, else the site's default."""
    codes = {code for code, _name in settings.LANGUAGES}
    return language if language in codes else settings.LANGUAGE_CODE


def reminder_message(delivery: ReminderDelivery) -> EmailMultiAlternatives:
    followup = delivery.followup
    owner = followup.owner
    profile = owner_profile(owner)
    language = email_language(profile.language)
    tz = profile.tz
    site = settings.NEWSROOM_SITE_URL
    since = followup.last_reminded_at or followup.created_at
    article = followup.article
    context = {
        "owner_name": owner.get_full_name() or owner.get_username(),
        "headline": article.headline,
        "admin_url": site + reverse("admin:articles_article_change", args=[article.pk]),
        "followup_admin_url": site + reverse("admin:articles_followup_change", args=[followup.pk]),
        "what": followup.what,
        "entities": [e.name for e in followup.entities.all()],
        "since": timezone.localtime(since, tz),
        "due_at": timezone.localtime(delivery.due_at, tz),
        "articles": [
            {
                "headline": a.headline,
                "published_at": timezone.localtime(a.published_at, tz) if a.published_at else None,
                "admin_url": site + reverse("admin:articles_article_change", args=[a.pk]),
            }
            for a in related_articles(followup, since=since)
        ],
        "links": {
            action: site
            + reverse("followup-action", args=[followup_action_token(followup, action)])
            for action in ACTIONS
        },
        "every_days": followup.every_days,
        "language": language,
    }
    with translation.override(language):
        text = render_to_string("articles/email/reminder.txt", context)
        html = render_to_string("articles/email/reminder.html", context)
        subject = pgettext("reminder email", "Follow-up: %(headline)s") % {
            "headline": article.headline
        }
    if not owner.email:
        raise PermanentSendError(f"user {owner.pk} has no email address")
    cc = [w.email for w in followup.watchers.all() if w.email and w.email != owner.email]
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[owner.email],
        cc=cc,
        headers={"Message-ID": delivery.message_id},
    )
    message.attach_alternative(html, "text/html")
    return message


def reminder_send(*, delivery_id: int, now: datetime.datetime | None = None) -> str:
    """Send one reminder at most once per claim. Not atomic on purpose: each step commits.

    pending -> sending (conditional UPDATE: one sender wins) -> email -> sent. A crash between
    the SMTP server's acceptance and the "sent" commit leaves the row in "sending"; the stale
    sweep sends it again, which is the one case that can duplicate an email.
    """
    now = now or timezone.now()
    claimed = ReminderDelivery.objects.filter(pk=delivery_id, state=State.PENDING).update(
        state=State.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return "not-claimed"
    delivery = ReminderDelivery.objects.select_related(
        "followup__article", "followup__owner__journalist_profile"
    ).get(pk=delivery_id)
    followup = delivery.followup
    mine = ReminderDelivery.objects.filter(pk=delivery_id, state=State.SENDING)
    if not followup.is_active or followup.article_id is None:
        mine.update(state=State.CANCELLED, last_error=f"follow-up {followup.status}")
        return "cancelled"
    try:
        reminder_message(delivery).send(fail_silently=False)
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:2000]
        if is_transient(exc) and delivery.attempts < settings.NEWSROOM_REMINDER_MAX_ATTEMPTS:
            retry_at = timezone.now() + backoff_delay(delivery.attempts)
            mine.update(state=State.PENDING, next_attempt_at=retry_at, last_error=error)
            logger.info(
                "reminder %s: transient error, retry at %s: %s", delivery_id, retry_at, error
            )
            return "retry"
        mine.update(state=State.FAILED, last_error=error)
        logger.error(
            "reminder %s failed for good after %d attempts: %s",
            delivery_id,
            delivery.attempts,
            error,
        )
        return "failed"
    sent_at = timezone.now()
    with transaction.atomic():  # one commit for both rows
        mine.update(state=State.SENT, sent_at=sent_at, last_error="")
        FollowUp.objects.filter(pk=followup.pk).update(last_reminded_at=sent_at)
    return "sent"
