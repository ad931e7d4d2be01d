"""Reason codes for every row of a file of any size, in parts, in this process or on a Dask cluster
(``plainsight batch``): :func:`run_batch`."""

from explain.batch.run import BatchResult, run_batch

__all__ = ["BatchResult", "run_batch"]
