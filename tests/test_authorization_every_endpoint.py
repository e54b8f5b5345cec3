"""Who may do what, on every route of the API, from ONE table.

Each row is a route (as the OpenAPI schema names it), an action on one seeded object, and the
exact status each of the seven roles gets (tests/seed.py: anonymous; reporter_a and editor_a on
desk A; editor_b on desk B; "staff", a staff account on no desk and with no role; "user", a plain
signed-in account; "admin", a superuser). Clients authenticate with API tokens issued by
``POST /api/v1/auth/tokens/``, as real clients do.

404 means the role may not even see the object; 403 that it sees it but may not do this; 409
that it may, but not in the object's current state. Reads also check that internal fields
(``editor_note``, follow-up ``owner``/``watchers``, an image's ``ai_prompt``) appear only for the
roles that may see them, and that lists hold exactly what each role may see.

The table encodes the correct behaviour; the defects issue 9 found (follow-ups that ignored desks,
the 500 on a translated article, the shadowed ``?format=``) are cells of it.
"""

import datetime
import io
import re
from dataclasses import dataclass

import pytest
from django.urls import get_resolver
from django.utils import timezone
from PIL import Image as PILImage
from rest_framework.test import APIClient

from articles.models import Article, FollowUp
from tests.factories import EntityFactory, ImageFactory
from tests.seed import PASSWORD, ROLES, seed_world

pytestmark = pytest.mark.django_db

NEXT_WEEK = "2031-03-10T09:00:00+01:00"

# What only the desk sees of an article, and of a follow-up's people.
ARTICLE_INTERNAL = ("editor_note", "publish_at", "embargo_until", "translation_of")
FOLLOWUP_PEOPLE = ("owner", "watchers", "email", "recent_deliveries", "message_id")
# Never in an article payload, whoever reads it: the AI prompt stays in the image library.
NEVER_IN_ARTICLES = ("ai_prompt", "ai_prompt_writer", "email", "watchers", "recent_deliveries")

DESK_A_READERS = {"reporter_a", "editor_a", "admin"}
DESK_B_READERS = {"editor_b", "admin"}
STAFF = {"reporter_a", "editor_a", "editor_b", "staff", "admin"}

# --- Known defects (issue 9): the cells they break ------------------------------------------


@dataclass(frozen=True)
class Row:
    route: str  # "METHOD /path/{param}/" exactly as in the OpenAPI schema
    kind: str  # read / write / workflow
    action: str  # a key of ACTIONS
    target: str | None
    expected: tuple[int, ...]  # one status per role, in ROLES order
    sees_internal: frozenset[str] = frozenset()  # roles that may see ARTICLE_INTERNAL
    followup_people: frozenset[str] = frozenset()  # roles that may see FOLLOWUP_PEOPLE
    listed: dict[str, set[str]] | None = None  # role -> names of the seeded objects listed


def roles_except(*roles: str) -> tuple[int, ...]:
    return tuple(r for r in ROLES if r not in roles)


def statuses(anonymous, reporter_a, editor_a, editor_b, staff, user, admin) -> tuple[int, ...]:
    return (anonymous, reporter_a, editor_a, editor_b, staff, user, admin)


LIVE = {"published_a", "published_b", "published_fr", "translation_en"}
DESK_A_ALL = {"draft_a", "draft_colleague_a", "embargoed_a", "retracted_a"}
ARTICLE_LISTS = {
    "anonymous": LIVE,
    "reporter_a": LIVE | DESK_A_ALL,
    "editor_a": LIVE | DESK_A_ALL,
    "editor_b": LIVE | {"draft_b"},
    "staff": LIVE,
    "user": LIVE,
    "admin": LIVE | DESK_A_ALL | {"draft_b"},
}
FOLLOWUP_LISTS = {
    "reporter_a": {"followup_a"},
    "editor_a": {"followup_a"},
    "editor_b": {"followup_b"},
    "staff": set(),
    "admin": {"followup_a", "followup_b"},
}

ARTICLE = "/api/v1/articles/{id_or_slug}/"
FOLLOWUP = "/api/v1/followups/{id}/"

