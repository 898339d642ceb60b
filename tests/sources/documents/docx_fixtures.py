"""Word documents written by code for the tests: python-docx for what it can write, and the
WordprocessingML a reference manager or a reviewer leaves (fields, tracked changes, notes)
added by hand, as Word itself writes it."""

from __future__ import annotations

import base64
import io
import json
import zipfile

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

VICTORA = ("Victora CG, Bahl R, Barros AJD, et al. Breastfeeding in the 21st century: "
           "epidemiology, mechanisms, and lifelong effect. Lancet. 2016;387(10017):475-90.")
ROLLINS = ("Rollins NC, Bhandari N, Hajeebhoy N, et al. Why invest, and what it will take to "
           "improve breastfeeding practices? Lancet. 2016;387(10017):491-504.")
KRAMER = ("Kramer MS, Kakuma R. Optimal duration of exclusive breastfeeding. Cochrane Database "
          "Syst Rev. 2012;(8):CD003517.")
VICTORA_ITEM = {"id": 101, "type": "article-journal", "title": "Breastfeeding in the 21st "
                "century: epidemiology, mechanisms, and lifelong effect",
                "container-title": "The Lancet", "volume": "387", "page": "475-490",
                "DOI": "10.1016/S0140-6736(15)01024-7",
                "author": [{"family": "Victora", "given": "Cesar G."}],
                "issued": {"date-parts": [["2016", 1, 30]]}}
KRAMER_ITEM = {"id": 102, "type": "article-journal", "title": "Optimal duration of exclusive "
               "breastfeeding", "container-title": "Cochrane Database of Systematic Reviews",
               "DOI": "10.1002/14651858.CD003517.pub2",
               "author": [{"family": "Kramer", "given": "Michael S."}],
               "issued": {"date-parts": [[2012, 8, 15]]}}


