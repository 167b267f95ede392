"""The seed of the violation vocabulary and of legal characterizations (both editable tables).

Codes are dotted paths: a child's code starts with its parent's (``killing.summary_execution``).
"""

from __future__ import annotations

from sqlalchemy import Connection, Integer, String, Text, column, insert, select, table
from sqlalchemy.orm import Session

from sijill.errors import NotFound
from sijill.incidents.models import LegalCharacterization, ViolationType

# (code, English, Arabic)
VIOLATION_TYPES: tuple[tuple[str, str, str], ...] = (
    ("killing", "Killing", "قتل"),
    ("killing.summary_execution", "Summary execution", "إعدام ميداني"),
    ("killing.indiscriminate_fire", "Killing by indiscriminate fire", "قتل بإطلاق نار عشوائي"),
    ("ill_treatment", "Cruel treatment", "معاملة قاسية"),
    ("ill_treatment.torture", "Torture", "تعذيب"),
    ("ill_treatment.mutilation", "Mutilation", "تمثيل بالجثث وتشويه"),
    (
        "ill_treatment.humiliation",
        "Humiliating and degrading treatment",
        "معاملة مهينة وحاطة بالكرامة",
    ),
    ("sexual_violence", "Sexual violence", "عنف جنسي"),
    ("property", "Attack on property", "اعتداء على الممتلكات"),
    ("property.arson_of_homes", "Arson of homes", "إحراق المنازل"),
    ("property.looting", "Looting", "نهب"),
    ("property.seizure", "Property seizure", "الاستيلاء على الممتلكات"),
    ("property.religious_sites", "Destruction of religious sites", "تدمير مواقع دينية"),
    ("deprivation_of_liberty", "Deprivation of liberty", "حرمان من الحرية"),
    ("deprivation_of_liberty.enforced_disappearance", "Enforced disappearance", "إخفاء قسري"),
    ("deprivation_of_liberty.arbitrary_detention", "Arbitrary detention", "اعتقال تعسفي"),
    ("mass_grave", "Mass grave", "مقبرة جماعية"),
    ("displacement", "Forced displacement", "تهجير قسري"),
    ("intimidation", "Intimidation", "ترهيب"),
    ("intimidation.survivors", "Threats and harassment of survivors", "تهديد الناجين ومضايقتهم"),
)

# (code, English, Arabic, category, article of the Rome Statute)
LEGAL_CHARACTERIZATIONS: tuple[tuple[str, str, str, str, str], ...] = (
    (
        "cah.murder",
        "Murder as a crime against humanity",
        "القتل العمد كجريمة ضد الإنسانية",
        "crime_against_humanity",
        "7(1)(a)",
    ),
    (
        "cah.forcible_transfer",
        "Deportation or forcible transfer of population as a crime against humanity",
        "إبعاد السكان أو النقل القسري كجريمة ضد الإنسانية",
        "crime_against_humanity",
        "7(1)(d)",
    ),
    (
        "cah.torture",
        "Torture as a crime against humanity",
        "التعذيب كجريمة ضد الإنسانية",
        "crime_against_humanity",
        "7(1)(f)",
    ),
    (
        "cah.persecution",
        "Persecution as a crime against humanity",
        "الاضطهاد كجريمة ضد الإنسانية",
        "crime_against_humanity",
        "7(1)(h)",
    ),
    (
        "cah.enforced_disappearance",
        "Enforced disappearance as a crime against humanity",
        "الاختفاء القسري كجريمة ضد الإنسانية",
        "crime_against_humanity",
        "7(1)(i)",
    ),
    (
        "cah.other_inhumane_acts",
        "Other inhumane acts as a crime against humanity",
        "أفعال لاإنسانية أخرى كجريمة ضد الإنسانية",
        "crime_against_humanity",
        "7(1)(k)",
    ),
    (
        "wc.murder",
        "Murder as a war crime (non-international armed conflict)",
        "القتل العمد كجريمة حرب (نزاع مسلح غير دولي)",
        "war_crime",
        "8(2)(c)(i)",
    ),
    (
        "wc.torture",
        "Torture or cruel treatment as a war crime",
        "التعذيب أو المعاملة القاسية كجريمة حرب",
        "war_crime",
        "8(2)(c)(i)",
    ),
    (
        "wc.outrages_upon_dignity",
        "Outrages upon personal dignity as a war crime",
        "الاعتداء على الكرامة الشخصية كجريمة حرب",
        "war_crime",
        "8(2)(c)(ii)",
    ),
    (
        "wc.sentencing_without_trial",
        "Sentencing or execution without due process as a war crime",
        "إصدار أحكام وتنفيذ إعدامات دون محاكمة كجريمة حرب",
        "war_crime",
        "8(2)(c)(iv)",
    ),
    (
        "wc.religious_buildings",
        "Attacking buildings dedicated to religion as a war crime",
        "الهجوم على المباني المخصصة للأغراض الدينية كجريمة حرب",
        "war_crime",
        "8(2)(e)(iv)",
    ),
    ("wc.pillage", "Pillage as a war crime", "النهب كجريمة حرب", "war_crime", "8(2)(e)(v)"),
    (
        "wc.displacement",
        "Ordering the displacement of civilians as a war crime",
        "الأمر بتشريد المدنيين كجريمة حرب",
        "war_crime",
        "8(2)(e)(viii)",
    ),
    (
        "wc.mutilation",
        "Mutilation as a war crime",
        "التشويه البدني كجريمة حرب",
        "war_crime",
        "8(2)(e)(xi)",
    ),
    (
        "wc.destroying_property",
        "Destroying or seizing the adversary's property as a war crime",
        "تدمير ممتلكات الخصم أو الاستيلاء عليها كجريمة حرب",
        "war_crime",
        "8(2)(e)(xii)",
    ),
)