TABLE = [
    # --- Articles: reads ----------------------------------------------------------------------
    Row(
        "GET /api/v1/articles/",
        "read",
        "list_articles",
        None,
        statuses(200, 200, 200, 200, 200, 200, 200),
        sees_internal=frozenset(),
        listed=ARTICLE_LISTS,
    ),
    Row(
        f"GET {ARTICLE}",
        "read",
        "retrieve_article",
        "draft_a",
        statuses(404, 200, 200, 404, 404, 404, 200),
        sees_internal=frozenset(DESK_A_READERS),
    ),
    Row(
        f"GET {ARTICLE}",
        "read",
        "retrieve_article",
        "draft_b",
        statuses(404, 404, 404, 200, 404, 404, 200),
        sees_internal=frozenset(DESK_B_READERS),
    ),
    Row(
        f"GET {ARTICLE}",
        "read",
        "retrieve_article",
        "published_a",
        statuses(200, 200, 200, 200, 200, 200, 200),
        sees_internal=frozenset(DESK_A_READERS),
        followup_people=frozenset(DESK_A_READERS),
    ),
    Row(
        f"GET {ARTICLE}",
        "read",
        "retrieve_article",
        "published_b",
        statuses(200, 200, 200, 200, 200, 200, 200),
        sees_internal=frozenset(DESK_B_READERS),
        followup_people=frozenset(DESK_B_READERS),
    ),
    Row(
        f"GET {ARTICLE}",
        "read",
        "retrieve_article_by_slug",
        "published_a",
        statuses(200, 200, 200, 200, 200, 200, 200),
        sees_internal=frozenset(DESK_A_READERS),
        followup_people=frozenset(DESK_A_READERS),
    ),
    Row(
        f"GET {ARTICLE}",
        "read",
        "retrieve_article",
        "published_fr",
        statuses(200, 200, 200, 200, 200, 200, 200),
        sees_internal=frozenset(DESK_A_READERS),
    ),
    Row(
        f"GET {ARTICLE}",
        "read",
        "retrieve_article",
        "translation_en",
        statuses(200, 200, 200, 200, 200, 200, 200),
        sees_internal=frozenset(DESK_A_READERS),
    ),
    Row(
        f"GET {ARTICLE}",
        "read",
        "retrieve_article",
        "embargoed_a",
        statuses(404, 200, 200, 404, 404, 404, 200),
        sees_internal=frozenset(DESK_A_READERS),
    ),
    Row(
        f"GET {ARTICLE}",
        "read",
        "retrieve_article",
        "retracted_a",
        statuses(404, 200, 200, 404, 404, 404, 200),
        sees_internal=frozenset(DESK_A_READERS),
    ),
    Row(
        f"GET {ARTICLE}revisions/",
        "read",
        "revisions",
        "draft_a",
        statuses(401, 200, 200, 404, 404, 404, 200),
    ),
    Row(
        f"GET {ARTICLE}revisions/",
        "read",
        "revisions",
        "published_a",
        statuses(401, 200, 200, 403, 403, 403, 200),
    ),
    Row(
        f"GET {ARTICLE}revisions/",
        "read",
        "revisions",
        "draft_b",
        statuses(401, 404, 404, 200, 404, 404, 200),
    ),
    # --- Articles in the standard formats (ninjs, JSON-LD) ---------------------------------------
    Row(
        f"GET {ARTICLE}ninjs/",
        "read",
        "ninjs",
        "published_a",
        statuses(200, 200, 200, 200, 200, 200, 200),
        sees_internal=frozenset(DESK_A_READERS),
    ),
    Row(
        f"GET {ARTICLE}ninjs/",
        "read",
        "ninjs",
        "draft_a",
        statuses(404, 200, 200, 404, 404, 404, 200),
        sees_internal=frozenset(DESK_A_READERS),
    ),
    Row(
        f"GET {ARTICLE}ninjs/",
        "read",
        "ninjs",
        "draft_b",
        statuses(404, 404, 404, 200, 404, 404, 200),
        sees_internal=frozenset(DESK_B_READERS),
    ),
    Row(
        f"GET {ARTICLE}jsonld/",
        "read",
        "jsonld",
        "published_a",
        statuses(200, 200, 200, 200, 200, 200, 200),
    ),
    # Structured data is for search engines: live articles only, whoever asks.
    Row(
        f"GET {ARTICLE}jsonld/",
        "read",
        "jsonld",
        "draft_a",
        statuses(404, 404, 404, 404, 404, 404, 404),
    ),
    # --- Articles: writes ---------------------------------------------------------------------
    Row(
        "POST /api/v1/articles/",
        "write",
        "create_article",
        "desk_a",
        statuses(401, 201, 201, 403, 403, 403, 201),
    ),
    Row(
        "POST /api/v1/articles/",
        "write",
        "create_article",
        "desk_b",
        statuses(401, 403, 403, 201, 403, 403, 201),
    ),
    # ninjs in: a draft on a desk the caller writes for (?desk= chooses among several).
    Row(
        "POST /api/v1/ingest/ninjs/",
        "write",
        "ingest_ninjs",
        "desk_a",
        statuses(401, 201, 201, 403, 403, 403, 201),
    ),
    Row(
        "POST /api/v1/ingest/ninjs/",
        "write",
        "ingest_ninjs",
        "desk_b",
        statuses(401, 403, 403, 201, 403, 403, 201),
    ),
    Row(
        f"PATCH {ARTICLE}",
        "write",
        "patch_article",
        "draft_a",
        statuses(401, 200, 200, 404, 404, 404, 200),
    ),
    Row(
        f"PATCH {ARTICLE}",
        "write",
        "patch_article",
        "draft_colleague_a",
        statuses(401, 403, 200, 404, 404, 404, 200),
    ),
    Row(
        f"PATCH {ARTICLE}",
        "write",
        "patch_article",
        "draft_b",
        statuses(401, 404, 404, 200, 404, 404, 200),
    ),
    Row(
        f"PATCH {ARTICLE}",
        "write",
        "patch_article",
        "published_a",
        statuses(401, 403, 200, 403, 403, 403, 200),
    ),
    Row(
        f"PATCH {ARTICLE}",
        "write",
        "patch_article",
        "published_fr",
        statuses(401, 403, 200, 403, 403, 403, 200),
    ),
    Row(
        f"PUT {ARTICLE}",
        "write",
        "put_article",
        "draft_a",
        statuses(401, 200, 200, 404, 404, 404, 200),
    ),
    Row(
        f"PUT {ARTICLE}",
        "write",
        "put_article",
        "published_a",
        statuses(401, 403, 200, 403, 403, 403, 200),
    ),
    Row(
        f"DELETE {ARTICLE}",
        "write",
        "delete_article",
        "draft_a",
        statuses(401, 405, 405, 405, 405, 405, 405),
    ),
    # --- Articles: workflow -------------------------------------------------------------------
    Row(
        f"POST {ARTICLE}submit/",
        "workflow",
        "submit",
        "draft_a",
        statuses(401, 200, 200, 404, 404, 404, 200),
    ),
    Row(
        f"POST {ARTICLE}submit/",
        "workflow",
        "submit",
        "published_a",
        statuses(401, 409, 409, 403, 403, 403, 409),
    ),
    Row(
        f"POST {ARTICLE}publish/",
        "workflow",
        "publish",
        "draft_a",
        statuses(401, 403, 200, 404, 404, 404, 200),
    ),
    Row(
        f"POST {ARTICLE}publish/",
        "workflow",
        "publish",
        "draft_b",
        statuses(401, 404, 404, 200, 404, 404, 200),
    ),
    Row(
        f"POST {ARTICLE}schedule/",
        "workflow",
        "schedule",
        "draft_a",
        statuses(401, 403, 200, 404, 404, 404, 200),
    ),
    Row(
        f"POST {ARTICLE}schedule/",
        "workflow",
        "schedule",
        "published_a",
        statuses(401, 403, 409, 403, 403, 403, 409),
    ),
    Row(
        f"POST {ARTICLE}retract/",
        "workflow",
        "retract",
        "published_a",
        statuses(401, 403, 200, 403, 403, 403, 200),
    ),
    Row(
        f"POST {ARTICLE}retract/",
        "workflow",
        "retract",
        "draft_a",
        statuses(401, 403, 409, 404, 404, 404, 409),
    ),
    # --- Entities -----------------------------------------------------------------------------
    Row(
        "GET /api/v1/entities/",
        "read",
        "list_entities",
        None,
        statuses(200, 200, 200, 200, 200, 200, 200),
    ),
    Row(
        "GET /api/v1/entities/{id}/",
        "read",
        "retrieve_entity",
        None,
        statuses(200, 200, 200, 200, 200, 200, 200),
    ),
    # Desk members of any desk and staff write the registry; nobody deletes one in use.
    Row(
        "POST /api/v1/entities/",
        "write",
        "create_entity",
        None,
        statuses(401, 201, 201, 201, 201, 403, 201),
    ),
    Row(
        "PATCH /api/v1/entities/{id}/",
        "write",
        "patch_entity",
        None,
        statuses(401, 200, 200, 200, 200, 403, 200),
    ),
    Row(
        "DELETE /api/v1/entities/{id}/",
        "write",
        "delete_entity",
        "in_use",
        statuses(401, 409, 409, 409, 409, 403, 409),
    ),
    Row(
        "DELETE /api/v1/entities/{id}/",
        "write",
        "delete_entity",
        "unused",
        statuses(401, 204, 204, 204, 204, 403, 204),
    ),
    Row(
        "POST /api/v1/entities/{id}/merge/",
        "workflow",
        "merge_entities",
        None,
        statuses(401, 200, 200, 200, 200, 403, 200),
    ),
    # --- Licences (public catalogue) ------------------------------------------------------------
    Row(
        "GET /api/v1/licences/",
        "read",
        "list_licences",
        None,
        statuses(200, 200, 200, 200, 200, 200, 200),
    ),
    Row(
        "GET /api/v1/licences/{code}/",
        "read",
        "retrieve_licence",
        None,
        statuses(200, 200, 200, 200, 200, 200, 200),
    ),
    # --- Follow-ups (desk staff, their desks' follow-ups only) -------------------------------
    Row(
        "GET /api/v1/followups/",
        "read",
        "list_followups",
        None,
        statuses(401, 200, 200, 200, 200, 403, 200),
        followup_people=frozenset(STAFF),
        listed=FOLLOWUP_LISTS,
    ),
    Row(
        f"GET {FOLLOWUP}",
        "read",
        "retrieve_followup",
        "followup_a",
        statuses(401, 200, 200, 404, 404, 403, 200),
        followup_people=frozenset(DESK_A_READERS),
    ),
    Row(
        f"GET {FOLLOWUP}",
        "read",
        "retrieve_followup",
        "followup_b",
        statuses(401, 404, 404, 200, 404, 403, 200),
        followup_people=frozenset(DESK_B_READERS),
    ),
    Row(
        "POST /api/v1/followups/",
        "write",
        "create_followup",
        "published_a",
        statuses(401, 201, 201, 403, 403, 403, 201),
    ),
    Row(
        f"PATCH {FOLLOWUP}",
        "write",
        "patch_followup",
        "followup_a",
        statuses(401, 200, 200, 404, 404, 403, 200),
    ),
    Row(
        f"PUT {FOLLOWUP}",
        "write",
        "put_followup",
        "followup_a",
        statuses(401, 200, 200, 404, 404, 403, 200),
    ),
    Row(
        f"DELETE {FOLLOWUP}",
        "write",
        "delete_followup",
        "followup_a",
        statuses(401, 405, 405, 405, 405, 403, 405),
    ),
    Row(
        f"POST {FOLLOWUP}snooze/",
        "workflow",
        "snooze",
        "followup_a",
        statuses(401, 200, 200, 404, 404, 403, 200),
    ),
    Row(
        f"POST {FOLLOWUP}done/",
        "workflow",
        "done",
        "followup_a",
        statuses(401, 200, 200, 404, 404, 403, 200),
    ),
    Row(
        f"POST {FOLLOWUP}cancel/",
        "workflow",
        "cancel",
        "followup_a",
        statuses(401, 200, 200, 404, 404, 403, 200),
    ),
    # --- Images (the staff's shared library) ---------------------------------------------------
    Row(
        "GET /api/v1/images/",
        "read",
        "list_images",
        None,
        statuses(401, 200, 200, 200, 200, 403, 200),
        listed={r: {"photo", "ai"} for r in STAFF},
    ),
    Row(
        "GET /api/v1/images/",
        "read",
        "list_images_by_format",
        None,
        statuses(401, 200, 200, 200, 200, 403, 200),
        listed={r: {"photo", "ai"} for r in STAFF},
    ),
    Row(
        "GET /api/v1/images/{id}/",
        "read",
        "retrieve_image",
        "ai",
        statuses(401, 200, 200, 200, 200, 403, 200),
    ),
    Row(
        "POST /api/v1/images/",
        "write",
        "upload_image",
        None,
        statuses(401, 201, 201, 201, 201, 403, 201),
    ),
    # --- Importing wire copy: desk members, into their own desks ---------------------------------
    Row(
        "POST /api/v1/ingest/text/",
        "write",
        "ingest_text",
        "desk_a",
        statuses(401, 201, 201, 403, 403, 403, 201),
    ),
    Row(
        "POST /api/v1/ingest/text/",
        "write",
        "ingest_file",
        "desk_b",
        statuses(401, 403, 403, 201, 403, 403, 201),
    ),
    Row(
        "PATCH /api/v1/images/{id}/",
        "write",
        "patch_image",
        "ai",
        statuses(401, 200, 200, 200, 200, 403, 200),
    ),
    Row(
        "PATCH /api/v1/images/{id}/",
        "write",
        "patch_image_without_if_match",
        "ai",
        statuses(401, 428, 428, 428, 428, 403, 428),
    ),
    Row(
        "DELETE /api/v1/images/{id}/",
        "write",
        "delete_image",
        "photo",
        statuses(401, 409, 409, 409, 409, 403, 409),
    ),
    Row(
        "DELETE /api/v1/images/{id}/",
        "write",
        "delete_image",
        "unused",
        statuses(401, 204, 204, 204, 204, 403, 204),
    ),
    # --- Authentication -----------------------------------------------------------------------
    Row(
        "GET /api/v1/auth/me/",
        "read",
        "me",
        None,
        statuses(401, 200, 200, 200, 200, 200, 200),
    ),
    Row(
        "POST /api/v1/auth/tokens/",
        "write",
        "create_token",
        None,
        statuses(400, 200, 200, 200, 200, 200, 200),
    ),
    Row(
        "POST /api/v1/auth/tokens/logout/",
        "write",
        "revoke_token",
        None,
        statuses(401, 204, 204, 204, 204, 204, 204),
    ),
    Row(
        "POST /api/v1/auth/tokens/logout-all/",
        "write",
        "revoke_all_tokens",
        None,
        statuses(401, 204, 204, 204, 204, 204, 204),
    ),
    Row(
        "POST /api/v1/auth/login/",
        "write",
        "session_login",
        None,
        statuses(400, 200, 200, 200, 200, 200, 200),
    ),
    Row(
        "POST /api/v1/auth/logout/",
        "write",
        "session_logout",
        None,
        statuses(401, 204, 204, 204, 204, 204, 204),
    ),
]


