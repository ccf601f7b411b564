"""The CSV contracts staff upload, declared as data, and the header matching that applies them."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum

from observatory.domain import (
    ActionStatus,
    ImportKind,
    IndicatorKind,
    Issue,
    Polarity,
    Sector,
    Severity,
    Unit,
    translation_columns,
)


class Cell(StrEnum):
    """How a column's cells are read."""

    CODE = "code"  # text identifier, leading zeros kept
    TEXT = "text"
    LOWER = "lower"  # free text, lower-cased
    PERIOD = "period"  # 2024, 2024-Q3, 2024-07
    NUMBER = "number"  # decimal number in the file's decimal style
    INTEGER = "integer"
    YEAR = "year"
    ENUM = "enum"
    DATE = "date"  # ISO 2024-07-31
    CODES = "codes"  # codes separated by "|"


@dataclass(frozen=True)
class Column:
    """One column of a contract.

    Attributes:
        name: Canonical (normalised English) name.
        cell: How cells are read.
        required: The header must hold this column.
        blank_ok: A blank cell is allowed.
        aliases: Other normalised header names accepted (French, Portuguese …).
        choices: Allowed values of an ENUM column.
        synonyms: Other normalised cell values accepted for an ENUM column.
        nulls: Casefolded texts read as a blank number (``na``, ``ndiff``).
    """

    name: str
    cell: Cell = Cell.TEXT
    required: bool = True
    blank_ok: bool = False
    aliases: tuple[str, ...] = ()
    choices: type[StrEnum] | None = None
    synonyms: dict[str, str] = field(default_factory=dict)
    nulls: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Spec:
    """One contract: its columns, its key, and a filled-in example.

    Attributes:
        kind: The import kind.
        columns: Columns in template order.
        key: Columns whose values may appear only once in a file.
        open_numeric: Unknown columns are extra numeric measures (denominator kinds), not mistakes.
        example: Example rows for the template.
    """

    kind: ImportKind
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    open_numeric: bool = False
    example: tuple[tuple[str, ...], ...] = ()

    def column(self, name: str) -> Column:
        """The column called ``name``."""
        return next(c for c in self.columns if c.name == name)

    @property
    def numeric(self) -> tuple[str, ...]:
        """Names of columns holding decimal numbers."""
        return tuple(c.name for c in self.columns if c.cell in (Cell.NUMBER, Cell.INTEGER))


def normalise(label: str) -> str:
    """Header or value text in comparable form: stripped, casefolded, no accents, ``_`` for spaces.

    Args:
        label: Text as written.

    Returns:
        E.g. ``"Área Code"`` → ``"area_code"``, ``"Période"`` → ``"periode"``.
    """
    folded = unicodedata.normalize("NFKD", label.strip().casefold())
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return "_".join(plain.replace("-", " ").split())


_NULLS = frozenset({"na", "n/a", "ndiff", "nd"})
_CODE = ("code", "codigo", "cod", "id")
_AREA = ("zone", "zona", "district", "quartier", "freguesia", "area_code")
_INDICATOR = ("indicateur", "indicador", "indicator_code")
_TITLE = ("titre", "titulo", "libelle")
_NAME = ("nom", "nome", "libelle")
_DESCRIPTION = ("descricao", "descriptif")
_SECTOR = {
    "publique": "public", "publico": "public", "publica": "public",
    "prive": "private", "privee": "private", "privado": "private", "privada": "private",
    "associatif": "community", "associative": "community", "comunitario": "community",
    "associacao": "community", "associatiu": "community",
}  # fmt: skip
_ACTION_STATUS = {
    "prevue": "planned", "planifiee": "planned", "planeada": "planned", "prevista": "planned",
    "en_cours": "in_progress", "em_curso": "in_progress", "em_execucao": "in_progress",
    "terminee": "completed", "achevee": "completed", "concluida": "completed", "done": "completed",
    "suspendue": "suspended", "suspensa": "suspended",
}  # fmt: skip

