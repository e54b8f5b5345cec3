from rest_framework.routers import SimpleRouter

from media_credits.views import ImageViewSet

router = SimpleRouter()
router.register("images", ImageViewSet, basename="image")

urlpatterns = router.urls