# --- The requests behind the actions -----------------------------------------------------------


def jpeg() -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (64, 48), (200, 80, 40)).save(out, "JPEG")
    return out.getvalue()


NINJS_DOCUMENT = {
    "uri": "urn:agency:story:1",
    "type": "text",
    "language": "en",
    "headlines": [{"role": "main", "value": "From the wire"}],
    "bodies": [{"role": "main", "contenttype": "text/html", "value": "<p>Copy.</p>"}],
}


def article_url(world, name: str) -> str:
    return f"/api/v1/articles/{world.articles[name].pk}/"


def if_match(world, name: str) -> str:
    return f'"{Article.objects.get(pk=world.articles[name].pk).version}"'


def followup_url(world, name: str) -> str:
    return f"/api/v1/followups/{world.followups[name].pk}/"


WIRE_COPY = (
    "Arcturus confirms talks\n\nArcturus confirmed exploratory talks in September 2023. "
    "The company declined to comment further.\n"
)


def credentials(role: str) -> dict:
    if role == "anonymous":
        return {"username": "nobody", "password": "not a password"}
    return {"username": role, "password": PASSWORD}


ACTIONS = {
    "list_articles": lambda c, w, t: c.get("/api/v1/articles/?page_size=100"),
    "retrieve_article": lambda c, w, t: c.get(article_url(w, t)),
    "retrieve_article_by_slug": lambda c, w, t: c.get(
        f"/api/v1/articles/{w.articles[t].slug}/?language={w.articles[t].language}"
    ),
    "revisions": lambda c, w, t: c.get(f"{article_url(w, t)}revisions/"),
    "ninjs": lambda c, w, t: c.get(f"{article_url(w, t)}ninjs/"),
    "jsonld": lambda c, w, t: c.get(f"{article_url(w, t)}jsonld/"),
    "create_article": lambda c, w, t: c.post(
        "/api/v1/articles/",
        {"headline": "New story", "language": "en", "desk": getattr(w, t).pk},
        format="json",
    ),
    "ingest_ninjs": lambda c, w, t: c.post(
        f"/api/v1/ingest/ninjs/?desk={getattr(w, t).pk}", NINJS_DOCUMENT, format="json"
    ),
    "patch_article": lambda c, w, t: c.patch(
        article_url(w, t), {"headline": "Changed"}, format="json", HTTP_IF_MATCH=if_match(w, t)
    ),
    "put_article": lambda c, w, t: c.put(
        article_url(w, t),
        {
            "headline": "Replaced",
            "language": w.articles[t].language,
            "desk": w.articles[t].desk_id,
            "body": "<p>New body</p>",
            "authors": list(w.articles[t].bylines.values_list("user_id", flat=True)),
        },
        format="json",
        HTTP_IF_MATCH=if_match(w, t),
    ),
    "delete_article": lambda c, w, t: c.delete(article_url(w, t)),
    "submit": lambda c, w, t: c.post(f"{article_url(w, t)}submit/", format="json"),
    "publish": lambda c, w, t: c.post(f"{article_url(w, t)}publish/", format="json"),
    "schedule": lambda c, w, t: c.post(
        f"{article_url(w, t)}schedule/",
        {"publish_at": (timezone.now() + datetime.timedelta(days=1)).isoformat()},
        format="json",
    ),
    "retract": lambda c, w, t: c.post(
        f"{article_url(w, t)}retract/",
        {"reason": "The main claim turned out to be false."},
        format="json",
    ),
    "list_entities": lambda c, w, t: c.get("/api/v1/entities/"),
    "retrieve_entity": lambda c, w, t: c.get(f"/api/v1/entities/{w.entity.pk}/"),
    "create_entity": lambda c, w, t: c.post(
        "/api/v1/entities/", {"name": "Novalys", "kind": "organisation"}, format="json"
    ),
    "patch_entity": lambda c, w, t: c.patch(
        f"/api/v1/entities/{w.entity.pk}/", {"aliases": ["Arcturus"]}, format="json"
    ),
    "delete_entity": lambda c, w, t: c.delete(
        f"/api/v1/entities/{(w.entity if t == 'in_use' else EntityFactory()).pk}/"
    ),
    "merge_entities": lambda c, w, t: c.post(
        f"/api/v1/entities/{w.entity.pk}/merge/",
        {"entities": [EntityFactory(name="Arcturus Semi").pk]},
        format="json",
    ),
    "list_licences": lambda c, w, t: c.get("/api/v1/licences/"),
    "retrieve_licence": lambda c, w, t: c.get("/api/v1/licences/cc-by-4.0/"),
    "list_followups": lambda c, w, t: c.get("/api/v1/followups/?limit=100"),
    "retrieve_followup": lambda c, w, t: c.get(followup_url(w, t)),
    "create_followup": lambda c, w, t: c.post(
        "/api/v1/followups/",
        {"article": w.articles[t].pk, "what": "The ruling", "next_check_at": NEXT_WEEK},
        format="json",
    ),
    "patch_followup": lambda c, w, t: c.patch(
        followup_url(w, t), {"what": "The appeal ruling"}, format="json"
    ),
    "put_followup": lambda c, w, t: c.put(
        followup_url(w, t),
        {
            "article": w.followups[t].article_id,
            "what": "The appeal ruling",
            "next_check_at": NEXT_WEEK,
        },
        format="json",
    ),
    "delete_followup": lambda c, w, t: c.delete(followup_url(w, t)),
    "snooze": lambda c, w, t: c.post(f"{followup_url(w, t)}snooze/", {"period": "day"}, "json"),
    "done": lambda c, w, t: c.post(f"{followup_url(w, t)}done/", {}, format="json"),
    "cancel": lambda c, w, t: c.post(f"{followup_url(w, t)}cancel/", format="json"),
    "list_images": lambda c, w, t: c.get("/api/v1/images/?limit=100"),
    "list_images_by_format": lambda c, w, t: c.get("/api/v1/images/?limit=100&format=JPEG"),
    "retrieve_image": lambda c, w, t: c.get(f"/api/v1/images/{w.images[t].pk}/"),
    "upload_image": lambda c, w, t: c.post(
        "/api/v1/images/",
        {"file": io.BytesIO(jpeg()), "alt_text": "A test card."},
        format="multipart",
    ),
    "ingest_text": lambda c, w, t: c.post(
        f"/api/v1/ingest/text/?desk={getattr(w, t).slug}",
        WIRE_COPY.encode("utf-8"),
        content_type="text/plain; charset=utf-8",
    ),
    "ingest_file": lambda c, w, t: c.post(
        "/api/v1/ingest/text/",
        {"file": io.BytesIO(WIRE_COPY.encode("utf-8")), "desk": getattr(w, t).slug},
        format="multipart",
    ),
    "patch_image": lambda c, w, t: c.patch(
        f"/api/v1/images/{w.images[t].pk}/",
        {"caption": "A new caption."},
        format="json",
        HTTP_IF_MATCH=f'"{w.images[t].version}"',
    ),
    "patch_image_without_if_match": lambda c, w, t: c.patch(
        f"/api/v1/images/{w.images[t].pk}/", {"caption": "A new caption."}, format="json"
    ),
    "delete_image": lambda c, w, t: c.delete(
        f"/api/v1/images/{(w.images[t] if t in w.images else ImageFactory()).pk}/"
    ),
    "me": lambda c, w, t: c.get("/api/v1/auth/me/"),
    "create_token": lambda c, w, t: APIClient().post(
        "/api/v1/auth/tokens/", credentials(c.role), format="json"
    ),
    "revoke_token": lambda c, w, t: c.post("/api/v1/auth/tokens/logout/"),
    "revoke_all_tokens": lambda c, w, t: c.post("/api/v1/auth/tokens/logout-all/"),
    "session_login": lambda c, w, t: APIClient().post(
        "/api/v1/auth/login/", credentials(c.role), format="json"
    ),
    "session_logout": lambda c, w, t: c.post("/api/v1/auth/logout/"),
}


