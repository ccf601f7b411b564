"""The starter catalogues as data: the indicators of a published source, ready to create in one go.

Each indicator's code is the slug of the category as its publisher spells it (``Criminal damage and
arson`` → ``criminal_damage_and_arson``, ``Vols de véhicules`` → ``vols_de_vehicules``), so the
import of a police.uk or SSMSI file maps each category to it without a mapping. Names, themes and
descriptions are given in the three languages of the app: the catalogue stores one name per
indicator, written in the language chosen when the starter is added.
"""

from __future__ import annotations

from dataclasses import dataclass

from observatory.domain import Polarity

LOCALES = ("en", "pt", "fr")

#: Text per locale (en, pt, fr).
Words = tuple[str, str, str]


@dataclass(frozen=True, slots=True)
class Starter:
    """One indicator of a starter catalogue.

    Attributes:
        code: Indicator code (the slug of ``category``).
        category: The category as the publisher writes it ("" for a derived total).
        names: Name in en, pt, fr.
        theme: Key of :data:`THEMES`.
        denominator: ``residents`` or ``dwellings`` (rates per 1,000 of it).
        polarity: lower is better, or neutral for offences that police action reveals.
        note: Key of :data:`NOTES` added to the description, or "".
    """

    code: str
    category: str
    names: Words
    theme: str = "crime"
    denominator: str = "residents"
    polarity: Polarity = Polarity.LOWER_IS_BETTER
    note: str = ""


@dataclass(frozen=True, slots=True)
class StarterCatalogue:
    """A starter catalogue: its indicators, and derived totals (code → component codes)."""

    name: str
    source: Words
    category_text: Words
    indicators: tuple[Starter, ...]
    derived: dict[str, tuple[str, ...]]


THEMES: dict[str, Words] = {
    "crime": ("recorded crime", "criminalidade registada", "délinquance enregistrée"),
    "asb": ("anti-social behaviour", "comportamentos antissociais", "comportements antisociaux"),
}

NOTES: dict[str, Words] = {
    "proactive": (
        "Mostly recorded through police action (searches, patrols): a rise can mean more enforcement.",
        "Registado sobretudo por ação policial (revistas, patrulhas): uma subida pode significar mais "
        "fiscalização.",
        "Surtout constaté à l'initiative des forces de l'ordre : une hausse peut traduire plus de contrôles.",
    ),
    "asb": (
        "Anti-social behaviour is not crime: it is never added to crime totals.",
        "Comportamentos antissociais não são crimes: nunca entram nos totais de crimes.",
        "Les comportements antisociaux ne sont pas des délits : jamais ajoutés aux totaux de délinquance.",
    ),
    "total": (
        "Sum of the thirteen police.uk crime types, anti-social behaviour excluded; computed at every "
        "import, withheld when a crime type is withheld, missing when one is missing.",
        "Soma dos treze tipos de crime da police.uk, sem comportamentos antissociais; calculada em cada "
        "importação, omitida quando um tipo é omitido, ausente quando falta um.",
        "Somme des treize types de délits de police.uk, hors comportements antisociaux ; calculée à chaque "
        "import, non diffusée si un type ne l'est pas, absente s'il en manque un.",
    ),
    "dwellings": (
        "Rate per 1,000 dwellings, as SSMSI publishes it.",
        "Taxa por 1000 alojamentos, como o SSMSI a publica.",
        "Taux pour 1 000 logements, comme le publie le SSMSI.",
    ),
    "until_2025": (
        "Published until the 2024 edition; replaced by the two physical-violence classes in July 2025.",
        "Publicado até à edição de 2024; substituído pelas duas classes de violência física "
        "em julho de 2025.",
        "Publié jusqu'à l'édition 2024 ; remplacé par les deux classes de violences physiques "
        "en juillet 2025.",
    ),
    "from_2025": (
        "Published from the July 2025 edition (series break with assault and battery).",
        "Publicado a partir da edição de julho de 2025 (quebra de série com as ofensas corporais).",
        "Publié à partir de l'édition de juillet 2025 (rupture de série avec les coups et blessures).",
    ),
    "victim_home": (
        "Counted where the victim lives, not where the offence happened.",
        "Contado no local de residência da vítima, não onde o crime ocorreu.",
        "Compté au domicile de la victime, non au lieu de l'infraction.",
    ),
}

