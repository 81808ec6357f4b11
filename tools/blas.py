"""The BLAS thread count of every notebook run, in one place.

`conftest.py` (pytest, and the notebook kernels nbval starts, which inherit its environment) and
`tools/run_notebooks.py` (which writes the committed outputs) both call `pin_threads()`. The count is
pinned for speed and steadiness, not for correctness: on a small shared machine more BLAS threads than
free cores slow every matrix product many times over. The outputs that nbval compares are computed in
float64 and do not depend on the thread count or on the kernel OpenBLAS picks for the CPU
(CONVENTIONS.md, "Outputs that reproduce on any machine"), so a caller's own `OPENBLAS_NUM_THREADS`
wins, and `OPENBLAS_CORETYPE` is never set here.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping

BLAS_THREADS = 2


def pin_threads(environ: MutableMapping[str, str] = os.environ) -> str:
    """Set OPENBLAS_NUM_THREADS to BLAS_THREADS unless the caller has set it; return the value in effect.

    It must run before NumPy is imported in the process that computes (OpenBLAS reads it on loading).
    """
    return environ.setdefault("OPENBLAS_NUM_THREADS", str(BLAS_THREADS))
