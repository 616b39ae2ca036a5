"""A local HTTPS stub of Azure Resource Graph and ARM that speaks the real wire protocol.

Shapes follow the REST API specs (Azure/azure-rest-api-specs):
- Resource Graph ``POST /providers/Microsoft.ResourceGraph/resources`` answers a
  ``QueryResponse`` (``totalRecords``, ``count``, ``resultTruncated``, ``$skipToken``,
  ``facets``, ``data`` as an object array), as in
  specification/resourcegraph/.../stable/2022-10-01/examples/ResourcesNextPageQuery.json,
  with the quota headers ``x-ms-user-quota-remaining`` / ``x-ms-user-quota-resets-after``;
- ARM GETs answer ARM bodies: lists with ``value`` and ``nextLink`` (PostgreSQL
  ``configurations`` paged as in .../postgresql/.../2024-08-01/examples/
  ConfigurationListByServer.json), single sub-resources (``blobServices/default``) and ARM
  error bodies, with ``x-ms-ratelimit-remaining-subscription-reads``.

Behaviours for tests: paging with an opaque ``$skipToken`` (``page_size`` rows a page,
fewer than ``$top`` as the service does for large rows), a per-window query quota answered
with 429, scripted faults per page (429 with ``Retry-After``, 5xx, malformed bodies) and a
bearer token that stops being accepted (401 with ``WWW-Authenticate``). Every request is
logged (method, path, token) so tests can assert what was sent.
"""

from __future__ import annotations

import base64
import json
import re
import ssl
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ARG_PATH = "/providers/microsoft.resourcegraph/resources"

#: A stand-in for ``az`` (format with ``python`` and ``sub``): answers
#: ``az account get-access-token --output json --resource <url>`` as the CLI prints it, a
#: new token each call, and logs its arguments to ``az-calls.log`` beside itself.
AZ_SCRIPT = '''#!{python}
"""Stand-in for `az account get-access-token -o json`: prints a token as the CLI does."""
import json, pathlib, sys, time
here = pathlib.Path(__file__).parent
count_file = here / "az-calls.log"
calls = count_file.read_text().splitlines() if count_file.exists() else []
count_file.write_text("\\n".join([*calls, " ".join(sys.argv[1:])]) + "\\n")
if sys.argv[1:3] != ["account", "get-access-token"]:
    sys.exit("ERROR: stand-in az only answers `account get-access-token`")
expires = int(time.time()) + 3600
print(json.dumps({{
    "accessToken": f"stub-token-{{len(calls) + 1}}",
    "expiresOn": time.strftime("%Y-%m-%d %H:%M:%S.000000", time.localtime(expires)),
    "expires_on": expires,
    "subscription": "{sub}",
    "tenant": "00000000-0000-0000-0000-0000000000aa",
    "tokenType": "Bearer",
}}, indent=2))
'''
_TYPES = re.compile(r"where\s+type\s+in~\s*\(([^)]*)\)", re.IGNORECASE)


@dataclass
class Logged:
    method: str
    path: str
    query: dict
    token: str | None
    status: int = 0
    body: dict | None = None


@dataclass
class StubState:
    tables: dict[str, list[dict]] = field(default_factory=dict)
    arm: dict[str, tuple[int, object]] = field(default_factory=dict)
    page_size: int = 1000
    arm_page_size: int = 4
    quota: int = 15
    window_seconds: float = 5.0
    retry_after: str | None = None           # sent with a quota 429 when set
    arg_faults: dict[tuple[str, int], deque] = field(default_factory=dict)
    arm_faults: dict[str, deque] = field(default_factory=dict)
    refuse_token_after: int | None = None    # at this request, the tokens so far expire
    arm_reads: int = 11999
    log: list[Logged] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _window_start: float = 0.0
    _used: int = 0
    _requests: int = 0
    _token_uses: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    _refused: set[str] = field(default_factory=set)
    pre_rendered: dict[tuple, bytes] = field(default_factory=dict)

    def fault(self, key_table: str, page: int, kind: str, times: int = 1) -> None:
        self.arg_faults.setdefault((key_table, page), deque()).extend([kind] * times)

    def arm_fault(self, path: str, kind: str, times: int = 1) -> None:
        self.arm_faults.setdefault(path.lower(), deque()).extend([kind] * times)


