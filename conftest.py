"""Settings for every pytest run of the repository, including the notebook kernels nbval starts.

The BLAS thread count changes the last bits of a matrix product, and float32 training amplifies
them, so notebooks are executed with the same count when their outputs are committed
(tools/run_notebooks.py) and when nbval re-checks them. The kernels inherit this environment.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")