def client_as(role: str, world) -> APIClient:
    """A client with an API token issued the way clients get one."""
    client = APIClient()
    client.role = role
    if role != "anonymous":
        response = APIClient().post("/api/v1/auth/tokens/", credentials(role), format="json")
        assert response.status_code == 200, response.content
        client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


def all_keys(data) -> set[str]:
    if isinstance(data, dict):
        return set(data) | {k for value in data.values() for k in all_keys(value)}
    if isinstance(data, list):
        return {k for item in data for k in all_keys(item)}
    return set()


def listed_names(world, action: str, data) -> set[str]:
    items = data["results"] if isinstance(data, dict) else data
    ids = {item["id"] for item in items}
    pool = (
        world.articles
        if action == "list_articles"
        else world.followups
        if action == "list_followups"
        else world.images
    )
    return {name for name, obj in pool.items() if obj.pk in ids}


def cell_id(row: Row, role: str) -> str:
    return f"{row.route.replace(' ', '')}-{row.action}-{row.target or '-'}-{role}"


CELLS = [
    pytest.param(
        row,
        role,
        expected,
        id=cell_id(row, role),
    )
    for row in TABLE
    for role, expected in zip(ROLES, row.expected, strict=True)
]


@pytest.fixture
def world():
    return seed_world()