def _token(kind_table: str, offset: int) -> str:
    raw = json.dumps({"table": kind_table, "offset": offset}).encode()
    return base64.b64encode(raw).decode()


def _untoken(token: str) -> dict:
    return json.loads(base64.b64decode(token))


def load_export_rows(folder: Path) -> dict[str, list[dict]]:
    """``<table>.json`` az graph query exports -> rows per Resource Graph table."""
    out: dict[str, list[dict]] = {}
    for file in sorted(folder.glob("*.json")):
        out[file.stem] = json.loads(file.read_text())["data"]
    return out


def load_recorded_arm(file: Path) -> dict[str, tuple[int, object]]:
    out = {}
    for item in json.loads(file.read_text())["responses"]:
        path = item["request"].split(" ", 1)[1].split("?", 1)[0].lower()
        out[path] = (item["status"], item["body"])
    return out


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # as a real front end: no 40 ms delayed-ACK stalls
    server: _Server

    def log_message(self, *args) -> None:  # quiet
        return None

    # -- plumbing -----------------------------------------------------------------------
    def _send(self, status: int, body: bytes | object, headers: dict | None = None) -> None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-ms-request-id", "00000000-0000-0000-0000-000000000000")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def _authorised(self, entry: Logged) -> bool:
        st = self.server.state
        token = entry.token
        if not token:
            self._send(401, {"error": {"code": "AuthenticationFailed",
                                       "message": "Authentication failed. The 'Authorization' "
                                                  "header is missing."}})
            return False
        with st.lock:
            st._token_uses[token] += 1
            st._requests += 1
            if st._requests == st.refuse_token_after:  # every token issued so far expires
                st._refused |= set(st._token_uses)
            refused = token in st._refused
        if refused:
            entry.status = 401
            self._send(401, {"error": {"code": "ExpiredAuthenticationToken",
                                       "message": "The access token expiry UTC time is earlier "
                                                  "than current UTC time."}},
                       {"WWW-Authenticate": 'Bearer authorization_uri="https://login.'
                        'microsoftonline.com/common", error="invalid_token", '
                        'error_description="The access token has expired."'})
            return False
        return True

    def _entry(self) -> Logged:
        url = urlsplit(self.path)
        auth = self.headers.get("Authorization") or ""
        entry = Logged(self.command, url.path, parse_qs(url.query),
                       auth.removeprefix("Bearer ") or None)
        with self.server.state.lock:
            self.server.state.log.append(entry)
        return entry

    def _refuse_write(self) -> None:
        entry = self._entry()
        entry.status = 405
        self._send(405, {"error": {"code": "MethodNotAllowed", "message": "read-only stub"}})

    do_PUT = do_PATCH = do_DELETE = _refuse_write

    # -- Resource Graph -----------------------------------------------------------------
    def do_POST(self) -> None:
        entry = self._entry()
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        entry.body = body
        if entry.path.lower() != ARG_PATH:
            entry.status = 405
            self._send(405, {"error": {"code": "MethodNotAllowed", "message": entry.path}})
            return
        if not self._authorised(entry):
            return
        st = self.server.state
        now = time.monotonic()
        with st.lock:
            if now - st._window_start >= st.window_seconds:
                st._window_start, st._used = now, 0
            st._used += 1
            remaining = st.quota - st._used
            resets = max(0.0, st.window_seconds - (now - st._window_start))
        quota_headers = {"x-ms-user-quota-remaining": str(max(remaining, 0)),
                         "x-ms-user-quota-resets-after":
                             time.strftime("%H:%M:%S", time.gmtime(int(resets + 0.999)))}
        if remaining < 0:
            entry.status = 429
            headers = dict(quota_headers)
            if st.retry_after:
                headers["Retry-After"] = st.retry_after
            self._send(429, {"error": {"code": "RateLimiting", "message": "Please provide "
                                       "below info when asking for support: timestamp = ..."}},
                       headers)
            return
        query = body.get("query") or ""
        table = query.split("|", 1)[0].strip().lower()
        options = body.get("options") or {}
        top = min(int(options.get("$top") or 1000), 1000)
        token = options.get("$skipToken")
        offset = _untoken(token)["offset"] if token else 0
        page_no = offset // st.page_size + 1
        with st.lock:
            faults = st.arg_faults.get((table, page_no))
            fault = faults.popleft() if faults else None
        if fault:
            self._fault(entry, fault, quota_headers)
            return
        subs = set(body.get("subscriptions") or [])
        key = (table, tuple(sorted(subs)), offset, top)
        cached = st.pre_rendered.get(key)
        if cached is None:
            types = None
            m = _TYPES.search(query)
            if m:
                types = {t.strip().strip("'").lower() for t in m.group(1).split(",")}
            rows = [r for r in st.tables.get(table, [])
                    if (not subs or r.get("subscriptionId") in subs)
                    and (types is None or r["type"].lower() in types)]
            rows.sort(key=lambda r: r["id"])
            size = min(top, st.page_size)
            page = rows[offset:offset + size]
            more = offset + size < len(rows)
            payload = {"totalRecords": len(rows), "count": len(page),
                       "resultTruncated": "false", "facets": [], "data": page}
            if more:
                payload["$skipToken"] = _token(table, offset + size)
            cached = json.dumps(payload).encode()
        entry.status = 200
        self._send(200, cached, quota_headers)

    def _fault(self, entry: Logged, fault: str, headers: dict) -> None:
        entry.status = int(fault) if fault.isdigit() else 200
        if fault == "429":
            self._send(429, {"error": {"code": "RateLimiting", "message": "throttled"}},
                       {**headers, "Retry-After": "0"})
        elif fault.isdigit():
            self._send(int(fault), {"error": {"code": "InternalServerError" if fault == "500"
                                              else "ServiceUnavailable",
                                              "message": "try again later"}}, headers)
        elif fault == "malformed":
            self._send(200, b'{"totalRecords": 3, "count": 3, "data": [{"id": ', headers)
        elif fault == "no-data":
            self._send(200, {"totalRecords": 3, "count": 3, "resultTruncated": "false",
                             "facets": []}, headers)

    # -- ARM ----------------------------------------------------------------------------
    def do_GET(self) -> None:
        entry = self._entry()
        if not self._authorised(entry):
            return
        st = self.server.state
        path = entry.path.lower()
        with st.lock:
            st.arm_reads -= 1
            reads = st.arm_reads
            faults = st.arm_faults.get(path)
            fault = faults.popleft() if faults else None
        headers = {"x-ms-ratelimit-remaining-subscription-reads": str(max(reads, 0))}
        if fault == "429":
            entry.status = 429
            self._send(429, {"error": {"code": "TooManyRequests", "message": "throttled"}},
                       {**headers, "Retry-After": "0"})
            return
        if fault and fault.isdigit():
            entry.status = int(fault)
            code = {"403": "AuthorizationFailed", "404": "ResourceNotFound"}.get(fault, "Error")
            self._send(int(fault), {"error": {"code": code, "message": f"stub {fault}"}},
                       headers)
            return
        status, body = st.arm.get(path, (404, {"error": {
            "code": "ResourceNotFound", "message": f"The Resource '{entry.path}' was not "
                                                   "found."}}))
        if (status == 200 and isinstance(body, dict) and isinstance(body.get("value"), list)
                and "nextLink" not in body):  # a scripted nextLink is sent as it is
            values = body["value"]
            skip = int((entry.query.get("$skiptoken") or ["0"])[0])
            page = values[skip:skip + st.arm_page_size]
            body = {"value": page}
            if skip + st.arm_page_size < len(values):
                host = self.headers.get("Host")
                body["nextLink"] = (f"https://{host}{entry.path}?api-version="
                                    f"{entry.query.get('api-version', [''])[0]}"
                                    f"&$skiptoken={skip + st.arm_page_size}")
        entry.status = status
        self._send(status, body, headers)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: StubState


class AzureStub:
    """Start with ``AzureStub(state, cert)``; ``url`` is ``https://127.0.0.1:<port>``."""

    def __init__(self, state: StubState, server_cert) -> None:
        self.state = state
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.state = state
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        server_cert.configure_cert(ctx)
        self._server.socket = ctx.wrap_socket(self._server.socket, server_side=True)
        self.url = f"https://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True,
                                        name="azure-stub")

    def __enter__(self) -> AzureStub:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
