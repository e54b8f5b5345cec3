from rest_framework.routers import SimpleRouter

from media_credits.views import ImageViewSet, LicenceViewSet

router = SimpleRouter()
router.register("images", ImageViewSet, basename="image")
router.register("licences", LicenceViewSet, basename="licence")

urlpatterns = router.urls
