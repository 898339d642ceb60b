"""`auditor fix`: write back into a BibTeX file what the audit found, touching nothing else.

Four small steps, each testable alone:

- `bibtex_scan.read_entries(text)` — pure: where every entry and field stands, to the character;
- `plan.plan_fixes(verdicts, entries)` — pure: the verdicts and the entries' fields → a list of
  `Edit`s (add a DOI, normalise one, mark a retraction, name a version of record);
- `bibtex_edit.apply_edits(text, edits)` — pure: text in, text out; every byte the edits do not
  name stays as it was (comments, macros, quoting, indentation, line endings);
- `command.run_fix(args)` — the `fix` subcommand: audit, plan, apply, check, write.
"""

from __future__ import annotations

from auditor.fixes.bibtex_edit import EditError, apply_edits, unified_diff
from auditor.fixes.bibtex_scan import read_entries
from auditor.fixes.plan import Edit, EntryFields, plan_fixes, published_versions

__all__ = ["Edit", "EditError", "EntryFields", "apply_edits", "plan_fixes", "published_versions",
           "read_entries", "unified_diff"]
