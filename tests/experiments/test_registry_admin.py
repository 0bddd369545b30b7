"""The admin tells the truth about the registry (issue 11, point 7): listings and the admin
search name a registration by number and gemeente, a withdrawn one never shows as "concept",
"Registraties" lists and filters them all, a gemeente's editors see theirs on the dashboard,
and the moderators' queue says whose registration waits. Through the real admin views."""

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from experiments.models import ExperimentPage
from experiments.withdrawal import withdraw
from tests.factories import ExperimentPageFactory
from tests.helpers import experiment_form_data, experiments_parent
from tests.roles_helpers import admin_url, centre_editor, workflow_action

# Rotterdam starts empty: the tests count its registrations.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rotterdam_without_demo")]


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def text(node) -> str:
    return " ".join(node.get_text(" ").split())


def title_of(html, page) -> str:
    """The title Wagtail's page listing shows for `page` (its span has a fixed id)."""
    return text(html.select_one(f"#page_{page.pk}_title"))


def row_of(html, page):
    return html.select_one(f"#page_{page.pk}_title").find_parent("tr")


def status_of(html, page) -> str:
    """The page status tag in the page's row ("live", "concept", "ingetrokken", ...)."""
    tag = row_of(html, page).select_one(".w-status")
    return text(tag).removeprefix("Huidige paginastatus:").strip()


def explorer(section) -> str:
    return reverse("wagtailadmin_explore", args=[section.pk])


def queries(client, url) -> int:
    client.get(url)  # warm caches (content types, site root) once
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def rotterdam_pages(suffix=""):
    """A published, a draft and a withdrawn Rotterdam registration."""
    published = ExperimentPageFactory(title=f"Buurtcoach{suffix}", published=True)
    draft = ExperimentPageFactory(title=f"Nog een concept{suffix}")
    withdrawn = ExperimentPageFactory(title=f"Teruggetrokken{suffix}", published=True)
    withdraw(withdrawn, "Dubbel geregistreerd.")
    return published, draft, ExperimentPage.objects.get(pk=withdrawn.pk)


# --- Listings name registrations; a withdrawn one is "ingetrokken" ------------------------------


def test_the_explorer_names_registrations_and_never_calls_a_withdrawn_one_a_draft(rotterdam):
    published, draft, withdrawn = rotterdam_pages()
    html = soup(rotterdam.get(explorer(experiments_parent("rotterdam"))))

    assert title_of(html, published) == f"{published.registration_number} · Buurtcoach (Rotterdam)"
    assert title_of(html, draft) == "Nog een concept (Rotterdam)"  # no number before publication
    assert (
        title_of(html, withdrawn) == f"{withdrawn.registration_number} · Teruggetrokken (Rotterdam)"
    )
    assert status_of(html, withdrawn) == "ingetrokken"
    assert status_of(html, draft) == "concept"
    assert status_of(html, published) == "live"


def test_the_explorer_needs_no_query_per_registration(moderator_client):
    # As a moderator: for an editor without the publish right Wagtail's own "may delete?"
    # check looks for live pages below each row, one query per row that is not ours.
    url = explorer(experiments_parent("rotterdam"))
    rotterdam_pages()
    few = queries(moderator_client, url)
    for n in range(2, 5):
        rotterdam_pages(suffix=f" {n}")
    assert ExperimentPage.objects.filter(municipality__slug="rotterdam").count() == 12
    assert queries(moderator_client, url) == few


def test_the_admin_search_finds_a_registration_by_its_number(moderator_client):
    published, _draft, withdrawn = rotterdam_pages()
    label = f"{published.registration_number} · Buurtcoach (Rotterdam)"

    for url in (
        admin_url("search") + f"?q={published.registration_number}",
        explorer(experiments_parent("rotterdam")) + f"?q={published.registration_number}",
    ):
        html = soup(moderator_client.get(url))
        assert title_of(html, published) == label, url
        assert html.select_one(f"#page_{withdrawn.pk}_title") is None, url

    html = soup(moderator_client.get(admin_url("search") + "?q=Teruggetrokken"))
    assert status_of(html, withdrawn) == "ingetrokken"


# --- Registraties -------------------------------------------------------------------------------


REGISTRATIONS = "/admin/registraties/"


def listed(client, query="") -> dict[str, str]:
    """{title: row text} of the Registraties listing."""
    response = client.get(REGISTRATIONS + query)
    assert response.status_code == 200
    return {
        text(span): text(span.find_parent("tr"))
        for span in soup(response).select("[id^=page_][id$=_title]")
    }


