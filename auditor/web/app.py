"""The local web page and its API, as a Starlette application: a thin front end over the
library, as the CLI is — the same readers, pipeline, settings, cache and renderers.

    GET  /                      the page: paste a list or choose files, the settings, Audit
    POST /audit                 starts an audit (the page's form) → /jobs/ID
    GET  /jobs/ID               its progress, phase by phase, then its report and downloads
    GET  /jobs/ID/report.FMT    the report as html, json, csv or md (`?download=1`: a file)
    GET  /jobs/ID/corrected.bib for one BibTeX input: the file as `auditor fix` corrects it
    GET  /api/jobs/ID           the progress as JSON, for the page's script
    POST /api/audit             one audit, answered when done in `format` (JSON by default)
    GET  /api/health            {"status": "ok", "version": …}

Errors are one sentence with the right status — JSON under /api/, a page elsewhere — and
never a stack trace.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from auditor._version import __version__
from auditor.catalogue import Catalogue
from auditor.config import Settings, load_settings
from auditor.errors import AuditorError
from auditor.fixes.corrected import Corrected
from auditor.i18n import N_, Said, _, in_language, use_language
from auditor.report import Report
from auditor.web import audits
from auditor.web.audits import Asked, Unaccepted
from auditor.web.jobs import Job, Jobs
from auditor.web.pages import Pages
from auditor.web.safety import DEFAULT_MAX_UPLOAD, REPORT_POLICY, Guard, TooLarge

_log = logging.getLogger(__name__)
STOPPING = Said("the server is stopping: no audit can be run now; start it again and "
                "send the list again")


def create_app(settings: Settings | None = None, *, lang: str = "en",
               max_upload: int = DEFAULT_MAX_UPLOAD, jobs: Jobs | None = None,
               hosts: frozenset[str] | None = None) -> Any:
    """The ASGI application: `uvicorn.run(create_app())`, or Starlette's TestClient; `jobs`
    runs its audits (the server stops them when it stops); `hosts`, the names it answers to
    (None: any)."""
    web = _Web(settings or load_settings(), lang, max_upload, jobs or Jobs())
    app = Starlette(routes=[
        Route("/", web.index),
        Route("/audit", web.start, methods=["POST"]),
        Route("/jobs/{job_id}", web.job),
        Route("/jobs/{job_id}/report.{fmt}", web.report),
        Route("/jobs/{job_id}/corrected.bib", web.corrected),
        Route("/api/jobs/{job_id}", web.progress),
        Route("/api/audit", web.audit, methods=["POST"]),
        Route("/api/health", web.health),
        Mount("/static", StaticFiles(packages=[("auditor.web", "static")]), name="static"),
    ], exception_handlers={HTTPException: web.http_error, Exception: web.bug},
        lifespan=web.lifespan)
    return Guard(app, max_upload, web.refusal, hosts)


class _Web:
    def __init__(self, settings: Settings, lang: str, max_upload: int, jobs: Jobs) -> None:
        self.settings, self.lang, self.max_upload, self.jobs = settings, lang, max_upload, jobs
        self.pages = Pages(max_upload)

    @contextlib.asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        yield
        self.jobs.stop()

    def _lang(self, request: Request) -> str:
        asked = request.query_params.get("lang", "")
        return asked if asked in audits.LANGUAGES else self.lang

    async def _asked(self, request: Request) -> Asked:
        """The request's form as an Asked; Unaccepted when it cannot be audited."""
        try:
            form = await request.form(max_part_size=self.max_upload)
        except TooLarge as error:
            raise Unaccepted(413, error.message) from None
        except (MultiPartException, HTTPException):  # Starlette says it in English
            raise Unaccepted(400, Said("the form sent cannot be read: send it again from the "
                                       "page, or check the request's multipart body")) from None
        files = [(item.filename, await item.read()) for item in form.getlist("file")
                 if isinstance(item, UploadFile)]
        texts = {key: value for key, value in form.items() if isinstance(value, str)}
        try:
            return audits.asked_from(texts, files, self._lang(request))
        except Unaccepted as error:  # said in the language the form asked for, if it did
            asked = str(texts.get("lang", "")).strip().lower()
            error.lang = asked if asked in audits.LANGUAGES else self._lang(request)
            raise

    def refusal(self, scope: dict[str, Any], status: int, said: str) -> tuple[str, bytes]:
        """A request refused before it is read (too large, from another site): JSON under
        /api/, else a page, in the language of its address (?lang=)."""
        request = Request(scope)
        lang = self._lang(request)
        with use_language(lang):
            message = in_language(said)
        if request.url.path.startswith("/api/"):
            return "application/json", json.dumps({"error": message, "status": status}).encode()
        return "text/html; charset=utf-8", self.pages.error(lang, message).encode()

    # --- the page ----------------------------------------------------------------------
    async def index(self, request: Request) -> Response:
        return HTMLResponse(self.pages.index(self._lang(request), self.settings))

    async def start(self, request: Request) -> Response:
        lang = self._lang(request)
        try:
            asked = await self._asked(request)
            settings = audits.settings_for(self.settings, asked)
            if self.jobs.stopping:
                raise Unaccepted(503, STOPPING)
        except Unaccepted as error:
            return self._error_page(error.lang or lang, error)

        def work(job: Job) -> Report | Catalogue:
            report = audits.run(asked, settings, job, job.warn)
            try:
                job.corrected = audits.corrected_bibtex(asked, report)
            except AuditorError as error:  # the report stands; only its .bib is missing
                job.warn(Said("no corrected .bib: {why}", why=error.args[0]))
            return report

        try:
            job = self.jobs.start(asked.lang, work)
        except RuntimeError:  # the pool stopped between the check above and now
            return self._error_page(lang, Unaccepted(503, STOPPING))
        return RedirectResponse(f"/jobs/{job.id}?lang={asked.lang}", 303)

    def _job(self, request: Request) -> Job:
        job = self.jobs.get(request.path_params["job_id"])
        if job is None:
            raise HTTPException(404, N_("no such audit (the server keeps the last 50)"))
        return job

    async def job(self, request: Request) -> Response:
        job = self._job(request)
        return HTMLResponse(self.pages.job(self._lang(request) if "lang" in request.query_params
                                           else job.lang, job))

    async def report(self, request: Request) -> Response:
        job = self._job(request)
        fmt = {"md": "markdown"}.get(request.path_params["fmt"], request.path_params["fmt"])
        if fmt not in audits.FORMATS or job.result is None:
            raise HTTPException(404, N_("no such report"))
        lang = self._lang(request) if "lang" in request.query_params else job.lang
        text = await run_in_threadpool(audits.rendered, job.result, fmt, lang)
        if fmt == "csv":  # a byte-order mark, as `-o FILE.csv` writes: Excel then reads UTF-8
            text = "\ufeff" + text
        headers = {"content-security-policy": REPORT_POLICY} if fmt == "html" else {}
        if fmt != "html" or request.query_params.get("download"):
            headers["content-disposition"] = audits.attachment(
                f"auditor-report.{audits.SUFFIXES[fmt]}")
        return Response(text, media_type=audits.MEDIA_TYPES[fmt], headers=headers)

    async def corrected(self, request: Request) -> Response:
        job = self._job(request)
        if job.corrected is None:
            raise HTTPException(404, N_("this audit has no corrected .bib (it is made for one "
                                        "BibTeX file)"))
        return _bibtex(job.corrected)

    async def progress(self, request: Request) -> Response:
        return JSONResponse(self._job(request).snapshot())

    # --- the API -----------------------------------------------------------------------
    async def audit(self, request: Request) -> Response:
        asked: Asked | None = None
        try:
            asked = await self._asked(request)
            settings = audits.settings_for(self.settings, asked)
            if self.jobs.stopping:
                raise Unaccepted(503, STOPPING)
            try:
                result = await asyncio.wrap_future(self.jobs.submit(
                    lambda: audits.run(asked, settings)))
            except (RuntimeError, asyncio.CancelledError):  # the pool stopped meanwhile
                raise Unaccepted(503, STOPPING) from None
            if self.jobs.stopping:  # ended early, its references unchecked: no report
                raise Unaccepted(503, STOPPING)
            if asked.fmt == audits.CORRECTED:
                fixed = await run_in_threadpool(audits.corrected_bibtex, asked, result)
                assert fixed is not None  # asked_from accepts bibtex for one BibTeX input only
                return _bibtex(fixed)
        except AuditorError as error:  # Unaccepted, or an input that cannot be read
            status = error.status if isinstance(error, Unaccepted) else 400
            lang = asked.lang if asked else getattr(error, "lang", None) or self._lang(request)
            with use_language(lang):
                return _json_error(status, str(error))
        text = await run_in_threadpool(audits.rendered, result, asked.fmt, asked.lang)
        return Response(text, media_type=audits.MEDIA_TYPES[asked.fmt])

    async def health(self, request: Request) -> Response:
        return JSONResponse({"status": "ok", "version": __version__})

    # --- errors ------------------------------------------------------------------------
    def _error_page(self, lang: str, error: Unaccepted) -> Response:
        with use_language(lang):
            return HTMLResponse(self.pages.error(lang, str(error)), error.status)

    async def http_error(self, request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        ours = {404: N_("there is no page at this address"),
                405: N_("this address does not take that method")}
        detail = str(error.detail)
        message = ours[error.status_code] if error.status_code in ours and detail in (
            "Not Found", "Method Not Allowed") else detail
        lang = self._lang(request)
        with use_language(lang):
            said = _(message)
            if request.url.path.startswith("/api/"):
                return _json_error(error.status_code, said)
            return HTMLResponse(self.pages.error(lang, said,
                                                 found=error.status_code not in (404, 405)),
                                error.status_code)

    async def bug(self, request: Request, error: Exception) -> Response:
        _log.exception("request %s failed", request.url.path)
        message = (f"internal error: {type(error).__name__} (a bug: please report it; the "
                   "server's terminal shows the details)")
        if request.url.path.startswith("/api/"):
            return _json_error(500, message)
        with use_language(self._lang(request)):
            return HTMLResponse(self.pages.error(self._lang(request), _(message)), 500)


def _bibtex(fixed: Corrected) -> Response:
    name = audits.corrected_name(fixed.file)
    media = f"application/x-bibtex; charset={fixed.encoding}"
    return Response(fixed.encoded(), media_type=media,
                    headers={"content-disposition": audits.attachment(name)})


def _json_error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message, "status": status}, status)
