"""Builders for the roles and workflow tests: editors in the groups setup_roles makes, and
checks that the admin refused something."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import Site

from editorial.models import EditorialSettings, SectionGroup


def make_user(username: str, *groups, email: str | None = None):
    user = get_user_model().objects.create_user(
        username, email=f"{username}@example.org" if email is None else email, password="x"
    )
    user.groups.add(*groups)
    return user


def municipality_editor(slug: str, username: str):
    return make_user(username, SectionGroup.objects.get(municipality__slug=slug).group)


def centre_editor(slug: str, username: str):
    return make_user(username, SectionGroup.objects.get(knowledge_centre__slug=slug).group)


def moderator(username: str = "redacteur"):
    return make_user(username, SectionGroup.objects.get(kind=SectionGroup.Kind.MODERATORS).group)


def set_editors_may_publish(value: bool) -> None:
    settings = EditorialSettings.for_site(Site.objects.get(is_default_site=True))
    settings.editors_may_publish = value
    settings.save()


def admin_url(name: str, *args) -> str:
    return reverse(f"wagtailadmin_pages:{name}", args=args)


def workflow_action(client, page, action, comment=""):
    """Approve or reject (`action`) the page's current moderation task, as the dashboard does."""
    task_state = page.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])
    return client.post(url, {"comment": comment})


def assert_refused(response):
    """The admin said no: 403 or 404, or Wagtail's answer to PermissionDenied in the admin, a
    redirect to the dashboard (with a "no permission" message)."""
    if response.status_code == 302:
        assert response["Location"] == reverse("wagtailadmin_home"), response["Location"]
        return
    assert response.status_code in (403, 404), response.status_code


def assert_login_required(response):
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))
