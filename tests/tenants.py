"""Small tenants for batch tests: a one-table bundle, parameters files, the command line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from readiness_kit.evidence import evidence_from_records, write_bundle

CLI = [sys.executable, "-m", "readiness_kit.cli"]
AS_OF = "2026-11-27"


def small_tenants(root: Path, *names: str, extra: str = "") -> list[Path]:
    """Parameters files of small tenants under ``root/params`` sharing one bundle."""
    ev = evidence_from_records({"pg_settings": [
        {"server": "pg1", "name": "password_encryption", "setting": "md5"}]})
    write_bundle(ev, root / "bundle", tenant="small")
    (root / "params").mkdir(parents=True, exist_ok=True)
    paths = []
    for name in names:
        path = root / "params" / f"{name}.yaml"
        path.write_text(f"tenant: {name}\nsources:\n  evidence: ../bundle\n{extra}")
        paths.append(path)
    return paths


def run_cli(*args: str, cwd: Path, timeout: float = 400) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, cwd=cwd,
                          timeout=timeout)
