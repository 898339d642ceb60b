"""Tests for auditor.sources.doi: whatever a reference list holds → a lower-case DOI or nothing."""

import pytest

from auditor.sources.doi import DoiParse, find_doi, is_valid_doi, normalize_doi

P = pytest.param

LANCET = "10.1016/s0140-6736(15)01024-7"  # Victora 2016, a DOI that ends in ")…7"
SICI = "10.1002/(sici)1097-0258(19980815/30)17:15/16<1661::aid-sim968>3.0.co;2-2"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        P("10.1001/jama.2016.0287", "10.1001/jama.2016.0287", id="bare"),
        P("10.1001/JAMA.2016.0287", "10.1001/jama.2016.0287", id="upper-case-lowered"),
        P("https://doi.org/10.1001/jama.2016.0287", "10.1001/jama.2016.0287", id="https-doi-org"),
        P("http://doi.org/10.1001/jama.2016.0287", "10.1001/jama.2016.0287", id="http-doi-org"),
        P("https://dx.doi.org/10.1001/jama.2016.0287", "10.1001/jama.2016.0287", id="dx-doi-org"),
        P("http://dx.doi.org/10.1109/CSB.2005.52", "10.1109/csb.2005.52", id="http-dx-doi-org"),
        P("https://www.doi.org/10.1001/jama.2016.0287", "10.1001/jama.2016.0287", id="www-doi"),
        P("doi.org/10.1001/jama.2016.0287", "10.1001/jama.2016.0287", id="doi-org-no-scheme"),
        P("doi:10.1001/jama.2016.0287", "10.1001/jama.2016.0287", id="doi-colon"),
        P("DOI: 10.1001/jama.2016.0287", "10.1001/jama.2016.0287", id="DOI-colon-space"),
        P("Doi : 10.1001/jama.2016.0287", "10.1001/jama.2016.0287", id="Doi-space-colon"),
        P("DOI 10.1007/s00134-021-06506-y", "10.1007/s00134-021-06506-y",
          id="DOI-space-as-printed-by-springer"),
        P("doi: https://doi.org/10.1001/jama.2016.0287", "10.1001/jama.2016.0287",
          id="stacked-prefixes"),
        P("info:doi/10.1001/jama.2016.0287", "10.1001/jama.2016.0287", id="info-uri"),
        P("10.1002%2F14651858.CD009217", "10.1002/14651858.cd009217", id="percent-2F"),
        P("https://doi.org/10.1002%2F14651858.CD009217", "10.1002/14651858.cd009217",
          id="url-percent-2F"),
        P("  10.1001/jama.2016.0287 \n", "10.1001/jama.2016.0287", id="whitespace-around"),
        P("{10.1001/jama.2016.0287}", "10.1001/jama.2016.0287", id="braces-around"),
        P("10.1001/jama.2016.0287.", "10.1001/jama.2016.0287", id="trailing-period"),
        P("10.1001/jama.2016.0287,", "10.1001/jama.2016.0287", id="trailing-comma"),
        P("10.1001/jama.2016.0287;", "10.1001/jama.2016.0287", id="trailing-semicolon"),
        P("https://doi.org/10.1001/JAMA.285.4.413.", "10.1001/jama.285.4.413",
          id="url-and-trailing-period"),
        P("10.1016/S0140-6736(15)01024-7", LANCET, id="ends-in-parenthesised-part"),
        P("10.1016/S0140-6736(15)01024-7.", LANCET, id="parentheses-then-period"),
        P("10.1016/S0140-6736(15)01024-7).", LANCET, id="closing-parenthesis-of-sentence"),
        P("10.1016/0921-4534(89)90484-X", "10.1016/0921-4534(89)90484-x", id="ends-in-X"),
        P("10.1002/(SICI)1097-0258(19980815/30)17:15/16<1661::AID-SIM968>3.0.CO;2-2", SICI,
          id="sici"),
        P("10.1002/(SICI)1097-0258(19980815/30)17:15/16<1661::AID-SIM968>3.0.CO;2-2;", SICI,
          id="sici-trailing-semicolon"),
        P("10.1175/1520-0493(1950)078<0001:VOFEIT>2.0.CO;2",
          "10.1175/1520-0493(1950)078<0001:vofeit>2.0.co;2", id="sici-ams"),
        P("10.1000/abc\\_def", "10.1000/abc_def", id="latex-escaped-underscore"),
        P("10.1000/abc\n  def", "10.1000/abcdef", id="wrapped-over-two-lines"),
        P("10.123456789/x", "10.123456789/x", id="nine-digit-prefix"),
        P("https://doi.org/10.1000/abc#sec1", "10.1000/abc", id="doi-url-fragment-dropped"),
        P("https://dx.doi.org/10.1000/abc?utm_source=x", "10.1000/abc",
          id="doi-url-query-dropped"),
        P("https://onlinelibrary.wiley.com/doi/full/10.1111/apa.13147", "10.1111/apa.13147",
          id="publisher-url-holds-one-doi"),
        P("PMID 26903338; doi:10.1001/jama.2016.0287", "10.1001/jama.2016.0287",
          id="text-holds-one-doi"),
    ],
)
def test_normalize_doi_valid(text, expected):
    assert normalize_doi(text) == DoiParse(expected)


