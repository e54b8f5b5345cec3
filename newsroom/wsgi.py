import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
django_application = get_wsgi_application()

from newsroom import fast_reads, public_handler, revalidation  # noqa: E402 (needs the apps loaded)

# Outside in: revalidations answered from memory, the plainest anonymous reads of articles
# answered by their views' code before Django's handler, the other anonymous public reads
# through the short middleware stack, everything else through Django's whole stack.
application = revalidation.wrap(fast_reads.wrap(public_handler.wrap(django_application)))