# Template rows: codes that refer to each other (areas 01 and 02 are the boundary template's), so
# the templates imported in order (boundaries, indicators, denominators, observations, axes,
# partners, objectives, actions) are accepted as they are by an empty database.
_INDICATOR_EXAMPLES = (
    ("burglary", "Burglaries", "property", "result", "count", "lower_is_better", "dwellings", "1000", "5",
     "Recorded burglaries of homes", "Police",
     "Burglaries", "Assaltos a residências", "Cambriolages",
     "property", "património", "atteintes aux biens",
     "Recorded burglaries of homes", "Assaltos a residências registados",
     "Cambriolages de logements enregistrés"),
    ("feel_unsafe", "Residents who feel unsafe", "feeling of safety", "result", "percent", "lower_is_better",
     "", "", "", "Share of surveyed residents who feel unsafe after dark", "Municipal safety survey",
     "", "Residentes que se sentem inseguros", "", "", "", "", "", "", ""),
)  # fmt: skip
_OBJECTIVE_EXAMPLES = (
    ("OB1", "AX2", "Cut burglary in district 01 by 20 %", "burglary", "01", "2023", "120", "96", "2027"),
    ("OB2", "AX1", "Fewer residents feel unsafe", "feel_unsafe", "01", "2023", "31.5", "25", "2027"),
)

