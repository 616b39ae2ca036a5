"""Warm kernels: one kernel, many notebooks, each starting from a clean namespace."""

from __future__ import annotations

import nbformat
import pytest

from readiness_kit.errors import ReadinessError
from readiness_kit.runner.engine import kernel_name
from readiness_kit.runner.kernels import WarmKernel, ensure_engine


def notebook(path, *sources: str):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("marker = None", metadata={"tags": ["parameters"]}),
                *(nbformat.v4.new_code_cell(s) for s in sources)]
    nb.metadata["kernelspec"] = {"name": kernel_name(), "display_name": "k",
                                 "language": "python"}
    nbformat.write(nb, path)
    return path


def outputs(path) -> list[tuple[int | None, str]]:
    nb = nbformat.read(path, as_version=4)
    return [(c.execution_count, "".join(o.get("text", "") for o in c.outputs).strip())
            for c in nb.cells if c.cell_type == "code"]


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    ensure_engine()
    k = WarmKernel(kernel_name(), tmp_path_factory.mktemp("k") / "kernel.log")
    yield k
    k.shutdown()


def test_notebooks_share_the_kernel_but_not_the_namespace(kernel, tmp_path):
    first = notebook(tmp_path / "a.ipynb", "import os\nleak = os.getpid()\nprint(leak)",
                     "print(marker)")
    second = notebook(tmp_path / "b.ipynb",
                      "print('leak' in globals(), 'os' in globals(), marker)",
                      "import os\nprint(os.getpid())")
    kernel.execute(first, tmp_path / "a.out.ipynb", {"marker": "one"})
    kernel.execute(second, tmp_path / "b.out.ipynb", {"marker": "two"})
    a, b = outputs(tmp_path / "a.out.ipynb"), outputs(tmp_path / "b.out.ipynb")
    # Papermill injected the parameters after the parameters cell in both
    assert a[-1][1] == "one" and b[2][1] == "False False two"
    assert a[2][1] == b[3][1]  # the same kernel process ran both
    # execution counts start again at 1 in each notebook, as in a fresh kernel
    assert [n for n, _ in a] == [n for n, _ in b] == [1, 2, 3, 4]
    assert kernel.notebooks_run >= 2


def test_a_failing_notebook_names_its_cell_and_the_next_gets_a_fresh_kernel(kernel,
                                                                             tmp_path):
    import papermill as pm

    ok = notebook(tmp_path / "ok.ipynb", "import os\nprint(os.getpid())")
    kernel.execute(ok, tmp_path / "ok1.ipynb", {})
    before = outputs(tmp_path / "ok1.ipynb")[-1][1]
    bad = notebook(tmp_path / "bad.ipynb", "x = 1", "raise ValueError('broken on purpose')")
    with pytest.raises(pm.PapermillExecutionError) as info:
        kernel.execute(bad, tmp_path / "bad.out.ipynb", {})
    assert info.value.ename == "ValueError" and "broken on purpose" in info.value.evalue
    kernel.execute(ok, tmp_path / "ok2.ipynb", {})
    assert outputs(tmp_path / "ok2.ipynb")[-1][1] != before  # a new kernel process


def test_the_engine_rejects_an_unknown_name(tmp_path):
    from readiness_kit.runner.engine import execute_notebooks

    with pytest.raises(ReadinessError, match="engine"):
        execute_notebooks(tmp_path, tmp_path / "p.yaml", __import__("datetime").date.today(),
                          tmp_path, engine="turbo")
