"""The upload report in words: exact error counts, the decimal mark, why nothing would be stored."""

from observatory import i18n
from observatory.domain import ImportKind, Issue, Severity
from observatory.ingest.report import ValidationReport, cap_issues
from observatory.ui import upload_report

NNBSP = "\u202f"


def _report(bad_rows: int) -> ValidationReport:
    issues = cap_issues([Issue("type-error", Severity.ERROR, "bad", n) for n in range(1, bad_rows + 1)])
    return ValidationReport(ImportKind.OBSERVATIONS, "obs.csv", "0" * 64, issues=issues)


def test_thousands_of_bad_rows_are_counted_exactly_in_each_language():
    report = _report(3000)
    assert upload_report.error_count_text(report) == "3,000 rows with errors; first 500 listed"
    with i18n.locale_scope("fr"):
        assert (
            upload_report.error_count_text(report)
            == f"3{NNBSP}000 lignes en erreur ; les 500 premières sont listées"
        )


def test_a_few_bad_rows_are_counted_without_a_listed_part():
    assert upload_report.error_count_text(_report(3)) == "3 rows with errors"


def test_decimal_mark_in_words():
    assert upload_report.detected_text("utf-8", ";", ",").endswith("decimal comma.")
    with i18n.locale_scope("pt"):
        assert upload_report.detected_text("utf-8", ",", ".").endswith("ponto decimal.")


def test_why_nothing_would_be_stored_in_the_readers_language():
    report = ValidationReport(ImportKind.OBSERVATIONS, "s.csv", "0" * 64, source_format="ssmsi")
    report.empty_hint = ("ssmsi_no_indicator", {"classes": 12})
    with i18n.locale_scope("fr"):
        assert upload_report.nothing_stored_text(report) == (
            "s.csv : aucune ligne ne serait enregistrée : aucune des 12 classes n'a d'indicateur et "
            "« Créer les indicateurs manquants » est désactivé."
        )
