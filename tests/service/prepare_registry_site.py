"""Prepares the database of a registry site served in its own process (tests/service/): the
vocabulary and page tree, the roles, a moderator, and N draft experiments that gemeente editors
submitted for moderation. Run by tests/service/conftest.py with the site's environment
(DATABASE_URL of its own, ELASTICSEARCH_URL when the test wants one).

Prints one line of JSON: the moderators' logins (with their authenticator apps' keys) and,
per submitted draft, its id, its address and the URL that approves it."""

import io
import json
import os
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT_DIR))
os.chdir(PROJECT_DIR)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

PASSWORD = "registry-test-wachtwoord"


def main(drafts: int):
    quiet = io.StringIO()  # only the JSON line goes to stdout
    call_command("migrate", interactive=False, verbosity=0, stdout=quiet)
    call_command("load_demo", without_corpus=True, verbosity=0, stdout=quiet)
    call_command("setup_roles", verbosity=0, stdout=quiet)

    from django.contrib.auth import get_user_model
    from django.urls import reverse
    from wagtail.models import Workflow

    from editorial.models import SectionGroup
    from editorial.setup import WORKFLOW_NAME
    from security import twofactor
    from tests.factories import ExperimentPageFactory
    from vocabulary.models import Neighbourhood

    User = get_user_model()
    # Moderators log in with a second factor: each test logs in as a moderator of its own (a
    # code from an authenticator app is accepted once), whose app key it is given.
    moderators = []
    for name in ("moderator-gelijktijdig", "moderator-storing"):
        moderator = User.objects.create_user(name, email=f"{name}@example.org", password=PASSWORD)
        moderator.groups.add(SectionGroup.objects.get(kind=SectionGroup.Kind.MODERATORS).group)
        device = twofactor.pending_device(moderator)
        twofactor.confirm(device)
        moderators.append({"username": name, "totp_key": device.key})
    editors = {}
    workflow = Workflow.objects.get(name=WORKFLOW_NAME)

    wijken = list(
        Neighbourhood.objects.filter(is_krachtwijk=True)
        .select_related("municipality")
        .order_by("pk")
    )
    submitted = []
    for n in range(drafts):
        wijk = wijken[n % len(wijken)]
        gemeente = wijk.municipality
        if gemeente.slug not in editors:
            editor = User.objects.create_user(
                f"redacteur-{gemeente.slug}", email=f"{gemeente.slug}@example.org"
            )
            editor.groups.add(SectionGroup.objects.get(municipality=gemeente).group)
            editors[gemeente.slug] = editor
        page = ExperimentPageFactory(
            gemeente=gemeente.slug,
            wijk=wijk.slug,
            title=f"Gelijktijdig experiment {n + 1:02d} in {wijk.name}",
        )
        state = workflow.start(page, editors[gemeente.slug])
        task_state = state.current_task_state
        submitted.append(
            {
                "id": page.pk,
                "url": page.url,
                "approve_url": reverse(
                    "wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk]
                ),
            }
        )

    print(
        json.dumps(
            {
                "moderators": moderators,
                "password": PASSWORD,
                "login_url": reverse("wagtailadmin_login"),
                "second_step_url": reverse("security_2fa_verify"),
                "submitted": submitted,
            }
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
