"""The page's HTML, rendered on the server from Jinja templates (auditor/web/templates), every
value escaped. The words go through gettext, in the language the page is asked in."""

from __future__ import annotations

import datetime as dt
from typing import Any

from markupsafe import Markup, escape

from auditor.config import Settings
from auditor.fixes.corrected import summary
from auditor.i18n import _, decimal, in_language, labelled, n_, use_language
from auditor.sources import SUFFIXES as READ_SUFFIXES
from auditor.sources import TEXT_SUFFIXES
from auditor.sources.documents import DOCUMENT_SUFFIXES
from auditor.web.audits import FORMATS, LANGUAGES, SUFFIXES, current
from auditor.web.jobs import Job

LANGUAGE_NAMES = {"en": "English", "fr": "Français"}
# The file chooser offers every suffix `auditor check` reads.
ACCEPTED = ",".join(sorted({*READ_SUFFIXES, *TEXT_SUFFIXES, *DOCUMENT_SUFFIXES} - {""}))


class Pages:
    def __init__(self, max_upload: int) -> None:
        from jinja2 import Environment, PackageLoader, select_autoescape

        self.max_upload = max_upload
        self._env = Environment(loader=PackageLoader("auditor.web", "templates"),
                                autoescape=select_autoescape(default=True),
                                trim_blocks=True, lstrip_blocks=True)
        self._env.globals.update(_=_, n_=n_, said=in_language, decimal=decimal, languages=LANGUAGES,
                                 language_names=LANGUAGE_NAMES)

    def _render(self, template: str, lang: str, **values: Any) -> str:
        with use_language(lang):
            return self._env.get_template(template).render(lang=lang, **values)

    def index(self, lang: str, settings: Settings) -> str:
        return self._render("index.html", lang, settings=current(settings), accept=ACCEPTED,
                            today=dt.date.today().isoformat(),
                            max_megabytes=f"{self.max_upload / (1024 * 1024):g}")

    def job(self, lang: str, job: Job) -> str:
        result = job.result
        downloads = [(fmt, f"/jobs/{job.id}/report.{SUFFIXES[fmt]}?download=1&lang={lang}")
                     for fmt in FORMATS] if result is not None else []
        fixed = None
        with use_language(lang):
            headline = result.headline if result is not None else None
            if job.corrected is not None:
                link = Markup('<a href="{url}" download>{words}</a>').format(
                    url=f"/jobs/{job.id}/corrected.bib", words=_("The corrected .bib file"))
                fixed = {"changed": job.corrected.changed, "line": Markup(escape(
                    labelled("{link}", "{summary}."))).format(
                        link=link, summary=summary(job.corrected.edits))}
        return self._render("job.html", lang, job=job, state=job.snapshot(),
                            headline=headline, downloads=downloads, fixed=fixed,
                            outcome=str(result.outcome) if result is not None else None)

    def error(self, lang: str, message: str, *, found: bool = True) -> str:
        """The page of one refusal; `found` false: the address leads nowhere (404)."""
        # its language links lead to the form: the address that failed may take only a POST
        return self._render("error.html", lang, message=message, here="/", found=found)
