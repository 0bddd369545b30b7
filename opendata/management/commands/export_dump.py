"""manage.py export_dump [--output FILE] [--base-url URL]

Every published, public content item as JSON lines (one object per line; see opendata/dump.py
for the fields), for a nightly job:

    15 3 * * *  cd /srv/kennisloket && .venv/bin/python manage.py export_dump --output var/dump/kennisloket.jsonl

With --output the file is written next to its final name and then renamed, so a reader never
sees half a dump; stopped half-way (an error, Ctrl-C, or SIGTERM from cron, systemd or a
deploy), it leaves nothing behind. Without it the lines go to standard output.
"""

import os
import signal
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand

from opendata.dump import dump_lines


def _exit_on_sigterm(signum, frame):
    raise SystemExit(128 + signum)


class Command(BaseCommand):
    help = "Write every published, public content item as JSON lines (stdout, or --output FILE)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            "-o",
            help="The file to write (replaced atomically); default: standard output.",
        )
        parser.add_argument(
            "--base-url",
            help="Start URLs with this (for example https://kennisloket.example.nl); default: the Wagtail site's root URL.",
        )

    def handle(self, *args, output=None, base_url=None, **options):
        lines = dump_lines(base_url=base_url)
        if not output:
            for line in lines:
                self.stdout.write(line)  # OutputWrapper ends each with a newline
            return
        target = Path(output)
        target.parent.mkdir(parents=True, exist_ok=True)
        # SIGTERM would end the process on the spot, past the clean-up below: while the
        # temporary file exists it is an exception instead. It is held back while the file is
        # made, so it cannot come between the file's creation and the clean-up's start.
        previous = signal.signal(signal.SIGTERM, _exit_on_sigterm)
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
        try:
            handle, temporary = tempfile.mkstemp(
                dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
            )
            try:
                signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
                with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
                    count = 0
                    for line in lines:
                        out.write(line + "\n")
                        count += 1
                os.chmod(temporary, 0o644)
                os.replace(temporary, target)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
            signal.signal(signal.SIGTERM, previous)
        if options["verbosity"] >= 1:
            self.stdout.write(f"{count} items written to {target}")
