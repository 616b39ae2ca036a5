"""The notebooks as a consultant meets them: thin, output-free, runnable with defaults."""

from __future__ import annotations

from pathlib import Path

import nbformat
import papermill as pm
import pytest

from readiness_kit.runner import KERNEL, NOTEBOOKS

NB_DIR = Path(__file__).resolve().parents[1] / "notebooks"
PARAMETERS = {"params_path", "evidence_dir", "run_dir", "as_of"}


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_committed_clean_with_a_parameters_cell(name):
    nb = nbformat.read(NB_DIR / name, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == KERNEL
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    names = {line.split("=")[0].strip() for line in tagged[0].source.splitlines()
             if "=" in line and not line.startswith("#")}
    assert names == PARAMETERS
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
            if cell is not tagged[0]:
                assert len(cell.source.splitlines()) <= 4, "logic belongs in the library"


@pytest.mark.parametrize("name", ["00_summary.ipynb", "20_scalability.ipynb"])
def test_runs_with_its_default_parameters(name, tmp_path):
    """What a consultant gets pressing Run All in JupyterLab on the demo tenant."""
    out = tmp_path / name
    pm.execute_notebook(str(NB_DIR / name), str(out), kernel_name=KERNEL, cwd=str(NB_DIR),
                        progress_bar=False)
    nb = nbformat.read(out, as_version=4)
    mimetypes = [m for c in nb.cells if c.cell_type == "code" for o in c.outputs
                 for m in o.get("data", {})]
    assert mimetypes.count("application/vnd.plotly.v1+json") >= 3
    assert "text/html" in mimetypes
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert errors == []
