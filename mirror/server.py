"""The offline mirror: one local HTTP server per disclosure site, all on 127.0.0.1.

Each site gets its own port, as each real bureau has its own host, so per-host politeness
is exercised for real. Use it from Python (`Mirror().start()`) or as `python -m mirror`.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections import Counter
from email.utils import formatdate
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from mirror import pages
from mirror.content import GENERATED_DIR, Article, Column, Site, build_sites
from mirror.fleet import fleet_sites
from mirror.index_page import index_page
from mirror.misbehaviour import MISBEHAVIOURS, TroubledRequest

JPAAS_LIST_PATH = "/api-gateway/jpaas-publish-server/front/page/build/unit"
JCMS_PROXY_PATH = "/module/web/jpage/dataproxy.jsp"
DOWNLOAD_PATH = "/module/download/downfile.jsp"
_TRS_LIST = re.compile(r"^/col(\d+)/index(?:_(\d+))?\.html$")
_COLUMN_PAGE = re.compile(r"^/col/col(\d+)/index\.html$()")


class SiteState:
    """One site's content plus the request counters that misbehaving pages depend on."""

    def __init__(self, site: Site):
        self.site = site
        self.lock = threading.Lock()
        self.hits: Counter[str] = Counter()
        self.requests: list[tuple[str, str]] = []
        self._index: dict[str, tuple[Column, int]] = {}

    def count(self, method: str, path: str) -> int:
        with self.lock:
            self.requests.append((method, path))
            self.hits[path] += 1
            return self.hits[path]

    def find_article(self, path: str) -> tuple[Column, Article] | None:
        found = self._lookup(path)
        if found is None:  # articles were published or replaced since the index was built
            self._index = {
                self.site.article_path(column, article): (column, position)
                for column in self.site.columns
                for position, article in enumerate(column.articles)
            }
            found = self._lookup(path)
        return found

    def _lookup(self, path: str) -> tuple[Column, Article] | None:
        column, position = self._index.get(path, (None, -1))
        if column is None or position >= len(column.articles):
            return None
        article = column.articles[position]
        return (column, article) if self.site.article_path(column, article) == path else None

    def find_column(self, column_id: int) -> Column | None:
        return next((column for column in self.site.columns if column.id == column_id), None)

    def find_attachment(self, download_name: str):
        for _, article in self.site.all_articles():
            for attachment in article.attachments:
                if attachment.download_name == download_name:
                    return attachment
        return None


class MirrorHandler(BaseHTTPRequestHandler):
    state: SiteState  # set on the per-site subclass
    mirror: Mirror  # the mirror serving it, for the index page at /
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as two writes; Nagle would stall each answer ~40 ms
    server_version = "nginx"
    sys_version = ""

    def log_message(self, format, *args):
        pass

    # --- responses -------------------------------------------------------------------------
    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str = "text/html; charset=utf-8",
        headers: dict | None = None,
        conditional: bool = False,
    ) -> None:
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        if conditional and self.headers.get("If-None-Match") == etag:
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if conditional:
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", formatdate(1700000000, usegmt=True))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _html(self, text: str, conditional: bool = True) -> None:
        self._send(200, text.encode("utf-8"), conditional=conditional)

    def _not_found(self) -> None:
        self._send(404, b"<html><body><h1>404 Not Found</h1></body></html>")

    # --- routing ---------------------------------------------------------------------------
    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        self._route()

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.form = parse_qs(self.rfile.read(length).decode("utf-8")) if length else {}
        self._route()

    def _route(self) -> None:
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        path = url.path
        self.state.count(self.command, self.path)
        site = self.state.site
        if path == "/robots.txt":
            lines = ["User-agent: *"] + [f"Disallow: {p}" for p in site.disallowed_paths] + ["Allow: /"]
            return self._send(200, ("\n".join(lines) + "\n").encode(), "text/plain")
        if path == "/":  # every port lists the mirror's sites (no site of the mirror has a page of its own here)
            return self._html(self.mirror.index_html(), conditional=False)
        if site.kind == "docshare":
            return self._docshare(path)
        column_page = _TRS_LIST.match(path) if site.kind == "trs" else _COLUMN_PAGE.match(path)
        if column_page:
            return self._column_page(int(column_page.group(1)), int(column_page.group(2) or 0))
        if path == JCMS_PROXY_PATH:
            return self._jcms_proxy(query)
        if path == JPAAS_LIST_PATH:
            return self._jpaas_list(query)
        if path == DOWNLOAD_PATH:
            return self._download(query)
        found = self.state.find_article(path)
        if found is None and site.kind == "trs":  # attachments sit beside the article: ./P0….pdf
            return self._download({"filename": [path.rsplit("/", 1)[-1]]})
        if found is None:
            return self._not_found()
        column, article = found
        if article.trouble:
            return self._misbehave(column, article)
        render = pages.trs_article_page if site.kind == "trs" else pages.article_page
        return self._html(render(site, column, article))

    def _column_page(self, column_id: int, page: int) -> None:
        site, column = self.state.site, self.state.find_column(column_id)
        if column is None:
            return self._not_found()
        if site.kind == "trs":
            return self._html(pages.trs_list_page(site, column, page))
        render = pages.jpaas_column_page if site.kind == "jpaas" else pages.jcms_column_page
        return self._html(render(site, column))

    def _jcms_proxy(self, query: dict) -> None:
        form = getattr(self, "form", {})
        column = self.state.find_column(int((form.get("columnid") or query.get("columnid") or ["0"])[0]))
        if column is None:
            return self._not_found()
        start = int(query.get("startrecord", ["1"])[0])
        end = int(query.get("endrecord", [str(pages.PER_PAGE)])[0])
        body = pages.jcms_dataproxy(self.state.site, column, start, end).encode("utf-8")
        self._send(200, body, "text/xml; charset=utf-8")

    def _jpaas_list(self, query: dict) -> None:
        column = self.state.find_column(int(query.get("pageId", ["0"])[0]))
        if column is None:
            return self._send(200, b'{"success":false,"message":"page not found"}', "application/json")
        params = json.loads(query.get("paramJson", ['{"pageNo":1,"pageSize":"15"}'])[0])
        body = pages.jpaas_list_json(self.state.site, column, int(params["pageNo"]), int(params["pageSize"]))
        self._send(200, body.encode("utf-8"), "application/json;charset=UTF-8")

    def _download(self, query: dict) -> None:
        attachment = self.state.find_attachment(query.get("filename", [""])[0])
        if attachment is None or attachment.missing:
            return self._not_found()
        body = (GENERATED_DIR / attachment.file_name).read_bytes()
        disposition = "attachment; filename*=UTF-8''" + attachment.download_name
        self._send(200, body, "application/octet-stream", {"Content-Disposition": disposition}, conditional=True)

    def _docshare(self, path: str) -> None:
        if path != "/p-1.html":
            return self._not_found()
        plan = json.loads((GENERATED_DIR / "zhoushan_14th_plan.json").read_text(encoding="utf-8"))
        self._html(pages.docshare_page(plan))

    # --- misbehaviour ----------------------------------------------------------------------
    def _misbehave(self, column: Column, article: Article) -> None:
        site = self.state.site
        request = TroubledRequest(
            handler=self,
            page=pages.article_page(site, column, article),
            hits=self.state.hits[self.path],
            render_without_charset=lambda: pages.article_page(site, column, article, charset_meta=False),
        )
        if not MISBEHAVIOURS[article.trouble].answer(request):
            self._html(request.page)


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # Clients that give up (timeouts, size caps) close the socket mid-answer; that is expected here.
        import sys

        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


