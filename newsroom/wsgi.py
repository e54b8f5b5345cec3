import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

from newsroom.revalidation import wrap  # noqa: E402

application = wrap(get_wsgi_application())
