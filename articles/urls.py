from django.urls import path
from rest_framework.routers import DefaultRouter

from articles.views.articles import ArticleViewSet
from articles.views.entities import EntityViewSet
from articles.views.followups import FollowUpViewSet, followup_action
from articles.views.formats import ArticleJsonLdView, ArticleNinjsView, NinjsImportView
from articles.views.ingest import IngestTextView

router = DefaultRouter()
router.register("articles", ArticleViewSet, basename="article")
router.register("entities", EntityViewSet, basename="entity")
router.register("followups", FollowUpViewSet, basename="followup")

# The standard formats first: the router's detail route would read "ninjs" as an action.
urlpatterns = [
    path("articles/<str:id_or_slug>/ninjs/", ArticleNinjsView.as_view(), name="article-ninjs"),
    path("articles/<str:id_or_slug>/jsonld/", ArticleJsonLdView.as_view(), name="article-jsonld"),
    path("ingest/text/", IngestTextView.as_view(), name="ingest-text"),
    path("ingest/ninjs/", NinjsImportView.as_view(), name="ingest-ninjs"),
    *router.urls,
]

# The page behind the links in reminder emails (mounted at /followups/).
email_action_urlpatterns = [
    path("action/<str:token>/", followup_action, name="followup-action"),
]
