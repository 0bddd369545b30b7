"""The monitor's admin screens: entering one value, and importing a CSV or XLSX file with a
preview, per-row Dutch errors, and one transaction on confirmation; only for whoever may
edit the plan."""

import io
import re

import openpyxl
import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import GroupPagePermission

from programme.models import IndicatorValue
from tests.factories import NeighbourhoodActionPlanPageFactory
from tests.helpers import log_in
from tests.roles_helpers import assert_refused, make_user

pytestmark = pytest.mark.django_db


def editors_of(section, name):
    """A group that may edit the pages of `section` (a gemeente's /wijkactieplannen/ page)."""
    group = Group.objects.create(name=name)
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in ("add_page", "change_page"):
        GroupPagePermission.objects.create(
            group=group, page=section, permission=Permission.objects.get(codename=codename)
        )
    return group


@pytest.fixture
def plan():
    return NeighbourhoodActionPlanPageFactory(published=True)  # goal "werkloosheid"


@pytest.fixture
def editor(client, plan):
    log_in(client, make_user("rotterdam-monitor", editors_of(plan.get_parent(), "Rotterdam")))
    return client


def monitor_url(plan):
    return reverse("programme_monitor", args=[plan.id])


def import_url(plan):
    return reverse("programme_monitor_import", args=[plan.id])


def upload(client, plan, name, data):
    return client.post(import_url(plan), {"file": SimpleUploadedFile(name, data)})


def confirm(client, plan, response):
    signed = re.search(r'name="rows" value="([^"]+)"', response.content.decode())[1]
    return client.post(import_url(plan), {"rows": signed, "confirm": "1"})


def values(plan):
    return {
        (v.indicator_code, v.year): (str(v.value), v.source)
        for v in IndicatorValue.objects.filter(plan=plan)
    }


def test_editors_of_the_gemeente_enter_a_value_with_a_decimal_comma(editor, plan):
    page = editor.get(monitor_url(plan))
    assert page.status_code == 200 and "werkloosheid" in page.content.decode()
    form = {"indicator": "werkloosheid", "year": 2009, "value": "12,5", "source": "CBS"}
    assert editor.post(monitor_url(plan), form).status_code == 302
    editor.post(monitor_url(plan), form | {"value": "12,25", "source": "CBS 2010"})
    assert values(plan) == {("werkloosheid", 2009): ("12.25", "CBS 2010")}
    assert IndicatorValue.objects.get(plan=plan).entered_by.username == "rotterdam-monitor"
    # The plan's editor and listing lead there.
    edit = editor.get(reverse("wagtailadmin_pages:edit", args=[plan.id])).content.decode()
    assert monitor_url(plan) in edit


def test_another_gemeente_may_not(client, plan):
    other = NeighbourhoodActionPlanPageFactory(gemeente="utrecht", wijk="kanaleneiland")
    log_in(client, make_user("utrecht-monitor", editors_of(other.get_parent(), "Utrecht")))
    assert_refused(client.get(monitor_url(plan)))
    form = {"indicator": "werkloosheid", "year": 2009, "value": "12", "source": "CBS"}
    assert_refused(client.post(monitor_url(plan), form))
    assert_refused(upload(client, plan, "w.csv", b"indicator;jaar;waarde;bron\n"))
    assert not values(plan)


def test_a_csv_file_is_previewed_then_saved_in_one_go(editor, plan):
    IndicatorValue.objects.create(
        plan=plan, indicator_code="werkloosheid", year=2009, value=13, source="oud"
    )
    data = (
        "Indicator;Jaar;Waarde;Bron;Toelichting\r\n"
        "werkloosheid;2009;12,5;CBS;herzien\r\n"
        "werkloosheid;2011;1.011,75;CBS;\r\n"
        ";;;;\r\n"
    ).encode("utf-8-sig")
    preview = upload(editor, plan, "monitor.csv", data)
    html = preview.content.decode()
    assert re.findall(r'data-action="(\w+)"', html) == ["changed", "added"]
    assert "was 13 (oud)" in html and "1 nieuwe waarden, 1 gewijzigde waarden" in html
    assert values(plan) == {("werkloosheid", 2009): ("13.00", "oud")}  # nothing saved yet
    assert confirm(editor, plan, preview).status_code == 302
    assert values(plan) == {
        ("werkloosheid", 2009): ("12.50", "CBS"),
        ("werkloosheid", 2011): ("1011.75", "CBS"),
    }


