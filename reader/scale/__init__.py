"""Cleaning at corpus scale (Textual-free): lazy inputs, two passes with per-site evidence,
a process pool or a Dask cluster, journaled outputs that resume after an interruption.

`sources` turns inputs into blocks of small items, `work` is what a worker does with a
block, `output` writes and journals, `run` drives the local engine and `dask_engine` the
distributed one; `early` starts the local workers' forkserver before the rest is imported.
"""
