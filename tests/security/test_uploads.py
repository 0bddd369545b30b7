"""Uploads, with real file bytes: only documents and images whose content is what the extension
says; documents served as attachments (inline only a real PDF) with nosniff; nothing public
because it was uploaded; another section's files refused on a page; media served with
DEBUG=false, respecting all of that."""

import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, PageViewRestriction
from wagtail.models.pages import get_page_models

from editorial.models import SectionGroup
from experiments.models import ExperimentDocument
from security.forms import MediaCheckedPageForm
from security.models import PublicCollection
from tests.factories import ExperimentPageFactory
from tests.helpers import experiment_form_data, log_in
from tests.roles_helpers import moderator, municipality_editor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def roles(db):
    """The groups, collections and workflow setup_roles makes."""
    from editorial.setup import setup_roles

    setup_roles()


Document = get_document_model()
Image = get_image_model()

# --- Real file bytes ---------------------------------------------------------------------------

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
# The start of a Windows program: "MZ", the DOS stub and its message.
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 48
    + b"This program cannot be run in DOS mode.\r\r\n$"
    + b"\x00" * 400
)


def _zip(members: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            archive.writestr(
                name,
                data,
                compress_type=zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED,
            )
    return buffer.getvalue()


DOCX = _zip(
    [
        ("[Content_Types].xml", b"<Types/>"),
        ("_rels/.rels", b"<Relationships/>"),
        ("word/document.xml", b"<w:document/>"),
    ]
)
DOCM_AS_DOCX = _zip(
    [
        ("[Content_Types].xml", b"<Types/>"),
        ("word/document.xml", b"<w:document/>"),
        ("word/vbaProject.bin", b"\x00macro"),
    ]
)
ODT = _zip(
    [
        ("mimetype", b"application/vnd.oasis.opendocument.text"),
        ("content.xml", b"<office:document/>"),
        ("META-INF/manifest.xml", b"<manifest/>"),
    ]
)
CSV = b"gemeente;wijk;aantal\nRotterdam;Crooswijk;12\nAmsterdam;Slotervaart;9\n"


def _png(size=(8, 8)) -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", size, (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def _gif_with_a_bad_body() -> bytes:
    good = io.BytesIO()
    PILImage.new("P", (40, 40), 3).save(good, "GIF")
    data = good.getvalue()
    return (
        data[:40] + b"\xde\xad\xbe\xef" * 20 + b";"
    )  # the header and screen descriptor, then garbage


def collection_of(slug) -> Collection:
    return SectionGroup.objects.get(municipality__slug=slug).collection


def _upload_document(client, name, data, collection):
    return client.post(
        reverse("wagtaildocs:add"),
        {
            "title": name,
            "file": SimpleUploadedFile(name, data),
            "collection": collection.pk,
            "tags": "",
        },
    )


def make_document(name, data, collection) -> Document:
    return Document.objects.create(
        title=name, file=ContentFile(data, name=name), collection=collection
    )


def make_image(collection, name="foto.png") -> Image:
    return Image.objects.create(
        title=name, file=ContentFile(_png(), name=name), collection=collection
    )


@pytest.fixture
def mod_client():
    client = Client()
    log_in(client, moderator("mo"))
    return client


# --- What is accepted ----------------------------------------------------------------------------


def test_an_executable_renamed_to_pdf_is_refused_with_a_clear_message(mod_client):
    before = Document.objects.count()
    response = _upload_document(mod_client, "virus.pdf", EXE, collection_of("rotterdam"))
    assert response.status_code == 200
    text = response.content.decode()
    assert (
        "De inhoud van “virus.pdf” is niet die van een PDF-document: het lijkt op een Windows-programma"
        in text
    )
    assert Document.objects.count() == before


@pytest.mark.parametrize(
    "name,data",
    [
        ("verslag.pdf", PDF),
        ("verslag.docx", DOCX),
        ("notulen.odt", ODT),
        ("cijfers.csv", CSV),
    ],
)
def test_real_documents_are_accepted(mod_client, name, data):
    response = _upload_document(mod_client, name, data, collection_of("rotterdam"))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Document.objects.filter(title=name).exists()


@pytest.mark.parametrize(
    "name,data",
    [
        ("verslag.docx", ODT),  # another document type
        ("macro.docx", DOCM_AS_DOCX),  # macros make it a program
        ("tabel.csv", b"<html><script>alert(1)</script></html>"),
        ("tabel.csv", EXE),
        ("notulen.odt", DOCX),
        ("leeg.pdf", b""),
    ],
)
def test_content_that_does_not_fit_its_extension_is_refused(mod_client, name, data):
    response = _upload_document(mod_client, name, data, collection_of("rotterdam"))
    assert response.status_code == 200
    assert not Document.objects.filter(title=name).exists()


def test_the_multiple_upload_checks_the_content_too(mod_client):
    response = mod_client.post(
        reverse("wagtaildocs:add_multiple"),
        {
            "files[]": SimpleUploadedFile("virus.pdf", EXE),
            "collection": collection_of("rotterdam").pk,
        },
    )
    assert response.status_code == 200
    payload = response.json()
    assert payload["success"] is False
    assert "Windows-programma" in payload["error_message"]
    assert not Document.objects.filter(title="virus.pdf").exists()


def test_a_gif_with_a_bad_body_gets_a_form_error_not_a_server_error(mod_client):
    bad = _gif_with_a_bad_body()
    response = mod_client.post(
        reverse("wagtailimages:add"),
        {
            "title": "kapot",
            "file": SimpleUploadedFile("kapot.gif", bad, content_type="image/gif"),
            "collection": collection_of("rotterdam").pk,
            "tags": "",
        },
    )
    assert response.status_code == 200
    assert "beschadigd" in response.content.decode()
    multiple = mod_client.post(
        reverse("wagtailimages:add_multiple"),
        {
            "files[]": SimpleUploadedFile("kapot.gif", bad, content_type="image/gif"),
            "collection": collection_of("rotterdam").pk,
        },
    )
    assert multiple.status_code == 200 and multiple.json()["success"] is False
    assert not Image.objects.filter(title__startswith="kapot").exists()


def test_a_good_image_is_accepted(mod_client):
    response = mod_client.post(
        reverse("wagtailimages:add"),
        {
            "title": "buurthuis",
            "file": SimpleUploadedFile("buurthuis.png", _png(), content_type="image/png"),
            "collection": collection_of("rotterdam").pk,
            "tags": "",
        },
    )
    assert response.status_code == 302
    assert Image.objects.filter(title="buurthuis").exists()


# --- Serving documents ------------------------------------------------------------------------------


def _publish_with_document(document, **fields):
    page = ExperimentPageFactory(title="Experiment met bijlage", **fields)
    page.documents = [ExperimentDocument(document=document)]
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def test_an_uploaded_document_is_public_only_while_a_live_public_page_uses_it(client):
    document = make_document("bijlage.pdf", PDF, collection_of("rotterdam"))
    assert client.get(document.url).status_code == 404  # just uploaded

    page = ExperimentPageFactory(title="Concept met bijlage")
    page.documents = [ExperimentDocument(document=document)]
    page.save_revision()  # a draft (waiting for moderation) makes nothing public
    assert client.get(document.url).status_code == 404

    page.get_latest_revision().publish()
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")  # a real PDF may show inline
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF

    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(document.url).status_code == 404  # a private page makes nothing public
    PageViewRestriction.objects.filter(page=page).delete()
    page.refresh_from_db()
    page.unpublish()
    assert client.get(document.url).status_code == 404


def test_a_public_document_is_served_with_honest_headers(client):
    """No "Content-Encoding: None" or empty ETag (issue 16): a cache and a browser may rely on
    what the headers say, and a second request with the ETag costs no bytes."""
    document = make_document("verslag 2026.pdf", PDF, collection_of("rotterdam"))
    assert document.file_hash == ""  # made outside Wagtail's upload form, like the demo's
    _publish_with_document(document)
    response = client.get(f"/documenten/{document.pk}/{document.filename}")
    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["Content-Length"] == str(len(PDF))
    assert response["Last-Modified"].endswith("GMT")
    document.refresh_from_db()
    assert document.file_hash and response["ETag"] == f'"{document.file_hash}"'
    assert b"".join(response.streaming_content) == PDF

    again = client.get(document.url, headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("name,data", [("cijfers.csv", CSV), ("verslag.docx", DOCX)])
def test_other_documents_are_served_as_attachments(client, name, data):
    document = make_document(name, data, collection_of("rotterdam"))
    _publish_with_document(document)
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_public_collection_makes_its_files_public_at_once(client):
    shared = Collection.get_first_root_node().add_child(name="Openbaar")
    document = make_document("handreiking.pdf", PDF, shared)
    assert client.get(document.url).status_code == 404
    PublicCollection.objects.create(collection=shared)
    assert client.get(document.url).status_code == 200


def test_editors_see_their_own_collections_files_but_not_other_gemeenten(client):
    document = make_document("concept.pdf", PDF, collection_of("rotterdam"))
    log_in(client, municipality_editor("rotterdam", "redacteur-r"))
    assert client.get(document.url).status_code == 200
    other = Client()
    log_in(other, municipality_editor("amsterdam", "redacteur-a"))
    assert other.get(document.url).status_code == 404


def test_the_admin_api_lists_only_the_documents_an_editor_may_choose(client):
    own = make_document("eigen.pdf", PDF, collection_of("rotterdam"))
    foreign = make_document("andermans.pdf", PDF, collection_of("amsterdam"))
    log_in(client, municipality_editor("rotterdam", "redacteur-r"))
    response = client.get("/admin/api/main/documents/")
    assert response.status_code == 200
    assert (
        response.json()["meta"]["total_count"]
        == Document.objects.filter(collection=collection_of("rotterdam")).count()
    )
    assert client.get(f"/admin/api/main/documents/{own.pk}/").status_code == 200
    assert client.get(f"/admin/api/main/documents/{foreign.pk}/").status_code == 404


# --- Serving images (renditions) with DEBUG=false ------------------------------------------------------


def test_renditions_are_served_with_debug_off_and_only_once_public(client, settings):
    assert settings.DEBUG is False
    image = make_image(collection_of("rotterdam"))
    rendition = image.get_rendition("fill-40x40")
    assert client.get(rendition.url).status_code == 404

    page = ExperimentPageFactory(title="Experiment met foto", image=image)
    assert client.get(rendition.url).status_code == 404  # a draft only
    page.save_revision().publish()
    response = client.get(rendition.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "public" in response["Cache-Control"]
    PILImage.open(io.BytesIO(b"".join(response.streaming_content))).verify()

    # Originals never go to the public, documents never straight from the media folder.
    assert client.get("/media/" + image.file.name).status_code == 404
    document = make_document("bijlage.pdf", PDF, collection_of("rotterdam"))
    assert client.get("/media/" + document.file.name).status_code == 404
    assert client.get("/media/../../etc/passwd").status_code == 404


def test_an_editor_sees_their_drafts_images_and_originals(client):
    image = make_image(collection_of("rotterdam"))
    rendition = image.get_rendition("fill-40x40")
    log_in(client, municipality_editor("rotterdam", "redacteur-r"))
    response = client.get(rendition.url)
    assert response.status_code == 200 and "private" in response["Cache-Control"]
    assert client.get("/media/" + image.file.name).status_code == 200
    other = Client()
    log_in(other, municipality_editor("amsterdam", "redacteur-a"))
    assert other.get(rendition.url).status_code == 404


# --- Another section's files on one's own page ----------------------------------------------------------


def test_an_editor_cannot_attach_another_gemeentes_image_by_posting_its_id(client):
    from experiments.models import ExperimentPage
    from tests.helpers import add_experiment_url, experiments_parent
    from vocabulary.models import Neighbourhood

    foreign = make_image(collection_of("amsterdam"), "amsterdam.png")
    own = make_image(collection_of("rotterdam"), "rotterdam.png")
    log_in(client, municipality_editor("rotterdam", "redacteur-r"))
    parent = experiments_parent("rotterdam")
    wijk = Neighbourhood.objects.get(municipality__slug="rotterdam", slug="crooswijk")

    response = client.post(
        add_experiment_url(parent), experiment_form_data([wijk], image=foreign.pk)
    )
    assert response.status_code == 200
    assert "“amsterdam.png” is in de collectie “Gemeente Amsterdam”" in response.content.decode()
    assert not ExperimentPage.objects.filter(slug="stadsmarinier-in-de-test").exists()

    response = client.post(add_experiment_url(parent), experiment_form_data([wijk], image=own.pk))
    assert response.status_code == 302
    assert ExperimentPage.objects.get(slug="stadsmarinier-in-de-test").image_id == own.pk


def test_an_editor_cannot_attach_another_gemeentes_document_in_the_documents_list(client):
    from wagtail.test.utils.form_data import inline_formset

    from experiments.models import ExperimentPage
    from tests.helpers import add_experiment_url, experiments_parent
    from vocabulary.models import Neighbourhood

    foreign = make_document("andermans.pdf", PDF, collection_of("amsterdam"))
    log_in(client, municipality_editor("rotterdam", "redacteur-r"))
    parent = experiments_parent("rotterdam")
    wijk = Neighbourhood.objects.get(municipality__slug="rotterdam", slug="crooswijk")
    data = experiment_form_data(
        [wijk], documents=inline_formset([{"document": foreign.pk, "title": ""}])
    )
    response = client.post(add_experiment_url(parent), data)
    assert response.status_code == 200
    assert "“andermans.pdf” is in de collectie “Gemeente Amsterdam”" in response.content.decode()
    assert not ExperimentPage.objects.filter(slug="stadsmarinier-in-de-test").exists()


def test_every_page_type_checks_the_media_it_is_given():
    unchecked = [
        m.__name__
        for m in get_page_models()
        if m is not Page and not issubclass(m.base_form_class, MediaCheckedPageForm)
    ]
    assert not unchecked, unchecked


def test_behind_nginx_the_bytes_go_by_x_accel_redirect_after_the_check(client, settings):
    from wagtail.utils.sendfile import _get_sendfile

    settings.SENDFILE_BACKEND = "security.sendfile_nginx"
    settings.SENDFILE_URL = "/protected-media"
    settings.SENDFILE_ROOT = str(settings.MEDIA_ROOT)
    _get_sendfile.clear()
    try:
        image = make_image(collection_of("rotterdam"))
        rendition = image.get_rendition("fill-40x40")
        assert client.get(rendition.url).status_code == 404  # still checked first
        ExperimentPageFactory(title="Met foto", image=image).save_revision().publish()
        response = client.get(rendition.url)
        assert response.status_code == 200
        assert response["X-Accel-Redirect"] == "/protected-media/" + rendition.file.name
        document = make_document("bijlage.pdf", PDF, collection_of("rotterdam"))
        _publish_with_document(document)
        assert (
            client.get(document.url)["X-Accel-Redirect"] == "/protected-media/" + document.file.name
        )
    finally:
        _get_sendfile.clear()


def test_what_a_moderator_put_on_the_page_stays_when_its_editor_saves_it(client):
    from vocabulary.models import Neighbourhood

    shared = make_image(collection_of("amsterdam"), "gedeeld.png")
    page = ExperimentPageFactory(
        title="Met een gedeelde foto", image=shared
    )  # placed by a moderator
    log_in(client, municipality_editor("rotterdam", "redacteur-r"))
    wijk = Neighbourhood.objects.get(municipality__slug="rotterdam", slug="crooswijk")
    data = experiment_form_data(
        [wijk],
        image=shared.pk,
        title=page.title,
        slug=page.slug,
        summary="Een nieuwe samenvatting.",
    )
    response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    page.refresh_from_db()
    assert page.get_latest_revision_as_object().summary == "Een nieuwe samenvatting."
