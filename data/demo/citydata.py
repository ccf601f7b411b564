"""The demo city declared as data: districts, indicators, strategy axes and partners.

Portelva is fictional. Its names carry Portuguese accents on purpose: they exercise every
encoding path of the import code.
"""

from __future__ import annotations

from dataclasses import dataclass

CITY_CODE = "000"
CITY_NAME = "Portelva"
RIVER_NAME = "rio Lénia"
FIRST_YEAR, LAST_YEAR = 2016, 2025
ACTIVITY_FIRST_YEAR = 2019
# The local security strategy starts acting in January 2023.
STRATEGY_YEAR = 2023


@dataclass(frozen=True)
class DistrictProfile:
    """What makes a district different: size, housing and the kind of place it is.

    Attributes:
        code: Two-digit district code, leading zero included.
        name: District name.
        kind: centre, inner, residential, affluent, deprived or small.
        residents: Residents in 2016.
        growth: Yearly population growth (fraction).
        household: Residents per occupied dwelling.
    """

    code: str
    name: str
    kind: str
    residents: int
    growth: float
    household: float


# Codes run outward from the old centre, as the boundary builder orders the cells.
DISTRICTS = (
    DistrictProfile("01", "Sé", "centre", 7800, -0.008, 1.8),
    DistrictProfile("02", "Ribeira", "centre", 9400, -0.005, 1.9),
    DistrictProfile("03", "São Bento", "inner", 14200, -0.002, 2.0),
    DistrictProfile("04", "Cais Novo", "inner", 11800, 0.004, 2.1),
    DistrictProfile("05", "Conceição", "residential", 18300, 0.002, 2.3),
    DistrictProfile("06", "Azenha", "residential", 16900, 0.003, 2.4),
    DistrictProfile("07", "Santa Luzia", "small", 3300, -0.004, 2.2),
    DistrictProfile("08", "Largo do Carmo", "residential", 21500, 0.001, 2.3),
    DistrictProfile("09", "Quinta das Flores", "residential", 24800, 0.006, 2.5),
    DistrictProfile("10", "Vale Formoso", "residential", 27300, 0.008, 2.6),
    DistrictProfile("11", "Monte Claro", "residential", 22400, 0.011, 2.7),
    DistrictProfile("12", "Bairro da Lameira", "deprived", 21700, -0.006, 2.6),
    DistrictProfile("13", "Pinhal de Cima", "residential", 30500, 0.005, 2.5),
    DistrictProfile("14", "Foz do Lénia", "affluent", 13600, 0.002, 2.4),
    DistrictProfile("15", "Alto da Boavista", "affluent", 19800, 0.004, 2.6),
    DistrictProfile("16", "Moinhos", "residential", 25900, 0.009, 2.7),
    DistrictProfile("17", "Campo Lindo", "residential", 35800, 0.009, 2.7),
    DistrictProfile("18", "Bairro de São Tomé", "deprived", 19400, -0.003, 2.8),
    DistrictProfile("19", "Azinhaga", "residential", 23100, 0.007, 2.6),
    DistrictProfile("20", "Quinta do Açor", "small", 4100, 0.006, 2.5),
)
STRATEGY_DISTRICTS = ("01", "05", "12", "18")
DRUG_RISE_DISTRICTS = ("02", "12")
# Burglary falls in Conceição, yet its residents feel less safe every year: the survey diverges.
DIVERGENT_DISTRICT = "05"

