"""Settings for Kennisloket Krachtwijken.

Everything that differs between a laptop and production comes from environment variables
(see .env.example); no code edits. With nothing set you get the embedded default: SQLite,
database search, local media and a local-memory cache.
"""

import datetime as dt
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from core.logs import formatter_config

from .env import env_bool, env_float, env_int, env_list, env_str, env_time

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=true for local development).")
    SECRET_KEY = "django-insecure-local-development-only"

# Former keys, comma-separated, still accepted for what they signed (sessions, password-reset
# and confirmation links) while a new SECRET_KEY takes over.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Our apps, top layer first; templates of later apps can be overridden by earlier ones.
    "demo",
    "website",
    "jobs",
    "places",
    "search",
    "opendata",
    "alerts",
    "loket",
    "editorial",
    # The people and the meetings of the programme (issue 18): above the content they link to.
    "agenda",
    "people",
    "programme",
    "kennisbank",
    "experiments",
    "vocabulary",
    "core",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",  # sitemap.xml; its template comes from django.contrib.sitemaps
    "django.contrib.sitemaps",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    # After wagtail.admin: its ready() gives every page type the admin form that checks media.
    "security",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Login throttling and the second factor (see security/).
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files from the app server itself: the collected files (hashed names, gzip and
    # brotli copies, far-future cache headers) with DEBUG off; with DEBUG on straight from the
    # source folders (WhiteNoise then uses the finders: no collectstatic needed).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages, JSON, CSV and feeds gzipped (static files come compressed from WhiteNoise above);
    # then an ETag, so a browser that has the page gets a 304.
    "website.middleware.CompressText",
    "django.middleware.http.ConditionalGetMiddleware",
    "security.headers.SecurityHeadersMiddleware",  # CSP (public site / admin) and Permissions-Policy
    # Before sessions and CSRF: a cached page is served without either (website.middleware).
    "website.middleware.AnonymousPageCache",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "security.middleware.AdminSessionMiddleware",  # session expiry and the second factor
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Axes wraps everything after it: it turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
    # Last: it runs the admin's POST views itself, inside one transaction.
    "website.middleware.AtomicAdminChanges",
]


ROOT_URLCONF = "website.urls"
WSGI_APPLICATION = "website.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# --- Database: DATABASE_URL, default a SQLite file next to manage.py -----------------------
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several editors at once on the embedded default: WAL lets readers go on while one
    # writes; a write transaction takes its lock when it begins (IMMEDIATE) instead of
    # failing half-way with "database is locked", and waits up to 20 s for its turn.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