def to_bytes(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def add_field(paragraph, instruction: str, result: str, split: int = 0) -> None:
    """A complex field (begin, instruction, separate, result, end), its instruction cut into
    runs of `split` characters as Word does with long ones."""
    def run(inner: str) -> None:
        paragraph._p.append(parse_xml(f"<w:r {nsdecls('w')}>{inner}</w:r>"))

    run('<w:fldChar w:fldCharType="begin"/>')
    pieces = [instruction[i:i + split] for i in range(0, len(instruction), split)] if split \
        else [instruction]
    for piece in pieces:
        escaped = piece.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        run(f'<w:instrText xml:space="preserve">{escaped}</w:instrText>')
    run('<w:fldChar w:fldCharType="separate"/>')
    run(f'<w:t xml:space="preserve">{result}</w:t>')
    run('<w:fldChar w:fldCharType="end"/>')


def zotero_citation(*items: dict) -> str:
    citation = {"citationID": "a1b2", "properties": {"formattedCitation": "(1)"},
                "citationItems": [{"id": item["id"], "uris": [
                    f"http://zotero.org/users/1/items/{item['id']}"], "itemData": item}
                    for item in items],
                "schema": "https://github.com/citation-style-language/schema/raw/master/"
                          "csl-citation.json"}
    return " ADDIN ZOTERO_ITEM CSL_CITATION " + json.dumps(citation) + " "


def mendeley_citation(*items: dict) -> str:
    citation = {"citationItems": [{"id": f"ITEM-{n}", "itemData": {**item, "id": f"ITEM-{n}"},
                                   "uris": [f"http://www.mendeley.com/documents/?uuid={n}"]}
                                  for n, item in enumerate(items, 1)],
                "properties": {"noteIndex": 0}, "schema": "https://github.com/citation-style-"
                "language/schema/raw/master/csl-citation.json"}
    return "ADDIN CSL_CITATION " + json.dumps(citation)


def mendeley_cite_tag(*items: dict) -> str:
    citation = {"citationID": "MENDELEY_CITATION_1", "citationItems": [
        {"id": str(item["id"]), "itemData": item} for item in items]}
    return "MENDELEY_CITATION_v3_" + base64.b64encode(json.dumps(citation).encode()).decode()


def add_content_control(document, tag: str, text: str) -> None:
    document.element.body.append(parse_xml(
        f'<w:sdt {nsdecls("w")}><w:sdtPr><w:tag w:val="{tag}"/></w:sdtPr><w:sdtContent>'
        f'<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:sdtContent></w:sdt>'))


def endnote_citation(doi: str, title: str, author: str, year: int) -> str:
    return (" ADDIN EN.CITE <EndNote><Cite><Author>Victora</Author><Year>2016</Year>"
            "<RecNum>7</RecNum><record><rec-number>7</rec-number>"
            '<ref-type name="Journal Article">17</ref-type><contributors><authors>'
            f"<author>{author}</author></authors></contributors><titles><title>{title}</title>"
            "<secondary-title>Lancet</secondary-title></titles><volume>387</volume>"
            f"<dates><year>{year}</year></dates><electronic-resource-num>{doi}"
            "</electronic-resource-num></record></Cite></EndNote>")


def add_hyperlink(paragraph, url: str, text: str) -> None:
    rel = paragraph.part.relate_to(url, "http://schemas.openxmlformats.org/officeDocument/2006/"
                                   "relationships/hyperlink", is_external=True)
    paragraph._p.append(parse_xml(
        f'<w:hyperlink {nsdecls("w", "r")} r:id="{rel}"><w:r><w:t>{text}</w:t></w:r>'
        "</w:hyperlink>"))


def add_tracked(paragraph, inserted: str, deleted: str) -> None:
    paragraph._p.append(parse_xml(
        f'<w:ins {nsdecls("w")} w:id="1" w:author="Reviewer" w:date="2026-01-01T00:00:00Z">'
        f'<w:r><w:t xml:space="preserve">{inserted}</w:t></w:r></w:ins>'))
    paragraph._p.append(parse_xml(
        f'<w:del {nsdecls("w")} w:id="2" w:author="Reviewer" w:date="2026-01-01T00:00:00Z">'
        f'<w:r><w:delText xml:space="preserve">{deleted}</w:delText></w:r></w:del>'))


def delete_paragraph(paragraph) -> None:
    """A reviewer's deletion of the whole paragraph, its mark included (tracked)."""
    for run in list(paragraph._p.iterchildren(qn("w:r"))):
        paragraph._p.remove(run)
        text = "".join(t.text or "" for t in run.iter(qn("w:t")))
        paragraph._p.append(parse_xml(
            f'<w:del {nsdecls("w")} w:id="3" w:author="Reviewer" w:date="2026-01-01T00:00:00Z">'
            f'<w:r><w:delText xml:space="preserve">{text}</w:delText></w:r></w:del>'))
    properties = paragraph._p.get_or_add_pPr()
    properties.append(parse_xml(
        f'<w:rPr {nsdecls("w")}><w:del w:id="4" w:author="Reviewer" '
        'w:date="2026-01-01T00:00:00Z"/></w:rPr>'))


def with_endnotes(raw: bytes, notes: list[str]) -> bytes:
    """A .docx with `notes` as its endnotes (python-docx writes none), referenced in order."""
    source = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    body = "".join(
        f'<w:endnote w:id="{n}"><w:p><w:r><w:endnoteRef/></w:r><w:r><w:t xml:space="preserve">'
        f" {text}</w:t></w:r></w:p></w:endnote>" for n, text in enumerate(notes, 1))
    endnotes = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:endnotes '
                f'{nsdecls("w")}><w:endnote w:type="separator" w:id="-1"><w:p><w:r>'
                f"<w:separator/></w:r></w:p></w:endnote>{body}</w:endnotes>")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/word/endnotes.xml" '
                                    b'ContentType="application/vnd.openxmlformats-officedocument'
                                    b'.wordprocessingml.endnotes+xml"/></Types>')
            elif info.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdEnd1" Type="http'
                                    b'://schemas.openxmlformats.org/officeDocument/2006/'
                                    b'relationships/endnotes" Target="endnotes.xml"/>'
                                    b"</Relationships>")
            target.writestr(info, data)
        target.writestr("word/endnotes.xml", endnotes)
    return out.getvalue()


def numbered_list(document, texts: list[str], style: str = "List Number") -> None:
    for text in texts:
        document.add_paragraph(text, style=style)


__all__ = ["docx", "qn"]
