"""The auditor's version and home, in a module of their own so that any module can name them
without importing the package's public API (which imports everything)."""

__version__ = "0.1.0"
PROJECT_URL = "https://github.com/auditor-bib/auditor"
