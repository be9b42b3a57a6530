"""A4 PDF documents: a coop's bill, a supplier's purchase order, a report across rounds.

Pure layout: every text arrives already written (the sentences come from the templates under
`messages/templates/<lang>/documents/`, see `bot.documents`), and user data is escaped
before it reaches ReportLab's paragraph markup, so a name like `KSU "Maju & Berkah"` prints
as typed and never becomes markup. The font is Bitstream Vera, which ReportLab ships (it
covers Latin-1 and Windows-1252 punctuation: "Café Ñusantara", "—", curly quotes).

A table either names its columns' shares of the page (the bill and the purchase order, laid
out by hand) or has them measured from its text (`column_widths`, the reports): each column
at least as wide as its longest word, so a cell wraps between words and never inside one
("Disanggupi", not "Disan / ggupi"), and a number set with `unbroken` stays on one line. A
wide table goes on a landscape page (`Document.landscape`).
"""

from __future__ import annotations

import re
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
A4_WIDTH, A4_HEIGHT = 210 * MM, 297 * MM
MARGIN = 18 * MM
WIDTH = A4_WIDTH - 2 * MARGIN  # of a portrait page's text
LANDSCAPE_WIDTH = A4_HEIGHT - 2 * MARGIN
CELL_PADDING = 6.0  # ReportLab's padding left and right of a table's cell, points
NO_BREAK = "\u00a0"  # a space ReportLab never breaks a line at
# Where ReportLab may break a cell's line: any white space but NO_BREAK.
_BREAKS = re.compile(r"[^\S\u00a0]+")


@dataclass(frozen=True, slots=True)
class DocumentTable:
    """A table: its header, its rows, and which columns hold numbers (right-aligned)."""

    header: Sequence[str]
    rows: Sequence[Sequence[str]]
    numeric: frozenset[int] = frozenset()
    widths: Sequence[float] = ()  # fractions of the page width; empty: `column_widths`


@dataclass(frozen=True, slots=True)
class Document:
    title: str
    facts: Sequence[str] = ()  # one line each, under the title
    tables: Sequence[DocumentTable] = ()
    closing: Sequence[str] = ()  # paragraphs after the tables
    signature: Sequence[str] = ()  # lines of the signature block, bottom right
    author: str = ""
    subject: str = field(default="")
    landscape: bool = False  # A4 on its side, for a table of many columns

    @property
    def width(self) -> float:
        """The width of the page's text, points."""
        return LANDSCAPE_WIDTH if self.landscape else WIDTH


def unbroken(text: str) -> str:
    """`text` kept on one line in a table's cell: "Rp 1.250.000" never becomes "Rp" above
    "1.250.000"."""
    return text.replace(" ", NO_BREAK)


def write_pdf(document: Document, path: Path) -> Path:
    """Write `document` as an A4 PDF at `path` (its folder created if needed)."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import SimpleDocTemplate

    _register_fonts()
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf = SimpleDocTemplate(
        str(path), pagesize=landscape(A4) if document.landscape else A4, leftMargin=MARGIN,
        rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN, title=document.title,
        author=document.author, subject=document.subject,
    )  # fmt: skip
    pdf.build(_flowables(document))
    return path


def _flowables(document: Document) -> list[Flowable]:
    from reportlab.platypus import Paragraph, Spacer

    styles = _styles()
    story: list[Flowable] = [Paragraph(_text(document.title), styles["title"])]
    story += [Paragraph(_text(line), styles["body"]) for line in document.facts]
    for table in document.tables:
        story += [Spacer(1, 5 * MM), _table(table, styles, document.width)]
    story.append(Spacer(1, 5 * MM))
    story += [Paragraph(_text(paragraph), styles["body"]) for paragraph in document.closing]
    if document.signature:
        story.append(Spacer(1, 10 * MM))
        story += [Paragraph(_text(line), styles["signature"]) for line in document.signature]
    return story


def column_widths(table: DocumentTable, width: float) -> list[float]:
    """Each column's width (points, `width` in all) from its text, in three steps, each taken
    only as far as the page allows: every column as wide as its longest word (the header's in
    bold), so no word is broken; then as wide as its cells' longest line, so a name or a
    number is not wrapped; then as its header's line. A step that does not fit shares out the
    room left in proportion to what each column still wants; what is left after the last goes
    in proportion to the widths. Only when even the longest words do not fit side by side are
    the columns narrowed in proportion (ReportLab then breaks those words)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    _register_fonts()
    styles = _styles()
    padding = 2 * CELL_PADDING + 1  # and a point to spare against rounding

    @cache  # a report of 10,000 coops repeats its words and numbers many times over
    def measure(text: str, style: ParagraphStyle) -> tuple[float, float]:
        """The widest word and the widest line of `text`, padded as in a cell."""
        words = [stringWidth(word, style.fontName, style.fontSize) for word in _BREAKS.split(text)]
        lines = [stringWidth(line, style.fontName, style.fontSize) for line in text.splitlines()]
        return max(words, default=0.0) + padding, max(lines, default=0.0) + padding

    least, cells, whole = [], [], []
    for column, title in enumerate(table.header):
        title_word, title_line = measure(title, styles["header"])
        measured = [measure(row[column], styles["cell"]) for row in table.rows]
        least.append(max([title_word, *(word for word, _ in measured)]))
        cells.append(max([least[-1], *(line for _, line in measured)]))
        whole.append(max(cells[-1], title_line))
    if sum(least) >= width:
        return [width * one / sum(least) for one in least]
    widths = least
    for wanted in (cells, whole):
        spare, more = width - sum(widths), [w - now for w, now in zip(wanted, widths, strict=True)]
        if sum(more) >= spare:
            return [now + spare * m / sum(more) for now, m in zip(widths, more, strict=True)]
        widths = wanted
    return [one * width / sum(widths) for one in widths]


def _table(table: DocumentTable, styles: dict[str, ParagraphStyle], width: float) -> Table:
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    def cell(text: str, column: int, style: str) -> Paragraph:
        chosen = styles[f"{style}_number"] if column in table.numeric else styles[style]
        return Paragraph(_text(text), chosen)

    data = [[cell(text, n, "header") for n, text in enumerate(table.header)]]
    data += [[cell(text, n, "cell") for n, text in enumerate(row)] for row in table.rows]
    widths = (
        [width * share for share in table.widths] if table.widths else column_widths(table, width)
    )
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
