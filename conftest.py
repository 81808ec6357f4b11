"""Settings for every pytest run of the repository, including the notebook kernels nbval starts.

The BLAS thread count is pinned for speed (tools/blas.py, shared with tools/run_notebooks.py); the
kernels inherit this environment. The compared outputs do not depend on it.
"""

import blas

blas.pin_threads()
