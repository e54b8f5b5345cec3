from pathlib import Path

from django.core.management.base import BaseCommand

from media_credits.backup import restore


class Command(BaseCommand):
    help = (
        "Restore a newsroom_backup folder into the configured database (fresh, never migrated) "
        "and media storages; every file is checked against the manifest first."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="A folder written by newsroom_backup.")

    def handle(self, *args, source: Path, **options):
        manifest = restore(source=source)
        counts = ", ".join(f"{len(files)} {alias}" for alias, files in manifest["media"].items())
        self.stdout.write(f"Restored the database and {counts} from {source}")