_NEUTRAL = Polarity.NEUTRAL


def _same(text: str) -> Words:
    return (text, text, text)


POLICE_UK = StarterCatalogue(
    name="police_uk",
    source=_same("police.uk street-level crime data"),
    category_text=(
        "Crimes recorded under the police.uk crime type «{category}».",
        "Crimes registados no tipo de crime police.uk «{category}».",
        "Infractions enregistrées sous le type de délit police.uk « {category} ».",
    ),
    indicators=(
        Starter(
            "anti_social_behaviour",
            "Anti-social behaviour",
            ("Anti-social behaviour", "Comportamentos antissociais", "Comportements antisociaux"),
            theme="asb",
            note="asb",
        ),
        Starter("bicycle_theft", "Bicycle theft", ("Bicycle theft", "Furto de bicicletas", "Vols de vélos")),
        Starter("burglary", "Burglary", ("Burglary", "Furto por arrombamento", "Cambriolages")),
        Starter(
            "criminal_damage_and_arson",
            "Criminal damage and arson",
            ("Criminal damage and arson", "Dano e fogo posto", "Dégradations et incendies volontaires"),
        ),
        Starter("drugs", "Drugs", ("Drugs", "Droga", "Stupéfiants"), polarity=_NEUTRAL, note="proactive"),
        Starter("other_crime", "Other crime", ("Other crime", "Outros crimes", "Autres délits")),
        Starter("other_theft", "Other theft", ("Other theft", "Outros furtos", "Autres vols")),
        Starter(
            "possession_of_weapons",
            "Possession of weapons",
            ("Possession of weapons", "Posse de armas", "Port et détention d'armes"),
            polarity=_NEUTRAL,
            note="proactive",
        ),
        Starter(
            "public_order", "Public order", ("Public order", "Ordem pública", "Atteintes à l'ordre public")
        ),
        Starter("robbery", "Robbery", ("Robbery", "Roubo", "Vols avec violence")),
        Starter("shoplifting", "Shoplifting", ("Shoplifting", "Furto em lojas", "Vols à l'étalage")),
        Starter(
            "theft_from_the_person",
            "Theft from the person",
            ("Theft from the person", "Furto por carteirista", "Vols à la tire"),
        ),
        Starter(
            "vehicle_crime",
            "Vehicle crime",
            ("Vehicle crime", "Crimes relacionados com veículos", "Vols liés aux véhicules"),
        ),
        Starter(
            "violence_and_sexual_offences",
            "Violence and sexual offences",
            (
                "Violence and sexual offences",
                "Violência e crimes sexuais",
                "Violences et infractions sexuelles",
            ),
        ),
        Starter(
            "all_crime",
            "",
            (
                "All crime (anti-social behaviour excluded)",
                "Total de crimes (sem comportamentos antissociais)",
                "Ensemble des délits (hors comportements antisociaux)",
            ),
            note="total",
        ),
    ),
    derived={},  # filled below from the crime types
)

_CRIME_TYPES = tuple(s.code for s in POLICE_UK.indicators if s.category and s.code != "anti_social_behaviour")
POLICE_UK.derived["all_crime"] = _CRIME_TYPES


def _ssmsi(code: str, category: str, en: str, pt: str, **extra: object) -> Starter:
    """An SSMSI class: its French name is the class itself."""
    return Starter(code, category, (en, pt, category), **extra)  # type: ignore[arg-type]