def test_registrations_lists_number_gemeente_status_moderation_withdrawal_and_overdue(
    rotterdam, moderator_client
):
    today = timezone.localdate()
    published, draft, withdrawn = rotterdam_pages()
    overdue = ExperimentPageFactory(
        title="Over tijd",
        published=True,
        status="lopend",
        start_date=dt.date(2009, 1, 1),
        planned_end_date=today - dt.timedelta(days=30),
    )
    amsterdam = ExperimentPageFactory(
        gemeente="amsterdam", wijk="bos-en-lommer", title="Amsterdams concept"
    )

    rows = listed(rotterdam)
    assert set(rows) == {
        p.get_admin_display_title() for p in (published, draft, withdrawn, overdue)
    }
    assert amsterdam.get_admin_display_title() not in rows  # nothing of another gemeente
    row = rows[published.get_admin_display_title()]
    assert published.registration_number in row and "Rotterdam" in row and "in voorbereiding" in row
    assert "live" in row
    assert "ingetrokken" in rows[withdrawn.get_admin_display_title()]
    assert "concept" in rows[draft.get_admin_display_title()]
    assert (today - dt.timedelta(days=30)).strftime("%Y") in rows[overdue.get_admin_display_title()]

    # Moderation: submitted, then rejected.
    data = experiment_form_data(
        list(draft.neighbourhoods.all()), title=draft.title, slug=draft.slug
    )
    assert (
        rotterdam.post(admin_url("edit", draft.pk), {**data, "action-submit": "1"}).status_code
        == 302
    )
    assert "ter beoordeling" in listed(rotterdam)[draft.get_admin_display_title()]
    workflow_action(
        moderator_client, ExperimentPage.objects.get(pk=draft.pk), "reject", "Graag aanvullen."
    )
    assert "afgewezen" in listed(rotterdam)[draft.get_admin_display_title()]

    # The moderators see every gemeente.
    assert amsterdam.get_admin_display_title() in listed(moderator_client)


def test_registrations_filter_by_gemeente_status_withdrawal_and_results_expected(moderator_client):
    today = timezone.localdate()
    published, draft, withdrawn = rotterdam_pages()
    overdue = ExperimentPageFactory(
        title="Over tijd",
        published=True,
        status="lopend",
        start_date=dt.date(2009, 1, 1),
        planned_end_date=today - dt.timedelta(days=30),
    )
    amsterdam = ExperimentPageFactory(
        gemeente="amsterdam", wijk="bos-en-lommer", title="Amsterdams gepubliceerd", published=True
    )
    rotterdam_id = published.municipality_id
    ours = {p.get_admin_display_title() for p in (published, draft, withdrawn, overdue)}

    assert set(listed(moderator_client, f"?municipality={rotterdam_id}")) == ours
    assert set(listed(moderator_client, f"?municipality={rotterdam_id}&status=lopend")) == {
        overdue.get_admin_display_title()
    }
    assert set(listed(moderator_client, f"?municipality={rotterdam_id}&withdrawn=ja")) == {
        withdrawn.get_admin_display_title()
    }
    assert withdrawn.get_admin_display_title() not in listed(moderator_client, "?withdrawn=nee")
    expected = set(listed(moderator_client, "?results_expected=ja"))
    assert overdue.get_admin_display_title() in expected
    assert not expected & {published.get_admin_display_title(), withdrawn.get_admin_display_title()}
    assert set(ExperimentPage.objects.results_expected().values_list("pk", flat=True)) == {
        p.pk for p in ExperimentPage.objects.all() if p.get_admin_display_title() in expected
    }
    assert amsterdam.get_admin_display_title() not in listed(
        moderator_client, f"?municipality={rotterdam_id}"
    )
    # And the search finds by number.
    assert set(listed(moderator_client, f"?q={published.registration_number}")) == {
        published.get_admin_display_title()
    }


def test_registrations_need_a_fixed_number_of_queries(
    moderator_client, django_assert_max_num_queries
):
    rotterdam_pages()
    few = queries(moderator_client, REGISTRATIONS)
    for n in range(2, 12):
        rotterdam_pages(suffix=f" {n}")
    assert ExperimentPage.objects.count() > 40  # more rows than before on the one page of 50
    with django_assert_max_num_queries(few):
        moderator_client.get(REGISTRATIONS)
    with django_assert_max_num_queries(few):
        moderator_client.get(REGISTRATIONS + "?results_expected=nee&withdrawn=nee")


def test_registrations_are_in_the_menu_of_gemeente_editors_and_moderators_only(
    rotterdam, moderator_client
):
    for user_client in (rotterdam, moderator_client):
        assert REGISTRATIONS in user_client.get(reverse("wagtailadmin_home")).content.decode()
    centre = Client()
    centre.force_login(centre_editor("kei", "redactie-kei"))
    assert REGISTRATIONS not in centre.get(reverse("wagtailadmin_home")).content.decode()


# --- The moderators' queue ------------------------------------------------------------------------


def submit(client, page, **changes):
    """Submit the page for moderation through its edit form, with `changes` (and an end date
    to come, so it is not overdue; a published registration's change says why)."""
    changes.setdefault("planned_end_date", "2099-12-31")
    changes.setdefault("change_note", "De planning is bijgesteld.")
    data = experiment_form_data(
        list(page.neighbourhoods.all()), title=page.title, slug=page.slug, **changes
    )
    response = client.post(admin_url("edit", page.pk), {**data, "action-submit": "1"})
    assert response.status_code == 302, (
        response.context["form"].errors if response.context else response
    )


