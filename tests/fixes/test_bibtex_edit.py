"""Text surgery: every byte the edits do not name stays; new fields follow the entry's style."""

from __future__ import annotations

import difflib
import re

import pytest
from conftest import FIXTURES

from auditor.fixes.bibtex_edit import (
    EditError,
    append_entries,
    apply_edits,
    check_edit,
    unified_diff,
)
from auditor.fixes.bibtex_scan import read_entries, scan_entries
from auditor.fixes.plan import Edit
from auditor.sources.bibtex import read_bibtex

NASTY = (FIXTURES / "fix" / "nasty.bib").read_text("utf-8")
NASTY_FIXED = (FIXTURES / "fix" / "nasty.fixed.bib").read_text("utf-8")
NEW_FIELD = re.compile(r"^\s*(doi|DOI|note|versionofrecord)\s*=")
INLINE_FIELD = re.compile(r",\s*(?:doi|note|versionofrecord)\s*=\s*\{[^{}]*\}")


def nasty_edits(text: str) -> list[Edit]:
    line = {e.key: e.line for e in read_entries(text)}

    def edit(key, kind, name, value):
        return Edit(key, line[key], kind, name, value, "")

    return [
        edit("aligned", "normalise-doi", "doi", "10.1016/S0140-6736(15)01024-7"),
        edit("aligned", "mark-retracted", "note", "Retracted: see the retraction notice "
             "doi:10.1016/notice (recorded 2020-03-01)"),
        edit("tabs", "normalise-doi", "doi", "10.1136/BMJ.m1"),
        edit("tabs", "version-of-record", "versionofrecord", "10.7717/peerj.3811"),
        edit("parens", "add-doi", "doi", "10.1371/journal.pone.0033693"),
        edit("oneline", "add-doi", "doi", "10.5555/one"),
        edit("closing", "add-doi", "doi", "10.5555/close"),
        edit("trailing", "add-doi", "doi", "10.5555/trail"),
        edit("trailing", "note-version-of-record", "note",
             "Preprint; version of record: doi:10.5555/v\\_1"),
        edit("upper", "add-doi", "doi", "10.5555/up"),
        edit("nonascii", "normalise-doi", "doi", "10.1371/journal.PONE.0033693"),
        Edit("untouched", line["untouched"], "skipped", message="nothing to do"),
    ]


def only_planned_lines_changed(before: str, after: str) -> None:
    """Every removed line comes back with one comma added (the entry's closing brace moving to
    the new last line), its DOI normalised, or a new field inserted (one-line entries); every
    other added line is a new doi/note/versionofrecord field."""
    removed, added = [], []
    for line in difflib.ndiff(before.splitlines(), after.splitlines()):
        if line.startswith("- "):
            removed.append(line[2:])
        elif line.startswith("+ "):
            added.append(line[2:])

    def comma_added(old: str, new: str) -> bool:
        return len(new) == len(old) + 1 and any(
            new[i] == "," and new[:i] + new[i + 1:] == old for i in range(len(new)))

    def partner(old: str, new: str) -> bool:
        inline = INLINE_FIELD.sub("", new)
        closing_moved = old[-1:] in "})" and new == old[:-1] + ","  # `year = {2018}}`
        return comma_added(old, new) or inline == old or closing_moved or bool(
            NEW_FIELD.match(new) and NEW_FIELD.match(old))

    for old in removed:
        match = next((new for new in added if partner(old, new)), None)
        assert match is not None, f"line changed beyond the plan: {old!r}"
        added.remove(match)
    assert all(NEW_FIELD.match(new) for new in added), added


def test_nasty_file_gets_exactly_the_planned_changes():
    after = apply_edits(NASTY, nasty_edits(NASTY))
    assert after == NASTY_FIXED
    only_planned_lines_changed(NASTY, after)
    check_edit(NASTY, after, nasty_edits(NASTY))


def test_crlf_stays_crlf():
    before = NASTY.replace("\n", "\r\n")
    after = apply_edits(before, nasty_edits(before))
    assert after == NASTY_FIXED.replace("\n", "\r\n")
    assert "\n" not in after.replace("\r\n", "")


