"""Send a batch's tenants to an existing Dask cluster (``readiness run --scheduler``).

Each tenant is one task calling :func:`readiness_kit.runner.batch.run_one` on a worker,
which writes the tenant's output under the output root given (an absolute path, so it
must be the same file system on the workers, e.g. a shared volume) and reuses its warm
kernels for the next tenant it takes. Workers need readiness-kit installed, the project's
kernel registered and the parameters and sources readable at the same paths. Only this
module imports Dask: a local run never does.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

from readiness_kit.errors import ReadinessError
from readiness_kit.runner.batch import STATUS_EVENT, EventHook, new_entry, run_one

CONNECT_TIMEOUT_S = 10


def run_on_cluster(address: str, paths: list[Path], output_root: Path, *,
                   as_of: dt.date | None = None, notebooks_dir: Path | None = None,
                   kernels: int = 1, engine: str = "warm", timeout: float | None = None,
                   force: bool = False, on_event: EventHook | None = None,
                   connect_timeout: float = CONNECT_TIMEOUT_S) -> list[dict]:
    """Run every tenant on the cluster at ``address``; entries in the order of ``paths``.
    An unreachable scheduler raises ``ReadinessError``; a task that fails on a worker
    becomes that tenant's failure and the others go on."""
    from distributed import Client, as_completed

    emit = on_event or (lambda _p, _m: None)
    try:
        client = Client(address, timeout=connect_timeout)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ReadinessError(f"--scheduler {address}: Dask scheduler not reachable "
                             f"({type(exc).__name__}: {exc})") from None
    batch = uuid.uuid4().hex[:8]
    entries: list[dict | None] = [None] * len(paths)
    with client:
        futures = {
            client.submit(run_one, str(p), str(Path(output_root).resolve()), as_of=as_of,
                          notebooks_dir=notebooks_dir, kernels=kernels, engine=engine,
                          timeout=timeout, force=force, key=f"readiness-{batch}-{i}",
                          pure=False): i
            for i, p in enumerate(paths)}
        for future in as_completed(futures):
            i = futures[future]
            try:
                entry = future.result()
            except Exception as exc:  # noqa: BLE001 - the worker died or the task was lost
                entry = {**new_entry(paths[i]), "step": "worker", "unexpected": True,
                         "error": f"Dask task failed: {type(exc).__name__}: {exc}"}
            entries[i] = entry
            emit(str(paths[i]), f"{STATUS_EVENT} {entry['status']}")
    return [e for e in entries if e is not None]
