from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the demo articles (idempotent: running it again refreshes them)."

    def handle(self, *args, **options):
        from articles.demo import demo_load

        articles = demo_load()
        for language, article in articles.items():
            self.stdout.write(f"demo article [{language}] #{article.pk}: {article.headline}")
