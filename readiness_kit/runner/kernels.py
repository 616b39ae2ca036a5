"""Warm kernels: start a Jupyter kernel once, execute many notebooks in it.

A fresh kernel per notebook pays the kernel's start-up and the imports of pandas, plotly
and the project again for every notebook of every tenant (most of a notebook's time on the
demo). A :class:`WarmKernel` is started once per worker and reused across notebooks and
tenants; before each notebook its user namespace is reset (IPython's ``reset`` with a new
session: variables gone, execution counts from 1 again), while imported modules stay loaded.

Execution still goes through Papermill (parameter injection, the output notebook's
metadata, the error cell) and nbclient: :class:`WarmKernelEngine` is a Papermill engine
that hands nbclient the running kernel instead of letting it start one. The notebooks are
unchanged and run the same way in JupyterLab or under the Papermill CLI.

A kernel is used from one thread only (nbclient and jupyter_client run their coroutines
on the calling thread's event loop), so each :class:`WarmKernel` owns a single-thread
executor and every call to it goes through that thread.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import IO, Any, TypeVar

T = TypeVar("T")

ENGINE_NAME = "readiness-warm"
#: A batch kernel keeps no input history (IPython writes every cell to a SQLite file).
KERNEL_ARGUMENTS = ("--HistoryManager.enabled=False",)
#: Code run before each notebook: a clean user namespace, execution counts from 1.
#: (IPython's own ``reset`` does this too but ends in a full ``gc.collect()`` of the
#: kernel's heap, ~0.17 s a notebook; here reference counting frees the old objects.)
RESET_CODE = """\
def _rk_reset(ip=get_ipython()):
    ns, hidden = ip.user_ns, ip.user_ns_hidden
    for key in [k for k in ns if k not in hidden and not k.startswith("__")]:
        del ns[key]
    ns["Out"].clear()
    ip.execution_count = 1
