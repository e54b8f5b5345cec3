from pathlib import Path

from django.core.management.base import BaseCommand

from media_credits.backup import backup


class Command(BaseCommand):
    help = "Back up the database (pg_dump) and every media file into a new folder."

    def add_arguments(self, parser):
        parser.add_argument("output", type=Path, help="A folder that does not exist yet.")

    def handle(self, *args, output: Path, **options):
        manifest = backup(output=output)
        counts = ", ".join(f"{len(files)} {alias}" for alias, files in manifest["media"].items())
        self.stdout.write(f"Backed up the database and {counts} to {output}")
