"""Read-only PostgreSQL sessions for the collector (psycopg 3).

Every session is opened with ``default_transaction_read_only=on`` (startup ``options``),
``application_name=readiness-kit`` and ``connect_timeout``; every query runs in its own
transaction that starts with ``SET TRANSACTION READ ONLY`` and ``SET LOCAL`` of
``statement_timeout``, ``lock_timeout``, ``idle_in_transaction_session_timeout`` and
``TimeZone = UTC`` (Odoo stores naive UTC timestamps). The timeouts are transaction-local,
not startup options, for one reason: ``pg_settings`` shows the session's own values, and
the review must see the *server's* timeouts. The ``pg_settings`` read is the one query run
without them (it reads in-memory settings, takes no lock and cannot wait).

The password comes from libpq (``PGPASSWORD``, ``.pgpass``) or, with ``entra_auth``, from
an Entra ID access token.

Nothing is retried: a server that refuses or times out is recorded as a collection gap
once, so the review never piles load on a struggling server.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import psycopg
from psycopg import conninfo, errors, sql
from psycopg.rows import dict_row

APPLICATION_NAME = "readiness-kit"
ENTRA_SCOPE = "https://ossrdbms-aad.database.windows.net/.default"
LOCK_TIMEOUT_MS = 2000
IDLE_IN_TRANSACTION_MS = 30000

#: Errors that mean "this part of the evidence could not be read", not a bug.
READ_ERRORS = (psycopg.OperationalError, psycopg.errors.InsufficientPrivilege,
               psycopg.errors.QueryCanceled, psycopg.errors.UndefinedTable,
               psycopg.errors.UndefinedColumn, psycopg.errors.UndefinedFunction,
               psycopg.errors.LockNotAvailable, psycopg.InterfaceError)


class ConnectionGauge:
    """Counts the collector's open connections; ``peak`` is the most open at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.open = 0
        self.peak = 0
        self.opened = 0

    def up(self) -> None:
        with self._lock:
            self.open += 1
            self.opened += 1
            self.peak = max(self.peak, self.open)

    def down(self) -> None:
        with self._lock:
            self.open -= 1


@dataclass
class SessionSettings:
    dsn: str
    connect_timeout: int = 10
    statement_timeout_ms: int = 15000
    password: Callable[[], str] | None = None  # Entra token provider; None: libpq decides
    gauge: ConnectionGauge = field(default_factory=ConnectionGauge)

    def conninfo(self, dbname: str | None = None) -> str:
        options = "-c default_transaction_read_only=on"
        extra = {"dbname": dbname} if dbname else {}
        return conninfo.make_conninfo(
            self.dsn, application_name=APPLICATION_NAME, connect_timeout=self.connect_timeout,
            options=options, **extra)

    def describe(self) -> dict[str, str]:
        """Host, port, database and user the DSN names (never a password)."""
        parsed = conninfo.conninfo_to_dict(self.dsn)
        return {k: str(parsed[k]) for k in ("host", "port", "dbname", "user") if k in parsed}


def entra_token_provider(credential=None) -> Callable[[], str]:
    """An Entra ID access token for Azure Database for PostgreSQL, fetched per connection
    (tokens expire after about an hour; azure-identity caches them)."""
    def token() -> str:
        nonlocal credential
        if credential is None:
            from azure.identity import DefaultAzureCredential
            credential = DefaultAzureCredential()
        return credential.get_token(ENTRA_SCOPE).token
    return token


class ReadOnlySession:
    """One connection; ``fetch`` runs each query in its own read-only, time-boxed
    transaction."""

    def __init__(self, conn: psycopg.Connection, statement_timeout_ms: int) -> None:
        self.conn = conn
        self._local = (
            f"SET LOCAL statement_timeout = {int(statement_timeout_ms)}; "
            f"SET LOCAL lock_timeout = {LOCK_TIMEOUT_MS}; "
            f"SET LOCAL idle_in_transaction_session_timeout = {IDLE_IN_TRANSACTION_MS}; "
            "SET LOCAL TimeZone = 'UTC'")

    def fetch(self, query: str | sql.Composable, params=None, *,
              server_view: bool = False) -> list[dict]:
        """Rows of one query. ``server_view``: without the session's SET LOCAL values, so
        that pg_settings reports the server's own (see the module docstring)."""
        with self.conn.transaction():
            self.conn.execute("SET TRANSACTION READ ONLY")
            if not server_view:
                self.conn.execute(self._local)
            return self.conn.execute(query, params).fetchall()


@contextmanager
def session(settings: SessionSettings, dbname: str | None = None) -> Iterator[ReadOnlySession]:
    """One short read-only connection; closed on exit. Raises psycopg errors to the caller."""
    kwargs = {}
    if settings.password is not None:
        kwargs["password"] = settings.password()
    conn = psycopg.connect(settings.conninfo(dbname), row_factory=dict_row, **kwargs)
    settings.gauge.up()
    try:
        conn.read_only = True
        yield ReadOnlySession(conn, settings.statement_timeout_ms)
    finally:
        conn.close()
        settings.gauge.down()


def reason(exc: BaseException) -> str:
    """A one-line, secret-free reason for a gap (the server's message, first line)."""
    if isinstance(exc, errors.InsufficientPrivilege):
        kind = "permission denied"
    elif isinstance(exc, errors.LockNotAvailable):
        kind = "lock timeout"
    elif isinstance(exc, errors.QueryCanceled):
        kind = "statement timeout"
    elif isinstance(exc, psycopg.OperationalError):
        kind = "connection failed"
    else:
        kind = type(exc).__name__
    text = (str(exc).strip().splitlines() or [""])[0]
    return f"{kind}: {text}" if text else kind
