"""Originals are never public: staff read one through a signed URL that expires.

Who may: a superuser, or an active staff member of a desk the image belongs to (the desks of
the articles that use it, and its uploader's desks). `/originals/<id>/` checks that and sends
the browser on to a URL valid for NEWSROOM_ORIGINALS_URL_SECONDS: on S3 the storage's own
presigned URL (the bucket serves the bytes); on the local file system `/originals/file/<token>/`,
a Django view that checks the signed token (image, user, expiry) and the permission again.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core import signing
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from articles.models import DeskMembership
from media_credits.models import Image
from media_credits.storage import originals, storage_errors

TOKEN_SALT = "newsroom.media_credits.original"


def image_desk_ids(image: Image) -> set[int]:
    """The desks an image belongs to: its articles' desks, and its uploader's desks."""
    desks = set(
        image.article_uses.exclude(article__desk__isnull=True).values_list(
            "article__desk_id", flat=True
        )
    )
    if image.uploaded_by_id:
        desks |= set(
            DeskMembership.objects.filter(user_id=image.uploaded_by_id).values_list(
                "desk_id", flat=True
            )
        )
    return desks


def can_read_original(user: AbstractBaseUser, image: Image) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    if not user.is_staff:
        return False
    return DeskMembership.objects.filter(user=user, desk_id__in=image_desk_ids(image)).exists()


def original_token(*, image: Image, user: AbstractBaseUser) -> str:
    return signing.dumps({"i": image.pk, "u": user.pk}, salt=TOKEN_SALT, compress=True)


def is_local(image: Image) -> bool:
    """The embedded file-system storage has no URL of its own; S3 presigns one."""
    try:
        originals().url(image.original.name)
    except ValueError:
        return True
    return False


def original_url(*, image: Image, user: AbstractBaseUser) -> str:
    """A URL to the original that expires after NEWSROOM_ORIGINALS_URL_SECONDS. The caller has
    checked `can_read_original`; the file-system view checks it again."""
    if is_local(image):
        return reverse("original-file", args=[original_token(image=image, user=user)])
    return originals().url(image.original.name)


def _refusal(message: str, code: str, status: int) -> JsonResponse:
    return JsonResponse({"detail": message, "code": code}, status=status)


def _not_allowed() -> JsonResponse:
    return _refusal(
        _("Only the staff of this image's desks can read its original."), "forbidden", 403
    )


def _unavailable() -> JsonResponse:
    response = _refusal(
        _("The media store is unavailable; nothing was read. Retry later."), "unavailable", 503
    )
    response["Retry-After"] = "30"
    return response


def original_open(request: HttpRequest, image_id: int) -> HttpResponse:
    """The admin's "original file" link: on to a signed URL, for who may read it."""
    if not request.user.is_authenticated:
        return _refusal(_("Sign in to the desk to read an original."), "not_authenticated", 401)
    image = Image.objects.filter(pk=image_id).first()
    if image is None or not can_read_original(request.user, image):
        # The same answer for a missing image and a forbidden one: nothing to discover.
        return _not_allowed()
    try:
        url = original_url(image=image, user=request.user)
    except storage_errors():
        return _unavailable()
    response = HttpResponseRedirect(url)
    response["Cache-Control"] = "private, no-store"
    return response


def original_file(request: HttpRequest, token: str) -> HttpResponse:
    """The original's bytes from the local storage, for the signed-in user the token names."""
    try:
        data = signing.loads(
            token, salt=TOKEN_SALT, max_age=settings.NEWSROOM_ORIGINALS_URL_SECONDS
        )
    except signing.SignatureExpired:
        return _refusal(
            _("This link to the original has expired; open it again from the image's page."),
            "expired",
            403,
        )
    except signing.BadSignature:
        return _refusal(_("This link to the original is not valid."), "invalid", 403)
    if not request.user.is_authenticated:
        return _refusal(_("Sign in to the desk to read an original."), "not_authenticated", 401)
    image = Image.objects.filter(pk=data.get("i")).first()
    if data.get("u") != request.user.pk or image is None:
        return _not_allowed()
    if not can_read_original(request.user, image):
        return _not_allowed()
    try:
        handle = originals().open(image.original.name, "rb")
    except FileNotFoundError:
        return _refusal(_("The original file is missing from the media store."), "missing", 404)
    except storage_errors():
        return _unavailable()
    response = FileResponse(
        handle,
        content_type=f"image/{image.format.lower()}",
        as_attachment=False,
        filename=image.original_filename or image.original.name.rsplit("/", 1)[-1],
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
