"""How real disclosure sites misbehave, one small class each (after Scrapy's mock server: one resource per
kind of bad server). An article of the trouble site names its misbehaviour in `Article.trouble`; the mirror
asks that misbehaviour to answer, and serves the page normally when it declines."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO, Protocol

HUGE_PAGE_BYTES = 20 * 1024 * 1024
SLOW_SECONDS = 4.0


class Responder(Protocol):
    """What a misbehaviour may do with the request: the mirror's handler."""

    close_connection: bool
    wfile: BinaryIO

    def _send(self, status: int, body: bytes, content_type: str = ..., headers: dict | None = ...) -> None: ...
    def send_response(self, code: int) -> None: ...
    def send_header(self, name: str, value: str) -> None: ...
    def end_headers(self) -> None: ...


@dataclass
class TroubledRequest:
    handler: Responder
    page: str  # the article page as a well-behaved site would serve it
    hits: int  # how often this path has been asked for, this request included
    render_without_charset: Callable[[], str]


class Misbehaviour:
    def answer(self, request: TroubledRequest) -> bool:
        """Answer the request the way this site misbehaves; False: serve the page as usual."""
        raise NotImplementedError


class GbkWithoutCharset(Misbehaviour):
    """GBK bytes, with neither a charset in Content-Type nor a <meta charset>."""

    def answer(self, request):
        request.handler._send(200, request.render_without_charset().encode("gbk"), "text/html")
        return True


@dataclass
class FlakyServerError(Misbehaviour):
    """500 for the first `failures` requests, then the page."""

    failures: int = 2

    def answer(self, request):
        if request.hits > self.failures:
            return False
        request.handler._send(500, b"<html><body>500 Internal Server Error</body></html>")
        return True


@dataclass
class RateLimited(Misbehaviour):
    """429 with Retry-After for the first `times` requests, then the page."""

    times: int = 1
    retry_after: str = "1"

    def answer(self, request):
        if request.hits > self.times:
            return False
        request.handler._send(429, b"Too Many Requests", "text/plain", {"Retry-After": self.retry_after})
        return True


@dataclass
class Slow(Misbehaviour):
    """The page, after `seconds`."""

    seconds: float = SLOW_SECONDS

    def answer(self, request):
        time.sleep(self.seconds)
        return False


class Truncated(Misbehaviour):
    """Promises the whole page in Content-Length, sends a third of it and hangs up."""

    def answer(self, request):
        body, handler = request.page.encode("utf-8"), request.handler
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body[: len(body) // 3])
        handler.close_connection = True
        return True


@dataclass
class Challenge(Misbehaviour):
    """An anti-bot wall (Ruishu's 412, Jiasule's 521): a script page instead of the article."""

    status: int
    body: str

    def answer(self, request):
        request.handler._send(self.status, self.body.encode())
        return True


class Empty(Misbehaviour):
    """200 with no body at all."""

    def answer(self, request):
        request.handler._send(200, b"")
        return True


@dataclass
class Huge(Misbehaviour):
    """The page followed by `size` bytes of filler."""

    size: int = HUGE_PAGE_BYTES

    def answer(self, request):
        filler = ("<p>" + "民政" * 500 + "</p>\n").encode("utf-8")
        request.handler._send(200, request.page.encode("utf-8") + filler * (self.size // len(filler)))
        return True


class Malformed(Misbehaviour):
    """Unclosed paragraphs, divs and tables, as hand-edited CMS templates produce."""

    def answer(self, request):
        broken = (
            request.page.replace("</p>", "").replace("</div>", "", 3).replace("<body>", "<body><div><table><tr><td>")
        )
        request.handler._send(200, broken.encode("utf-8") + b"<p><b><i>unclosed")
        return True


class PageIsFine(Misbehaviour):
    """The page itself is served well; the trouble is elsewhere (robots.txt disallows it, its attachment 404s)."""

    def answer(self, request):
        return False


RUISHU_412 = (
    '<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
    '<script type="text/javascript" r="m">$_ts=window[\'$_ts\'];if(!$_ts)$_ts={};'
    '$_ts.nsd=84021;$_ts.cd="qXrmrrAlpEqcDGAl";</script>'
    '<script type="text/javascript" charset="utf-8" src="/4QbVtADbnLVIc/c.FxJzG50F.dfe1675.js" r="m">'
    "</script></head><body></body></html>"
)
JIASULE_521 = (
    "<html><body><script>document.cookie=('_')+('_')+('jsl_clearance_s')+('=')+"
    "('1700000000.123|0|'+'abc%3D');location.href=location.pathname+location.search</script>"
    "</body></html>"
)

MISBEHAVIOURS: dict[str, Misbehaviour] = {
    "gbk_no_charset": GbkWithoutCharset(),
    "flaky_500": FlakyServerError(failures=2),
    "rate_limited": RateLimited(times=1),
    "slow": Slow(),
    "truncated": Truncated(),
    "challenge_412": Challenge(412, RUISHU_412),
    "challenge_521": Challenge(521, JIASULE_521),
    "empty": Empty(),
    "huge": Huge(),
    "malformed": Malformed(),
    "robots_disallowed": PageIsFine(),
    "missing_attachment": PageIsFine(),
}