def test_old_mac_line_endings_stay():
    before = NASTY.replace("\n", "\r")
    after = apply_edits(before, nasty_edits(before))
    assert after == NASTY_FIXED.replace("\n", "\r")


def test_a_file_without_final_newline_gets_none():
    before = NASTY.rstrip("\n")
    after = apply_edits(before, nasty_edits(before))
    assert after == NASTY_FIXED.rstrip("\n")


def test_untouched_parts_are_byte_identical():
    after = apply_edits(NASTY, nasty_edits(NASTY))
    head = NASTY[:NASTY.index("@article{aligned")]
    assert after.startswith(head)  # comments, @string, @preamble, @comment
    untouched = NASTY[NASTY.index("@book{untouched"):NASTY.index("@ARTICLE{upper")]
    assert untouched in after


def test_lines_agree_with_the_reader():
    """Edits are addressed by the line of the entry's `@`, as the reader numbers references."""
    read = read_bibtex(NASTY, "nasty.bib")
    assert [(e.key, e.line) for e in read_entries(NASTY)] == [
        (r.key, r.source.line) for r in read.references]
    crlf = NASTY.replace("\n", "\r\n")
    assert [e.line for e in read_entries(crlf)] == [e.line for e in read_entries(NASTY)]


def test_comments_are_not_entries():
    keys = [e.key for e in read_entries(NASTY)]
    assert "commented-out" not in keys
    assert keys[0] == "aligned"


def add(key, line, field, value, kind="add-doi"):
    return Edit(key, line, kind, field, value, "")


@pytest.mark.parametrize(("before", "edits", "after"), [
    pytest.param("@misc{k,title={T}}\n", [add("k", 1, "doi", "10.1/x")],
                 "@misc{k,title={T}, doi={10.1/x}}\n", id="one-line-tight"),
    pytest.param("@misc{k, title = {T}, year = 2020,}\n", [add("k", 1, "doi", "10.1/x")],
                 "@misc{k, title = {T}, year = 2020, doi = {10.1/x},}\n",
                 id="one-line-trailing-comma"),
    pytest.param("@misc{k}\n", [add("k", 1, "doi", "10.1/x")],
                 "@misc{k, doi = {10.1/x}}\n", id="no-fields"),
    pytest.param("@misc{k,\n}\n", [add("k", 1, "doi", "10.1/x")],
                 "@misc{k,\n  doi = {10.1/x}\n}\n", id="no-fields-multiline"),
    pytest.param("@article{k,\n  title = {T},\n  year = {2018},}\n",
                 [add("k", 1, "doi", "10.1/x")],
                 "@article{k,\n  title = {T},\n  year = {2018},\n  doi = {10.1/x},}\n",
                 id="closing-brace-after-trailing-comma"),
    pytest.param('@article{k,\n  doi = "https://doi.org/10.1/X"\n}\n',
                 [add("k", 1, "doi", "10.1/X", "normalise-doi")],
                 '@article{k,\n  doi = "10.1/X"\n}\n', id="quoted-replacement"),
    pytest.param("@article{k,\n\ttitle\t= {T},\n\tyear\t= {2018}\n}\n",
                 [add("k", 1, "doi", "10.1/x")],
                 "@article{k,\n\ttitle\t= {T},\n\tyear\t= {2018},\n\tdoi\t= {10.1/x}\n}\n",
                 id="tabs"),
    pytest.param("@article{k,\n  title={T},\n  year={2018}\n}\n",
                 [add("k", 1, "doi", "10.1/x")],
                 "@article{k,\n  title={T},\n  year={2018},\n  doi={10.1/x}\n}\n",
                 id="no-spaces-around-equals"),
    pytest.param("@article{k,\n  title = {T},\n  year = {2018} % printed 2019\n}\n",
                 [add("k", 1, "doi", "10.1/x")],
                 "@article{k,\n  title = {T},\n  year = {2018}, % printed 2019\n"
                 "  doi = {10.1/x}\n}\n", id="comment-after-last-value"),
    pytest.param("@article{k,\n  title = {A\n    long title},\n  year = 2018\n}\n",
                 [add("k", 1, "doi", "10.1/x")],
                 "@article{k,\n  title = {A\n    long title},\n  year = 2018,\n"
                 "  doi = {10.1/x}\n}\n", id="multi-line-value"),
    pytest.param("@article{k,\n  title = {A title},\n  pages = {1--{9}}}\n",
                 [add("k", 1, "doi", "10.1/x")],
                 "@article{k,\n  title = {A title},\n  pages = {1--{9}},\n"
                 "  doi = {10.1/x}}\n", id="braces-in-last-value-and-closing"),
    pytest.param("@article{broken, title = {no end\n\n@article{k,\n  title = {T}\n}\n",
                 [add("k", 3, "doi", "10.1/x")],
                 "@article{broken, title = {no end\n\n@article{k,\n  title = {T},\n"
                 "  doi = {10.1/x}\n}\n", id="after-a-broken-entry"),
    pytest.param("@misc{k,\n  title = {First}\n}\n@misc{k,\n  title = {Second}\n}\n",
                 [add("k", 4, "doi", "10.1/x")],
                 "@misc{k,\n  title = {First}\n}\n@misc{k,\n  title = {Second},\n"
                 "  doi = {10.1/x}\n}\n", id="duplicate-key-by-line"),
])
def test_small_cases(before, edits, after):
    assert apply_edits(before, edits) == after
    check_edit(before, after, edits)


