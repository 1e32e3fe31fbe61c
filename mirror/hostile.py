"""A Hanweb JCMS site that tries to lead a crawler off its host, and one whose pager repeats itself.

Column 1 lists a good report beside entries that point elsewhere: another host (`localhost` is another name for
this very server, so an answer exists to be wrongly stored), `file://`, the link-local metadata address, articles
that redirect off the host, within it and in a loop, and an article whose attachment sits on another host.
Column 2 is a pager that never ends: every page of its data proxy lists the same 15 entries and claims 300.

Its own server (not one of the catalogue's sites, whose ports the registry's mirror entries count on):
`with HostileSite() as site: site.url`.
"""

from __future__ import annotations

import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from mirror import pages
from mirror.content import GENERATED_DIR, Article, Attachment, Column, Site

LIST_COLUMN, PAGER_COLUMN = 1, 2
REPEATED_ENTRIES = 15  # one page of the JCMS data proxy
CLAIMED_RECORDS = 300
_SITE = Site("hostile", "jcms", "示例市民政局", webid=9100, unitid=9100001)
_PARAGRAPHS = ("2024年，全市民政系统各项工作取得新成效。", "低保标准提高至每人每月950元。")
INTERNAL_PAGE = (
    "<html><head><meta charset='utf-8'><title>内部管理系统</title></head><body><h1>内部管理系统</h1>"
    "<p>2024年工作总结：内网数据库口令 hunter2，服务器 10.0.0.5。</p></body></html>"
)


def list_entries(port: int) -> list[tuple[str, str]]:
    """(href, title) of column 1, in list order."""
    away = f"http://localhost:{port}"
    return [
        ("/art/good.html", "示例市民政局2024年工作总结"),
        (f"{away}/art/internal.html", "示例市民政局2024年工作总结（站外链接）"),
        ("file:///etc/passwd", "示例市民政局2024年工作总结（本地文件）"),
        ("http://169.254.169.254/latest/meta-data/", "示例市民政局2024年工作总结（元数据地址）"),
        ("/art/redirect-away.html", "示例市民政局2024年工作总结（跳转站外）"),
        ("/art/redirect-here.html", "示例市民政局2024年工作要点（站内跳转）"),
        ("/art/loop.html", "示例市民政局2024年工作计划（循环跳转）"),
        ("/art/attached.html", "示例市民政局2024年统计数据（站外附件）"),
    ]


def _record(href: str, title: str) -> str:
    return f'<record><![CDATA[<li><a href="{href}" title="{title}">{title}</a><span>2025-01-20</span></li>]]></record>'


def _column_page(records: str, column_id: int, total: int) -> str:
    proxy = f"/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid={_SITE.webid}&columnid={column_id}"
    return (
        f"<html><head><meta charset='utf-8'><title>计划总结 - {_SITE.name}</title></head><body>"
        f'<script type="text/xml"><datastore><nextgroup><![CDATA[<a href="{proxy}"></a>]]></nextgroup>'
        f"<recordset>{records}</recordset></datastore></script>"
        f"<script>var jpage = new JPage({{perpage:15, totalRecord:{total}}});</script></body></html>"
    )


def _repeated_records() -> str:
    return "".join(
        _record(f"/art/rep-{n}.html", f"示例市民政局2024年工作总结（第{n}篇）") for n in range(REPEATED_ENTRIES)
    )


def _article(key: str, title: str, attachments: tuple[Attachment, ...] = (), href=None) -> str:
    article = Article(key, title, "2025-01-20", _SITE.name, paragraphs=_PARAGRAPHS, attachments=attachments)
    return pages.article_page(_SITE, Column(LIST_COLUMN, "计划总结"), article, attachment_href=href)


class HostileHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    hits: Counter[str]  # set on the per-server subclass

    def log_message(self, format, *args):
        pass

    def _send(self, status: int, body: bytes = b"", headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.do_GET()

    def do_GET(self):
        path, query = urlsplit(self.path).path, parse_qs(urlsplit(self.path).query)
        self.hits[path] += 1
        port = self.server.server_address[1]
        if path == "/robots.txt":
            return self._send(200, b"User-agent: *\nAllow: /\n")
        if path == f"/col/col{LIST_COLUMN}/index.html":
            records = "".join(_record(href, title) for href, title in list_entries(port))
            return self._send(200, _column_page(records, LIST_COLUMN, len(list_entries(port))).encode())
        if path == f"/col/col{PAGER_COLUMN}/index.html":
            return self._send(200, _column_page(_repeated_records(), PAGER_COLUMN, CLAIMED_RECORDS).encode())
        if path == "/module/web/jpage/dataproxy.jsp":
            body = (
                f'<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>{CLAIMED_RECORDS}</totalrecord>'
                f"<recordset>{_repeated_records()}</recordset></datastore>"
            )
            return self._send(200, body.encode())
        return self._article(path, query, port)

    def _article(self, path: str, query: dict, port: int) -> None:
        if path == "/art/internal.html":
            return self._send(200, INTERNAL_PAGE.encode())
        if path == "/art/redirect-away.html":
            return self._send(302, headers={"Location": f"http://localhost:{port}/art/internal.html"})
        if path == "/art/redirect-here.html":
            return self._send(302, headers={"Location": "/art/moved.html"})
        if path == "/art/loop.html":
            hop = int(query.get("hop", ["0"])[0])
            return self._send(302, headers={"Location": f"/art/loop.html?hop={hop + 1}"})
        if path == "/art/attached.html":
            attachment = Attachment("huzhou_2024_key_points.pdf", "2024年统计数据.pdf")
            away = f"http://localhost:{port}/files/statistics.pdf"
            page = _article("hostile-attached", "示例市民政局2024年统计数据", (attachment,), href=lambda _: away)
            return self._send(200, page.encode())
        if path == "/art/rep-0.html":  # one of the repeated entries is broken: its failure must be recorded once
            return self._send(404, b"<html><body>404</body></html>")
        if path in ("/art/good.html", "/art/moved.html") or path.startswith("/art/rep-"):
            return self._send(200, _article(path, "示例市民政局2024年工作总结").encode())
        if path == "/files/statistics.pdf":
            return self._send(200, (GENERATED_DIR / "huzhou_2024_key_points.pdf").read_bytes())
        return self._send(404, b"<html><body>404</body></html>")


class HostileSite:
    """The server on 127.0.0.1 (any free port); `hits` counts requests by path."""

    def __init__(self):
        self.hits: Counter[str] = Counter()
        handler = type("Handler", (HostileHandler,), {"hits": self.hits})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> HostileSite:
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.25}, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
