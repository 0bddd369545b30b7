from django.core.management.base import BaseCommand

from agenda.registrations import send_reminders


class Command(BaseCommand):
    help = "Mail everyone with a place at an event that starts tomorrow (once per registration)."

    def handle(self, *args, **options):
        sent = send_reminders()
        self.stdout.write(f"{sent} event reminders sent.")
