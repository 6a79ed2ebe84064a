"""The HTTP client the bot reaches the Bot API with: aiohttp's (the default) or PTB's HTTPXRequest.

Every press costs at least one Bot API call (its toast), so the client's cost per call bounds
how many answers a process gives per second. httpx's connection pool looks at every connection
it holds, with a system call for each idle one, whenever it hands one out, so with the large
pool a burst needs, each call costs more than the rest of the press together. aiohttp keeps
idle connections in a queue per host and parses HTTP in C.

Both sit under PTB's public `BaseRequest`, so PTB still encodes the parameters, reads the JSON
and turns error statuses into telegram.error types (BaseRequest.post); this module only moves
bytes, and maps the client's own failures as HTTPXRequest does: a timeout to TimedOut, any
other transport failure to NetworkError. QUIZBOT_HTTP chooses the client (bot/config.py).
"""

from __future__ import annotations

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, HTTPXRequest, RequestData

from bot.config import HTTP_CLIENTS

# As many connections as HTTPXRequest keeps for the bot's calls: where the Bot API is far away,
# a burst of toasts needs many calls in flight at once.
POOL_SIZE = 256
# What PTB passes for a timeout the caller left unset (a public attribute of BaseRequest).
_UNSET = type(BaseRequest.DEFAULT_NONE)
_FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def _given(value: object, default: float | None) -> float | None:
    return default if isinstance(value, _UNSET) else value  # type: ignore[return-value]


class AiohttpRequest(BaseRequest):
    """A BaseRequest over one aiohttp ClientSession, with a keep-alive connection pool.

    The timeouts mean what HTTPXRequest's do: `pool` to wait for a free connection, `connect`
    to open one, `read` between the bytes of the answer. aiohttp has no timeout per write, so
    the write timeout bounds the whole call, added to the others, which keeps a stalled upload
    from hanging as long as it likes.
    """

    def __init__(
        self,
        connection_pool_size: int = POOL_SIZE,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        self._pool_size = connection_pool_size
        self._read = read_timeout
        self._write = write_timeout
        self._connect = connect_timeout
        self._pool = pool_timeout
        self._media_write = media_write_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size),
                headers={"User-Agent": self.USER_AGENT},
                # The Bot API sets no cookies: a dummy jar skips the cookie work of every call.
                cookie_jar=aiohttp.DummyCookieJar(),
                # HTTP(S)_PROXY and NO_PROXY from the environment, as httpx reads them.
                trust_env=True,
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: float | None | object = BaseRequest.DEFAULT_NONE,
        write_timeout: float | None | object = BaseRequest.DEFAULT_NONE,
        connect_timeout: float | None | object = BaseRequest.DEFAULT_NONE,
        pool_timeout: float | None | object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Send one call; return the status and the body, for BaseRequest to interpret."""
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data is not None and request_data.contains_files
        write = _given(write_timeout, self._media_write if files else self._write)
        timeout = self._timeout(
            _given(read_timeout, self._read),
            write,
            _given(connect_timeout, self._connect),
            _given(pool_timeout, self._pool),
        )
        try:
            body = _body(request_data)
            headers = _FORM if isinstance(body, bytes) else None
            async with session.request(
                method, url, data=body, headers=headers, timeout=timeout
            ) as response:
                return response.status, await response.read()
        except TimeoutError as error:
            # aiohttp's own timeouts (ServerTimeoutError and its kin) are TimeoutErrors too.
            raise TimedOut from error
        except aiohttp.ClientError as error:
            # The URL holds the token: never let it into the message.
            said = str(error).replace(url, "<Bot API URL>")
            raise NetworkError(f"aiohttp.{type(error).__name__}: {said}") from error

    @staticmethod
    def _timeout(
        read: float | None, write: float | None, connect: float | None, pool: float | None
    ) -> aiohttp.ClientTimeout:
        parts = (read, write, connect, pool)
        total = None if None in parts else sum(parts)  # type: ignore[arg-type]
        # aiohttp's `connect` covers waiting for the pool and opening a connection.
        acquire = None if pool is None or connect is None else pool + connect
        return aiohttp.ClientTimeout(
            total=total, connect=acquire, sock_connect=connect, sock_read=read
        )


def _body(request_data: RequestData | None) -> aiohttp.FormData | bytes | None:
    """The parameters form-encoded, as HTTPXRequest sends them; multipart when there are files.

    Plain parameters go as ready bytes: given a dict, aiohttp would build a multipart writer
    (with a random boundary) for every call before deciding it does not need one.
    """
    if request_data is None:
        return None
    if not request_data.contains_files:
        return request_data.url_encoded_parameters().encode()
    form = aiohttp.FormData(request_data.json_parameters)
    for name, (filename, content, mimetype) in request_data.multipart_data.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form


def make_request(client: str, *, pool_size: int = POOL_SIZE) -> BaseRequest:
    """The BaseRequest for QUIZBOT_HTTP's client (one of HTTP_CLIENTS)."""
    if client == "httpx":
        return HTTPXRequest(connection_pool_size=pool_size)
    if client == "aiohttp":
        return AiohttpRequest(connection_pool_size=pool_size)
    raise ValueError(f"unknown HTTP client {client!r}; expected one of {', '.join(HTTP_CLIENTS)}")
