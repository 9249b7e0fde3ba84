"""The notebooks run top to bottom from a clean clone, and are committed without outputs.

Each notebook is executed with nbclient in a fresh "python3" kernel with notebooks/ as
its working directory (as Jupyter runs it), offline, with a private Hugging Face cache
and the Agg backend.
"""
from __future__ import annotations

import re

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import ROOT
from baselines.data import load_bench

NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = ("01_explore.ipynb", "02_baselines.ipynb", "03_errors.ipynb")
CELL_TIMEOUT = 300  # seconds per cell; the slowest cell (every system, cross-fitted) takes about 20 s
TOP_LEVEL_SHOW = re.compile(r"^plt\.show\(\)", re.MULTILINE)


def code_cells(nb) -> list:
    return [c for c in nb.cells if c.cell_type == "code"]


def test_the_notebooks_are_the_three_documented_ones():
    assert sorted(p.name for p in NOTEBOOK_DIR.glob("*.ipynb")) == list(NOTEBOOKS)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_committed_notebook_has_no_outputs(name):
    nb = nbformat.read(NOTEBOOK_DIR / name, as_version=4)
    cells = code_cells(nb)
    assert [(c.outputs, c.execution_count, "execution" in c.metadata) for c in cells] == [([], None, False)] * len(cells)


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """Each notebook executed once: {name: executed notebook}."""
    cache = tmp_path_factory.mktemp("hf-home")
    out = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MPLBACKEND", "Agg")
        mp.setenv("HF_HOME", str(cache))
        mp.setenv("HF_DATASETS_CACHE", str(cache / "datasets"))
        mp.setenv("HF_HUB_OFFLINE", "1")
        mp.setenv("HF_DATASETS_OFFLINE", "1")
        mp.setenv("PYTHONDONTWRITEBYTECODE", "1")
        for name in NOTEBOOKS:
            nb = nbformat.read(NOTEBOOK_DIR / name, as_version=4)
            client = NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3",
                                    resources={"metadata": {"path": str(NOTEBOOK_DIR)}})
            client.execute()  # raises CellExecutionError naming the cell that raised
            out[name] = nb
    return out


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_every_cell_in_order_without_error(executed, name):
    cells = code_cells(executed[name])
    assert [c.execution_count for c in cells] == list(range(1, len(cells) + 1))
    errors = [o.get("ename") for c in cells for o in c.outputs if o.output_type == "error"]
    assert errors == []


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_plot_cell_renders_one_figure(executed, name):
    """A cell ending in a top-level plt.show() shows exactly one PNG; no cell shows more."""
    cells = code_cells(executed[name])
    images = [sum("image/png" in o.get("data", {}) for o in c.outputs) for c in cells]
    plotting = [i for i, c in enumerate(cells) if TOP_LEVEL_SHOW.search(c.source)]
    assert plotting, "each notebook plots"
    assert [images[i] for i in plotting] == [1] * len(plotting)
    assert max(images) == 1


def test_explore_highlights_every_entity_of_the_page(executed):
    """The page view marks each gold entity of the first document once."""
    bench = load_bench()
    doc_id = bench.documents.doc_id.iloc[0]
    html = [o["data"]["text/html"] for c in code_cells(executed["01_explore.ipynb"]) for o in c.outputs
            if "<mark" in o.get("data", {}).get("text/html", "")]
    assert len(html) == 1
    assert html[0].count("<mark ") == int((bench.entities.doc_id == doc_id).sum())
    assert html[0].count("<tr>") == int((bench.boilerplate.doc_id == doc_id).sum())
