"""Languages -> ISO 639-1 codes (CSL ``language``), from English, German and native names,
VuFind's localized names, ISO 639-2/B, 639-2/T and 639-3 codes, and BCP 47 tags (``en-US``)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# code: ISO 639-2/B, ISO 639-2/T (= 639-3 for these), then names in English, German, the
# language itself, French, Spanish, Italian and Dutch (the VuFind UI languages people paste).
_TABLE = """
de ger deu | German Deutsch Allemand Alemán Tedesco Duits Tysk Saksa Niemiecki Němčina Německý
en eng eng | English Englisch Anglais Inglés Inglese Engels Engelska Englanti Angielski Angličtina Anglický
fr fre fra | French Französisch Français Francés Francese Frans Franska Ranska Francuski Francouzský
es spa spa | Spanish Spanisch Español Espagnol Spagnolo Spaans Spanska Espanja Hiszpański Španělský Castellano
it ita ita | Italian Italienisch Italiano Italien Italiaans Italienska Italia Włoski Italský
nl dut nld | Dutch Niederländisch Nederlands Néerlandais Neerlandés Olandese Holländska Hollanti Holenderski Flemish
pt por por | Portuguese Portugiesisch Português Portugais Portugués Portoghese Portugees Portugisiska
sv swe swe | Swedish Schwedisch Svenska Suédois Sueco Svedese Zweeds Ruotsi Szwedzki
da dan dan | Danish Dänisch Dansk Danois Danés Danese Deens Danska
no nor nor | Norwegian Norwegisch Norsk Norvégien Noruego Norvegese Noors
fi fin fin | Finnish Finnisch Suomi Finnois Finlandés Finlandese Fins Finska Fiński
pl pol pol | Polish Polnisch Polski Polonais Polaco Polacco Pools Polska
cs cze ces | Czech Tschechisch Čeština Tchèque Checo Ceco Tsjechisch Czeski
sk slo slk | Slovak Slowakisch Slovenčina Slovaque Eslovaco Slovacco
sl slv slv | Slovenian Slowenisch Slovenščina Slovène Esloveno Sloveno
hr hrv hrv | Croatian Kroatisch Hrvatski Croate Croata Croato Kroatisch
sr srp srp | Serbian Serbisch Srpski Serbe Serbio Serbo
hu hun hun | Hungarian Ungarisch Magyar Hongrois Húngaro Ungherese Hongaars
ro rum ron | Romanian Rumänisch Română Roumain Rumano Rumeno Roemeens
bg bul bul | Bulgarian Bulgarisch Български Bulgare Búlgaro Bulgaro
ru rus rus | Russian Russisch Русский Russe Ruso Russo Russisch Ryska Venäjä Rosyjski
uk ukr ukr | Ukrainian Ukrainisch Українська Ukrainien Ucraniano Ucraino
el gre ell | Greek Griechisch Ελληνικά Grec Griego Greco Grieks
tr tur tur | Turkish Türkisch Türkçe Turc Turco Turks
ca cat cat | Catalan Katalanisch Català Catalán Catalano Catalaans
eu baq eus | Basque Baskisch Euskara
gl glg glg | Galician Galicisch Galego
et est est | Estonian Estnisch Eesti
lv lav lav | Latvian Lettisch Latviešu
lt lit lit | Lithuanian Litauisch Lietuvių
is ice isl | Icelandic Isländisch Íslenska
ga gle gle | Irish Irisch Gaeilge
la lat lat | Latin Latein Latina Latin Latín Latino Latijn
he heb heb | Hebrew Hebräisch עברית Hébreu Hebreo Ebraico
ar ara ara | Arabic Arabisch العربية Arabe Árabe Arabo
fa per fas | Persian Persisch فارسی Persan Farsi
hi hin hin | Hindi Hindi हिन्दी
zh chi zho | Chinese Chinesisch 中文 汉语 Chinois Chino Cinese Chinees
ja jpn jpn | Japanese Japanisch 日本語 Japonais Japonés Giapponese Japans
ko kor kor | Korean Koreanisch 한국어 Coréen Coreano
th tha tha | Thai Thailändisch ไทย
vi vie vie | Vietnamese Vietnamesisch Tiếng_Việt
id ind ind | Indonesian Indonesisch Bahasa_Indonesia
ms may msa | Malay Malaiisch Bahasa_Melayu
af afr afr | Afrikaans
"""


def _key(text: str) -> str:
    text = unicodedata.normalize("NFC", text).strip().lower().replace("_", " ")
    return re.sub(r"\s+", " ", text)


_LOOKUP: dict[str, str] = {}
for _line in _TABLE.strip().splitlines():
    _codes, _names = _line.split("|")
    _code, *_others = _codes.split()
    for _token in [_code, *_others, *_names.split()]:
        _LOOKUP.setdefault(_key(_token), _code)


def normalize_language(value: str | None) -> str | None:
    """``"German"`` / ``"Deutsch"`` / ``"ger"`` / ``"deu"`` / ``"de-DE"`` -> ``"de"``; ``None`` if unknown.

    A value listing several languages (``"English; German"``) yields the first one known.
    """
    if not value:
        return None
    return _normalize_language(str(value))


@lru_cache(maxsize=4096)  # a file has a handful of distinct language values
def _normalize_language(value: str) -> str | None:
    for part in re.split(r"[;,/|]| and | und ", value):
        key = _key(part.replace("[", "").replace("]", ""))
        if not key:
            continue
        if key in _LOOKUP:
            return _LOOKUP[key]
        tag = re.match(r"^([a-z]{2,3})[-_][a-z0-9]{2,8}$", key)  # BCP 47: en-US, de-DE
        if tag and tag.group(1) in _LOOKUP:
            return _LOOKUP[tag.group(1)]
        if key.startswith("article in "):  # PubMed: "[Article in German]"
            return normalize_language(key[len("article in ") :])
    return None


# Function words that are frequent in one language and rare in the others: enough to tell the
# language of an abstract or a title, which is all a page without a language label gives us.
_STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        [
            "the",
            "of",
            "and",
            "in",
            "to",
            "with",
            "for",
            "is",
            "are",
            "was",
            "were",
            "that",
            "this",
            "by",
            "from",
            "on",
            "as",
            "be",
            "have",
            "has",
            "not",
            "which",
            "or",
            "an",
            "at",
            "their",
            "these",
            "patients",
            "we",
            "our",
        ]
    ),
    "de": frozenset(
        [
            "der",
            "die",
            "das",
            "und",
            "mit",
            "von",
            "den",
            "im",
            "ist",
            "sind",
            "für",
            "zu",
            "auf",
            "bei",
            "nicht",
            "eine",
            "einer",
            "wird",
            "werden",
            "kann",
            "können",
            "des",
            "dem",
            "zur",
            "zum",
            "auch",
            "sowie",
        ]
    ),
    "fr": frozenset(
        [
            "le",
            "la",
            "les",
            "et",
            "des",
            "du",
            "un",
            "une",
            "est",
            "dans",
            "pour",
            "avec",
            "sur",
            "au",
            "aux",
            "par",
            "sont",
            "que",
            "qui",
            "ont",
            "cette",
            "nous",
        ]
    ),
    "es": frozenset(
        [
            "el",
            "la",
            "los",
            "las",
            "y",
            "de",
            "del",
            "en",
            "un",
            "una",
            "es",
            "con",
            "para",
            "por",
            "que",
            "se",
            "su",
            "al",
            "son",
            "como",
            "fue",
        ]
    ),
    "it": frozenset(
        [
            "il",
            "lo",
            "la",
            "gli",
            "le",
            "e",
            "di",
            "del",
            "della",
            "un",
            "una",
            "è",
            "con",
            "per",
            "che",
            "sono",
            "nel",
            "nella",
            "dei",
            "delle",
        ]
    ),
    "nl": frozenset(
        [
            "de",
            "het",
            "een",
            "en",
            "van",
            "in",
            "met",
            "voor",
            "op",
            "is",
            "zijn",
            "niet",
            "dat",
            "die",
            "bij",
            "ook",
            "wordt",
        ]
    ),
}


def guess_language(text: str | None, *, min_hits: int = 5) -> str | None:
    """The ISO 639-1 code of a prose text (an abstract), or ``None`` when it is not clear.

    Counts function words; answers only when one language leads the next by a factor of two.
    """
    if not text:
        return None
    words = re.findall(r"[a-zäöüßàâçéèêëîïôûùáíóúñ]+", text.lower())
    scores = sorted(
        ((sum(w in stop for w in words), code) for code, stop in _STOPWORDS.items()), reverse=True
    )
    (best, code), (second, _) = scores[0], scores[1]
    return code if best >= min_hits and best >= 2 * second else None
