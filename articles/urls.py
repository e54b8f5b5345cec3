from rest_framework.routers import DefaultRouter

from articles.views import ArticleViewSet, EntityViewSet

router = DefaultRouter()
router.register("articles", ArticleViewSet, basename="article")
router.register("entities", EntityViewSet, basename="entity")

urlpatterns = router.urls
