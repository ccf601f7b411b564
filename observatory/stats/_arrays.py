"""Shared helpers so every statistics function accepts scalars, arrays or Series alike.

A scalar in gives a float out, a Series in gives a Series on the same index out, anything
else array-like gives a float numpy array out. Keeping this in one place means each
statistics function only writes its formula once, over float arrays.
"""

from __future__ import annotations

from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.stats import norm

FloatArray: TypeAlias = npt.NDArray[np.float64]
#: What the statistics functions return: a float for a scalar input, a Series (same index) for a
#: Series input, else a float numpy array. Typed as Any on purpose: a Union would force every
#: caller to narrow a value whose form it already knows from what it passed in.
Values: TypeAlias = Any


def as_float_array(values: Any) -> FloatArray:
    """Return *values* as a float array; None, pandas NA and NaN all become NaN."""
    if isinstance(values, pd.Series | pd.Index):
        return values.to_numpy(dtype=np.float64, na_value=np.nan)
    if np.ndim(values) == 0:
        return np.array(np.nan if values is None or pd.isna(values) else float(values))
    array = np.asarray(values)
    if array.dtype.kind in "fiub":
        return array.astype(np.float64)
    # Object arrays may hold None or pd.NA; pandas' nullable float maps both to NaN.
    flat = pd.array(array.ravel().tolist(), dtype="Float64").to_numpy(np.float64, na_value=np.nan)
    return flat.reshape(array.shape)


def shape_like(template: Any, result: FloatArray) -> Values:
    """Give *result* the outer form of *template*: float, Series (same index) or array."""
    if isinstance(template, pd.Series):
        return pd.Series(result, index=template.index, dtype=np.float64)
    if np.ndim(template) == 0 and np.ndim(result) == 0:
        return float(result)
    return np.asarray(result, dtype=np.float64)


def template_of(*candidates: Any) -> Any:
    """Pick the input whose form the output should take: a Series first, then any array."""
    for candidate in candidates:
        if isinstance(candidate, pd.Series):
            return candidate
    for candidate in candidates:
        if candidate is not None and np.ndim(candidate) > 0:
            return candidate
    return candidates[0]


def z_value(confidence: float) -> float:
    """Two-sided normal quantile for a confidence level (1.959964 for 0.95).

    Raises:
        ValueError: If confidence is not strictly between 0 and 1.
    """
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence!r}")
    return float(norm.ppf(0.5 + confidence / 2.0))