def test_an_xlsx_file_with_numbers_and_text(editor, plan):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["indicator", "jaar", "waarde", "bron"])
    sheet.append(["werkloosheid", 2010, 11.5, "CBS"])
    sheet.append(["werkloosheid", "2012", "10,25", "CBS"])
    data = io.BytesIO()
    workbook.save(data)
    preview = upload(editor, plan, "monitor.xlsx", data.getvalue())
    assert re.findall(r'data-action="(\w+)"', preview.content.decode()) == ["added", "added"]
    confirm(editor, plan, preview)
    assert values(plan) == {
        ("werkloosheid", 2010): ("11.50", "CBS"),
        ("werkloosheid", 2012): ("10.25", "CBS"),
    }


def test_every_wrong_row_is_named_and_nothing_is_saved(editor, plan):
    data = (
        b"indicator,jaar,waarde,bron\n"
        b"werkloosheid,2009,12,CBS\n"
        b"armoede,2009,3,CBS\n"
        b"werkloosheid,1850,12,CBS\n"
        b"werkloosheid,2010,veel,CBS\n"
        b"werkloosheid,2009,11,CBS\n"
        b"werkloosheid,2011,11,\n"
        b'werkloosheid,2012,"1.234",CBS\n'
        b"werkloosheid,2013,12.345,CBS\n"
        b'werkloosheid,2014,"12,345",CBS\n'
    )
    html = upload(editor, plan, "monitor.csv", data).content.decode()
    errors = re.findall(r"<li>(Rij \d+: .*?)</li>", html)
    assert errors == [
        "Rij 3: de indicator “armoede” is niet een van de doelen van dit plan (werkloosheid).",
        "Rij 4: het jaar 1850 ligt niet tussen 1990 en 2026.".replace(
            "2026", str(__import__("datetime").date.today().year)
        ),
        "Rij 5: de waarde “veel” is geen getal.",
        "Rij 6: werkloosheid 2009 staat twee keer in het bestand (ook in rij 2).",
        "Rij 7: de cel “bron” is leeg.",
        "Rij 8: de waarde “1.234” is op twee manieren te lezen: schrijf een decimale komma "
        "(1,234) of laat de duizendtallenpunt weg (1234).",
        "Rij 9: de waarde “12.345” is op twee manieren te lezen: schrijf een decimale komma "
        "(1,234) of laat de duizendtallenpunt weg (1234).",
        "Rij 10: de waarde “12,345” heeft meer dan twee decimalen.",
    ]
    assert 'name="rows"' not in html
    assert not values(plan)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "monitor.csv",
            b"code;jaar;waarde\nwerkloosheid;2009;12\n",
            "(ontbrekende kolommen: indicator, bron; onbekende kolommen: code)",
        ),
        ("monitor.txt", b"indicator;jaar;waarde;bron\n", "is geen CSV- of Excel-bestand"),
        ("monitor.csv", b"MZ\x90\x00\x03\x00\x00\x00", "is niet die van een CSV- of Excel-bestand"),
        (
            "monitor.xlsx",
            b"indicator;jaar;waarde;bron\n",
            "is niet die van een CSV- of Excel-bestand",
        ),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_as_a_whole(editor, plan, name, data, message):
    html = upload(editor, plan, name, data).content.decode()
    assert message in html and 'name="rows"' not in html


def test_a_file_too_large_is_refused(editor, plan, settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1024
    data = b"indicator;jaar;waarde;bron\n" + b"werkloosheid;2009;12;CBS\n" * 100
    assert "is groter dan 1,0\xa0KB" in upload(editor, plan, "monitor.csv", data).content.decode()


def test_a_tampered_preview_is_not_saved(editor, plan):
    response = editor.post(import_url(plan), {"rows": "x:y:z", "confirm": "1"})
    assert response.status_code == 302 and not values(plan)