def test_the_moderators_queue_and_the_workflow_reports_say_whose_registration_waits(
    rotterdam, moderator_client
):
    amended = ExperimentPageFactory(title="Buurtcoach", published=True)
    submit(rotterdam, amended, summary="Een gewijzigde samenvatting.")
    new = ExperimentPageFactory(title="Nieuwe aanmelding")
    submit(rotterdam, new)

    queue = soup(moderator_client.get(reverse("wagtailadmin_home"))).select_one(
        "#awaiting-review-section"
    )
    assert f"{amended.registration_number} · Buurtcoach (Rotterdam)" in text(queue)
    assert "Nieuwe aanmelding (Rotterdam)" in text(queue)  # the number comes with publication
    for report in ("wagtailadmin_reports:workflow", "wagtailadmin_reports:workflow_tasks"):
        html = text(soup(moderator_client.get(reverse(report))))
        assert f"{amended.registration_number} · Buurtcoach (Rotterdam)" in html, report
        assert "Nieuwe aanmelding (Rotterdam)" in html, report


# --- The dashboard of a gemeente's editors ------------------------------------------------------


def panel_rows(client) -> list[str]:
    panel = soup(client.get(reverse("wagtailadmin_home"))).select_one(
        "#municipality-registrations-section"
    )
    assert panel is not None
    return [text(row) for row in panel.select("tbody tr")]


def test_a_gemeente_editor_sees_its_own_registrations_on_the_dashboard(rotterdam, moderator_client):
    today = timezone.localdate()
    published, draft, withdrawn = rotterdam_pages()
    overdue = ExperimentPageFactory(
        title="Over tijd",
        published=True,
        status="lopend",
        start_date=dt.date(2009, 1, 1),
        planned_end_date=today - dt.timedelta(days=30),
    )
    waiting = ExperimentPageFactory(title="Wacht op de redactie")
    submit(rotterdam, waiting)
    rejected = ExperimentPageFactory(title="Terug naar de gemeente")
    submit(rotterdam, rejected)
    workflow_action(
        moderator_client, ExperimentPage.objects.get(pk=rejected.pk), "reject", "Graag aanvullen."
    )
    ExperimentPageFactory(
        gemeente="amsterdam", wijk="bos-en-lommer", title="Amsterdams concept", published=True
    )

    rows = panel_rows(rotterdam)
    # What needs doing first: rejected, results expected, awaiting review; then the rest.
    assert [row.split(" (Rotterdam)")[0] for row in rows[:3]] == [
        "Terug naar de gemeente",
        f"{overdue.registration_number} · Over tijd",
        "Wacht op de redactie",
    ]
    assert "afgewezen" in rows[0]
    assert (today - dt.timedelta(days=30)).strftime("%Y") in rows[1] and "lopend" in rows[1]
    assert "ter beoordeling" in rows[2]
    assert len(rows) == 6
    assert not any("Amsterdam" in row for row in rows)
    assert any(
        row.startswith(f"{withdrawn.registration_number} · Teruggetrokken") and "ingetrokken" in row
        for row in rows
    )

    panel = soup(rotterdam.get(reverse("wagtailadmin_home"))).select_one(
        "#municipality-registrations-section"
    )
    links = {text(a): a["href"] for a in panel.select("a")}
    assert links[published.get_admin_display_title()] == admin_url("edit", published.pk)
    assert withdrawn.get_admin_display_title() not in links  # no longer edited
    assert (
        links["Alle 6 registraties"] == f"{REGISTRATIONS}?municipality={published.municipality_id}"
    )
    listing = listed(rotterdam, links["1 met resultaten te laat"].removeprefix(REGISTRATIONS))
    assert set(listing) == {overdue.get_admin_display_title()}

    # The moderators have no gemeente of their own: no such panel.
    home = soup(moderator_client.get(reverse("wagtailadmin_home")))
    assert home.select_one("#municipality-registrations-section") is None


def test_the_dashboard_panel_needs_a_fixed_number_of_queries(rotterdam):
    home = reverse("wagtailadmin_home")
    rotterdam_pages()
    few = queries(rotterdam, home)
    for n in range(2, 6):
        rotterdam_pages(suffix=f" {n}")
    assert len(panel_rows(rotterdam)) == 10  # the panel shows the first ten
    assert queries(rotterdam, home) == few


def chooser_html(response) -> str:
    """The chooser answers browsing with JSON around its HTML, searching with the HTML."""
    assert response.status_code == 200
    return (
        response.json()["html"]
        if response["Content-Type"] == "application/json"
        else response.content.decode()
    )


def test_the_page_chooser_names_registrations(moderator_client):
    published, draft, _withdrawn = rotterdam_pages()
    label = f"{published.registration_number} · Buurtcoach (Rotterdam)"
    for url in (
        reverse("wagtailadmin_choose_page_child", args=[experiments_parent("rotterdam").pk])
        + "?page_type=experiments.experimentpage",
        reverse("wagtailadmin_choose_page_search")
        + "?page_type=experiments.experimentpage&q=Buurtcoach",
    ):
        assert label in chooser_html(moderator_client.get(url)), url
    browse = moderator_client.get(
        reverse("wagtailadmin_choose_page_child", args=[experiments_parent("rotterdam").pk])
    )
    assert "Nog een concept (Rotterdam)" in chooser_html(browse)