SPECS: dict[ImportKind, Spec] = {
    ImportKind.OBSERVATIONS: Spec(
        ImportKind.OBSERVATIONS,
        (
            Column("indicator", Cell.CODE, aliases=_INDICATOR),
            Column("area", Cell.CODE, aliases=_AREA),
            Column("period", Cell.PERIOD, aliases=("periode", "periodo")),
            Column("value", Cell.NUMBER, blank_ok=True, aliases=("valeur", "valor"), nulls=_NULLS),
            Column("sample_size", Cell.INTEGER, False, True, ("n", "effectif", "amostra", "echantillon")),
            Column("status", Cell.LOWER, False, True, ("statut", "estado")),
        ),
        key=("indicator", "area", "period"),
        example=(
            ("burglary", "01", "2024-07", "12", "", ""),
            ("burglary", "02", "2024-07", "", "", "ndiff"),
            ("feel_unsafe", "01", "2024", "23.5", "412", ""),
        ),
    ),
    ImportKind.INDICATORS: Spec(
        ImportKind.INDICATORS,
        (
            Column("code", Cell.CODE, aliases=_CODE),
            Column("name", Cell.TEXT, aliases=_NAME),
            Column("theme", Cell.TEXT, aliases=("tema", "thematique")),
            Column("kind", Cell.ENUM, aliases=("type", "tipo"), choices=IndicatorKind),
            Column("unit", Cell.ENUM, aliases=("unite", "unidade"), choices=Unit),
            Column("polarity", Cell.ENUM, aliases=("polarite", "polaridade"), choices=Polarity),
            Column("denominator", Cell.LOWER, False, True, ("denominateur", "denominador")),
            Column("multiplier", Cell.NUMBER, False, True, ("multiplicateur", "multiplicador")),
            Column("threshold", Cell.INTEGER, False, True, ("seuil", "limiar", "disclosure_threshold")),
            Column("description", Cell.TEXT, False, True, _DESCRIPTION),
            Column("source", Cell.TEXT, False, True, ("fonte",)),
            *(Column(name, Cell.TEXT, False, True) for name in translation_columns()),
        ),
        key=("code",),
        example=_INDICATOR_EXAMPLES,
    ),
    ImportKind.DENOMINATORS: Spec(
        ImportKind.DENOMINATORS,
        (
            Column("area", Cell.CODE, aliases=_AREA),
            Column("year", Cell.YEAR, aliases=("annee", "ano")),
            Column(
                "residents", Cell.NUMBER, blank_ok=True, aliases=("habitants", "population", "residentes")
            ),
            Column("dwellings", Cell.NUMBER, False, True, ("logements", "alojamentos", "fogos")),
        ),
        key=("area", "year"),
        open_numeric=True,
        example=(("01", "2024", "15230", "7120"), ("02", "2024", "9870", "4410")),
    ),
    ImportKind.AXES: Spec(
        ImportKind.AXES,
        (
            Column("code", Cell.CODE, aliases=_CODE),
            Column("title", Cell.TEXT, aliases=_TITLE),
            Column("description", Cell.TEXT, False, True, _DESCRIPTION),
        ),
        key=("code",),
        example=(
            ("AX1", "Young people and outreach", "Prevention work with young people"),
            ("AX2", "Public space and property crime", "Safer streets and homes"),
        ),
    ),
    ImportKind.PARTNERS: Spec(
        ImportKind.PARTNERS,
        (
            Column("code", Cell.CODE, aliases=_CODE),
            Column("name", Cell.TEXT, aliases=_NAME),
            Column("sector", Cell.ENUM, aliases=("secteur", "setor"), choices=Sector, synonyms=_SECTOR),
        ),
        key=("code",),
        example=(
            ("P01", "City council", "public"),
            ("P02", "Youth club", "community"),
            ("P03", "Home insurer", "private"),
        ),
    ),
    ImportKind.OBJECTIVES: Spec(
        ImportKind.OBJECTIVES,
        (
            Column("code", Cell.CODE, aliases=_CODE),
            Column("axis", Cell.CODE, aliases=("axe", "eixo", "axis_code")),
            Column("title", Cell.TEXT, aliases=_TITLE),
            Column("indicator", Cell.CODE, aliases=_INDICATOR),
            Column("area", Cell.CODE, aliases=_AREA),
            Column("baseline_period", Cell.PERIOD, aliases=("periode_reference", "periodo_base")),
            Column("baseline_value", Cell.NUMBER, aliases=("valeur_reference", "valor_base")),
            Column("target_value", Cell.NUMBER, aliases=("valeur_cible", "valor_meta")),
            Column("target_period", Cell.PERIOD, aliases=("periode_cible", "periodo_meta")),
        ),
        key=("code",),
        example=_OBJECTIVE_EXAMPLES,
    ),
    ImportKind.ACTIONS: Spec(
        ImportKind.ACTIONS,
        (
            Column("code", Cell.CODE, aliases=_CODE),
            Column("objective", Cell.CODE, aliases=("objectif", "objetivo", "objective_code")),
            Column("title", Cell.TEXT, aliases=_TITLE),
            Column("lead_partner", Cell.CODE, aliases=("lead", "pilote", "responsavel", "chef_de_file")),
            Column("partners", Cell.CODES, False, True, ("partenaires", "parceiros")),
            Column("status", Cell.ENUM, False, True, ("statut", "estado"), ActionStatus, _ACTION_STATUS),
            Column("start", Cell.DATE, False, True, ("debut", "inicio", "start_date")),
            Column("end", Cell.DATE, False, True, ("fin", "fim", "end_date")),
            Column("budget", Cell.NUMBER, False, True, ("orcamento",)),
            # Where the action works, what it aims to move, what to compare with (all optional).
            Column("areas", Cell.CODES, False, True, ("target_areas", "zones", "zonas")),
            Column(
                "indicators", Cell.CODES, False, True, ("result_indicators", "indicateurs", "indicadores")
            ),
            Column(
                "comparison_areas",
                Cell.CODES,
                False,
                True,
                ("comparison", "zones_comparaison", "zonas_comparacao"),
            ),
        ),
        key=("code",),
        example=(
            (
                "AC1",
                "OB1",
                "Door-lock scheme",
                "P01",
                "P01|P03",
                "in_progress",
                "2024-01-15",
                "2025-12-31",
                "25000",
                "01",
                "burglary",
                "02",
            ),
            ("AC2", "OB2", "Evening youth club", "P02", "", "planned", "2025-09-01", "", "", "", "", ""),
        ),
    ),
    # Outcome-based contracts: one row per cohort; the contract's own columns repeat on each of its rows.
    ImportKind.CONTRACTS: Spec(
        ImportKind.CONTRACTS,
        (
            Column("code", Cell.CODE, aliases=("contract", "contrat", "contrato", "contract_code")),
            Column("title", Cell.TEXT, aliases=_TITLE),
            Column("indicator", Cell.CODE, aliases=_INDICATOR),
            Column(
                "comparison_areas",
                Cell.CODES,
                False,
                True,
                ("comparison", "zones_comparaison", "zonas_comparacao"),
            ),
            Column("baseline_start", Cell.DATE, False, True, ("debut_reference", "inicio_base")),
            Column("start", Cell.DATE, aliases=("debut", "inicio", "start_date")),
            Column("end", Cell.DATE, False, True, ("fin", "fim", "end_date")),
            # The parties, by role: partner codes separated by "|".
            Column("investors", Cell.CODES, False, True, ("investisseurs", "investidores")),
            Column("providers", Cell.CODES, False, True, ("prestataires", "prestadores")),
            Column("payers", Cell.CODES, False, True, ("payeurs", "pagadores")),
            Column("evaluators", Cell.CODES, False, True, ("evaluateurs", "avaliadores")),
            Column("cohort", Cell.CODE, aliases=("cohorte", "coorte")),
            Column("areas", Cell.CODES, aliases=("zones", "zonas", "cohort_areas")),
            Column("threshold", Cell.NUMBER, aliases=("seuil", "limiar")),
            Column("payment", Cell.NUMBER, aliases=("paiement", "pagamento")),
            Column("due", Cell.DATE, False, True, ("echeance", "vencimento", "due_date")),
        ),
        key=("code", "cohort"),
        example=(
            (
                "SIB1",
                "Home-security bond",
                "burglary",
                "03|04|05",
                "2019-01-01",
                "2023-01-01",
                "2025-12-31",
                "P03",
                "P02",
                "P01",
                "",
                "all",
                "01|02",
                "0.075",
                "500000",
                "2026-06-30",
            ),
            (
                "SIB1",
                "Home-security bond",
                "burglary",
                "03|04|05",
                "2019-01-01",
                "2023-01-01",
                "2025-12-31",
                "P03",
                "P02",
                "P01",
                "",
                "centre",
                "01",
                "0.1",
                "120000",
                "2026-06-30",
            ),
        ),
    ),
}