@pytest.mark.parametrize(
    "text",
    [
        P("10.1000/xyz 10.1000/abc", id="space"),
        P("10.1000/xyz, 10.1000/abc", id="comma"),
        P("10.1000/xyz;10.1000/abc", id="semicolon"),
        P("10.1000/xyz\n  10.1000/abc", id="newline"),
        P("doi:10.1000/xyz; https://doi.org/10.1000/ABC", id="prefixed"),
    ],
)
def test_normalize_doi_several_gives_the_first_and_the_others(text):
    assert normalize_doi(text) == DoiParse("10.1000/xyz", None, ("10.1000/abc",))


@pytest.mark.parametrize(
    "text",
    [
        P("10.123/x", id="prefix-too-short"),
        P("10.1234567890/x", id="prefix-too-long"),
        P("11.1234/x", id="not-directory-10"),
        P("n/a", id="n-a"),
        P("doi", id="word-doi"),
        P("doi:", id="prefix-only"),
        P("10.1001/", id="no-suffix"),
        P("10.1001", id="no-slash"),
        P("https://www.ncbi.nlm.nih.gov/pubmed/26903338", id="pubmed-url"),
        P("ISBN 978-92-4-001512-8", id="an-isbn"),
    ],
)
def test_normalize_doi_invalid_gives_a_problem(text):
    parsed = normalize_doi(text)
    assert parsed.doi is None
    assert parsed.problem is not None
    assert text.strip() in parsed.problem


