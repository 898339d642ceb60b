from builders import make_reference

from auditor.judge.duplicates import mark_duplicates
from auditor.model import SourceLocation, Verdict


def verdict(key: str, doi: str | None, file: str = "list.pdf") -> Verdict:
    reference = make_reference(key=key, doi=doi, source=SourceLocation(file, int(key)))
    fields = {f: None for f in Verdict.__dataclass_fields__}
    fields.update(reference=reference, findings=())
    return Verdict(**fields)


def codes(verdicts):
    return [[f.code for f in v.findings] for v in verdicts]


def test_the_second_copy_of_a_work_says_it_is_one():
    marked = mark_duplicates([verdict("1", "10.1016/x"), verdict("2", "10.1542/y"),
                              verdict("3", "10.1016/X")])
    assert codes(marked) == [[], [], ["I009"]]
    assert "the same work as 1" in marked[2].findings[0].message


def test_the_same_doi_in_two_lists_or_no_doi_is_no_duplicate():
    marked = mark_duplicates([verdict("1", "10.1016/x", "a.pdf"), verdict("2", "10.1016/x",
                                                                          "b.docx"),
                              verdict("3", None), verdict("4", None)])
    assert codes(marked) == [[], [], [], []]
