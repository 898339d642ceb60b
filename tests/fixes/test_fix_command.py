"""`auditor fix` end to end against the local Crossref stand-in: the diff shows exactly the
promised additions, re-auditing finds nothing worse, and a second run changes nothing."""

from __future__ import annotations

import argparse

import pytest
from conftest import FIXTURES

import auditor
from auditor.cli import main as auditor_main
from auditor.fixes.bibtex_edit import unified_diff
from auditor.fixes.command import add_fix_parser

AUDIT = ["--mailto", "qa@example.org", "--as-of", "2026-11-27"]
MIXED_FIXED = (FIXTURES / "fix" / "mixed.fixed.bib").read_text("utf-8")
TRAINING_DIFF = "".join(line + "\n" for line in [
    '@@ -4,7 +4,7 @@',
    '   title   = {Breastfeeding in the 21st century: epidemiology, mechanisms, and lifelong '
    'effect},',
    '   journal = {The Lancet},',
    '   year    = {2016},',
    '-  doi     = {https://doi.org/10.1016/S0140-6736(15)01024-7},',
    '+  doi     = {10.1016/S0140-6736(15)01024-7},',
    ' }',
    ' ',
    ' @article{sadasivan2012,',
    '@@ -21,6 +21,8 @@',
    '   title  = {A preprint on {bioRxiv}},',
    '   year   = {2016},',
    '   doi    = {10.1101/055319},',
    '+  versionofrecord = {10.7717/peerj.3811},',
    '+  note   = {Preprint; version of record: doi:10.7717/peerj.3811},',
    ' }',
    ' ',
    ' @article{typo2019,',
])
# What Crossref's content negotiation gives for the preprint's version of record; its key is
# the preprint's own, so the appended entry must be renamed.
PUBLISHED = (" @article{writer2016, title={A published article on bioRxiv work}, volume={5}, "
             "url={http://dx.doi.org/10.7717/peerj.3811}, DOI={10.7717/peerj.3811}, "
             "journal={PeerJ}, publisher={PeerJ}, author={Writer, B.}, year={2017}, "
             "pages={e3811} }")
RANK = {"verified": 3, "matched": 2, "unchecked": 1}


@pytest.fixture(autouse=True)
def no_doi_url(monkeypatch):
    monkeypatch.delenv("AUDITOR_DOI_URL", raising=False)


@pytest.fixture
def work(tmp_path):
    """A folder holding only the inputs and outputs (the cache lives beside it)."""
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


def copy(name, folder, newline=None):
    target = folder / name.split("/")[-1]
    text = (FIXTURES / name).read_text("utf-8")
    target.write_bytes((text.replace("\n", newline) if newline else text).encode("utf-8"))
    return target


def main(argv):
    return auditor_main(["fix", *argv])


