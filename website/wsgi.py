import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "website.settings.base")

application = get_wsgi_application()

# The Dutch lexicon of the search analysis takes a few seconds to load: an app server process
# loads it now, before it takes requests, rather than during its first search or publication.
from search.text import lexicon  # noqa: E402

lexicon()
