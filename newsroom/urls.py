from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from articles.urls import email_action_urlpatterns
from articles.views.formats import article_page
from media_credits.originals import original_file, original_open
from newsroom.health import healthz, readyz
from newsroom.metrics import metrics

admin.site.site_header = "newsroom"
admin.site.site_title = _("newsroom desk")
admin.site.index_title = _("Desk")
# The index shows the journalist's own follow-ups ("My follow-ups") above the apps.
admin.site.index_template = "admin/articles/index.html"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics, name="metrics"),
    path("admin/", admin.site.urls),
    path("api/v1/auth/", include("newsroom.auth")),
    path("api/v1/", include("articles.urls")),
    path("api/v1/", include("media_credits.urls")),
    path("followups/", include(email_action_urlpatterns)),
    # Originals, for the staff of the image's desks only, through signed URLs that expire.
    path("originals/<int:image_id>/", original_open, name="original-open"),
    path("originals/file/<str:token>/", original_file, name="original-file"),
    # The public page of a live article, with its schema.org JSON-LD (articles.views.formats).
    path("articles/<slug:slug>/", article_page, name="article-page"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
]

# Renditions under MEDIA_ROOT, served by Django only while debugging (a web server does it in
# production): https://docs.djangoproject.com/en/5.2/howto/static-files/#serving-files-uploaded-by-a-user-during-development
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "newsroom.views.bad_request"
handler404 = "newsroom.views.not_found"
handler500 = "newsroom.views.server_error"
