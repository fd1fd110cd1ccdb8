"""The shim's HTTP/1.1 server: a thread per kept-alive connection, and a graceful stop.

Requests are parsed here rather than by http.server: its header parsing (the email package)
costs more per call than the rest of the shim together, and importing it slows every start. The
only clients are the provider and the OpenFaaS watchdog, so the subset served is small: requests
with a Content-Length or a chunked body, `Expect: 100-continue`, keep-alive unless the client
says `Connection: close` or speaks HTTP/1.0.
"""

import json
import socket
import socketserver
import sys
import threading
import time
import traceback

HEALTHY = b'{"ready":true}'
NOT_FOUND = b'{"error":"not found: the shim serves POST / and GET /_/health"}'
_REASONS = {200: b"OK", 400: b"Bad Request", 404: b"Not Found", 431: b"Request Header Fields Too Large"}
_MAX_LINE = 65536
_MAX_HEADERS = 100
# Longer than any client's idle timeout, so the shim never closes a kept-alive connection just as
# the provider reuses it; idle connections still free their threads in the end.
_IDLE_TIMEOUT_SECONDS = 65.0


class BadRequest(Exception):
    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status


class _Drain:
    """Calls in flight, so a stop can wait for them to answer."""

    def __init__(self):
        self.stopping = False
        self._in_flight = 0
        self._idle = threading.Condition()

    def enter(self):
        with self._idle:
            self._in_flight += 1

    def leave(self):
        with self._idle:
            self._in_flight -= 1
            if self._in_flight == 0:
                self._idle.notify_all()

    def wait(self, timeout):
        """Waits until no call is in flight or `timeout` seconds passed; returns the calls left."""
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._in_flight and time.monotonic() < deadline:
                self._idle.wait(deadline - time.monotonic())
            return self._in_flight


class _Connection(socketserver.StreamRequestHandler):
    """Serves the requests of one connection, one after the other."""

    def setup(self):
        super().setup()
        self.connection.settimeout(_IDLE_TIMEOUT_SECONDS)
        if self.server.address_family in (socket.AF_INET, socket.AF_INET6):
            # A reply is a single write, so there is nothing to coalesce: Nagle only adds latency.
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def handle(self):
        try:
            while self._serve_one():
                pass
        except (ConnectionError, TimeoutError):
            # The client went away or stayed idle too long: nobody is waiting for an answer.
            pass

    def _serve_one(self):
        """Reads and answers one request; whether the connection carries another."""
        try:
            request = _read_request(self.rfile, self.wfile)
        except BadRequest as bad:
            self._send(bad.status, json.dumps({"error": str(bad)}).encode("utf-8"), False)
            return False
        if request is None:
            return False
        method, target, keep_alive, body = request
        if method == b"POST" and (target == b"/" or target.startswith(b"/?")):
            return self._call(body, keep_alive)
        if method in (b"GET", b"HEAD") and target == b"/_/health":
            status, reply = 200, HEALTHY
        else:
            status, reply = 404, NOT_FOUND
        keep_alive = keep_alive and not self.server.drain.stopping
        self._send(status, b"" if method == b"HEAD" else reply, keep_alive, len(reply))
        return keep_alive

    def _call(self, body, keep_alive):
        drain = self.server.drain
        drain.enter()
        try:
            try:
                status, reply = 200, self.server.invoke(_parse_envelope(body))
            except BadRequest as bad:
                status, reply = 400, json.dumps({"error": str(bad)}).encode("utf-8")
            keep_alive = keep_alive and not drain.stopping
            self._send(status, reply, keep_alive)
            return keep_alive
        finally:
            # Only once the reply is written: a stop waiting for this call may end the process.
            drain.leave()

    def _send(self, status, body, keep_alive, length=None):
        head = b"HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n%s\r\n" % (
            status,
            _REASONS[status],
            len(body) if length is None else length,
            b"" if keep_alive else b"Connection: close\r\n",
        )
        # One write: headers and body leave in the same segment.
        self.wfile.write(head + body)


