"""The main journeys in a real browser, asserting what a user would notice: from the home page's
search to a wijk and a registration; search with facets,
chips, paging and the back button (with and without JavaScript); an experiment and its
history; a question on the loket; and in the admin a gemeente editor registering an
experiment that a moderator approves and the search then finds."""

import re
from email import message_from_string, policy

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import Page, expect

from .conftest import save_phone_screenshot
from .search_ui import (
    APPLY,
    CHIPS,
    chip,
    expect_total,
    facet_checkbox,
    js_enhanced,
    search_json,
    tick,
    titles,
    wait_for_state,
)

pytestmark = pytest.mark.browser


# --- 1. Search ---------------------------------------------------------------------------------


def test_from_the_home_page_search_to_a_wijk_and_its_registration(page: Page, site, screenshots):
    facts = site.facts
    page.goto("/")
    box = page.get_by_role("main").get_by_role("searchbox", name="Zoek naar experimenten")
    box.fill(facts["wijk_name"])
    screenshots(page, "home-search")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/zoeken/\?q="))
    expect(page.get_by_role("searchbox", name="Zoek naar experimenten")).to_have_value(
        facts["wijk_name"]
    )
    expect(page.locator(".results .result").first).to_be_visible()
    page.get_by_role(
        "link", name=re.compile(rf"^Direct naar wijk {re.escape(facts['wijk_name'])}")
    ).click()
    expect(page).to_have_url(re.compile(re.escape(facts["wijk_url"]) + "$"))
    page.get_by_role("main").get_by_role(
        "link", name=facts["amended_experiment_title"]
    ).first.click()
    expect(page).to_have_url(re.compile(re.escape(facts["amended_experiment_url"]) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(facts["amended_experiment_title"])

    # From there the header's search field, by keyboard only, leads back into the search.
    header_search = page.get_by_role("banner").get_by_role(
        "searchbox", name="Zoeken in het Kennisloket"
    )
    header_search.focus()
    page.keyboard.type("gezinscoach")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/zoeken/\?q=gezinscoach$"))
    expect(page.locator(".results .result").first).to_be_visible()


def test_search_with_facets_chips_paging_and_back(page: Page, site, screenshots):
    gezondheid = [("thema", "gezondheid")]
    two_themes = gezondheid + [("thema", "veiligheid")]
    narrowed = two_themes + [("gemeente", "amsterdam")]
    everything = search_json(site, [])["total"]
    totals = {
        key: search_json(site, params)["total"]
        for key, params in {"one": gezondheid, "two": two_themes, "narrowed": narrowed}.items()
    }
    # The journey needs a second page once a chip is removed, and the gemeente to narrow it.
    assert totals["two"] > 20 and totals["narrowed"] < totals["two"] < everything, totals

    page.goto("/zoeken/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect_total(page, everything)
    expect(page.locator(CHIPS)).to_have_count(0)
    # With JavaScript every step updates this page in place: a marker on the window survives
    # only if no step fell back to loading a whole new page.
    assert js_enhanced(page), "static/js/search.js did not take over the search form"
    page.evaluate("window.stillTheSamePage = true")

    tick(page, "Thema", "Gezondheid", gezondheid)
    expect_total(page, totals["one"])
    expect(chip(page, "Thema", "Gezondheid")).to_be_visible()

    tick(page, "Thema", "Veiligheid", two_themes)
    expect_total(page, totals["two"])  # values of one facet widen the search (OR)

    tick(page, "Gemeente", "Amsterdam", narrowed)
    expect_total(page, totals["narrowed"])  # another facet narrows it (AND)
    expect(page.locator(CHIPS)).to_have_count(3)
    for facet, value in (
        ("Thema", "Gezondheid"),
        ("Thema", "Veiligheid"),
        ("Gemeente", "Amsterdam"),
    ):
        expect(chip(page, facet, value)).to_be_visible()
        expect(facet_checkbox(page, facet, value)).to_be_checked()
    screenshots(page, "search-filters")

    # Remove the gemeente chip: back to the two themes, with a second page of results.
    chip(page, "Gemeente", "Amsterdam").click()
    wait_for_state(page, two_themes)
    expect_total(page, totals["two"])
    expect(page.locator(CHIPS)).to_have_count(2)
    expect(facet_checkbox(page, "Gemeente", "Amsterdam")).not_to_be_checked()
    first_page_titles = titles(page)
    assert len(first_page_titles) == 20

    pages = page.get_by_role("navigation").filter(
        has=page.get_by_role("link", name="2", exact=True)
    )
    pages.get_by_role("link", name="2", exact=True).click()
    wait_for_state(page, two_themes + [("page", "2")])
    expect(page.locator(".results")).to_have_attribute("start", "21")
    expect(page.locator(".results .result")).to_have_count(min(20, totals["two"] - 20))
    second_page_titles = titles(page)
    assert not set(second_page_titles) & set(first_page_titles)
    expect(page.locator(CHIPS)).to_have_count(2)
    screenshots(page, "search-page-2")

    page.go_back()
    wait_for_state(page, two_themes)
    expect_total(page, totals["two"])
    expect(page.locator(".results .result")).to_have_count(20)
    assert titles(page) == first_page_titles
    expect(page.locator(CHIPS)).to_have_count(2)
    expect(facet_checkbox(page, "Thema", "Gezondheid")).to_be_checked()
    expect(facet_checkbox(page, "Thema", "Veiligheid")).to_be_checked()
    expect(facet_checkbox(page, "Gemeente", "Amsterdam")).not_to_be_checked()

    page.go_back()  # and once more: the three filters again
    wait_for_state(page, narrowed)
    expect_total(page, totals["narrowed"])
    expect(page.locator(CHIPS)).to_have_count(3)
    expect(facet_checkbox(page, "Gemeente", "Amsterdam")).to_be_checked()
    assert page.evaluate("window.stillTheSamePage === true"), "a step reloaded the whole page"


def test_search_without_javascript_submits_the_form(no_js_page: Page, site, screenshots):
    page = no_js_page
    both = [("thema", "wonen"), ("gemeente", "arnhem")]
    total_both = search_json(site, both)["total"]
    total_wonen = search_json(site, both[:1])["total"]
    everything = search_json(site, [])["total"]
    assert total_both < total_wonen < everything

    page.goto("/zoeken/")
    expect_total(page, everything)
    facet_checkbox(page, "Thema", "Wonen").check()
    facet_checkbox(page, "Gemeente", "Arnhem").check()
    expect_total(page, everything)  # nothing happens until the form is sent
    page.get_by_role("button", name=APPLY).click()
    wait_for_state(page, both)
    expect_total(page, total_both)
    expect(page.locator(CHIPS)).to_have_count(2)
    expect(chip(page, "Thema", "Wonen")).to_be_visible()
    expect(chip(page, "Gemeente", "Arnhem")).to_be_visible()
    screenshots(page, "search-no-javascript")

    chip(page, "Gemeente", "Arnhem").click()
    wait_for_state(page, both[:1])
    expect_total(page, total_wonen)
    expect(page.locator(CHIPS)).to_have_count(1)
    expect(facet_checkbox(page, "Gemeente", "Arnhem")).not_to_be_checked()
    expect(facet_checkbox(page, "Thema", "Wonen")).to_be_checked()


# --- 2. An experiment and its history ------------------------------------------------------------


def test_open_an_experiment_and_read_its_history(page: Page, site, screenshots):
    facts = site.facts
    page.goto("/experimenten/")  # the experiments by gemeente
    page.get_by_role("main").get_by_role(
        "link", name=facts["amended_experiment_gemeente"], exact=True
    ).click()
    page.get_by_role("link", name=facts["amended_experiment_title"]).first.click()
    expect(page).to_have_url(re.compile(re.escape(facts["amended_experiment_url"]) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(facts["amended_experiment_title"])
    expect(page.get_by_text(facts["amended_experiment_number"]).first).to_be_visible()

    history = page.get_by_role("region", name="Geschiedenis")
    expect(history).to_be_visible()
    expect(history).to_contain_text(f"Geregistreerd als {facts['amended_experiment_number']}")
    amendments = history.locator(".amendment")
    expect(amendments).not_to_have_count(0)
    amendment = amendments.last  # the newest: the one tests/browser/prepare_site.py published
    expect(amendment.get_by_role("heading")).to_contain_text("Gewijzigd op")
    summary_change = amendment.locator('[data-field="summary"]')
    expect(summary_change).to_contain_text("Samenvatting")
    expect(summary_change.locator("ins")).to_contain_text("spreekuur")  # what was added
    # The full text before and after sits behind a disclosure.
    summary_change.get_by_text("Volledige tekst voor en na").click()
    expect(summary_change.locator(".change__old")).to_have_text(facts["amended_old_summary"])
    expect(summary_change.locator(".change__new")).to_have_text(facts["amended_new_summary"])
    history.scroll_into_view_if_needed()
    screenshots(page, "experiment-history")

    # The registration as first published, at its own stable address.
    history.get_by_role("link", name=re.compile("registratie zoals")).click()
    expect(page).to_have_url(re.compile(r"/registratie/$"))
    expect(page.get_by_text(facts["original_summary"]).first).to_be_visible()
    expect(page.get_by_text("spreekuur in het buurthuis")).to_have_count(0)
    screenshots(page, "experiment-original-registration")


# --- 3. A question on the loket ---------------------------------------------------------------


def test_ask_a_question_on_the_loket(page: Page, site, screenshots):
    page.goto("/loket/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Stel een vraag")
    page.get_by_role("button", name="Vraag versturen").click()

    # Sent empty: the error summary, linking to each field that needs attention.
    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading")).to_have_text("Er is een probleem")
    expect(summary).to_be_focused()  # read out first; the next Tab reaches its first link
    expect(page).to_have_title(re.compile(r"^Fout"))
    links = summary.get_by_role("link")
    expect(links).not_to_have_count(0)
    targets = []
    for link in links.all():
        href = link.get_attribute("href")
        assert href and href.startswith("#"), href
        field = page.locator(href)
        expect(field, f"the error link {href} points at no field").to_have_count(1)
        expect(field).to_have_attribute("aria-invalid", "true")
        # The field's own error message is tied to it for screen readers.
        described_by = field.get_attribute("aria-describedby") or ""
        assert f"{href[1:]}_error" in described_by.split(), (href, described_by)
        targets.append(href)
    assert {"#id_name", "#id_email", "#id_theme", "#id_question", "#id_consent"} <= set(targets), (
        targets
    )
    screenshots(page, "loket-errors")

    # Following a link in the summary takes the user to that field, ready to type.
    summary.locator('a[href="#id_question"]').click()
    expect(page.locator("#id_question")).to_be_focused()

    page.get_by_label("Naam").fill("Petra de Vries")
    page.get_by_label("E-mailadres").fill("petra@example.org")
    page.get_by_label("Thema").select_option(label="Veiligheid")
    page.get_by_label("Uw vraag").fill("Welke aanpak werkt tegen overlast in portiekflats?")
    page.get_by_role("checkbox", name=re.compile("privacyverklaring")).check()
    page.get_by_role("button", name="Vraag versturen").click()

    expect(page).to_have_url(re.compile(r"/loket/bedankt/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Bedankt voor uw vraag")
    # Veiligheid goes to the CCV (the default theme routes).
    expect(page.locator("#answered-by")).to_contain_text(
        "Centrum voor Criminaliteitspreventie en Veiligheid"
    )
    expect(page.locator("#answered-by")).to_contain_text("CCV")
    screenshots(page, "loket-thanks")


# --- 4. Admin: register, submit, approve, find ------------------------------------------------------


def _field(page: Page, role: str, label: str):
    """An admin form field by its label (Wagtail adds "*" to required ones)."""
    return page.get_by_role(role, name=re.compile("^" + re.escape(label) + r"\*?$"))


def _mail_texts(site) -> str:
    """The site's mails as read by a mail program: decoded subject, recipients and body. (Django's
    file backend writes each connection's messages to one file, separated by a line of dashes.)"""
    texts = []
    for raw in (
        m for file in site.mails() for m in file.split("\n" + "-" * 79 + "\n") if m.strip()
    ):
        message = message_from_string(raw, policy=policy.default)
        texts.append(f"To: {message['To']}\nSubject: {message['Subject']}\n{message.get_content()}")
    return "\n".join(texts)


def _log_in(page: Page, username: str, password: str, totp_key: str | None = None) -> None:
    """Log in to the admin; with `totp_key` (hex, the authenticator app's key) also the second
    step, with the code the app would show now."""
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/admin/login/"))
    page.get_by_label("Gebruikersnaam").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    if totp_key:
        expect(page).to_have_url(re.compile(r"/admin/2fa/\?next="))
        expect(page.get_by_role("heading", level=1)).to_have_text("Tweestapsverificatie")
        page.get_by_label("Code").fill(f"{TOTP(bytes.fromhex(totp_key)).token():06d}")
        page.get_by_role("button", name="Verder").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def test_editor_registers_moderator_approves_search_finds(new_page, site, screenshots):
    facts = site.facts
    title = "Buurtbemiddelaar Zwaluwstaartflat"
    word = "Zwaluwstaartflat"
    editor = new_page()
    _log_in(editor, facts["editor"], facts["password"])

    # The gemeente's own section, and "add a child page" there (one page type: Experiment).
    editor.goto(f"/admin/pages/{facts['experiments_parent_id']}/")
    expect(editor.get_by_role("heading", level=1)).to_contain_text(facts["editor_gemeente"])
    editor.goto(f"/admin/pages/{facts['experiments_parent_id']}/add_subpage/")
    expect(editor).to_have_url(re.compile(r"/admin/pages/add/experiments/experimentpage/\d+/$"))

    # Basis
    _field(editor, "textbox", "Titel").fill(title)
    _field(editor, "textbox", "Samenvatting").fill(
        "Een getrainde buurtbemiddelaar per flat helpt buren hun ruzies zelf op te lossen."
    )
    editor.get_by_role("button", name="Kies experimenttype").click()
    chooser = editor.get_by_role("dialog")
    chooser.get_by_role("link", name="Stadsmarinier").click()
    expect(chooser).to_be_hidden()
    expect(editor.locator("#id_experiment_type-title")).to_have_text("Stadsmarinier")
    _field(editor, "listbox", "Wijken").select_option(label="Crooswijk")
    _field(editor, "listbox", "Thema's").select_option(label="Veiligheid")
    _field(editor, "combobox", "Status").select_option(label="lopend")
    _field(editor, "textbox", "Startdatum").fill("2026-09-01")
    _field(editor, "textbox", "Geplande einddatum").fill("2027-09-01")
    # Close the date pickers (Escape does not) with a click beside them, and wait until they
    # are gone: on a busy machine one still open took the next click.
    editor.get_by_text("Verplicht zodra het experiment loopt.").click()
    expect(editor.locator(".xdsoft_datetimepicker:visible")).to_have_count(0)
    # Aanpak
    editor.get_by_role("tab", name="Aanpak").click()
    expect(editor.get_by_role("tab", name="Aanpak")).to_have_attribute("aria-selected", "true")
    _field(editor, "textbox", "Doelgroep").fill("Bewoners van portiekflats in Crooswijk")
    # Contact en documenten
    editor.get_by_role("tab", name="Contact en documenten").click()
    _field(editor, "textbox", "Contactpersoon").fill("Gea Gemeente")
    _field(editor, "textbox", "E-mailadres contactpersoon").fill(
        "krachtwijken@rotterdam.example.org"
    )
    # Eigenschappen: the address of the page filled itself from the title.
    editor.get_by_role("tab", name="Eigenschappen").click()
    expect(_field(editor, "textbox", "Slug")).to_have_value("buurtbemiddelaar-zwaluwstaartflat")
    editor.get_by_role("tab", name="Basis").click()
    screenshots(editor, "admin-editor-new-experiment")

    # An editor may not publish: the form offers "send to moderation" instead.
    editor.get_by_role("button", name="Meer acties").click()
    expect(editor.get_by_role("button", name=re.compile(r"^Publiceer"))).to_have_count(0)
    editor.get_by_role("button", name="Stuur door naar Moderatie Kennisloket").click()
    expect(editor).to_have_url(re.compile(rf"/admin/pages/{facts['experiments_parent_id']}/$"))
    # The admin names a registration with its gemeente (and, once published, its number).
    label = f"{title} ({facts['editor_gemeente']})"
    expect(editor.get_by_text(f"Pagina '{label}' aangemaakt en ingediend")).to_be_visible()
    screenshots(editor, "admin-editor-submitted")

    # Not public yet.
    editor.goto(f"/zoeken/?q={word}")
    expect_total(editor, 0)
    mails = _mail_texts(site)
    assert (
        f"De pagina '{label}' is ter goedkeuring" in mails and "To: moderator@example.org" in mails
    )

    # The moderator approves it from the dashboard.
    moderator = new_page()
    _log_in(moderator, facts["moderator"], facts["password"], facts["moderator_totp_key"])
    row = moderator.get_by_role("row").filter(has=moderator.get_by_role("link", name=title))
    expect(row).to_have_count(1)
    screenshots(moderator, "admin-moderator-dashboard")
    row.get_by_role("button", name="Acties").click()
    row.get_by_role("button", name="Goedkeuren", exact=True).click()
    expect(row).to_have_count(0)
    assert re.search(
        rf"De pagina 'KW-\d{{4}}-\d{{4}} · {re.escape(label)}' is goedgekeurd", _mail_texts(site)
    )

    # And the search finds it, registered with a number.
    public = new_page()
    public.goto("/zoeken/")
    public.get_by_role("searchbox", name=re.compile("Zoek naar")).fill(word)
    public.get_by_role("searchbox", name=re.compile("Zoek naar")).press("Enter")
    expect_total(public, 1)
    result = public.locator(".results .result").first
    expect(result.get_by_role("link", name=title)).to_be_visible()
    expect(result).to_contain_text(re.compile(r"KW-\d{4}-\d{4}"))
    screenshots(public, "search-finds-approved-experiment")
    result.get_by_role("link", name=title).click()
    expect(public.get_by_role("heading", level=1)).to_have_text(title)
    expect(public.get_by_role("region", name="Geschiedenis")).to_contain_text(
        "Geregistreerd als KW-"
    )


# --- On a phone ----------------------------------------------------------------------------------


def test_search_on_a_phone(phone_page: Page, site):
    """On a phone the filters fold away behind "Filters"; opened, a facet works as on a desktop."""
    page = phone_page
    params = [("type", "experiment")]
    total = search_json(site, params)["total"]
    page.goto("/zoeken/")
    box = facet_checkbox(page, "Type", "Experiment")
    expect(box).to_be_hidden()  # folded away, so the results come first
    page.get_by_text("Filters", exact=True).click()
    expect(box).to_be_visible()
    save_phone_screenshot(page, "phone-search-filters-open")
    tick(page, "Type", "Experiment", params)
    expect_total(page, total)
    expect(chip(page, "Type", "Experiment")).to_be_visible()
    save_phone_screenshot(page, "phone-search-result")