@dataclass
class Header:
    """How a file's header maps onto a contract.

    Attributes:
        positions: Canonical column name → position in the file.
        written: Canonical column name → header text as written.
        issues: Header problems found.
    """

    positions: dict[str, int]
    written: dict[str, str]
    issues: list[Issue]


def _lookup(spec: Spec) -> dict[str, str]:
    table = {c.name: c.name for c in spec.columns}
    for column in spec.columns:
        table.update(dict.fromkeys(column.aliases, column.name))
    return table


def match_header(spec: Spec, header: list[str], blank_columns: set[int]) -> Header:
    """Map a file's header onto a contract.

    Args:
        spec: The contract.
        header: Names as written, in file order.
        blank_columns: Positions whose cells are all blank (a nameless empty column is only a warning).

    Returns:
        The mapping and the blank-header, duplicate-label, extra-label and missing-label issues.
    """
    lookup, result = _lookup(spec), Header({}, {}, [])
    for position, written in enumerate(header):
        label = normalise(written)
        if not label:
            severity = Severity.WARNING if position in blank_columns else Severity.ERROR
            result.issues.append(Issue("blank-header", severity, f"column {position + 1} has no name", row=0))
            continue
        name = lookup.get(label, label if spec.open_numeric else "")
        if not name:
            message = f"unknown column {written!r} is ignored"
            result.issues.append(Issue("extra-label", Severity.WARNING, message, row=0, column=written))
        elif name in result.positions:
            message = f"column {written!r} repeats column {result.written[name]!r}"
            result.issues.append(Issue("duplicate-label", Severity.ERROR, message, row=0, column=written))
        else:
            result.positions[name], result.written[name] = position, written
    for column in spec.columns:
        if column.required and column.name not in result.positions:
            message = f"required column {column.name!r} is missing"
            result.issues.append(Issue("missing-label", Severity.ERROR, message, row=0, column=column.name))
    return result
