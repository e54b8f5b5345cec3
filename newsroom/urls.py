from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from newsroom.health import healthz, readyz

admin.site.site_header = "newsroom"
admin.site.site_title = "newsroom desk"
admin.site.index_title = "Desk"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("articles.urls")),
    path("followups/", include("articles.followup_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
]

handler404 = "newsroom.views.not_found"
handler500 = "newsroom.views.server_error"
