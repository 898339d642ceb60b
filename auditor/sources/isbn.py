"""ISBNs, beside doi.py: the one pattern every reader uses to find a book's number, in a field
(`isbn = {978-0-19-852663-6}`, an RIS `SN` that may hold ISSNs too) or in running text
("… Geneva: WHO; 2009. ISBN 978 92 4 159749 4").

An ISBN is 10 characters (the last may be X) or 13 digits beginning 978 or 979, its groups
separated by hyphens or spaces; digits running on either side mean it is another number (two
ISSNs side by side, `1895-5770 1895-5770`, are not an ISBN). The check digit is not tested:
a mistyped ISBN is still what the list says, shown to the reader, never looked up.
"""

from __future__ import annotations

import re

NUMBER = r"(?:97[89][-\s]?)?(?:\d[-\s]?){9}[\dXx]"
_IN_FIELD = re.compile(rf"(?<![\dXx-]){NUMBER}(?![\dXx])")
# In running text only a number labelled ISBN is one.
LABELLED = re.compile(rf"\bISBN(?:-1[03])?\s*:?\s*({NUMBER})(?![\dXx])", re.IGNORECASE)


def _digits(text: str) -> str:
    return re.sub(r"[-\s]", "", text).upper()


def find_isbn(*values: str | None) -> str | None:
    """The first ISBN in the values of a field, digits only: `978-0-19-852663-6` →
    `9780198526636`; None when there is none."""
    for value in values:
        match = _IN_FIELD.search(value) if value else None
        if match:
            return _digits(match.group(0))
    return None


def find_labelled_isbn(text: str | None) -> str | None:
    """An ISBN named as such in running text: "ISBN 978 92 4 159749 4" → `9789241597494`."""
    match = LABELLED.search(text) if text else None
    return _digits(match.group(1)) if match else None
