from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaCreditsConfig(AppConfig):
    name = "media_credits"
    verbose_name = _("Media credits")

    def ready(self) -> None:
        from django.db.models import Prefetch

        from articles import demo, serializers, services, views
        from media_credits import services as media_services
        from media_credits.demo import demo_images
        from media_credits.models import ArticleImage
        from media_credits.serializers import article_inline_images, article_lead_image

        def add(hooks: list, item) -> None:
            if item not in hooks:
                hooks.append(item)

        if media_services.article_image_problems not in services.publish_checks:
            services.register_publish_check(media_services.article_image_problems)
        add(serializers.detail_extensions, ("lead_image", article_lead_image))
        add(serializers.detail_extensions, ("images", article_inline_images))
        # Two queries whatever the number of images: the uses with image and licence, then
        # every rendition of those images.
        if not any(
            getattr(p, "prefetch_to", None) == "article_images" for p in views.detail_prefetches
        ):
            views.detail_prefetches.append(
                Prefetch(
                    "article_images",
                    queryset=ArticleImage.objects.select_related("image__licence")
                    .prefetch_related("image__renditions")
                    .order_by("order", "id"),
                )
            )
        add(demo.demo_steps, demo_images)
        from media_credits import writes

        writes.register()