_rk_reset()
"""
#: Run once when a kernel starts, so the first notebook does not pay for it: the imports,
#: and one figure of each trace type the charts draw (plotly loads its validators lazily).
WARM_IMPORTS = (
    "import pandas, plotly.graph_objects as _go, plotly.io as _pio\n"
    "from readiness_kit import notebook\nimport readiness_kit.charts\n"
    "_pio.to_json(_go.Figure([_go.Bar(x=[1]), _go.Heatmap(z=[[1]]), _go.Treemap(labels=['a']),"
    " _go.Table(cells={'values': [[1]]}), _go.Scatter(x=[1])], layout=_go.Layout(title='w')))\n"
    "del _go, _pio")


def ipc_kernel_manager(socket_dir: str, log: IO[bytes]) -> type:
    """Kernels talk over Unix sockets in a private folder (no TCP port on the machine, no
    plain-text-transport warning) and write their own chatter to ``log``, not the terminal."""
    from jupyter_client.manager import AsyncKernelManager

    class IpcKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.transport = "ipc"
            self.ip = str(Path(tempfile.mkdtemp(dir=socket_dir)) / "kernel")

        async def start_kernel(self, **kw):  # type: ignore[override]
            kw.setdefault("stdout", log)
            kw.setdefault("stderr", log)
            return await super()._async_start_kernel(**kw)

    return IpcKernelManager


class KernelError(RuntimeError):
    """The kernel could not be started or did not answer."""


class WarmKernel:
    """One kernel process kept running, driven from its own thread."""

    def __init__(self, kernel_name: str, log_path: Path, start_timeout: float = 120) -> None:
        self.kernel_name = kernel_name
        self.log_path = log_path
        self.start_timeout = start_timeout
        self.km: Any = None
        self.kc: Any = None
        self.notebooks_run = 0
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rk-kernel")
        self._sockets = tempfile.mkdtemp(prefix="rk-kernel-")
        self._log: IO[bytes] | None = None

    # every call runs on the kernel's own thread
    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        future: Future[T] = self._thread.submit(fn, *args, **kwargs)
        return future.result()

    def prestart(self) -> None:
        """Start the kernel in the background (evidence and checks run meanwhile); the
        first notebook waits for it. A failure to start shows at that notebook."""
        def start() -> None:
            with contextlib.suppress(Exception):
                if not self._alive():
                    self._stop()
                    self._start()

        self._thread.submit(start)

    def _start(self) -> None:
        from jupyter_core.utils import run_sync

        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        if self._log is None:
            self._log = self.log_path.open("ab")
        manager = ipc_kernel_manager(self._sockets, self._log)
        self.km = manager(kernel_name=self.kernel_name)
        run_sync(self.km.start_kernel)(extra_arguments=list(KERNEL_ARGUMENTS))
        self.kc = self.km.client()
        self.kc.start_channels()
        try:
            run_sync(self.kc.wait_for_ready)(timeout=self.start_timeout)
        except RuntimeError as exc:
            raise KernelError(f"kernel {self.kernel_name} did not start: {exc}") from None
        self._run(WARM_IMPORTS, timeout=self.start_timeout)

    def _run(self, code: str, timeout: float = 60) -> None:
        from jupyter_core.utils import run_sync

        reply = run_sync(self.kc.execute_interactive)(
            code, timeout=timeout, output_hook=lambda _msg: None, store_history=False)
        content = reply.get("content", {})
        if content.get("status") != "ok":
            raise KernelError(f"kernel refused {code!r}: {content.get('ename')}: "
                              f"{content.get('evalue')}")

    def _alive(self) -> bool:
        from jupyter_core.utils import run_sync

        return self.km is not None and bool(run_sync(self.km.is_alive)())

    def _ready(self) -> None:
        """A live kernel with a clean namespace (started, or restarted if it died)."""
        if not self._alive():
            self._stop()
            self._start()
        else:
            self._run(RESET_CODE)

    def _stop(self) -> None:
        from jupyter_core.utils import run_sync

        if self.kc is not None:
            self.kc.stop_channels()
            self.kc = None
        if self.km is not None:
            try:
                if run_sync(self.km.is_alive)():
                    run_sync(self.km.shutdown_kernel)(now=True)
                run_sync(self.km.cleanup_resources)()
            except Exception:  # noqa: BLE001 - a kernel that is already gone is fine
                pass
            self.km = None

    def execute(self, source: Path, target: Path, parameters: dict, *,
                execution_timeout: float | None = None) -> None:
        """Execute ``source`` into ``target`` with Papermill in this kernel. After an error
        or a timeout the kernel is stopped, so the next notebook starts a fresh one."""
        def work() -> None:
            import papermill as pm

            try:
                self._ready()
                pm.execute_notebook(
                    str(source), str(target), parameters=parameters,
                    kernel_name=self.kernel_name, engine_name=ENGINE_NAME,
                    progress_bar=False, log_output=False, start_timeout=self.start_timeout,
                    execution_timeout=execution_timeout, warm_kernel=self)
            except BaseException:
                self._stop()
                raise
            self.notebooks_run += 1

        self.call(work)

    def shutdown(self) -> None:
        try:
            self.call(self._stop)
        finally:
            self._thread.shutdown(wait=True)
            if self._log is not None:
                self._log.close()
                self._log = None


def _register_engine() -> None:
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines

    class WarmKernelEngine(NBClientEngine):
        """Papermill's nbclient engine, executing in an already running kernel."""

        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False,
                                     stdout_file=None, stderr_file=None, start_timeout=60,
                                     execution_timeout=None, warm_kernel=None, **kwargs):
            client = PapermillNotebookClient(
                nb_man, km=warm_kernel.km, kernel_name=kernel_name,
                timeout=execution_timeout, startup_timeout=start_timeout,
                log_output=log_output, stdout_file=stdout_file, stderr_file=stderr_file)
            client.kc = warm_kernel.kc  # nbclient keeps a kernel it does not own running
            # Papermill rewrites the whole output notebook at the start and end of every
            # cell (for watching a long run); the runner reads it only when it is done, and
            # Papermill writes it then (or, on an error, with the error cell) anyway.
            nb_man.save = lambda **_kw: None
            return client.execute()

    papermill_engines.register(ENGINE_NAME, WarmKernelEngine)


@functools.cache
def ensure_engine() -> None:
    """Register the warm-kernel engine with Papermill (once per process)."""
    _register_engine()


class KernelPool:
    """The warm kernels of one process: created on first use, reused by every run in the
    process (a batch worker runs many tenants through them), stopped at exit."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kernels: list[WarmKernel] = []

    def get(self, count: int, kernel_name: str, log_path: Path) -> list[WarmKernel]:
        ensure_engine()
        with self._lock:
            while len(self._kernels) < count:
                self._kernels.append(WarmKernel(kernel_name, log_path))
            return self._kernels[:count]

    def shutdown(self) -> None:
        with self._lock:
            kernels, self._kernels = self._kernels, []
        for kernel in kernels:
            with contextlib.suppress(Exception):  # best effort at exit
                kernel.shutdown()


POOL = KernelPool()
atexit.register(POOL.shutdown)


def prestart(count: int, log_path: Path) -> None:
    """Have ``count`` warm kernels of this process starting in the background."""
    from readiness_kit.runner.engine import kernel_name

    for kernel in POOL.get(max(1, count), kernel_name(), log_path):
        kernel.prestart()
