"""Throwaway PostgreSQL and Redis servers for the data-tier tests and benchmark.

``PostgresServer`` runs ``initdb`` + ``pg_ctl`` in a temporary directory on a free loopback
port (as the ``postgres`` OS user when the tests run as root: initdb refuses root), with
``trust`` on its Unix socket for the fixture's own set-up connection and ``scram-sha-256``
(or ``md5``) on TCP for the collector. ``RedisServer`` runs ``redis-server`` on a free port.
Neither touches the machine's own 5432 / 6379 servers.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg

PG_BIN = Path(sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))[-1]).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres() -> dict:
    if os.geteuid() != 0:
        return {}
    pw = pwd.getpwnam("postgres")

    def demote() -> None:
        os.setgid(pw.pw_gid)
        os.setuid(pw.pw_uid)
    return {"preexec_fn": demote}


_TEMPLATE: list[Path] = []


def _initdb_once() -> Path:
    """One initdb per process; every server starts from a copy (initdb costs seconds)."""
    if not _TEMPLATE:
        root = Path(tempfile.mkdtemp(prefix="rk-pg-initdb-"))
        if os.geteuid() == 0:
            pw = pwd.getpwnam("postgres")
            os.chown(root, pw.pw_uid, pw.pw_gid)
        subprocess.run([str(PG_BIN / "initdb"), "-D", str(root / "data"), "-U", "postgres",
                        "-N", "-A", "trust", "--no-instructions", "-E", "UTF8", "--locale=C"],
                       check=True, capture_output=True, **_as_postgres())
        _TEMPLATE.append(root / "data")
    return _TEMPLATE[0]


def remove_initdb_template() -> None:
    for path in _TEMPLATE:
        shutil.rmtree(path.parent, ignore_errors=True)
    _TEMPLATE.clear()


class PostgresServer:
    """A PostgreSQL cluster of its own; ``admin()`` connects as superuser over the socket."""

    def __init__(self, settings: dict[str, str] | None = None, *, auth: str = "scram-sha-256",
                 ssl_files: tuple[bytes, bytes] | None = None) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="rk-pg-"))
        self.data = self.root / "data"
        self.socket_dir = self.root / "sock"
        self.log = self.root / "server.log"
        self.archive = self.root / "archive"
        self.port = free_port()
        self.settings = dict(settings or {})
        self.auth = auth
        self.ssl_files = ssl_files

    def _run(self, *args: str) -> None:
        subprocess.run(args, check=True, capture_output=True, **_as_postgres())

    def start(self) -> PostgresServer:
        for d in (self.socket_dir, self.archive):
            d.mkdir()
        if os.geteuid() == 0:
            pw = pwd.getpwnam("postgres")
            for p in (self.root, self.socket_dir, self.archive):
                os.chown(p, pw.pw_uid, pw.pw_gid)
        shutil.copytree(_initdb_once(), self.data, symlinks=True)
        hba = f"local all all trust\nhost all all 127.0.0.1/32 {self.auth}\n"
        (self.data / "pg_hba.conf").write_text(hba)
        conf = {"listen_addresses": "'127.0.0.1'", "port": str(self.port),
                "unix_socket_directories": f"'{self.socket_dir}'", "fsync": "off",
                "synchronous_commit": "off", "full_page_writes": "off",
                "logging_collector": "off", "log_line_prefix": "'%m [%p] %u@%d %a '",
                "password_encryption": "'md5'" if self.auth == "md5" else "'scram-sha-256'",
                **self.settings}
        if self.ssl_files:
            cert, key = self.data / "server.crt", self.data / "server.key"
            cert.write_bytes(self.ssl_files[0])
            key.write_bytes(self.ssl_files[1])
            key.chmod(0o600)
            conf.update(ssl="on", ssl_cert_file=f"'{cert}'", ssl_key_file=f"'{key}'")
        with (self.data / "postgresql.conf").open("a") as fh:
            fh.writelines(f"{k} = {v}\n" for k, v in conf.items())
        if os.geteuid() == 0:
            subprocess.run(["chown", "-R", "postgres:postgres", str(self.data)], check=True)
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w",
                  "-t", "30", "start")
        return self

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w",
                      "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def admin(self, dbname: str = "postgres", **kw) -> psycopg.Connection:
        return psycopg.connect(host=str(self.socket_dir), port=self.port, user="postgres",
                               dbname=dbname, autocommit=True, **kw)

    def dsn(self, user: str, dbname: str = "postgres", **extra: str) -> str:
        parts = {"host": "127.0.0.1", "port": str(self.port), "dbname": dbname, "user": user,
                 **extra}
        return " ".join(f"{k}={v}" for k, v in parts.items())

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


class RedisServer:
    """``redis-server`` on a free loopback port, without persistence unless configured."""

    def __init__(self, *args: str) -> None:
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="rk-redis-"))
        self.args = args
        self.proc: subprocess.Popen | None = None

    def start(self) -> RedisServer:
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--dir", str(self.root), "--save", "", "--appendonly", "no", *self.args],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(
                    ("127.0.0.1", self.port), timeout=0.2):
                return self
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.proc:
            self.proc.terminate()
            self.proc.wait(10)
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> RedisServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
