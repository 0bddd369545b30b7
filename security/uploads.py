"""What may be uploaded: a document or image is accepted only when its bytes are what its
extension says (an executable renamed virus.pdf is refused), from an allow-list of PDF,
OpenDocument and Office Open XML documents, CSV and the image types.

The checks read the file itself; the browser's Content-Type and the name prove nothing. The
forms here are Wagtail's upload forms with the check added (WAGTAILDOCS_DOCUMENT_FORM_BASE,
WAGTAILIMAGES_IMAGE_FORM_BASE), so the single upload, the multiple upload and the chooser's
upload all use it."""

import io
import os
import zipfile

from django import forms
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

ODF_TYPES = {
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
# The part every Office Open XML file of that kind has.
OOXML_MAIN_PARTS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}
# Macros make a document a program; the macro-enabled variants (.docm, ...) are not accepted.
OOXML_MACRO_PARTS = ("word/vbaProject.bin", "xl/vbaProject.bin", "ppt/vbaProject.bin")
CSV_SAMPLE = 64 * 1024

KIND_LABELS = {
    "pdf": _("a PDF document"),
    "odt": _("an OpenDocument text"),
    "ods": _("an OpenDocument spreadsheet"),
    "odp": _("an OpenDocument presentation"),
    "docx": _("a Word document (docx)"),
    "xlsx": _("an Excel workbook (xlsx)"),
    "pptx": _("a PowerPoint presentation (pptx)"),
    "csv": _("a CSV file"),
}


def _head(file, size: int) -> bytes:
    file.seek(0)
    data = file.read(size)
    file.seek(0)
    return data


def _zip(file) -> zipfile.ZipFile | None:
    try:
        file.seek(0)
        return zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, ValueError):
        return None


def _is_pdf(file) -> bool:
    return _head(file, 5) == b"%PDF-"


def _is_odf(file, mime: str) -> bool:
    archive = _zip(file)
    try:
        if archive is None or not archive.namelist() or archive.namelist()[0] != "mimetype":
            return False
        return archive.read("mimetype").strip() == mime.encode()
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError):
        return False
    finally:
        file.seek(0)


def _is_ooxml(file, main_part: str) -> bool:
    archive = _zip(file)
    try:
        if archive is None:
            return False
        names = set(archive.namelist())
        return (
            "[Content_Types].xml" in names
            and main_part in names
            and not names & set(OOXML_MACRO_PARTS)
        )
    finally:
        file.seek(0)


def _is_csv(file) -> bool:
    sample = _head(file, CSV_SAMPLE)
    if b"\x00" in sample:
        return False
    try:
        text = sample.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start < len(sample) - 4:  # not just a character cut off at the end of the sample
            try:
                text = sample.decode("cp1252")
            except UnicodeDecodeError:
                return False
        else:
            text = sample[: exc.start].decode("utf-8-sig")
    # Markup is not data: a browser or a spreadsheet could run it.
    return not text.lstrip().startswith("<")


def looks_like(file) -> str | None:
    """What a refused file seems to be, for the message (None: nothing we recognise)."""
    head = _head(file, 512)
    if head.startswith(b"MZ"):
        return str(_("a Windows program"))
    if head.startswith(b"\x7fELF"):
        return str(_("a Linux program"))
    if head.startswith(b"#!"):
        return str(_("a script"))
    start = head.lstrip().lower()
    if start.startswith((b"<!doctype html", b"<html", b"<script", b"<svg", b"<?xml")):
        return str(_("a web page or other markup"))
    if head.startswith(b"PK\x03\x04"):
        return str(_("a ZIP archive"))
    if head.startswith(b"%PDF-"):
        return str(_("a PDF document"))
    return None


def content_matches_extension(file, extension: str) -> bool:
    extension = extension.lower()
    if extension == "pdf":
        return _is_pdf(file)
    if extension in ODF_TYPES:
        return _is_odf(file, ODF_TYPES[extension])
    if extension in OOXML_MAIN_PARTS:
        return _is_ooxml(file, OOXML_MAIN_PARTS[extension])
    if extension == "csv":
        return _is_csv(file)
    return False


def check_document_file(file) -> None:
    """Raise a ValidationError (in Dutch) unless `file` is what its extension says."""
    extension = os.path.splitext(file.name)[1].lower().lstrip(".")
    if extension not in KIND_LABELS:
        return  # Wagtail's own extension check (WAGTAILDOCS_EXTENSIONS) refuses it
    if content_matches_extension(file, extension):
        return
    found = looks_like(file)
    values = {"name": os.path.basename(file.name), "kind": KIND_LABELS[extension], "found": found}
    if found:
        message = _(
            "The content of “%(name)s” is not that of %(kind)s: it looks like %(found)s. Only "
            "PDF, OpenDocument, Word, Excel, PowerPoint and CSV files are accepted, with the "
            "extension that fits their content."
        )
    else:
        message = _(
            "The content of “%(name)s” is not that of %(kind)s. Only PDF, OpenDocument, Word, "
            "Excel, PowerPoint and CSV files are accepted, with the extension that fits their "
            "content."
        )
    raise forms.ValidationError(message % values, code="content_does_not_match_extension")


def _damaged(name: str) -> forms.ValidationError:
    return forms.ValidationError(
        _(
            "“%(name)s” is damaged or not a complete image, so it cannot be shown. Save it again "
            "in an image program and upload that file."
        )
        % {"name": os.path.basename(name or "")},
        code="image_does_not_decode",
    )


class DecodingImageField(WagtailImageField):
    """Wagtail's image field checks the format from the header, and then fails with a server
    error on an image whose body is broken (a GIF with a bad body). This one decodes the whole
    image, so such a file gets a form error instead."""

    def to_python(self, data):
        try:
            file = super().to_python(data)
        except (OSError, SyntaxError, ValueError) as exc:
            raise _damaged(getattr(data, "name", "")) from exc
        if file is None:
            return None
        try:
            file.seek(0)
            with PILImage.open(io.BytesIO(file.read())) as image:
                image.load()
        except (OSError, SyntaxError, ValueError, PILImage.DecompressionBombError) as exc:
            raise _damaged(file.name) from exc
        finally:
            file.seek(0)
        return file


class DocumentForm(BaseDocumentForm):
    def clean_file(self):
        file = self.cleaned_data.get("file")
        if file and "file" in self.changed_data:
            check_document_file(file)
        return file


class ImageForm(BaseImageForm):
    file = DecodingImageField(label=_("File"))
