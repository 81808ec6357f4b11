"""Settings for every pytest run of the repository, including the notebook kernels nbval starts.

The BLAS thread count is pinned for speed (tools/blas.py, shared with tools/run_notebooks.py); the
kernels inherit this environment. The compared outputs do not depend on it.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "tools"))
import blas  # noqa: E402

blas.pin_threads()
