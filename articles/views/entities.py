"""The entity registry: everyone reads it; desk members (and staff) create, edit, merge, and
delete an entity nothing uses (articles.services.entities)."""

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from articles import permissions
from articles.filters import EntityFilter
from articles.models import Article, Entity
from articles.purge import ARTICLES, ENTITIES, article_key, entity_key, mentions_key
from articles.serializers.entities import EntityMergeSerializer, EntityWriteSerializer
from articles.serializers.public import EntityDetailSerializer, EntitySerializer, list_queryset
from articles.services import entities as services
from articles.views.schema import (
    BAD_REQUEST,
    ENTITY_ID,
    ERROR,
    NOT_AUTHENTICATED,
    NOT_FOUND_ENTITY,
    READ_ERRORS,
    TOO_LARGE,
)
from newsroom import http_cache
from newsroom.params import MAX_ID, ascii_int

NOT_DESK_MEMBER = OpenApiResponse(
    ERROR, description="Only desk members and staff change entities: `detail` says so."
)
IN_USE = OpenApiResponse(
    ERROR, description="The entity is in use (mentions, quotes, claims, follow-ups): `detail`."
)
WRITE = {400: BAD_REQUEST, 401: NOT_AUTHENTICATED, 403: NOT_DESK_MEMBER, 413: TOO_LARGE}


def can_edit_entities(user) -> bool:
    """Reporters and editors of any desk, staff and admins."""
    if not user or not user.is_authenticated or not user.is_active:
        return False
    return user.is_staff or permissions.has_editorial_access(user)


class DeskMembersWrite(BasePermission):
    message = _("Only desk members (reporters, editors) and staff may change entities.")

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return can_edit_entities(request.user)


class EntityViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """People, organisations, places, products and events the desk writes about."""

    filterset_class = EntityFilter
    # IsAuthenticatedOrReadOnly first: anonymous writes get a 401 (and the schema says reads
    # need no credentials); DeskMembersWrite then refuses signed-in readers with the reason.
    permission_classes = [IsAuthenticatedOrReadOnly, DeskMembersWrite]
    lookup_value_regex = r"[0-9]+"  # ASCII digits: \d would let ² through to int()
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def permission_denied(self, request, message=None, code=None):
        # The reason, translated when the request is (the class attribute is read at import).
        if message == DeskMembersWrite.message:
            message = _("Only desk members (reporters, editors) and staff may change entities.")
        super().permission_denied(request, message=message, code=code)

    def get_object(self):
        if ascii_int(self.kwargs["pk"]) > MAX_ID:
            raise NotFound(_("No entity with this id."))
        entity = super().get_object()
        self.shown = [entity]
        return entity

    def get_queryset(self):
        live = Article.objects.live().values("pk")
        return Entity.objects.annotate(
            article_count=Count(
                "mentions__article",
                filter=Q(mentions__article__in=live, mentions__suggested=False),
                distinct=True,
            )
        ).order_by("name", "id")

    def get_serializer_class(self):
        if self.action == "retrieve":
            return EntityDetailSerializer
        if self.action in ("create", "partial_update"):
            return EntityWriteSerializer
        if self.action == "merge":
            return EntityMergeSerializer
        return EntitySerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.action == "retrieve":
            pk = ascii_int(self.kwargs["pk"])
            context["articles"] = list(
                list_queryset()
                .filter(mentions__entity_id=pk, mentions__suggested=False)
                .distinct()[:50]
            )
        return context

    def paginate_queryset(self, queryset):
        self.shown = super().paginate_queryset(queryset)
        return self.shown

    def public_answer(self, request, response, entity_ids: list[int], article_rows: list[dict]):
        """An anonymous reader's 200 with its validators, freshness and surrogate keys."""
        if request.user.is_authenticated or response.status_code != 200:
            return response
        keys = [ENTITIES, ARTICLES]
        keys += [entity_key(pk) for pk in entity_ids] + [mentions_key(pk) for pk in entity_ids]
        keys += [article_key(row["id"]) for row in article_rows]
        moments = [http_cache.timestamp(row["updated_at"]) for row in article_rows]
        shown = getattr(self, "shown", None) or []
        moments += [http_cache.timestamp(entity.updated_at) for entity in shown]
        last_modified = max((m for m in moments if m is not None), default=None)
        return http_cache.public_json(
            request,
            response.data,
            keys=http_cache.surrogate_keys(keys),
            last_modified=last_modified,
        )

    def answer(self, entity: Entity, status_code: int = status.HTTP_200_OK) -> Response:
        entity = self.get_queryset().get(pk=entity.pk)
        return Response(EntitySerializer(entity).data, status=status_code)

    @extend_schema(
        summary="List entities; ?q= matches names and aliases, without case or accents",
        responses={200: EntitySerializer, 400: READ_ERRORS[400]},
    )
    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        data = response.data if response.status_code == 200 else []
        rows = data.get("results", []) if isinstance(data, dict) else data
        return self.public_answer(request, response, [row["id"] for row in rows], [])

    @extend_schema(
        summary="One entity with the newest live articles that mention it",
        parameters=[ENTITY_ID],
        responses={200: EntityDetailSerializer, 404: NOT_FOUND_ENTITY},
    )
    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        data = response.data
        return self.public_answer(request, response, [data["id"]], data.get("articles", []))

    @extend_schema(
        summary="Add an entity (desk members, staff)",
        request=EntityWriteSerializer,
        responses={201: EntitySerializer, **WRITE},
    )
    def create(self, request, *args, **kwargs):
        serializer = EntityWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entity = services.entity_create(data=serializer.validated_data)
        return self.answer(entity, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change an entity's name, kind, aliases, Wikidata id or description",
        parameters=[ENTITY_ID],
        request=EntityWriteSerializer,
        responses={200: EntitySerializer, **WRITE, 404: NOT_FOUND_ENTITY},
    )
    def partial_update(self, request, *args, **kwargs):
        entity = self.get_object()
        serializer = EntityWriteSerializer(entity, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        entity = services.entity_update(entity=entity, data=serializer.validated_data)
        return self.answer(entity)

    @extend_schema(
        summary="Delete an entity nothing uses",
        parameters=[ENTITY_ID],
        request=None,
        responses={
            204: OpenApiResponse(description="Deleted."),
            401: NOT_AUTHENTICATED,
            403: NOT_DESK_MEMBER,
            404: NOT_FOUND_ENTITY,
            409: IN_USE,
        },
    )
    def destroy(self, request, *args, **kwargs):
        services.entity_delete(entity=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Merge other entities into this one",
        description="Moves their mentions (dropping repeats), quotes, claims and watching "
        "follow-ups here, adds their names as aliases, and deletes them; in one transaction.",
        parameters=[ENTITY_ID],
        request=EntityMergeSerializer,
        responses={200: EntitySerializer, **WRITE, 404: NOT_FOUND_ENTITY},
    )
    @action(detail=True, methods=["post"])
    def merge(self, request, *args, **kwargs):
        entity = self.get_object()
        serializer = EntityMergeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            entity = services.entity_merge(
                entity=entity, merged_ids=serializer.validated_data["entities"]
            )
        return self.answer(entity)
