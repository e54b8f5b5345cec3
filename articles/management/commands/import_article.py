from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import translation
from rest_framework.renderers import JSONRenderer


class Command(BaseCommand):
    help = (
        "Import a plain-text wire copy (French or English) as a draft. Prints the draft's id "
        "and admin address, or with --format json its editorial JSON (as GET "
        "/api/v1/articles/{id}/ gives a desk member)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The text file to import ('-' reads standard input).")
        parser.add_argument("--language", choices=["fr", "en", "auto"], default="auto")
        parser.add_argument("--desk", help="The desk's slug (default: the author's only desk).")
        parser.add_argument(
            "--author", required=True, help="Username of the journalist who imports the copy."
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, file: str, language: str, desk, author: str, format: str, **options):
        from articles.models import Desk
        from articles.serializers.desk import ArticleEditorialSerializer
        from articles.serializers.public import translations_of
        from articles.services.imports import article_import_text
        from articles.views.articles import editorial_detail_queryset

        user = get_user_model().objects.filter(username=author, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {author!r}.")
        desk_obj = None
        if desk:
            desk_obj = Desk.objects.filter(slug=desk).first()
            if desk_obj is None:
                raise CommandError(f"No desk with the slug {desk!r}.")
        try:
            data = self.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror}") from exc
        try:
            article = article_import_text(data=data, user=user, desk=desk_obj, language=language)
        except ValidationError as exc:
            raise CommandError(
                "; ".join(f"{field}: {' '.join(m)}" for field, m in exc.message_dict.items())
            ) from exc
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc

        if format == "json":
            article = editorial_detail_queryset(type(article).objects.filter(pk=article.pk)).get()
            serializer = ArticleEditorialSerializer(
                article, context={"translations": translations_of(article)}
            )
            with translation.override(article.language):
                data = serializer.data
            self.stdout.write(JSONRenderer().render(data).decode("utf-8"))
            return
        admin_url = reverse("admin:articles_article_change", args=[article.pk])
        self.stdout.write(f"draft #{article.pk}: {article.headline}")
        self.stdout.write(f"admin: {admin_url}")
        for warning in article.import_warnings:
            self.stdout.write(f"warning: {warning['message']}")

    @property
    def stdin(self):
        import sys

        return sys.stdin
