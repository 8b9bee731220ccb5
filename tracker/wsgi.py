import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

from tracker.chunked import ChunkedBodyMiddleware  # needs DJANGO_SETTINGS_MODULE set first

application = ChunkedBodyMiddleware(get_wsgi_application())