def test_a_missing_comma_makes_an_entry_not_editable():
    text = "@article{k,\n  title = {T}\n  note = {N}\n}\n"
    (entry,) = read_entries(text)
    assert entry.fields.keys() == {"title", "note"}  # the swallowed field still counts
    assert not entry.editable


def test_a_field_that_exists_is_never_added_again():
    with pytest.raises(EditError, match="already has a field doi"):
        apply_edits("@misc{k, DOI = {10.1/x}}", [add("k", 1, "doi", "10.1/y")])


def test_an_entry_not_there_is_an_error():
    with pytest.raises(EditError, match="not found"):
        apply_edits("@misc{k, title = {T}}", [add("k", 2, "doi", "10.1/y")])


def test_a_macro_value_is_never_replaced():
    with pytest.raises(EditError, match="not one braced or quoted value"):
        apply_edits("@misc{k, doi = mydoi}", [add("k", 1, "doi", "10.1/y", "normalise-doi")])


def test_check_edit_refuses_a_lost_or_changed_field():
    before = "@misc{k,\n  title = {T},\n  year = 2020\n}\n"
    edits = [add("k", 1, "doi", "10.1/x")]
    good = apply_edits(before, edits)
    check_edit(before, good, edits)
    with pytest.raises(EditError, match="would not read as planned"):
        check_edit(before, good.replace("  year = 2020,\n", ""), edits)
    with pytest.raises(EditError, match="would not read as planned"):
        check_edit(before, good.replace("{T}", "{U}"), edits)
    with pytest.raises(EditError, match="entries"):
        check_edit(before, good + "@misc{extra, title = {E}}\n", edits)
    check_edit(before, good + "@misc{extra, title = {E}}\n", edits, appended=1)


def test_scan_reads_parenthesised_strings_and_comments_past():
    text = '@STRING(x = "a)b")\n@comment(ignore {me})\n@misc(k, title = "x)y")\n'
    (entry,) = scan_entries(text)
    assert (entry.key, entry.line, entry.fields[0].name) == ("k", 3, "title")
    assert text[entry.close] == ")"


@pytest.mark.parametrize(("text", "expected"), [
    ("@misc{a}\n", "@misc{a}\n\n% new\n@misc{b}\n"),
    ("@misc{a}", "@misc{a}\n\n% new\n@misc{b}"),
    ("@misc{a}\r\n", "@misc{a}\r\n\r\n% new\r\n@misc{b}\r\n"),
])
def test_append_entries_keeps_line_endings_and_final_newline(text, expected):
    assert append_entries(text, ["% new\n@misc{b}"]) == expected


def test_unified_diff_marks_a_missing_final_newline():
    diff = unified_diff("@misc{a,\n  x = 1}", "@misc{a,\n  x = 1,\n  doi = {10.1/x}}",
                        "in.bib", "out.bib")
    assert diff.startswith("--- in.bib\n+++ out.bib\n")
    assert "-  x = 1}\n\\ No newline at end of file\n" in diff
    assert diff.endswith("+  doi = {10.1/x}}\n\\ No newline at end of file\n")
