"""A4 PDF documents for one party: a coop's bill, a supplier's purchase order.

Pure layout: every text arrives already written (the sentences come from the templates under
`messages/templates/<lang>/documents/`, see `bot.documents`), and user data is escaped
before it reaches ReportLab's paragraph markup, so a name like `KSU "Maju & Berkah"` prints
as typed and never becomes markup. The font is Bitstream Vera, which ReportLab ships (it
covers Latin-1 and Windows-1252 punctuation: "Café Ñusantara", "—", curly quotes).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

# ReportLab (with Pillow, ~18 MB) is imported where a PDF is made: the running bot makes its
# PDFs in a process of its own (`bot.documents`) and so never loads it.
if TYPE_CHECKING:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Flowable, Paragraph, Table

FONT, BOLD = "Vera", "VeraBd"
MM = 72 / 25.4  # points in a millimetre (ReportLab's `mm`)
A4_WIDTH = 210 * MM
MARGIN = 18 * MM
WIDTH = A4_WIDTH - 2 * MARGIN


@dataclass(frozen=True, slots=True)
class DocumentTable:
    """A table: its header, its rows, and which columns hold numbers (right-aligned)."""

    header: Sequence[str]
    rows: Sequence[Sequence[str]]
    numeric: frozenset[int] = frozenset()
    widths: Sequence[float] = ()  # fractions of the page width; empty: equal


@dataclass(frozen=True, slots=True)
class Document:
    title: str
    facts: Sequence[str] = ()  # one line each, under the title
    tables: Sequence[DocumentTable] = ()
    closing: Sequence[str] = ()  # paragraphs after the tables
    signature: Sequence[str] = ()  # lines of the signature block, bottom right
    author: str = ""
    subject: str = field(default="")


def write_pdf(document: Document, path: Path) -> Path:
    """Write `document` as an A4 PDF at `path` (its folder created if needed)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    _register_fonts()
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf = SimpleDocTemplate(
        str(path), pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=MARGIN, title=document.title, author=document.author,
        subject=document.subject,
    )  # fmt: skip
    pdf.build(_flowables(document))
    return path


def _flowables(document: Document) -> list[Flowable]:
    from reportlab.platypus import Paragraph, Spacer

    styles = _styles()
    story: list[Flowable] = [Paragraph(_text(document.title), styles["title"])]
    story += [Paragraph(_text(line), styles["body"]) for line in document.facts]
    for table in document.tables:
        story += [Spacer(1, 5 * MM), _table(table, styles)]
    story.append(Spacer(1, 5 * MM))
    story += [Paragraph(_text(paragraph), styles["body"]) for paragraph in document.closing]
    if document.signature:
        story.append(Spacer(1, 10 * MM))
        story += [Paragraph(_text(line), styles["signature"]) for line in document.signature]
    return story


def _table(table: DocumentTable, styles: dict[str, ParagraphStyle]) -> Table:
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    def cell(text: str, column: int, style: str) -> Paragraph:
        chosen = styles[f"{style}_number"] if column in table.numeric else styles[style]
        return Paragraph(_text(text), chosen)

    data = [[cell(text, n, "header") for n, text in enumerate(table.header)]]
    data += [[cell(text, n, "cell") for n, text in enumerate(row)] for row in table.rows]
    count = len(table.header)
    widths = [WIDTH * share for share in table.widths] if table.widths else [WIDTH / count] * count
    layout = Table(data, colWidths=widths, repeatRows=1)
    layout.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EEF4")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return layout


def _text(text: str) -> str:
    """User data as paragraph text: escaped, line breaks kept."""
    return escape(text).replace("\n", "<br/>")


@cache
def _styles() -> dict[str, ParagraphStyle]:
    from reportlab.lib.styles import ParagraphStyle

    body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=13)
    cell = ParagraphStyle("cell", parent=body, fontSize=9, leading=11)
    header = ParagraphStyle("header", parent=cell, fontName=BOLD)
    return {
        "title": ParagraphStyle("title", parent=body, fontName=BOLD, fontSize=15, leading=20),
        "body": body,
        "signature": ParagraphStyle("signature", parent=body, alignment=2),
        "cell": cell,
        "cell_number": ParagraphStyle("cell_number", parent=cell, alignment=2),
        "header": header,
        "header_number": ParagraphStyle("header_number", parent=header, alignment=2),
    }


@cache
def _register_fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont(FONT, "Vera.ttf"))
    pdfmetrics.registerFont(TTFont(BOLD, "VeraBd.ttf"))
