"""Makes sure an administrator exists: credentials from ADMIN_USERNAME / ADMIN_PASSWORD,
or, for the local demo, a generated password printed once and kept in var/. A chosen password
must pass the site's password rules. At the first login the administrator sets up two-step
verification (an authenticator app), which administrators must use."""

import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create the administrator account if it does not exist yet."

    def handle(self, *args, **options):
        User = get_user_model()
        username = os.environ.get("ADMIN_USERNAME", "admin")
        password = os.environ.get("ADMIN_PASSWORD", "")
        email = os.environ.get("ADMIN_EMAIL", "admin@example.org")
        if User.objects.filter(username=username).exists():
            self.stdout.write(f"Administrator '{username}' already exists.")
            return
        generated = not password
        if generated:
            password = secrets.token_urlsafe(15)
        else:
            try:
                validate_password(password, User(username=username, email=email))
            except ValidationError as refused:
                raise CommandError(
                    "ADMIN_PASSWORD is not accepted: " + " ".join(refused.messages)
                ) from None
        User.objects.create_superuser(username=username, email=email, password=password)
        if generated:
            credentials = settings.BASE_DIR / "var" / "admin-credentials.txt"
            credentials.parent.mkdir(parents=True, exist_ok=True)
            credentials.write_text(f"username: {username}\npassword: {password}\n")
            credentials.chmod(0o600)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Administrator created. Log in at /admin/ as '{username}' with password "
                    f"'{password}' (also saved in {credentials.relative_to(settings.BASE_DIR)}). "
                    "At the first login you set up two-step verification with an authenticator app."
                )
            )
        else:
            self.stdout.write(self.style.SUCCESS(f"Administrator '{username}' created."))
