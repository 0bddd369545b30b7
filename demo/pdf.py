"""Small, real PDF documents written by hand (no PDF library in the lock): a title and
paragraphs of text in Helvetica, wrapped and spread over as many A4 pages as they need.

Text is encoded as WinAnsi (Latin-1 for the characters Dutch needs: é, ë, ï, ...), so the
document's text can be selected, searched and extracted like any other PDF's.
"""

import io
import textwrap

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 in points
MARGIN = 72
TITLE_SIZE, BODY_SIZE = 16, 11
LEADING = 15
WRAP_AT = 88  # characters per line of 11 pt Helvetica within the margins
LINES_PER_PAGE = (PAGE_HEIGHT - 2 * MARGIN) // LEADING - 2


def _escape(line: str) -> bytes:
    encoded = line.encode("cp1252", errors="replace")
    return encoded.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _lines(title: str, paragraphs: list[str]) -> list[tuple[str, str]]:
    """(style, text) per line: the title, then the paragraphs wrapped, a blank between."""
    lines = [("title", line) for line in textwrap.wrap(title, 60)] + [("body", "")]
    for paragraph in paragraphs:
        lines += [("body", line) for line in textwrap.wrap(paragraph, WRAP_AT)]
        lines.append(("body", ""))
    return lines


def _page_stream(lines: list[tuple[str, str]], page_number: int, page_count: int) -> bytes:
    out = [b"BT", f"{MARGIN} {PAGE_HEIGHT - MARGIN} Td".encode(), f"{LEADING} TL".encode()]
    for style, text in lines:
        font = b"/F2 %d Tf" % TITLE_SIZE if style == "title" else b"/F1 %d Tf" % BODY_SIZE
        out.append(font + b" (" + _escape(text) + b") Tj T*")
    out.append(b"ET")
    footer = f"{page_number} / {page_count}"
    out.append(b"BT /F1 9 Tf %d %d Td (%s) Tj ET" % (MARGIN, MARGIN // 2, footer.encode()))
    return b"\n".join(out)


def text_pdf(title: str, paragraphs: list[str]) -> bytes:
    """A PDF with `title` on top and `paragraphs` below it; `title` is also its metadata."""
    lines = _lines(title, paragraphs)
    pages = [lines[i : i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)]
    # Object numbers: 1 catalog, 2 pages, 3 and 4 fonts, 5 info, then a page and its
    # content stream per page.
    first_page = 6
    kids = " ".join(f"{first_page + 2 * n} 0 R" for n in range(len(pages)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Title (" + _escape(title) + b") /Producer (Kennisloket Krachtwijken demo) >>",
    ]
    for n, page_lines in enumerate(pages):
        stream = _page_stream(page_lines, n + 1, len(pages))
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] "
            f"/Contents {first_page + 2 * n + 1} 0 R "
            f"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 5 0 R >>\n"
        f"startxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()
