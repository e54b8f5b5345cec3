from django.urls import path
from rest_framework.routers import DefaultRouter

from articles.views.articles import ArticleViewSet, EntityViewSet
from articles.views.followups import FollowUpViewSet, followup_action

router = DefaultRouter()
router.register("articles", ArticleViewSet, basename="article")
router.register("entities", EntityViewSet, basename="entity")
router.register("followups", FollowUpViewSet, basename="followup")

urlpatterns = router.urls

# The page behind the links in reminder emails (mounted at /followups/).
email_action_urlpatterns = [
    path("action/<str:token>/", followup_action, name="followup-action"),
]
