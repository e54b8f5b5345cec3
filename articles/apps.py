from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles")

    def ready(self) -> None:
        # Registers the built-in nested writers (and their revision sources) in every process,
        # not only in those that happen to load the API views.
        from articles import hooks, writes  # noqa: F401

        hooks.register()