def fix(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def test_training_list_gets_exactly_the_promised_changes(crossref, capsys, work):
    source = copy("stand-in/training.bib", work)
    fixed = work / "fixed.bib"
    code, out, err = fix(capsys, source, "-o", fixed, *AUDIT)
    assert (code, out) == (0, "")
    before, after = source.read_text("utf-8"), fixed.read_text("utf-8")
    assert unified_diff(before, after, "a", "b") == "--- a\n+++ b\n" + TRAINING_DIFF
    assert f"{source}:2 victora2016: normalised doi https://doi.org/10.1016/S0140-6736(15)" \
           "01024-7 → 10.1016/S0140-6736(15)01024-7" in err
    assert f"{source}:19 writer2016: version of record 10.7717/peerj.3811: added " \
           "versionofrecord" in err
    assert f"{source}:41 badoi: not changed: doi '10.12/short' is not a valid DOI" in err
    assert err.rstrip().endswith(
        "3 changes in 2 entries (1 DOI normalised, 1 version of record, 1 version-of-record "
        f"note); 1 left as written; wrote {fixed}")


def test_mixed_list_doi_url_preprint_retraction_and_match(crossref, capsys, work):
    source = copy("fix/mixed.bib", work)
    fixed = work / "fixed.bib"
    code, _, err = fix(capsys, source, "-o", fixed, *AUDIT)
    assert code == 0
    assert fixed.read_text("utf-8") == MIXED_FIXED
    assert ("coating2012: marked retracted in addendum: Retracted: see the retraction notice "
            "doi:10.1021/acsami.9b11759 (recorded 2019-07-26)") in err
    assert "sadasivan: added doi 10.1371/journal.pone.0033693 (found by search, high " \
           "confidence)" in err
    assert "Cited for its method" in fixed.read_text("utf-8")  # the user's note is kept


def test_reauditing_the_fixed_file_finds_nothing_worse(crossref, capsys, work):
    source = copy("fix/mixed.bib", work)
    fixed = work / "fixed.bib"
    assert fix(capsys, source, "-o", fixed, *AUDIT)[0] == 0
    before = {v.key: v for v in auditor.audit(source, as_of="2026-11-27").references}
    after = {v.key: v for v in auditor.audit(fixed, as_of="2026-11-27").references}
    assert before.keys() == after.keys()
    for key, old in before.items():
        new = after[key]
        assert RANK.get(new.resolution, 0) >= RANK.get(old.resolution, 0), key
        assert new.status == old.status, key
        added = old.match.doi if old.match and old.match.applied else None
        assert new.reference.doi == (old.reference.doi or added), key
        # The notes name other DOIs (the notice, the version of record): a note beside a doi
        # field is prose, not a second DOI, so no new warning comes of them.
        problems = {f.code for f in new.findings if f.severity in ("error", "warning")}
        assert problems <= {f.code for f in old.findings}, (key, problems)
    assert (before["sadasivan"].resolution, after["sadasivan"].resolution) == (
        "matched", "verified")


def test_a_second_run_changes_nothing(crossref, capsys, work):
    source = copy("fix/mixed.bib", work)
    once, twice = work / "once.bib", work / "twice.bib"
    assert fix(capsys, source, "-o", once, *AUDIT)[0] == 0
    code, _, err = fix(capsys, once, "-o", twice, *AUDIT)
    assert code == 0
    assert twice.read_bytes() == once.read_bytes()
    assert "0 changes in 0 entries" in err


def test_dry_run_prints_the_diff_and_writes_nothing(crossref, capsys, work):
    source = copy("stand-in/training.bib", work)
    original = source.read_bytes()
    code, out, err = fix(capsys, source, "--dry-run", "-o", work / "never.bib", *AUDIT)
    assert code == 0
    assert out == f"--- {source}\n+++ {work / 'never.bib'}\n" + TRAINING_DIFF
    assert sorted(p.name for p in work.iterdir()) == ["training.bib"]
    assert source.read_bytes() == original
    assert "dry run: nothing written" in err


def test_in_place_keeps_a_backup_identical_to_the_original(crossref, capsys, work):
    source = copy("fix/mixed.bib", work, newline="\r\n")
    original = source.read_bytes()
    code, _, err = fix(capsys, source, "--in-place", *AUDIT)
    assert code == 0
    assert (work / "mixed.bib.bak").read_bytes() == original
    assert source.read_bytes() == MIXED_FIXED.replace("\n", "\r\n").encode("utf-8")
    assert f"original kept as {source}.bak" in err
    # Nothing left to do: the file is not rewritten and the backup is not replaced.
    code, _, err = fix(capsys, source, "--in-place", *AUDIT)
    assert code == 0
    assert (work / "mixed.bib.bak").read_bytes() == original
    assert f"{source} left as it was" in err


def test_offline_without_cache_still_normalises_dois(capsys, work):
    source = copy("fix/mixed.bib", work)
    code, out, err = fix(capsys, source, "--dry-run", "--offline", "--as-of", "2026-11-27")
    assert code == 0
    assert "+  doi     = {10.1016/S0140-6736(15)01024-7}" in out
    assert "versionofrecord" not in out and "Retracted" not in out
    assert "could not be checked: run fix again" in err


def test_add_published_appends_the_version_of_record_once(crossref, httpserver, capsys,
                                                          work):
    httpserver.expect_request(
        "/10.7717/peerj.3811", headers={"Accept": "application/x-bibtex"},
    ).respond_with_data(PUBLISHED, content_type="application/x-bibtex")
    source = copy("stand-in/training.bib", work)
    fixed, again = work / "fixed.bib", work / "again.bib"
    doi_url = httpserver.url_for("/").rstrip("/")
    code, _, err = fix(capsys, source, "-o", fixed, "--add-published", "--doi-url", doi_url,
                       *AUDIT)
    assert code == 0
    text = fixed.read_text("utf-8")
    assert text.endswith(
        "\n\n% version of record of writer2016 (doi:10.7717/peerj.3811), added by auditor fix\n"
        "@article{writer2016-published, title={A published article on bioRxiv work}, "
        "volume={5}, url={http://dx.doi.org/10.7717/peerj.3811}, DOI={10.7717/peerj.3811}, "
        "journal={PeerJ}, publisher={PeerJ}, author={Writer, B.}, year={2017}, "
        "pages={e3811} }\n")
    assert "writer2016: appended the version of record 10.7717/peerj.3811 as " \
           "writer2016-published" in err
    negotiated = [r for r, _ in httpserver.log if r.path == "/10.7717/peerj.3811"]
    assert len(negotiated) == 1
    code, _, _ = fix(capsys, fixed, "-o", again, "--add-published", "--doi-url", doi_url, *AUDIT)
    assert code == 0
    assert again.read_bytes() == fixed.read_bytes()
    assert len([r for r, _ in httpserver.log if r.path == "/10.7717/peerj.3811"]) == 1


def test_add_published_reports_a_failed_fetch_and_goes_on(crossref, httpserver, capsys, work,
                                                         monkeypatch):
    source = copy("stand-in/training.bib", work)
    fixed = work / "fixed.bib"
    monkeypatch.setenv("AUDITOR_DOI_URL", httpserver.url_for("/nothing-here").rstrip("/"))
    code, _, err = fix(capsys, source, "-o", fixed, "--add-published", *AUDIT)
    assert code == 0
    assert "writer2016: could not fetch the version of record 10.7717/peerj.3811: " \
           f"localhost:{httpserver.port} answered 500" in err
    assert unified_diff(source.read_text("utf-8"), fixed.read_text("utf-8"), "a", "b") == (
        "--- a\n+++ b\n" + TRAINING_DIFF)


@pytest.mark.parametrize(("args", "message"), [
    (["{ris}", "-o", "{out}"], "fix writes BibTeX: {ris} is RIS"),
    (["{bib}", "-o", "{bib}"], "-o {bib} is the input file; use --in-place"),
    (["{bib}"], "fix needs -o OUT.bib, --in-place or --dry-run"),
    (["{missing}", "-o", "{out}"], "{missing}: no such file"),
    (["{work}", "-o", "{out}"], "{work}: is a directory"),
    (["{empty}", "-o", "{out}"], "{empty}: no BibTeX entries found"),
    (["{bib}", "--dry-run", "--doi-url", "ftp://x"], "invalid --doi-url 'ftp://x'"),
    (["-", "--dry-run"], "fix edits a file"),
])
def test_usage_and_input_errors_are_one_line_exit_2(capsys, work, args, message):
    names = {"ris": FIXTURES / "ris" / "endnote_export.ris", "bib": copy("fix/mixed.bib", work),
             "out": work / "out.bib", "missing": work / "missing.bib", "work": work,
             "empty": FIXTURES / "bib" / "no-entries.bib"}
    code, out, err = fix(capsys, *[a.format(**names) for a in args])
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("auditor: error: ")
    assert message.format(**names) in err
    assert not (work / "out.bib").exists()


def test_output_and_in_place_together_are_a_usage_error(capsys, work):
    with pytest.raises(SystemExit) as exited:  # argparse's own check, one line on stderr
        main([str(copy("fix/mixed.bib", work)), "-o", str(work / "o.bib"), "--in-place"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "not allowed with argument" in err and len(err.strip().splitlines()) == 1


def test_fix_takes_the_shared_options_from_its_parent_parsers(work):
    """The cache and Crossref options are defined once (auditor/cli.py) and given to fix."""
    shared = argparse.ArgumentParser(add_help=False)
    shared.add_argument("--cache-dir", metavar="DIR")
    shared.add_argument("--mailto", metavar="EMAIL")
    shared.add_argument("--offline", action="store_true")
    parser = argparse.ArgumentParser(prog="auditor")
    add_fix_parser(parser.add_subparsers(dest="command"), [shared])
    args = parser.parse_args(["fix", "in.bib", "--dry-run", "--cache-dir", str(work),
                              "--mailto", "a@b.org", "--offline", "--min-confidence", "medium"])
    assert (args.command, args.cache_dir, args.mailto, args.offline, args.min_confidence) == (
        "fix", str(work), "a@b.org", True, "medium")


@pytest.mark.parametrize(("encoding", "prefix"), [
    ("latin-1", b""), ("utf-8", b"\xef\xbb\xbf")], ids=["latin-1", "utf-8-bom"])
def test_the_files_own_encoding_and_bom_are_kept(capsys, work, encoding, prefix):
    before = "@article{pena,\n  author = {Peña, Íñigo},\n  doi = {https://doi.org/10.1000/Abc}\n}\n"
    source, fixed = work / "in.bib", work / "out.bib"
    source.write_bytes(prefix + before.encode(encoding))
    code, _, _ = fix(capsys, source, "-o", fixed, "--offline")
    assert code == 0
    after = before.replace("https://doi.org/10.1000/Abc", "10.1000/Abc")
    assert fixed.read_bytes() == prefix + after.encode(encoding)


def test_a_negotiated_answer_must_be_one_entry_for_that_doi():
    from auditor.fixes.command import _published_block

    good = "@article{Smith_2017, DOI={10.7717/PEERJ.3811}, title={T}}"
    block, key, problem = _published_block(good, "10.7717/peerj.3811", "pre", {"smith_2017"})
    assert (key, problem) == ("Smith_2017-published", None)
    assert block.endswith("@article{Smith_2017-published, DOI={10.7717/PEERJ.3811}, title={T}}")
    assert _published_block("<html>Not here</html>", "10.7717/peerj.3811", "pre", set()) == (
        None, None, "the answer is not one BibTeX entry")
    other = "@article{x, doi={10.1000/other}}"
    assert _published_block(other, "10.7717/peerj.3811", "pre", set())[2] == (
        "the answer describes another DOI (10.1000/other)")


def test_fetch_bibtex_never_raises():
    from auditor.crossref.negotiation import fetch_bibtex

    answer = fetch_bibtex("10.7717/peerj.3811", "http://127.0.0.1:9", timeout=2)
    assert (answer.bibtex, answer.reason) == (None, "127.0.0.1:9 could not be reached")


def test_in_place_through_a_symbolic_link_fixes_the_file_it_names(crossref, capsys, work):
    source = copy("fix/mixed.bib", work)
    link = work / "link.bib"
    link.symlink_to(source)
    original = source.read_bytes()
    assert fix(capsys, link, "--in-place", *AUDIT)[0] == 0
    assert link.is_symlink() and source.read_bytes() != original
    assert (work / "mixed.bib.bak").read_bytes() == original