# REDIS_URL set: one cache shared by every app server and the worker (rate limits, cached
# lookups); unset: local memory (one process). A Redis that does not answer within
# REDIS_TIMEOUT seconds is treated as an empty cache and logged on one line (core/cache.py):
# the site goes on answering while Redis restarts, with rate limits counting afresh after it.
if env_str("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": env_str("REDIS_URL"),
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "kennisloket"),
            "OPTIONS": {
                "socket_connect_timeout": env_float("REDIS_TIMEOUT", 0.5),
                "socket_timeout": env_float("REDIS_TIMEOUT", 0.5),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Whole pages for anonymous visitors (website.middleware.AnonymousPageCache): in each
# process's own memory, apart from the rate limits' counts so pages never push those out. A
# page is kept for the state of the public content it was made from (core.freshness), so a
# publish shows at once in every process; PAGE_CACHE_SECONDS bounds what changes with the
# clock alone (what is coming up on the agenda). 0 switches the page cache off.
CACHES["pages"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "pages",
    "OPTIONS": {"MAX_ENTRIES": env_int("PAGE_CACHE_ENTRIES", 2000)},
}
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300)
# What no visitor sees: a change to these does not touch the cached pages (core.freshness).
PUBLIC_CONTENT_IGNORED_APPS = frozenset(
    "admin auth axes contenttypes sessions otp_totp security core search jobs alerts "
    "wagtailadmin wagtailusers wagtailsearch".split()
)
PUBLIC_CONTENT_IGNORED_MODELS = frozenset(
    [
        "wagtailcore.Revision",
        "wagtailcore.PageLogEntry",
        "wagtailcore.ModelLogEntry",
        "wagtailcore.ReferenceIndex",
        "wagtailcore.WorkflowState",
        "wagtailcore.TaskState",
        "wagtailcore.Comment",
        "wagtailcore.CommentReply",
        "wagtailcore.PageSubscription",
        "wagtailcore.UploadedFile",
        "wagtailcore.APIToken",
        # Made while a page renders: a visitor's first view must not empty every cache.
        "wagtailimages.Rendition",
        "wagtailforms.FormSubmission",
    ]
)
# Sessions stay in the database, not in the cache: a Redis restart must not log every editor out.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Accounts (see security/ and the README's security section) -----------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    # Django's list of common passwords plus Dutch ones and this site's own words, also with
    # a year, digits or punctuation added ("Welkom2026!", "Kennisloket1").
    {"NAME": "security.passwords.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Every login (the admin's and Wagtail's /_util/login/) goes through django-axes: after
# LOGIN_FAILURE_LIMIT wrong passwords for one username, or from one client address, that
# username or address is refused for LOGIN_COOLOFF_MINUTES, also with the right password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "core.clients.client_ip"  # TRUSTED_PROXY_COUNT applies
AXES_LOCKOUT_CALLABLE = "security.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Every login is recorded (user name, address, time) to investigate misuse; the worker's
# purge_login_records job deletes records older than this, as the privacy statement says.
LOGIN_RECORD_RETENTION_DAYS = env_int("LOGIN_RECORD_RETENTION_DAYS", 90)
# The second factor (TOTP, with recovery codes): every admin account may enrol one; those for
# whom TWO_FACTOR_REQUIRED says so (moderators and administrators) must, before the admin opens.
TWO_FACTOR_REQUIRED = "editorial.roles.requires_two_factor"
OTP_TOTP_ISSUER = "Kennisloket Krachtwijken"
# An admin session ends after ADMIN_SESSION_IDLE_MINUTES without a request, and at the latest
# ADMIN_SESSION_MAX_HOURS after logging in (OWASP ASVS 3.3.2: 30 minutes and 12 hours).
ADMIN_SESSION_IDLE_MINUTES = env_int("ADMIN_SESSION_IDLE_MINUTES", 30)
ADMIN_SESSION_MAX_HOURS = env_int("ADMIN_SESSION_MAX_HOURS", 12)
SESSION_COOKIE_AGE = ADMIN_SESSION_MAX_HOURS * 60 * 60
SESSION_COOKIE_HTTPONLY = True
# Private pages send visitors to the admin's login (with its throttling and second factor).
WAGTAIL_FRONTEND_LOGIN_URL = "/admin/login/"

# --- Language: every word a visitor sees is Dutch ------------------------------------------
# Every visitor gets Dutch, whatever their browser asks for (no LocaleMiddleware); editors
# can pick English for the admin in their own account settings.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("nl", "Nederlands"), ("en", "English")]

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed names (cache busting) plus pre-compressed copies, after `collectstatic`.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- Email ----------------------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
# With EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend: the folder mails go to.
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH") or None
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Kennisloket Krachtwijken <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Wagtail --------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Kennisloket Krachtwijken"
# No avatars from Gravatar: they would tell a third party who works in the admin (and break
# the admin's Content-Security-Policy, which allows images from this site only).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# The one public address of the site (scheme, host, port; no trailing slash): the Wagtail Site
# (so sitemap.xml and full URLs), the feeds, and every link in an e-mail start with it.
# `make run` sets it to what it serves (http://HOST:PORT).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"SITE_URL must start with http:// or https://, not {SITE_URL!r}")
# Links into the admin in Wagtail's notification mails; the same site unless the admin has an
# address of its own.
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", SITE_URL).rstrip("/")
# Wagtail's own index serves the admin's page search; the public faceted search has its own.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Uploads (security/uploads.py): the content must be what the extension says, checked from the
# bytes; documents are served by Wagtail's view as attachments (inline only PDF), and only once
# a live public page uses them or their collection is public (security/media.py).
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odp", "ods", "odt", "pdf", "pptx", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILDOCS_DOCUMENT_FORM_BASE = "security.uploads.DocumentForm"
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_IMAGE_FORM_BASE = "security.uploads.ImageForm"
# Media files are served by the site itself (security/media.py), which checks who may see
# them; behind nginx SENDFILE_BACKEND=security.sendfile_nginx and SENDFILE_URL let nginx send
# the bytes after the check (X-Accel-Redirect; README: Security).
SENDFILE_BACKEND = env_str("SENDFILE_BACKEND", "wagtail.utils.sendfile_streaming_backend")
if env_str("SENDFILE_URL"):
    SENDFILE_URL = env_str("SENDFILE_URL")
    SENDFILE_ROOT = str(MEDIA_ROOT)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
TAGGIT_CASE_INSENSITIVE = True
# Moderation emails (see editorial/): Wagtail mails the moderators when a page is submitted and
# the submitter when it is approved or rejected; the links in them start with WAGTAILADMIN_BASE_URL.
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = env_str(
    "WAGTAILADMIN_NOTIFICATION_FROM_EMAIL", DEFAULT_FROM_EMAIL
)
# Wagtail's default, stated: superusers get the moderation emails too (and the withdrawal
# requests, experiments/withdrawal_requests.py).
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = True

# --- Search (the public faceted search; see search/) ----------------------------------------
# Set: Elasticsearch serves /zoeken/; unset: the embedded database engine.
ELASTICSEARCH_URL = env_str("ELASTICSEARCH_URL")
# The alias searches go through; each rebuild makes a new index behind it.
ELASTICSEARCH_INDEX = env_str("ELASTICSEARCH_INDEX", "kennisloket")
# A visitor's search waits at most this long (seconds) for Elasticsearch before the page
# answers from the database index; after a failure the site skips Elasticsearch for
# ELASTICSEARCH_RETRY_AFTER seconds (per process), so nobody else waits for it meanwhile.
ELASTICSEARCH_TIMEOUT = env_float("ELASTICSEARCH_TIMEOUT", 0.5)
ELASTICSEARCH_RETRY_AFTER = env_float("ELASTICSEARCH_RETRY_AFTER", 30)
# Writes to Elasticsearch (bulk updates, rebuilds) happen only in the index worker and the
# management commands, never in a request: they may take this long (seconds).
ELASTICSEARCH_WRITE_TIMEOUT = env_float("ELASTICSEARCH_WRITE_TIMEOUT", 60)
# Replicas of each new index (0: one node; more on a cluster).
ELASTICSEARCH_REPLICAS = env_int("ELASTICSEARCH_REPLICAS", 0)

# --- Question desk (loket/) ----------------------------------------------------------------
# Personal data of questions older than this are removed by `manage.py purge_questions`.
QUESTION_RETENTION_DAYS = env_int("QUESTION_RETENTION_DAYS", 365)
# At most QUESTION_RATE_LIMIT questions per client address (REMOTE_ADDR) per window (seconds).
# Counted in the cache: set REDIS_URL when several app servers share the load.
QUESTION_RATE_LIMIT = env_int("QUESTION_RATE_LIMIT", 5)
QUESTION_RATE_WINDOW = env_int("QUESTION_RATE_WINDOW", 60 * 60)
# The answer time the desk promises: the receipt mail and the thank-you page name it.
QUESTION_ANSWER_WORKING_DAYS = env_int("QUESTION_ANSWER_WORKING_DAYS", 10)
# --- Search alerts (alerts/) ----------------------------------------------------------------
# At most ALERT_RATE_LIMIT subscription requests per client address, and ALERT_EMAIL_RATE_LIMIT
# confirmation emails per mailbox, per ALERT_RATE_WINDOW seconds (counted in the cache).
ALERT_RATE_LIMIT = env_int("ALERT_RATE_LIMIT", 10)
ALERT_EMAIL_RATE_LIMIT = env_int("ALERT_EMAIL_RATE_LIMIT", 3)
ALERT_RATE_WINDOW = env_int("ALERT_RATE_WINDOW", 60 * 60)
# Days a confirmation link works; unconfirmed subscriptions are deleted after that.
ALERT_CONFIRM_DAYS = env_int("ALERT_CONFIRM_DAYS", 7)
# Most results in one digest; more wait for the next one (none is skipped).
ALERT_DIGEST_MAX_ITEMS = env_int("ALERT_DIGEST_MAX_ITEMS", 100)

# --- Event registrations (agenda/) -------------------------------------------------------------
# At most EVENT_RATE_LIMIT registrations per client address, and EVENT_EMAIL_RATE_LIMIT mails
# per mailbox, per EVENT_RATE_WINDOW seconds (counted in the cache).
EVENT_RATE_LIMIT = env_int("EVENT_RATE_LIMIT", 10)
EVENT_EMAIL_RATE_LIMIT = env_int("EVENT_EMAIL_RATE_LIMIT", 5)
EVENT_RATE_WINDOW = env_int("EVENT_RATE_WINDOW", 60 * 60)
# Days a confirmation link works; unconfirmed registrations are deleted after that.
EVENT_CONFIRM_DAYS = env_int("EVENT_CONFIRM_DAYS", 3)
# Days after an event its participants' names and addresses are kept (for a follow-up mail or
# the report); then purge_personal_data anonymises them and only the counts remain.
EVENT_ATTENDEE_RETENTION_DAYS = env_int("EVENT_ATTENDEE_RETENTION_DAYS", 90)

# --- The pool of experts and the contact forms (people/) ---------------------------------------
# Days a sign-up's or invitation's confirmation link works; a profile nobody confirmed in time is
# deleted by people.retention.purge after that.
EXPERT_SIGNUP_CONFIRM_DAYS = env_int("EXPERT_SIGNUP_CONFIRM_DAYS", 14)
# Days a confirmed profile the programme directorate neither approved nor refused is kept;
# a refused one is deleted at the next purge.
EXPERT_UNAPPROVED_RETENTION_DAYS = env_int("EXPERT_UNAPPROVED_RETENTION_DAYS", 90)
# At most EXPERT_SIGNUP_RATE_LIMIT sign-ups per client address per window (seconds).
EXPERT_SIGNUP_RATE_LIMIT = env_int("EXPERT_SIGNUP_RATE_LIMIT", 5)
EXPERT_SIGNUP_RATE_WINDOW = env_int("EXPERT_SIGNUP_RATE_WINDOW", 60 * 60)
# The contact forms of experts and accountmanagers: at most CONTACT_RATE_LIMIT messages per
# client address and CONTACT_RECIPIENT_RATE_LIMIT per recipient, per CONTACT_RATE_WINDOW seconds.
CONTACT_RATE_LIMIT = env_int("CONTACT_RATE_LIMIT", 5)
CONTACT_RECIPIENT_RATE_LIMIT = env_int("CONTACT_RECIPIENT_RATE_LIMIT", 10)
CONTACT_RATE_WINDOW = env_int("CONTACT_RATE_WINDOW", 60 * 60)

# --- Search exports (/zoeken/?format=csv or xlsx) ----------------------------------------------
# An export runs up to ten searches and builds a file: at most EXPORT_RATE_LIMIT per client
# address per EXPORT_RATE_WINDOW seconds.
EXPORT_RATE_LIMIT = env_int("EXPORT_RATE_LIMIT", 10)
EXPORT_RATE_WINDOW = env_int("EXPORT_RATE_WINDOW", 10 * 60)

# Behind N reverse proxies of your own (load balancer, nginx): the client address is taken
# from X-Forwarded-For as the Nth entry from the right. 0: REMOTE_ADDR (no proxy).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# --- Registry reminders (editorial/reminders.py) ----------------------------------------------
# A gemeente's editors are reminded of overdue results at most once per this many days.
OVERDUE_REMINDER_DAYS = env_int("OVERDUE_REMINDER_DAYS", 30)

# --- The worker (jobs/: manage.py run_worker; README: Scheduled jobs and the index worker) ------
# Each round it applies the index outbox and runs the jobs that are due: publish_scheduled every
# JOB_PUBLISH_SCHEDULED_SECONDS, the others daily at a time of day in TIME_ZONE (HH:MM).
JOB_PUBLISH_SCHEDULED_SECONDS = env_int("JOB_PUBLISH_SCHEDULED_SECONDS", 60)
JOB_EXPORT_DUMP_AT = env_time("JOB_EXPORT_DUMP_AT", "01:00")
JOB_PURGE_QUESTIONS_AT = env_time("JOB_PURGE_QUESTIONS_AT", "01:30")
JOB_PURGE_LOGIN_RECORDS_AT = env_time("JOB_PURGE_LOGIN_RECORDS_AT", "01:40")
JOB_SEARCH_STATUS_AT = env_time("JOB_SEARCH_STATUS_AT", "04:00")
JOB_SEND_ALERTS_AT = env_time("JOB_SEND_ALERTS_AT", "06:00")
JOB_REMIND_OVERDUE_AT = env_time("JOB_REMIND_OVERDUE_AT", "07:00")
# The reminder goes out the day before an event, in the morning.
JOB_SEND_EVENT_REMINDERS_AT = env_time("JOB_SEND_EVENT_REMINDERS_AT", "09:00")
JOB_PURGE_PERSONAL_DATA_AT = env_time("JOB_PURGE_PERSONAL_DATA_AT", "01:50")
# Where the nightly dump (export_dump) is written.
DUMP_PATH = Path(env_str("DUMP_PATH", str(BASE_DIR / "var" / "dump" / "kennisloket.jsonl")))
# A job claimed longer ago than this (seconds) counts as abandoned (its worker died) and may be
# claimed again: longer than any job runs.
JOB_CLAIM_TIMEOUT = env_int("JOB_CLAIM_TIMEOUT", 30 * 60)
# Wagtail's own background tasks (reference index, image focal points, file deletion) run at
# once, in the process that asks: the index outbox is already the durable queue the worker
# applies, and a database task backend would be a second queue beside it.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# --- Security -------------------------------------------------------------------------------
# Secure by default outside DEBUG; each can be switched off for a setup behind a TLS proxy.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
# Load balancers probe the app servers over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^health/"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Content-Security-Policy (django-csp): the public site runs no inline script or style; its
# one script (static/js/search.js) comes from 'self'. The admin gets ADMIN_CONTENT_SECURITY_POLICY
# (security/headers.py): Wagtail's admin needs inline styles and a few inline scripts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}
# Browser features the site never uses are switched off for it and anything it embeds.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)

# --- Logs (core/logs.py) ---------------------------------------------------------------------
# One line per event, a failure included (its reason and where it was raised); LOG_FORMAT=json
# for a log collector; LOG_TRACEBACKS=true adds the whole traceback in the text format.
LOG_FORMAT = env_str("LOG_FORMAT", "text")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}")
LOG_TRACEBACKS = env_bool("LOG_TRACEBACKS", False)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"site": formatter_config(LOG_FORMAT, LOG_TRACEBACKS)},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "site"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    "loggers": {
        # Django's own loggers would otherwise go through its default handlers too (twice).
        "django": {
            "handlers": ["console"],
            "level": env_str("LOG_LEVEL", "WARNING"),
            "propagate": False,
        },
        # The Elasticsearch client logs every retry and failing node with a traceback; the
        # site logs one line per failure itself (search/engines/breaker.py).
        "elastic_transport": {"level": "ERROR"},
        "elasticsearch": {"level": "ERROR"},
        # The worker says when it starts and what each job did (INFO); DEBUG adds tracebacks.
        "jobs": {"level": "DEBUG" if env_str("LOG_LEVEL").upper() == "DEBUG" else "INFO"},
    },
}
