"""Addresses of the pool's pages (/deskundigen/ and its routes), site-relative or absolute for
the mails. The index is found once per request through the page tree."""

from django.urls import reverse

from core.absolute_urls import absolute_url


def expert_index():
    from .models import ExpertIndexPage

    return ExpertIndexPage.objects.live().first()


def route_url(route: str, *args, index=None, absolute=False) -> str:
    index = index or expert_index()
    if index is None:
        return ""
    url = index.url + index.reverse_subpage(route, args=[str(a) for a in args])
    return absolute_url(url) if absolute else url


def expert_url(profile, index=None, absolute=False) -> str:
    return route_url("profile", profile.pk, profile.slug, index=index, absolute=absolute)


def account_manager_contact_url(manager) -> str:
    return reverse("people:account_manager_contact", args=[manager.pk])


def admin_edit_url(profile) -> str:
    from core.absolute_urls import admin_url

    return admin_url("wagtailsnippets_people_expertprofile:edit", profile.pk)