SSMSI = StarterCatalogue(
    name="ssmsi",
    source=_same(
        "SSMSI, base communale de la délinquance enregistrée par la police et la gendarmerie nationales"
    ),
    category_text=(
        "Offences recorded by the police and gendarmerie, SSMSI class «{category}».",
        "Crimes registados pela polícia e gendarmaria, classe SSMSI «{category}».",
        "Crimes et délits enregistrés par la police et la gendarmerie, indicateur SSMSI « {category} ».",
    ),
    indicators=(
        _ssmsi(
            "coups_et_blessures_volontaires",
            "Coups et blessures volontaires",
            "Assault and battery",
            "Ofensas corporais voluntárias",
            note="until_2025",
        ),
        _ssmsi(
            "coups_et_blessures_volontaires_intrafamiliaux",
            "Coups et blessures volontaires intrafamiliaux",
            "Assault and battery within the family",
            "Ofensas corporais voluntárias em contexto familiar",
            note="until_2025",
        ),
        _ssmsi(
            "autres_coups_et_blessures_volontaires",
            "Autres coups et blessures volontaires",
            "Other assault and battery",
            "Outras ofensas corporais voluntárias",
            note="until_2025",
        ),
        _ssmsi(
            "violences_physiques_intrafamiliales",
            "Violences physiques intrafamiliales",
            "Physical violence within the family",
            "Violência física em contexto familiar",
            note="from_2025",
        ),
        _ssmsi(
            "violences_physiques_hors_cadre_familial",
            "Violences physiques hors cadre familial",
            "Physical violence outside the family",
            "Violência física fora do contexto familiar",
            note="from_2025",
        ),
        _ssmsi("violences_sexuelles", "Violences sexuelles", "Sexual violence", "Violência sexual"),
        _ssmsi("vols_avec_armes", "Vols avec armes", "Armed robbery", "Roubo com arma"),
        _ssmsi(
            "vols_violents_sans_arme", "Vols violents sans arme", "Robbery without a weapon", "Roubo sem arma"
        ),
        _ssmsi(
            "vols_sans_violence_contre_des_personnes",
            "Vols sans violence contre des personnes",
            "Theft from the person without violence",
            "Furto sem violência contra pessoas",
        ),
        _ssmsi(
            "cambriolages_de_logement",
            "Cambriolages de logement",
            "Domestic burglary",
            "Furto em residência",
            denominator="dwellings",
            note="dwellings",
        ),
        _ssmsi("vols_de_vehicules", "Vols de véhicules", "Vehicle theft", "Furto de veículos"),
        _ssmsi(
            "vols_dans_les_vehicules", "Vols dans les véhicules", "Theft from vehicles", "Furto em veículos"
        ),
        _ssmsi(
            "vols_d_accessoires_sur_vehicules",
            "Vols d'accessoires sur véhicules",
            "Theft of vehicle parts",
            "Furto de peças de veículos",
        ),
        _ssmsi(
            "destructions_et_degradations_volontaires",
            "Destructions et dégradations volontaires",
            "Criminal damage",
            "Dano voluntário",
        ),
        _ssmsi(
            "trafic_de_stupefiants",
            "Trafic de stupéfiants",
            "Drug trafficking",
            "Tráfico de estupefacientes",
            polarity=_NEUTRAL,
            note="proactive",
        ),
        _ssmsi(
            "usage_de_stupefiants",
            "Usage de stupéfiants",
            "Drug use",
            "Consumo de estupefacientes",
            polarity=_NEUTRAL,
            note="proactive",
        ),
        _ssmsi(
            "usage_de_stupefiants_afd",
            "Usage de stupéfiants (AFD)",
            "Drug use (fixed penalty)",
            "Consumo de estupefacientes (coima)",
            polarity=_NEUTRAL,
            note="proactive",
        ),
        _ssmsi(
            "escroqueries_et_fraudes_aux_moyens_de_paiement",
            "Escroqueries et fraudes aux moyens de paiement",
            "Fraud and payment fraud",
            "Burlas e fraudes com meios de pagamento",
            note="victim_home",
        ),
    ),
    derived={},
)

#: The starter catalogues by name.
CATALOGUES: dict[str, StarterCatalogue] = {c.name: c for c in (POLICE_UK, SSMSI)}
