"""The sex a given name tells, where it tells one (general knowledge of common Arabic names).

A list that gives no sex still writes given names, and most tell: فاطمة, Zainab and سعاد are
women, Issa and Mohammad men. Only names of the built-in table (`sijill.names.lexicon`) are
read: in Arabic script as the table spells them, in Latin script only as one of the table's
own Latin spellings (a close Latin spelling may be another name: "Samar" is not سامر); a name
used for both (نور, Nour) or outside the table tells nothing.
"""

from __future__ import annotations

from functools import lru_cache

from sijill.names.keys import script_of, table_names
from sijill.names.lexicon import entries

_FEMALE = """
فاطمة خديجة عائشة مريم زينب آمنة أمينة سارة هدى منى ليلى سلمى رنا رنيم رهف رغد ريم ريما لينا
لمى هالة هبة دعاء آلاء إسراء أسماء روان ريهام سعاد سميرة سهام سوسن شيماء صفاء عبير عفاف غادة
فاتن فرح كوثر لبنى لميس ماجدة مها ميساء ميس نادية نجلاء نسرين نهى نوال هند وفاء ياسمين يسرى
بشرى جميلة حليمة حنان خلود رقية رزان زهراء سلوى سناء سهير شهد غدير فايزة لانا مروة ميار نبيلة
هيفاء وداد جنى رشا عليا آية إيمان إلهام ألفت منتهى ضحى سهى نجوى رؤى ذكرى تقوى ندى ربى رضوى
أروى شذى سمر أمل
"""

_MALE = """
محمد أحمد محمود علي حسن حسين حسان حسنين عمر عمرو عثمان خالد يوسف إبراهيم إسماعيل إسحاق يعقوب
موسى عيسى يحيى سليمان داود صالح صلاح حمزة طه ياسين ياسر بشار بشير بلال جمال جميل كمال كامل
جهاد حسام هشام هيثم وائل وليد وسيم وسام مروان رامي سامي سمير سامر ماهر ماجد مجد فادي فراس فيصل
غسان أيمن أنس أسامة أمجد أيهم إياد رياض زياد نزار نضال عدنان عماد عمار عامر أمير عادل عاطف
عارف عصام عزت عزام علاء فؤاد فايز فواز فارس فهد قاسم كريم لؤي مازن مالك مأمون منصور مصطفى مراد
معاذ مهند مؤمن ناصر نبيل نادر نصر نعيم هاني هادي وحيد يزن يامن يونس زكريا زهير سعيد سعد سالم
سليم سلمان شادي شريف شاكر طارق طلال رائد رشيد رفعت رمضان جعفر جابر جاسم جورج حافظ حامد حميد
حمد حمدي حمدان حيدر خليل خضر ربيع سهيل شعبان صبحي صفوان عباس عدي غياث فتحي قصي كنان لطفي محسن
مصعب معتز منذر منير مهدي ميشيل نجيب هلال همام وفيق يسار بسام بهاء توفيق ثائر جلال حازم حكمت
حلمي دريد رأفت رعد سامح سفيان صهيب عاصم عمران غازي فرحان مجدي معن ميلاد نوفل إلياس مرتضى وضاح
غيث جودت منتصر مرهف يعرب باسل نديم
"""


def _keys(words: str) -> frozenset[str]:
    return frozenset(key for word in words.split() for key in table_names(word))


_FEMALE_KEYS = _keys(_FEMALE)
_MALE_KEYS = _keys(_MALE) - _FEMALE_KEYS


@lru_cache(maxsize=1 << 14)
def sex_of_given_name(text: str | None) -> str | None:
    """``F`` or ``M`` where every name of the table that `text` may spell tells that sex (a
    compound such as صلاح الدين, عبد الله or Abdel Karim is a man's); None otherwise."""
    names = table_names(text)
    if not names or (script_of(text) != "arabic" and not _listed_latin(text)):
        return None
    if names <= _FEMALE_KEYS:
        return "F"
    if names <= _MALE_KEYS or all(_compound_of_men(n) for n in names):
        return "M"
    return None


def _compound_of_men(key: str) -> bool:
    """A compound of the table built on عبد or ending in الدين (always a man's)."""
    return key.startswith("bd") or key.endswith("ldn")


_LATIN_SPELLINGS = frozenset(v.lower() for entry in entries() for v in entry.latin)


def _listed_latin(text: str | None) -> bool:
    """Is every word of a Latin name one of the table's own Latin spellings?"""
    words = (text or "").lower().replace("-", " ").split()
    return bool(words) and (
        all(w in _LATIN_SPELLINGS for w in words) or " ".join(words) in _LATIN_SPELLINGS
    )