INDICATOR_HEADER = (
    "code",
    "name",
    "theme",
    "kind",
    "unit",
    "polarity",
    "denominator",
    "multiplier",
    "threshold",
    "description",
    "source",
)
_PSP = "National police statistics (PSP)"
_PM = "Municipal police of Portelva"
_PROG = "Programme records, Portelva safety contract"
# code, name, theme, kind, unit, polarity, denominator, multiplier, threshold, description, source
INDICATORS: tuple[tuple[str, ...], ...] = (
    ("burglary", "Burglary of dwellings", "property crime", "result", "count", "lower_is_better",
     "dwellings", "1000", "5", "Recorded burglaries of homes, counted where the home is.", _PSP),
    ("violence", "Violence against persons", "violence", "result", "count", "lower_is_better",
     "residents", "1000", "5", "Recorded assaults and threats against persons outside the family.", _PSP),
    ("domestic_violence", "Intra-family violence", "violence", "result", "count", "lower_is_better",
     "residents", "1000", "10", "Recorded offences of violence between partners or family members.", _PSP),
    ("robbery", "Robbery", "property crime", "result", "count", "lower_is_better",
     "residents", "1000", "5", "Recorded thefts with violence or threat, mostly in the street.", _PSP),
    ("vehicle_theft", "Vehicle theft", "property crime", "result", "count", "lower_is_better",
     "residents", "1000", "5", "Recorded thefts of cars and motorcycles.", _PSP),
    ("theft_from_vehicle", "Theft from vehicles", "property crime", "result", "count", "lower_is_better",
     "residents", "1000", "5", "Recorded thefts of objects from inside parked vehicles.", _PSP),
    ("vandalism", "Vandalism", "public space", "result", "count", "lower_is_better",
     "residents", "1000", "5", "Recorded damage to public and private property, graffiti included.", _PM),
    ("drug_offences", "Drug offences", "drugs", "result", "count", "lower_is_better",
     "residents", "1000", "5", "Recorded offences of drug trafficking and possession for sale.", _PSP),
    ("feel_unsafe", "Residents who feel unsafe in their neighbourhood", "feeling of safety", "result",
     "percent", "lower_is_better", "", "", "", "Share of surveyed residents who feel unsafe walking "
     "alone in their neighbourhood after dark.", "Municipal safety survey, Portelva"),
    ("unemployment", "Unemployment rate", "social context", "context", "percent", "lower_is_better",
     "", "", "", "Registered unemployed as a share of the resident working-age population.",
     "Employment and vocational training institute (IEFP)"),
    ("youth_share", "Residents aged 15–24", "social context", "context", "percent", "neutral",
     "", "", "", "Share of residents aged 15 to 24, estimated each year from the municipal register.",
     "Municipal population estimates"),
    ("outreach_contacts", "Outreach contacts with young people", "prevention", "activity", "count",
     "higher_is_better", "", "", "5", "Contacts made by street educators with young people aged 12 to 24.",
     _PROG),
    ("treatment_referrals", "Drug-treatment referrals", "drugs", "activity", "count", "higher_is_better",
     "", "", "5", "People referred to a drug-treatment service by outreach teams or the police.", _PROG),
    ("help_centre_contacts", "Contacts at the help centre for people in prostitution", "prevention",
     "activity", "count", "higher_is_better", "", "", "5",
     "Contacts recorded by the city help centre for people in prostitution.", _PROG),
    ("victim_support_cases", "Victim-support cases", "victim support", "activity", "count",
     "higher_is_better", "", "", "5", "New cases opened by the victim-support office, by victim's district.",
     _PROG),
    ("safe_house_nights", "Nights in the safe house", "victim support", "activity", "count",
     "higher_is_better", "", "", "5", "Nights spent by women victims of violence and their children in the "
     "municipal safe house.", _PROG),
)  # fmt: skip

AXES = (
    ("AX1", "Young people and outreach", "Street education, school mediation and leisure for young "
     "people at risk."),
    ("AX2", "Drugs", "Reduce drug dealing in the street and bring users into treatment."),
    ("AX3", "Victims and intra-family violence", "Support victims, shelter women at risk and prevent "
     "violence within families."),
    ("AX4", "Public space and property crime", "Safer streets, homes and vehicles through prevention, "
     "design and patrols."),
)  # fmt: skip

PARTNERS = (
    ("P01", "Câmara Municipal de Portelva", "public"),
    ("P02", "Polícia Municipal de Portelva", "public"),
    ("P03", "Polícia de Segurança Pública — Divisão de Portelva", "public"),
    ("P04", "Agrupamento de Escolas da Ribeira", "public"),
    ("P05", "Centro de Saúde de São Bento", "public"),
    ("P06", "Transportes Urbanos de Portelva", "private"),
    ("P07", "Portelva Futebol Clube", "private"),
    ("P08", "Centro Comercial Cais Novo", "private"),
    ("P09", "Seguradora Atlântida", "private"),
    ("P10", "Associação Juvenil Ponte", "community"),
    ("P11", "Associação de Moradores de São Tomé", "community"),
    ("P12", "Associação de Apoio à Vítima do Lénia", "community"),
    ("P13", "Porta Aberta — Redução de Riscos", "community"),
)
