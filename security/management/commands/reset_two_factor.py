"""manage.py reset_two_factor USERNAME: for someone who lost both their phone and their
recovery codes. Their authenticator and codes are removed; at the next login they set up a new
app (moderators and administrators must)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from security import twofactor


class Command(BaseCommand):
    help = "Remove a user's authenticator app and recovery codes, so they can set up new ones."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        User = get_user_model()
        user = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
        if user is None:
            raise CommandError(f"No user '{username}'.")
        twofactor.remove(user)
        self.stdout.write(
            f"Two-step verification reset for '{username}': they set it up again at their next login."
        )
