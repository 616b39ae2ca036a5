"""Execute a run's notebooks: warm kernels by default, a fresh kernel per notebook on request.

Either way each notebook goes through Papermill (parameters injected, errors as the
failing cell) into ``run_dir/notebooks``; the notebooks read the run's findings back
rather than re-checking. The process's working directory is never changed: every path
handed to a notebook is absolute.
"""

from __future__ import annotations

import datetime as dt
import queue
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from readiness_kit.errors import ReadinessError

NOTEBOOKS = (
    "00_summary.ipynb",
    "10_architecture.ipynb",
    "20_scalability.ipynb",
    "30_security.ipynb",
    "40_resilience.ipynb",
    "50_operations.ipynb",
    "60_devops.ipynb",
)
KERNEL = "readiness-kit"
DEFAULT_NOTEBOOKS_DIR = Path(__file__).resolve().parent.parent.parent / "notebooks"
ENGINES = ("warm", "papermill")


def kernel_name() -> str:
    """The project's kernel if registered (``make setup``), else this interpreter's."""
    from jupyter_client.kernelspec import KernelSpecManager

    return KERNEL if KERNEL in KernelSpecManager().find_kernel_specs() else "python3"


def _failure(exc: BaseException, target: Path) -> ReadinessError:
    """A notebook's failure as one readable error naming the notebook and the cell."""
    import papermill as pm

    if isinstance(exc, pm.PapermillExecutionError):
        return ReadinessError(f"notebook failed in cell {exc.exec_count}: {exc.ename}: "
                              f"{exc.evalue}", path=target)
    if isinstance(exc, TimeoutError):
        return ReadinessError(f"timed out in {target.name}: {exc}", path=target)
    return ReadinessError(f"notebook failed: {type(exc).__name__}: {exc}", path=target)


def execute_notebooks(
    run_dir: Path, params_path: Path, as_of: dt.date, notebooks_dir: Path,
    on_step: Callable[[str], None] | None = None, kernels: int = 1, *,
    engine: str = "warm", cell_timeout: float | None = 600,
    log_path: Path | None = None, lanes: list | None = None,
) -> list[Path]:
    """Execute every notebook into ``run_dir/notebooks`` with ``kernels`` kernels at a time.

    ``engine="warm"`` reuses this process's warm kernels (see ``runner.kernels``);
    ``engine="papermill"`` starts a fresh kernel per notebook, as the Papermill CLI does.
    ``lanes`` names the warm kernels to use (a batch gives each tenant its own)."""
    if engine not in ENGINES:
        raise ReadinessError(f"engine: expected one of {', '.join(ENGINES)}, got {engine!r}")
    out_dir = run_dir / "notebooks"
    out_dir.mkdir(parents=True, exist_ok=True)
    sources = [notebooks_dir / name for name in NOTEBOOKS]
    for source in sources:
        if not source.is_file():
            raise ReadinessError("notebook not found", path=source)
    parameters = {"params_path": str(Path(params_path).resolve()),
                  "run_dir": str(run_dir.resolve()), "as_of": as_of.isoformat()}
    step = on_step or (lambda _msg: None)
    step(f"executing {len(sources)} notebooks")
    name = kernel_name()
    todo: queue.SimpleQueue[int] = queue.SimpleQueue()
    for i in range(len(sources)):
        todo.put(i)
    errors: list[tuple[int, BaseException]] = []
    lock = threading.Lock()

    cleanup: list[Callable[[], None]] = []
    if engine == "warm":
        from readiness_kit.runner.kernels import POOL

        kernels_used = lanes or POOL.get(max(1, kernels), name,
                                         log_path or out_dir / "kernels.log")
        runners = [lambda src, dst, k=k: k.execute(src, dst, parameters,
                                                   execution_timeout=cell_timeout)
                   for k in kernels_used]
    else:
        import papermill as pm

        from readiness_kit.runner.kernels import ipc_kernel_manager

        sockets = tempfile.TemporaryDirectory(prefix="rk-kernels-")
        log = (out_dir / "kernels.log").open("ab")
        cleanup += [log.close, sockets.cleanup]
        manager = ipc_kernel_manager(sockets.name, log)

        def fresh_kernel(src: Path, dst: Path) -> None:
            pm.execute_notebook(
                str(src), str(dst), parameters=parameters, kernel_name=name,
                progress_bar=False, log_output=False, start_timeout=120,
                execution_timeout=cell_timeout, kernel_manager_class=manager)

        runners = [fresh_kernel] * max(1, kernels)

    def run_lane(execute_one: Callable[[Path, Path], None]) -> None:
        """Take notebooks until none is left (or one has failed)."""
        while not errors:
            try:
                i = todo.get_nowait()
            except queue.Empty:
                return
            try:
                execute_one(sources[i], out_dir / sources[i].name)
            except BaseException as exc:  # noqa: BLE001 - reported below, in order
                with lock:
                    errors.append((i, exc))
                return
            step(f"executed {sources[i].name}")

    try:
        if len(runners) == 1:
            run_lane(runners[0])
        else:
            threads = [threading.Thread(target=run_lane, args=(r,), daemon=True)
                       for r in runners]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
    finally:
        for close in cleanup:
            close()
    if errors:
        i, exc = min(errors, key=lambda e: e[0])
        raise _failure(exc, out_dir / sources[i].name) from None
    return [out_dir / s.name for s in sources]
