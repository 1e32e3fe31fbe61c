"""An HTTPAdapter whose connections check the address they reached before a byte of the request is sent.

Checking a host name's addresses before the request leaves a gap: the name may resolve to another address when
the connection is made (DNS rebinding). Here the check is made on the connected socket's peer address, so what
is checked is what is used; a refused connection is closed at once and raises AddressRefused, which neither
urllib3 nor requests retries or wraps.
"""

from __future__ import annotations

from collections.abc import Callable

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

AddressCheck = Callable[[str], "str | None"]  # the address → why it is refused, or None


class AddressRefused(Exception):
    """A connection reached an address the source may not use (deliberately not an OSError: never retried)."""


def _checking(connection_class: type[HTTPConnection], check: AddressCheck) -> type[HTTPConnection]:
    # mypy cannot check a class whose base is a parameter; the base is an HTTPConnection class
    class Checked(connection_class):  # type: ignore[valid-type,misc]
        def _new_conn(self):
            sock = super()._new_conn()
            problem = check(sock.getpeername()[0])
            if problem:
                sock.close()
                raise AddressRefused(problem)
            return sock

    return Checked


class CheckedAdapter(HTTPAdapter):
    """requests' HTTPAdapter with every new connection's peer address checked by `check`."""

    def __init__(self, check: AddressCheck, **kwargs):
        self._check = check
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        http = type("CheckedHTTPPool", (HTTPConnectionPool,), {"ConnectionCls": _checking(HTTPConnection, self._check)})
        https = type(
            "CheckedHTTPSPool", (HTTPSConnectionPool,), {"ConnectionCls": _checking(HTTPSConnection, self._check)}
        )
        self.poolmanager.pool_classes_by_scheme = {"http": http, "https": https}
