"""Reading one citation string with a trained sequence labeller (a CRF, like anystyle and
GROBID), the rule-based reader (sources/citation_text.py) being the fallback."""
