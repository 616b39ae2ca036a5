"""Run reviews: one tenant (``tenant.run_tenant``), a batch of them (``batch.run_batch``),
the notebooks in warm kernels (``engine``, ``kernels``) and, optionally, on a Dask cluster
(``distributed``). One failing tenant never stops the others."""

from readiness_kit.runner.engine import (
    DEFAULT_NOTEBOOKS_DIR,
    KERNEL,
    NOTEBOOKS,
    execute_notebooks,
    kernel_name,
)
from readiness_kit.runner.tenant import (
    COMPLETE_MARKER,
    TenantRun,
    completed_run,
    new_run_id,
    params_digest,
    point_latest,
    run_tenant,
)

__all__ = [
    "COMPLETE_MARKER", "DEFAULT_NOTEBOOKS_DIR", "KERNEL", "NOTEBOOKS", "TenantRun",
    "completed_run", "execute_notebooks", "kernel_name", "new_run_id", "params_digest",
    "point_latest", "run_tenant",
]
