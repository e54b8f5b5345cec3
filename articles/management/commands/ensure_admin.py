import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the local admin account, or reuse it, and print its login."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username: str, **options):
        User = get_user_model()
        login_file = settings.VAR_DIR / "admin-login.txt"
        password = None
        if login_file.exists():
            stored_user, _, stored_password = login_file.read_text().strip().partition(":")
            if stored_user == username:
                password = stored_password
        user = User.objects.filter(username=username).first()
        if user is None or password is None or not user.check_password(password):
            password = secrets.token_urlsafe(12)
            if user is None:
                user = User.objects.create_superuser(
                    username=username, email=f"{username}@localhost", password=password
                )
            else:
                user.set_password(password)
                user.is_staff = user.is_superuser = user.is_active = True
                user.save()
            login_file.parent.mkdir(parents=True, exist_ok=True)
            login_file.write_text(f"{username}:{password}\n")
            login_file.chmod(0o600)
        site = settings.NEWSROOM_SITE_URL
        self.stdout.write(
            self.style.SUCCESS(
                f"\n  Admin:    {site}/admin/\n  Login:    {username} / {password}\n"
                f"  API:      {site}/api/v1/articles/\n  API docs: {site}/api/docs/\n"
            )
        )
