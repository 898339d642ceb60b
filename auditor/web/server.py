"""Start the page: uvicorn serving the application on this computer (127.0.0.1) unless another
host is asked for, the browser opened on it once it listens, Ctrl-C to stop."""

from __future__ import annotations

import errno
import ipaddress
import socket
import threading
import webbrowser
from collections.abc import Callable, Sequence
from contextvars import copy_context
from types import FrameType
from typing import Any

from auditor.config import Settings
from auditor.errors import AuditorError
from auditor.i18n import Said, _

LOCAL_HOST = "127.0.0.1"
LOCAL_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})


def is_local(host: str) -> bool:
    """Only this computer can reach a server bound to `host` (127.0.0.1, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_address(host: str, port: int) -> None:
    """An AuditorError saying what is wrong when the server could not listen at host:port: a
    name that is no address, an address of another computer, a port already taken."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise AuditorError(Said("--host {host}: no such name or address; give an address of "
                                "this computer (127.0.0.1, the default, or 0.0.0.0 for all)",
                                host=host)) from None
    family, kind, _proto, _name, address = found[0]
    with socket.socket(family, kind) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise AuditorError(Said("port {port} is already in use on {host}: choose "
                                        "another --port", port=port, host=host)) from None
            if error.errno == errno.EADDRNOTAVAIL:
                raise AuditorError(Said("--host {host} is not an address of this computer",
                                        host=host)) from None
            if error.errno == errno.EACCES:
                raise AuditorError(Said("port {port} needs administrator rights: choose a "
                                        "port above 1023", port=port)) from None
            raise AuditorError(Said("cannot serve on {host}:{port} ({why})", host=host,
                                    port=port, why=str(error.strerror))) from None


def _server_class() -> type:
    import uvicorn

    class Server(uvicorn.Server):
        """uvicorn's server, which first tells the running audits to stop on Ctrl-C: they end
        within seconds, where uvicorn alone would wait for each to finish."""

        def __init__(self, config: uvicorn.Config, jobs: Any) -> None:
            super().__init__(config)
            self.jobs = jobs

        def handle_exit(self, sig: int, frame: FrameType | None) -> None:
            self.jobs.stop()
            super().handle_exit(sig, frame)

    return Server


def serve(settings: Settings, *, host: str = LOCAL_HOST, port: int = 8000, lang: str = "en",
          open_browser: bool = True, max_upload: int, allowed: Sequence[str] = (),
          say: Callable[[str], None]) -> None:
    """Run the server until Ctrl-C (or SIGTERM), then stop cleanly."""
    import uvicorn

    from auditor.web.app import create_app
    from auditor.web.jobs import Jobs

    if not 0 < port < 65536:
        raise AuditorError(Said("--port {port}: choose a port between 1 and 65535", port=port))
    check_address(host, port)
    if not is_local(host):
        say(_("warning: serving on {host}: other computers on the network can use this page "
              "and the audits it runs; serve on 127.0.0.1 (the default) to keep it to this "
              "computer, or put it behind a reverse proxy that asks for a login").format(
            host=host))
    jobs = Jobs()
    # On this computer only, the page answers only to this computer's names (no DNS rebinding);
    # on a network, to whatever name colleagues or a reverse proxy use.
    hosts = (LOCAL_NAMES | {host.strip("[]").lower()} | {name.lower() for name in allowed}
             if is_local(host) else None)
    config = uvicorn.Config(create_app(settings, lang=lang, max_upload=max_upload, jobs=jobs,
                                       hosts=hosts),
                            host=host, port=port, log_level="critical", access_log=False,
                            lifespan="on", server_header=False, timeout_graceful_shutdown=10)
    server = _server_class()(config, jobs)
    shown = f"[{host}]" if ":" in host else host
    address = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else shown}:{port}/"

    def when_listening() -> None:
        while not server.started and not server.should_exit:
            threading.Event().wait(0.05)
        if server.started:
            say(_("the page is at {address} — open it in your browser; Ctrl-C stops the "
                  "server").format(address=address))
            if open_browser:
                webbrowser.open(address + f"?lang={lang}")

    threading.Thread(target=copy_context().run, args=(when_listening,), daemon=True).start()
    try:
        server.run()
    except KeyboardInterrupt:  # uvicorn has shut down cleanly, then hands Ctrl-C back
        say(_("the server stopped"))
        return
    except (OSError, SystemExit) as error:  # taken between the check and now
        detail = error.strerror if isinstance(error, OSError) else "is the port in use?"
        raise AuditorError(Said("cannot serve on {host}:{port} ({why}); choose another --port",
                                host=host, port=port, why=str(detail))) from None
    if not server.started:
        raise AuditorError(Said("cannot serve on {host}:{port} (is the port in use? choose "
                                "another --port)", host=host, port=port))
    say(_("the server stopped"))
