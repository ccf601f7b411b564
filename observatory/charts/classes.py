"""Choropleth classes: class edges by mapclassify and the class of each value."""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

with warnings.catch_warnings():
    # mapclassify announces at import that numba is absent; the pure-Python path is fast enough here.
    warnings.simplefilter("ignore")
    import mapclassify

_SCHEMES = {
    "quantiles": mapclassify.Quantiles,
    "fisher_jenks": mapclassify.FisherJenks,
    "equal_interval": mapclassify.EqualInterval,
}


def class_breaks(
    values: Sequence[float] | np.ndarray,
    *,
    scheme: str = "quantiles",
    n_classes: int = 5,
    classes: Sequence[float] | None = None,
) -> list[float]:
    """Return class edges ``[lowest, upper_1, …, upper_k]`` covering the values' min..max.

    Classes are computed with mapclassify: Quantiles, FisherJenks (natural breaks) or EqualInterval, or
    the fixed upper bounds given in ``classes`` (kept as given so a legend stays the same year after
    year; the last edge grows to the maximum if a value exceeds it). Fewer distinct values than classes
    lower the number of classes.

    Raises:
        ValueError: If there is no finite value or the scheme is unknown.
    """
    y = np.asarray([v for v in values if v is not None and np.isfinite(v)], dtype=float)
    if y.size == 0:
        raise ValueError("no finite value to classify")
    low, high = float(y.min()), float(y.max())
    if classes is not None:
        uppers = sorted(float(c) for c in classes)
        if not uppers or uppers[-1] < high:
            uppers.append(high)
        return [min(low, uppers[0]), *uppers]
    if scheme not in _SCHEMES:
        raise ValueError(f"unknown classification scheme {scheme!r}; use one of {', '.join(_SCHEMES)}")
    k = min(n_classes, int(np.unique(y).size))
    if k <= 1:
        return [low, high]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # mapclassify warns when ties reduce the number of classes
        bins = _SCHEMES[scheme](y, k=k).bins
    uppers = sorted({float(b) for b in bins})
    uppers[-1] = max(uppers[-1], high)
    return [low, *uppers]


def class_of(values: pd.Series, edges: list[float]) -> np.ndarray:
    """Class index per value, upper bounds inclusive (mapclassify's convention)."""
    index = np.searchsorted(np.asarray(edges[1:]), values.to_numpy(dtype=float), side="left")
    return np.clip(index, 0, len(edges) - 2)