# Lightweight table shapes (not the ORM models) so that the migration that seeds the vocabulary
# keeps working when later migrations add columns to these tables.
_VIOLATION_TYPES = table(
    "violation_types",
    column("id", Integer),
    column("code", String),
    column("parent_id", Integer),
    column("label_en", Text),
    column("label_ar", Text),
)
_CHARACTERIZATIONS = table(
    "legal_characterizations",
    column("code", String),
    column("label_en", Text),
    column("label_ar", Text),
    column("category", String),
    column("instrument", String),
    column("article", String),
)


def seed_vocabulary(connection: Connection) -> int:
    """Insert every seed term not yet present (by code); returns how many were added."""
    added = 0
    ids = _VIOLATION_TYPES.c
    known: dict[str, int | None] = dict(connection.execute(select(ids.code, ids.id)).all())
    for code, en, ar in VIOLATION_TYPES:
        if code in known:
            continue
        parent = known.get(code.rsplit(".", 1)[0]) if "." in code else None
        connection.execute(
            insert(_VIOLATION_TYPES).values(code=code, parent_id=parent, label_en=en, label_ar=ar)
        )
        known[code] = connection.scalar(select(ids.id).where(ids.code == code))
        added += 1
    have = set(connection.scalars(select(_CHARACTERIZATIONS.c.code)))
    for code, en, ar, category, article in LEGAL_CHARACTERIZATIONS:
        if code not in have:
            connection.execute(
                insert(_CHARACTERIZATIONS).values(
                    code=code,
                    label_en=en,
                    label_ar=ar,
                    category=category,
                    instrument="Rome Statute",
                    article=article,
                )
            )
            added += 1
    return added


def violation_type(session: Session, code: str) -> ViolationType:
    """A violation type by its code (``killing.summary_execution``)."""
    found = session.scalar(select(ViolationType).where(ViolationType.code == code))
    if found is None:
        raise NotFound(f"no violation type {code!r} in the vocabulary")
    return found


def characterization(session: Session, code: str) -> LegalCharacterization:
    """A legal characterization by its code (``cah.murder``)."""
    found = session.scalar(select(LegalCharacterization).where(LegalCharacterization.code == code))
    if found is None:
        raise NotFound(f"no legal characterization {code!r}")
    return found


def add_violation_type(
    session: Session, code: str, label_en: str, label_ar: str, description: str | None = None
) -> ViolationType:
    """Extend the vocabulary; the parent is the code's dotted prefix and must exist."""
    parent = violation_type(session, code.rsplit(".", 1)[0]) if "." in code else None
    term = ViolationType(
        code=code,
        parent_id=parent.id if parent else None,
        label_en=label_en,
        label_ar=label_ar,
        description=description,
    )
    session.add(term)
    session.flush()
    return term
