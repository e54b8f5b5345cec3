from rest_framework.routers import DefaultRouter

from articles.followup_views import FollowUpViewSet
from articles.views import ArticleViewSet, EntityViewSet

router = DefaultRouter()
router.register("articles", ArticleViewSet, basename="article")
router.register("entities", EntityViewSet, basename="entity")
router.register("followups", FollowUpViewSet, basename="followup")

urlpatterns = router.urls
