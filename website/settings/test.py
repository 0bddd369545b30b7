"""Settings for the test suite: fast and deterministic. DATABASE_URL still chooses the
database, so the same suite runs on SQLite and on PostgreSQL."""

import os
import tempfile

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SITE_URL", "http://localhost")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="kennisloket-test-media-"))
# WhiteNoise (on when DEBUG is off) wants STATIC_ROOT to exist; tests that collect static
# files point it elsewhere themselves.
os.environ.setdefault("STATIC_ROOT", tempfile.mkdtemp(prefix="kennisloket-test-static-"))
# The suite's own searches on the test node: a loaded 2-core machine must not make them fall
# back to the database (the sites tests/sites.py serves get the production default instead).
os.environ.setdefault("ELASTICSEARCH_TIMEOUT", "10")

from .base import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": CACHES["pages"],  # noqa: F405
}
# A site started in a separate process for the browser tests (tests/browser/) cannot share the
# local-memory outbox: EMAIL_FILE_PATH makes it write every message into that folder instead.
if os.environ.get("EMAIL_FILE_PATH"):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = os.environ["EMAIL_FILE_PATH"]
