"""Outcome-based contracts (social impact bonds, payment by results): is the threshold met, what is due.

A contract pays when the measured outcome improves by at least its threshold (a relative reduction,
0.075 = 7.5 %). The outcome is an impact estimate (observatory.stats.impact): a rate ratio r with its
log-scale standard error s. The measured reduction is ``1 − r`` with the interval from the estimate.
The probability that the true reduction reaches the threshold is read from the estimate's normal
approximation on the log scale, ``Φ((log(1 − threshold) − log r) / s)`` (the approximate posterior
under a flat prior; Spiegelhalter, Abrams & Myles 2004, *Bayesian Approaches to Clinical Trials and
Health-Care Evaluation*, §3.5). A cohort's payment is due when the measured reduction reaches the
threshold and the reduction itself is beyond chance (its interval excludes no change): the usual
payment-by-results rule that the outcome is both large enough and not noise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from scipy import stats as sps

from observatory.stats.impact import Effect


class ContractStatus(StrEnum):
    """Where a cohort stands against its threshold."""

    MET = "met"
    NOT_MET = "not_met"
    NOT_MEASURED = "not_measured"


@dataclass(frozen=True, slots=True)
class ContractOutcome:
    """A cohort's measured outcome against its threshold.

    Attributes:
        reduction: Measured relative reduction (0.08 = 8 % fewer than without the programme).
        low, high: Its 95 % interval.
        probability: Probability that the true reduction reaches the threshold.
        status: Met, not met, or not measured.
        payment_due: The cohort's payment when met, else 0.
    """

    reduction: float
    low: float
    high: float
    probability: float
    status: ContractStatus
    payment_due: float


def outcome(effect: Effect, *, threshold: float, payment: float) -> ContractOutcome:
    """The outcome of one cohort: measured reduction, probability the threshold is met, payment due."""
    if not effect.known or not (math.isfinite(effect.se) and effect.se > 0):
        nan = math.nan
        return ContractOutcome(nan, nan, nan, nan, ContractStatus.NOT_MEASURED, 0.0)
    reduction = 1 - effect.ratio
    z = (math.log(1 - threshold) - math.log(effect.ratio)) / effect.se
    probability = float(sps.norm.cdf(z))
    met = reduction >= threshold and effect.high < 1
    status = ContractStatus.MET if met else ContractStatus.NOT_MET
    return ContractOutcome(
        reduction, 1 - effect.high, 1 - effect.low, probability, status, payment if met else 0.0
    )
