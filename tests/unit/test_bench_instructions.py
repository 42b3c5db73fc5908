"""`bench/detector_instructions.py` reads callgrind's per-function instruction counts."""

from __future__ import annotations

from pathlib import Path

from helpers.bench import load_bench

ROOT = Path(__file__).resolve().parents[2]


def _bench():
    return load_bench("detector_instructions")


REPORT = """\
--------------------------------------------------------------------------------
Ir
--------------------------------------------------------------------------------
3,129,936,636 (100.0%)  PROGRAM TOTALS

--------------------------------------------------------------------------------
Ir                    file:function
--------------------------------------------------------------------------------
252,528,884 ( 8.07%)  /build/Python/ceval.c:_PyEval_EvalFrameDefault [/lib/libpython3.11.so]
 86,318,908 ( 2.76%)  ???:dgemm_kernel_HASWELL [/numpy.libs/libscipy_openblas64_.so]
  1,000 ( 0.00%)  /build/Python/ceval.c:_PyEval_EvalFrameDefault [/lib/libpython3.11.so]
"""


def test_function_counts_add_up_each_function_and_leave_out_the_total() -> None:
    counts = _bench().function_counts(REPORT)
    assert counts == {"_PyEval_EvalFrameDefault": 252_529_884, "dgemm_kernel_HASWELL": 86_318_908}
