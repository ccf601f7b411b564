"""Ingest: uploaded bytes to a typed canonical frame and a validation report. Writes nothing."""

from observatory.ingest.parse import IndicatorRef, Parsed, Reference, detect_kind, parse, template
from observatory.ingest.report import ValidationReport

__all__ = ["IndicatorRef", "Parsed", "Reference", "ValidationReport", "detect_kind", "parse", "template"]
