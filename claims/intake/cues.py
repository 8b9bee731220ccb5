"""The words that mark an attributed, checkable assertion, in English and Arabic."""

from __future__ import annotations

import re

# Verbs of saying, in the order they are looked for (the phrase before the single words).
EN_CUE = re.compile(
    r"\b(according to|confirmed by|reported by|quoted by|citing|said|says|say|saying|claimed|claims|claiming|"
    r"reported|reports|confirmed|confirms|announced|announces|stated|told|denied|denies|estimated)\b",
    re.IGNORECASE,
)
EN_AGENCY = re.compile(
    r"\b(SANA|Reuters|AFP|Agence France-Presse|Associated Press|AP|dpa|Anadolu|Al Jazeera|BBC|CNN|IRNA|TASS|RIA|"
    r"state media|state television|state TV|news agency|Telegram|ministry|spokesperson|spokesman|spokeswoman)\b"
)
EN_VERIFICATION_NOTE = re.compile(
    r"could not (?:be )?independently (?:confirm|verify|be confirmed|be verified)|"
    r"could not be (?:independently )?(?:confirmed|verified)|has not been (?:independently )?verified",
    re.IGNORECASE,
)
EN_EVENT = re.compile(
    r"\b(kill(?:ed|s|ing)?|captur(?:ed|es|ing)|seiz(?:ed|es|ing)|retreat(?:ed|ing)|withdr(?:ew|awn)|displaced|"
    r"shell(?:ed|ing)|struck|bomb(?:ed|ing)|destroy(?:ed|ing)|wounded|injured|arrested|detained|advanced|"
    r"took control|shot down)\b",
    re.IGNORECASE,
)
EN_PEOPLE = re.compile(
    r"\b(people|civilians|refugees|fighters|troops|soldiers|children|residents|dead|casualties|prisoners|"
    r"displaced|migrants|families)\b",
    re.IGNORECASE,
)
# Words of feeling or belief: a quote built on them is an opinion, not a checkable fact.
EN_OPINION = re.compile(
    r"\b(terrifying|terrified|happy|glad|sad|fear|feared|afraid|worry|worrying|worried|think|thought|believe|"
    r"hope|hoped|feel|felt|nowhere)\b",
    re.IGNORECASE,
)
EN_CONDITIONAL = re.compile(r"^[\"'\u201c\u2018]?(?:If|Unless|Should)\b")

# Arabic: a cue word may carry the conjunction و or ف in front.
AR_SAYING = {
    "قال", "قالت", "قالوا", "يقول", "تقول", "أعلن", "أعلنت", "أعلنوا", "يعلن", "أكد", "أكدت", "أكدوا", "يؤكد",
    "ذكر", "ذكرت", "يذكر", "أفاد", "أفادت", "أفادوا", "نفى", "نفت", "ينفي", "نقل", "نقلت", "أشار", "أشارت",
    "صرح", "صرحت", "أوضح", "أوضحت", "زعم", "زعمت", "ادعى", "ادعت", "أضاف", "أضافت",
}  # fmt: skip
AR_ACCORDING = {"بحسب", "حسب", "وفقا", "وفقاً", "طبقا", "طبقاً", "نقلا", "نقلاً"}
AR_AGENCY = re.compile(
    r"(سانا|رويترز|فرانس برس|الأناضول|الجزيرة|وكالة|قناة|التلفزيون الرسمي|المرصد السوري|تلغرام|بيان|متحدث)"
)
AR_VERIFICATION_NOTE = re.compile(r"(?:لم|لا)\s+(?:يتسن|يتسنى|يمكن|يتسنَّ)\S*\s+(?:\S+\s+)?(?:التحقق|التأكد)")
AR_EVENT = re.compile(r"(قتل|مقتل|سيطر|استولى|انسحب|انسحاب|نزوح|نزح|أصيب|إصابة|دمر|تدمير|قصف|اعتقل|أسر|أسرت|تقدم)")
AR_OPINION = re.compile(r"(أخشى|أعتقد|أظن|نأمل|آمل|أشعر|مرعب|سعداء|خائف)")
AR_CONDITIONAL = re.compile(r"^[\"«]?(?:إذا|لو|إن لم)\s")
AR_SPEECH_END = {"إن", "أن", "إنه", "أنه", "إنها", "أنها", "إنهم", "أنهم", "بأن", "بأنه", "بأنها", "بأنهم"}


def arabic_word(token: str) -> str:
    """The token without a leading conjunction (و, ف) or trailing punctuation."""
    token = token.strip('،,.:؛"«»()')
    if len(token) > 3 and token[0] in "وف" and token[1:] in AR_SAYING | AR_ACCORDING:
        return token[1:]
    return token