class Mirror:
    """Starts every site of the catalogue on 127.0.0.1, one port each (0 = any free port); `fleet` adds that
    many simulated county sites (mirror.fleet) for throughput benchmarks."""

    def __init__(self, base_port: int = 0, host: str = "127.0.0.1", extra_fillers: int = 0, fleet: int = 0):
        self.sites = {**build_sites(extra_fillers), **fleet_sites(fleet)}
        self.states = {key: SiteState(site) for key, site in self.sites.items()}
        self.base_port = base_port
        self.host = host
        self.servers: dict[str, ThreadingHTTPServer] = {}

    def start(self) -> Mirror:
        for offset, (key, state) in enumerate(self.states.items()):
            handler = type(f"{key.title()}Handler", (MirrorHandler,), {"state": state, "mirror": self})
            port = self.base_port + offset if self.base_port else 0
            server = QuietServer((self.host, port), handler)
            # the poll interval only bounds how long shutdown waits; connections wake the loop at once
            threading.Thread(
                target=server.serve_forever, kwargs={"poll_interval": 0.25}, name=f"mirror-{key}", daemon=True
            ).start()
            self.servers[key] = server
        return self

    def stop(self) -> None:
        stoppers = [threading.Thread(target=server.shutdown) for server in self.servers.values()]
        for stopper in stoppers:  # all at once: one after another, a fleet of 200 would take a minute
            stopper.start()
        for stopper in stoppers:
            stopper.join()
        for server in self.servers.values():
            server.server_close()

    def index_html(self) -> str:
        return index_page([(self.sites[key], self.url(key)) for key in self.servers])

    def url(self, site_key: str) -> str:
        host, port = self.servers[site_key].server_address[:2]
        return f"http://{host}:{port}"

    def env(self) -> dict[str, str]:
        """Environment variables that point the source registry's mirror entries here."""
        return {f"MIRROR_{key.upper()}_URL": self.url(key) for key in self.servers}

    def requests(self, site_key: str) -> list[tuple[str, str]]:
        return list(self.states[site_key].requests)

    def post_article(self, site_key: str, column_id: int, article: Article) -> str:
        """Put a new article at the top of a column, as a bureau publishing one would."""
        state = self.states[site_key]
        column = state.find_column(column_id)
        with state.lock:
            column.articles.insert(0, article)
        return self.url(site_key) + state.site.article_path(column, article)

    def __enter__(self) -> Mirror:
        return self if self.servers else self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