@pytest.mark.parametrize("row,role,expected", CELLS)
def test_every_endpoint_as_every_role(world, row, role, expected):
    client = client_as(role, world)
    articles_before = sorted(Article.objects.values_list("pk", "version", "status", "headline"))
    followups_before = sorted(FollowUp.objects.values_list("pk", "status", "what", "owner_id"))

    response = ACTIONS[row.action](client, world, row.target)

    assert response.status_code == expected, response.content[:400]
    if response.content and response["Content-Type"].startswith("application/json"):
        # The registry's search column is bookkeeping, in no answer.
        assert "search_names" not in all_keys(response.json())
    if expected >= 400:
        assert response["Content-Type"].startswith("application/json")
        if row.kind != "read":
            articles_after = sorted(
                Article.objects.values_list("pk", "version", "status", "headline")
            )
            followups_after = sorted(
                FollowUp.objects.values_list("pk", "status", "what", "owner_id")
            )
            assert articles_after == articles_before, "a refused request changed an article"
            assert followups_after == followups_before, "a refused request changed a follow-up"
        return
    if row.kind != "read" or response.status_code != 200:
        return
    data = response.json()
    keys = all_keys(data)
    if row.action.startswith("retrieve_article"):
        assert not keys & set(NEVER_IN_ARTICLES), keys & set(NEVER_IN_ARTICLES)
        if role in row.sees_internal:
            assert set(ARTICLE_INTERNAL) <= keys
        else:
            assert not keys & set(ARTICLE_INTERNAL), keys & set(ARTICLE_INTERNAL)
        followups = data.get("followups", [])
        people = all_keys(followups) & set(FOLLOWUP_PEOPLE)
        if role not in row.followup_people:
            assert not people, people
    if row.action in ("ninjs", "jsonld"):
        assert not keys & set(NEVER_IN_ARTICLES), keys & set(NEVER_IN_ARTICLES)
        assert "owner" not in keys
        if row.action == "ninjs":
            # The editor's note is ninjs' ednote: for the article's desk only.
            assert ("ednote" in keys) == (role in row.sees_internal), keys
    if row.action == "list_articles":
        assert not keys & ({"editor_note", *NEVER_IN_ARTICLES}), keys
    if row.action in ("retrieve_followup", "list_followups"):
        assert {"owner", "watchers"} <= keys or not data.get("results", [data])
    if row.action in ("retrieve_image", "list_images", "list_images_by_format"):
        # The library is for staff; the prompt is for them only, and they get it.
        assert "ai_prompt" in keys
    if row.listed is not None:
        assert listed_names(world, row.action, data) == row.listed[role]