def _read_request(rfile, wfile):
    """(method, target, keep_alive, body) of the next request, or None at the end of the connection."""
    line = rfile.readline(_MAX_LINE)
    while line in (b"\r\n", b"\n"):
        # Empty lines before a request line are allowed (RFC 9112 §2.2).
        line = rfile.readline(_MAX_LINE)
    if not line:
        return None
    parts = line.split()
    if len(parts) != 3 or not parts[2].startswith(b"HTTP/1."):
        raise BadRequest("not an HTTP/1.x request line")
    method, target, version = parts
    headers = _read_headers(rfile)
    connection = headers.get(b"connection", b"").lower()
    keep_alive = b"close" not in connection if version == b"HTTP/1.1" else b"keep-alive" in connection
    if headers.get(b"expect", b"").lower() == b"100-continue":
        wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
    return method, target, keep_alive, _read_body(rfile, headers)


def _read_headers(rfile):
    """The headers this server looks at, by lower-case name."""
    headers = {}
    for _ in range(_MAX_HEADERS):
        line = rfile.readline(_MAX_LINE)
        if line in (b"\r\n", b"\n"):
            return headers
        if not line:
            raise ConnectionResetError("the connection closed in the middle of a request")
        name, colon, value = line.partition(b":")
        if not colon:
            raise BadRequest("malformed header line")
        headers[name.strip().lower()] = value.strip()
    raise BadRequest("more than %d header lines" % _MAX_HEADERS, 431)


def _read_body(rfile, headers):
    if b"chunked" in headers.get(b"transfer-encoding", b"").lower():
        return _read_chunked(rfile)
    raw = headers.get(b"content-length")
    if not raw:
        return b""
    if not raw.isdigit():
        raise BadRequest("Content-Length is not a number")
    length = int(raw)
    body = rfile.read(length)
    if len(body) < length:
        raise ConnectionResetError("the connection closed in the middle of a request body")
    return body


def _read_chunked(rfile):
    chunks = []
    while True:
        size_line = rfile.readline(_MAX_LINE)
        try:
            size = int(size_line.split(b";", 1)[0].strip(), 16)
        except ValueError:
            raise BadRequest("bad chunk size in a chunked body") from None
        if size == 0:
            # Trailers, up to the empty line that ends the body.
            while rfile.readline(_MAX_LINE) not in (b"\r\n", b"\n", b""):
                pass
            return b"".join(chunks)
        chunks.append(rfile.read(size))
        rfile.readline(_MAX_LINE)


def _parse_envelope(body):
    try:
        parsed = json.loads(body)
    except ValueError as err:
        raise BadRequest("the body is not JSON: %s" % err) from None
    if not isinstance(parsed, dict):
        raise BadRequest("the body must be a JSON object {context, payload}")
    context = parsed.get("context")
    if context is None:
        context = {}
    if not isinstance(context, dict):
        raise BadRequest("context must be a JSON object")
    return {"context": context, "payload": parsed.get("payload")}


class _Common(socketserver.ThreadingMixIn):
    daemon_threads = True
    # The listen backlog: the default of 5 drops connections under a burst of calls.
    request_queue_size = 128

    def handle_error(self, request, client_address):
        # A fault of the shim itself (the function's errors never get here): one report, on stderr.
        sys.stderr.write("dispatch shim: a connection failed:\n%s" % traceback.format_exc())


class UnixServer(_Common, socketserver.UnixStreamServer):
    pass


class TcpServer(_Common, socketserver.TCPServer):
    allow_reuse_address = True


def create_server(invoke, socket_path=None, port=None):
    """Binds and listens on the unix socket, else on TCP 0.0.0.0:port."""
    server = UnixServer(socket_path, _Connection) if socket_path else TcpServer(("0.0.0.0", port), _Connection)
    server.invoke = invoke
    server.drain = _Drain()
    return server
