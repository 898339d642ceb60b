"""ISBNs in a field and in running text: 10 characters (X last) or 13 digits from 978/979,
never a run of ISSNs."""

from __future__ import annotations

import pytest

from auditor.sources.isbn import find_isbn, find_labelled_isbn

P = pytest.param


@pytest.mark.parametrize(("values", "isbn"), [
    P(["1895-5770 1895-5770"], None, id="two-issns"),
    P(["2325-9671 (electronic)"], None, id="one-issn"),
    P(["978-0-306-40615-7"], "9780306406157", id="isbn-13"),
    P(["ISBN 0-306-40615-2"], "0306406152", id="isbn-10-labelled"),
    P(["0-8044-2957-x"], "080442957X", id="x-check-digit"),
    P(["1234-5679", "9780306406157"], "9780306406157", id="second-value"),
    P(["978 0 19 852663 6"], "9780198526636", id="spaces"),
    P(["12345678901234"], None, id="too-many-digits"),
])
def test_find_isbn(values, isbn):
    assert find_isbn(*values) == isbn


@pytest.mark.parametrize(("text", "isbn"), [
    P("World Health Organization. Guideline. Geneva: WHO; 2009. ISBN 978 92 4 159749 4.",
      "9789241597494", id="who-guideline"),
    P("Lawrence RA. Breastfeeding. 8th ed. Elsevier; 2016. ISBN-13: 978-0-323-35776-0",
      "9780323357760", id="isbn-13-label"),
    P("Smith J. A paper. J Hum Lact 2019;35(2):1234-5678.", None, id="pages-are-not-isbn"),
])
def test_find_labelled_isbn(text, isbn):
    assert find_labelled_isbn(text) == isbn
