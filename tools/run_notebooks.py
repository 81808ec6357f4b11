"""Re-execute notebooks in place, each top to bottom in a fresh kernel, so that the committed
outputs are produced the same way by everyone (and are what `pytest --nbval` compares against).

    python tools/run_notebooks.py                      # every notebook of the series
    python tools/run_notebooks.py notebooks/03_*.ipynb # some of them

The kernel runs with this interpreter (the one that has the requirements installed), in the
notebook's own folder, as in JupyterLab. Metadata that changes from run to run is not kept.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

import blas
import series

# The same BLAS thread count as the nbval check, for speed (tools/blas.py); the kernels inherit it.
blas.pin_threads()


def all_notebooks() -> list[Path]:
    paths = []
    for notebook in series.SERIES:
        paths += [p for p in (notebook.path, notebook.solutions_path) if p.exists()]
    return paths


def run_in_fresh_kernel(nb, folder: Path, *, timeout: int | None = 900, allow_errors: bool = False) -> float:
    """Execute the notebook object nb top to bottom in a fresh kernel of this environment, with folder as its
    working directory; returns the seconds it took. nb's outputs are replaced in memory."""
    start = time.perf_counter()
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(folder)}},
        record_timing=False,
        allow_errors=allow_errors,
    )
    client.kernel_manager_class = _current_env_kernel_manager()
    client.execute()
    return time.perf_counter() - start


def execute(path: Path, timeout: int = 900) -> float:
    nb = nbformat.read(path, as_version=4)
    elapsed = run_in_fresh_kernel(nb, path.parent, timeout=timeout)
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = {
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "name": "python3",
    }
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("collapsed", None)
        cell.metadata.pop("scrolled", None)
    nbformat.validate(nb)
    nbformat.write(nb, path)
    return elapsed


def _current_env_kernel_manager():
    """A kernel manager that starts ipykernel with *this* Python, whatever kernelspecs the machine has
    (the same choice as `pytest --nbval-current-env`)."""
    from jupyter_client.manager import KernelManager

    class CurrentEnvKernelManager(KernelManager):
        def format_kernel_cmd(self, extra_arguments=None):
            return [sys.executable, "-m", "ipykernel_launcher", "-f", self.connection_file]

    return CurrentEnvKernelManager


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("paths", nargs="*", type=Path, help="notebooks to run (default: all of the series)")
    args = parser.parse_args(argv)
    paths = args.paths or all_notebooks()
    total = 0.0
    for path in paths:
        print(f"{path} ...", end=" ", flush=True)
        seconds = execute(path.resolve())
        total += seconds
        print(f"{seconds:.1f} s", flush=True)
    print(f"{len(paths)} notebooks in {total:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
