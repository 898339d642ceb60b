"""A local index of Crossref works, built from the public data file (or a Plus snapshot), so
that DOIs are resolved with no request at all: `build_index` writes it, `LocalIndex` reads it
with the same Lookups as the Crossref client."""

from auditor.index.build import Built, build_index
from auditor.index.local import IndexInfo, LocalIndex

__all__ = ["Built", "IndexInfo", "LocalIndex", "build_index"]