# --- Who may be named on a follow-up -------------------------------------------------------------


@pytest.mark.parametrize("field", ["owner", "watchers"])
def test_a_followup_names_only_people_of_the_articles_desk(world, field):
    outsider = world.extra["reporter_b"].pk
    payload = {
        "article": world.articles["published_a"].pk,
        "what": "The ruling",
        "next_check_at": NEXT_WEEK,
        field: outsider if field == "owner" else [outsider],
    }

    response = client_as("editor_a", world).post("/api/v1/followups/", payload, format="json")

    assert response.status_code == 400, response.content[:300]
    assert field in response.json()


@pytest.mark.parametrize("role", [role for role in ROLES if role != "anonymous"])
def test_a_revoked_token_no_longer_authenticates(world, role):
    client = client_as(role, world)
    assert client.post("/api/v1/auth/tokens/logout/").status_code == 204
    assert client.get("/api/v1/auth/me/").status_code == 401


# --- The table covers the whole API ------------------------------------------------------------


def test_every_route_of_the_api_schema_has_a_row(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    routes = {
        f"{method.upper()} {path}"
        for path, operations in response.json()["paths"].items()
        for method in operations
        if method in ("get", "post", "put", "patch", "delete")
    }
    covered = {row.route for row in TABLE}
    assert routes - covered == set(), "routes with no row in the authorization table"


def test_every_api_url_pattern_is_in_the_schema(client):
    """A route the schema leaves out would escape the table: walk the URL resolver too."""
    schema_paths = set(client.get("/api/schema/?format=json").json()["paths"])

    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern).lstrip("^").rstrip("$")
            if hasattr(pattern, "url_patterns"):
                yield from walk(pattern.url_patterns, route)
            else:
                yield route

    api_routes = set()
    for route in walk(get_resolver().url_patterns):
        if not route.startswith("api/v1/") or "format>" in route:
            continue  # DRF's format-suffix twins (articles.json) are the same views
        template = "/" + re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", route)
        template = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", template)  # path() converters
        api_routes.add(template.replace("{pk}", "{id}"))
    # DefaultRouter's browsable index of the resources: not an API operation.
    api_routes.discard("/api/v1/")
    assert "/api/v1/articles/{id_or_slug}/" in api_routes
    assert api_routes - schema_paths == set(), "API routes the schema (and so the table) misses"