@pytest.mark.parametrize(
    "text",
    [P(None, id="none"), P("", id="empty"), P("   ", id="blank"), P("{}", id="empty-braces")],
)
def test_normalize_doi_nothing_written_is_no_doi_and_no_problem(text):
    # An empty doi field is not an invalid DOI: nothing was claimed, so nothing is flagged.
    assert normalize_doi(text) == DoiParse(None, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        P("https://doi.org/10.1542/peds.2022-057988", "10.1542/peds.2022-057988", id="doi-url"),
        P("See https://doi.org/10.1542/peds.2022-057988.", "10.1542/peds.2022-057988",
          id="doi-url-ending-a-sentence"),
        P("Published online (https://doi.org/10.1542/peds.2022-057988)",
          "10.1542/peds.2022-057988", id="doi-url-in-parentheses"),
        P("doi 10.1007/s00453-009-9339-7", "10.1007/s00453-009-9339-7", id="note-doi-space"),
        P("Accessed 2020. doi: 10.1016/S0140-6736(15)01024-7.", LANCET,
          id="sentence-keeps-doi-parentheses"),
        P("https://onlinelibrary.wiley.com/doi/abs/10.1111/j.1467-9868.2007.00587.x",
          "10.1111/j.1467-9868.2007.00587.x", id="publisher-path-before"),
        P("https://journals.plos.org/plosmedicine/article?id=10.1371/journal.pmed.1003542",
          "10.1371/journal.pmed.1003542", id="doi-in-query"),
        P("https://journals.plos.org/ploscompbiol/article?id=10.1371/journal.pcbi.1011393"
          "&type=printable", "10.1371/journal.pcbi.1011393", id="doi-in-query-then-more"),
        P("https://doi.org/10.1001/jama.2016.0287?utm_source=x", "10.1001/jama.2016.0287",
          id="query-after-doi"),
        P("https://doi.org/10.1001/jama.2016.0287#sec1", "10.1001/jama.2016.0287",
          id="fragment-after-doi"),
        P("https://www.medrxiv.org/content/10.1101/2021.02.03.21250974v1",
          "10.1101/2021.02.03.21250974", id="medrxiv-version"),
        P("https://www.biorxiv.org/content/10.1101/2020.01.01.123456v2.full.pdf",
          "10.1101/2020.01.01.123456", id="biorxiv-version-full-pdf"),
        P("https://www.biorxiv.org/content/10.1101/123456v3", "10.1101/123456",
          id="biorxiv-old-style-version"),
        P("https://genome.cshlp.org/content/10.1101/gr.277335.122", "10.1101/gr.277335.122",
          id="cshl-journal-not-a-preprint"),
        P("https://projecteuclid.org/journals/aoas/volume-12/10.1214/17-AOAS1090.full",
          "10.1214/17-aoas1090", id="dot-full"),
        P("https://www.frontiersin.org/articles/10.3389/fpsyg.2019.00123/full",
          "10.3389/fpsyg.2019.00123", id="slash-full"),
        P("http://www.cochranelibrary.com/cdsr/doi/10.1002/14651858.CD009217.pub3/full",
          "10.1002/14651858.cd009217.pub3", id="cochrane-slash-full"),
        P("https://onlinelibrary.wiley.com/doi/epdf/10.1002/sim.7488", "10.1002/sim.7488",
          id="wiley-epdf"),
        P("https://doi.org/10.1002%2F14651858.CD009217", "10.1002/14651858.cd009217",
          id="percent-2F-in-url"),
        P("https://doi.org/10.1000/abc\\_def", "10.1000/abc_def", id="latex-underscore"),
        P("doi:10.1175/1520-0493(1950)078<0001:VOFEIT>2.0.CO;2",
          "10.1175/1520-0493(1950)078<0001:vofeit>2.0.co;2", id="sici-in-a-note"),
        P("https://doi.org/10.1175/1520-0493(1950)078%3C0001:VOFEIT%3E2.0.CO;2",
          "10.1175/1520-0493(1950)078<0001:vofeit>2.0.co;2", id="sici-percent-encoded-in-url"),
        P("<https://doi.org/10.1001/jama.2016.0287>", "10.1001/jama.2016.0287",
          id="url-in-angle-brackets"),
        P("{$<$}doi:10.18637/jss.v090.i12{$>$}", "10.18637/jss.v090.i12",
          id="latex-angle-brackets-around"),
        P("Full text at https://example.org/10.1000/a.full-text for subscribers",
          "10.1000/a", id="dot-full-text"),
    ],
)
def test_find_doi_in_text(text, expected):
    assert find_doi(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        P(None, id="none"),
        P("", id="empty"),
        P("https://www.ncbi.nlm.nih.gov/pmc/articles/PMC6123456/", id="pmc-url"),
        P("https://www.ncbi.nlm.nih.gov/pubmed/26903338", id="pubmed-url"),
        P("https://apps.who.int/iris/handle/10665/79322", id="handle-not-doi"),
        P("https://www.R-project.org/", id="plain-url"),
        P("Version 10.2 of the guideline", id="a-version-number"),
        P("https://doi.org/10.123/x", id="prefix-too-short"),
    ],
)
def test_find_doi_none(text):
    assert find_doi(text) is None


def test_suffixes_are_only_cut_from_urls():
    # In a sentence "v2" or ".full" could be part of the DOI as written; only a URL's
    # landing-page tail is known not to be.
    assert find_doi("doi:10.1101/2021.02.03.21250974v1") == "10.1101/2021.02.03.21250974v1"


@pytest.mark.parametrize(
    ("doi", "expected"),
    [
        P("10.1001/jama.2016.0287", True, id="valid"),
        P(LANCET, True, id="valid-parentheses"),
        P("10.123/x", False, id="short-prefix"),
        P("https://doi.org/10.1001/jama.2016.0287", False, id="url-not-normalised"),
        P("10.1001/jama 2016", False, id="space"),
    ],
)
def test_is_valid_doi(doi, expected):
    assert is_valid_doi(doi) is expected
