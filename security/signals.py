from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone

from .middleware import LOGIN_AT, SEEN_AT


@receiver(user_logged_in, dispatch_uid="security.stamp_login")
def stamp_login(sender, request, user, **kwargs):
    """When the session started: it ends ADMIN_SESSION_MAX_HOURS later, whatever happens."""
    if request is not None and hasattr(request, "session"):
        now = int(timezone.now().timestamp())
        request.session[LOGIN_AT] = now
        request.session[SEEN_AT] = now
