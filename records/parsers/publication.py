"""Publication statements: "place publisher year", as catalogs print them.

``Heidelberg Springer Nature B.V 2024`` (VuFind joins MARC 260/264 $a $b $c with spaces),
``Berlin : Springer, 2019`` (ISBD punctuation), ``[S.l.] : Elsevier, c2003``. With ISBD
punctuation the split is certain. Without it, the place is recognised from a gazetteer of the
cities scholarly publishers print; when none is recognised, the whole text stays the publisher
(a guessed split would be worse than an unsplit one).
"""

from __future__ import annotations

import re

from records.model import CSLItem
from records.normalize.dates import parse_date

PLACES = sorted(
    """Heidelberg|Berlin|Berlin, Heidelberg|Berlin Heidelberg|Stuttgart|München|Munich|Wien|Vienna|
    Leipzig|Hamburg|Frankfurt am Main|Frankfurt a.M.|Frankfurt|Köln|Cologne|Bonn|Dresden|Düsseldorf|
    Mannheim|Tübingen|Freiburg|Freiburg im Breisgau|Hannover|Göttingen|Bielefeld|Wiesbaden|Bremen|
    Weinheim|Darmstadt|Baden-Baden|Opladen|Bern|Basel|Zürich|Zurich|Genève|Geneva|Lausanne|Graz|
    Innsbruck|Salzburg|London|Oxford|Cambridge|Edinburgh|Abingdon|Abingdon, Oxon|Bristol|Chichester|
    Hoboken|New York|New York, NY|Boston|Philadelphia|Chicago|Baltimore|Washington|Washington, DC|
    Thousand Oaks|Los Angeles|San Francisco|San Diego|Princeton|New Haven|Cambridge, MA|Amsterdam|
    Dordrecht|Leiden|Utrecht|Rotterdam|Cham|Paris|Lyon|Montrouge|Issy-les-Moulineaux|Madrid|
    Barcelona|Milano|Milan|Roma|Rome|Torino|Bologna|Firenze|Stockholm|Copenhagen|København|Oslo|
    Helsinki|Warszawa|Warsaw|Praha|Prague|Budapest|Moscow|Tokyo|Singapore|Beijing|Shanghai|
    New Delhi|Sydney|Melbourne|Toronto|Montreal|Amsterdam [u.a.]|Berlin [u.a.]|New York [u.a.]|
    Hagerstown|Hagerstown, MD|Oakland|Basingstoke|Bingley|Thorofare|Bethesda|Rockville|
    England|United States|United Kingdom|Germany|Netherlands|Switzerland|Austria|France|Italy|
    Spain|Japan|China|Canada|Australia|India|Denmark|Sweden|Norway|Finland|Poland|Houten|
    Den Haag|The Hague|Nijmegen|Groningen|Leuven|Gent|Antwerpen|Bruxelles|Brussels|Uppsala|Lund|
    Göteborg|Malmö|Kraków|Wrocław|Poznań|Lisboa|Porto|São Paulo|Rio de Janeiro|Buenos Aires|
    México|Santiago|Bogotá|Valencia|Sevilla|Napoli|Padova|Pisa|Stuttgart, New York|Aarhus|
    Odense|Bergen|Trondheim|Turku|Tampere|Brno|Bratislava|Ljubljana|Zagreb|Athens|Athína|Ankara|
    İstanbul|Istanbul|Kyoto|Osaka|Seoul|Hong Kong|Taipei|Mumbai|Chennai|Cape Town|Auckland|Ottawa|
    Vancouver|Québec|Quebec|Montréal|Edmonton|Calgary|Dublin|Glasgow|Manchester|Birmingham|
    Amsterdam, Boston|Berlin, Boston|Oxford, New York|New York, London|London, New York""".replace(
        "\n", ""
    ).split("|"),
    key=len,
    reverse=True,
)
_PLACES = [p.strip() for p in PLACES if p.strip()]
_CASEFOLDED = [(p.casefold(), len(p)) for p in _PLACES]
_PLACE_JOINER = re.compile(r"\s*[/;]\s*|\s+u\.\s*a\.\s*")


def _place_at(text: str, start: int) -> int | None:
    """The length of the gazetteer place that starts ``text`` at ``start``, if one does."""
    lowered = text[start:].casefold()
    for place, length in _CASEFOLDED:
        if lowered.startswith(place) and (len(lowered) == length or lowered[length] in " ,;/:"):
            return length
    return None


# What cataloguers write for "not known" (ISBD/RDA, in the catalog languages): no value at all.
_NOT_KNOWN = re.compile(
    r"^\[?\s*(?:s\.\s?l\.?|s\.\s?n\.?|sine loco|sine nomine|o\.\s?O\.?|o\.\s?V\.?|ohne Ort|"
    r"ohne Verlag|[^\]]*(?:not identified|nicht ermittelbar|non identifi|unknown|unbekannt|"
    r"no identificad|non identificat|niet ge[iï]dentificeerd)\w*)\s*\]?\.?$",
    re.IGNORECASE,
)
# A place qualified by its state or country: "New York, USA", "Cham, Switzerland", "Boca Raton, FL".
_REGION = re.compile(
    r",\s*(?:[A-Z]{2}|U\.?S\.?A?\.?|U\.?K\.?|USA|UK|England|Scotland|Wales|Ireland|Germany|"
    r"Deutschland|Switzerland|Schweiz|Austria|Österreich|Netherlands|The Netherlands|France|Italy|"
    r"Spain|Japan|China|Canada|Australia|India|Denmark|Sweden|Norway|Finland|Poland|Belgium|"
    r"Singapore|Brazil|New Zealand|Mass\.|Calif\.|Conn\.|N\.\s?Y\.|N\.\s?J\.|Md\.|Pa\.|Ill\.)"
    r"(?=[\s,;:]|$)"
)
# Words that make a leading city part of the publisher's name ("Oxford University Press",
# "Cambridge Scholars Publishing", "Berlin Verlag", "Santa Fe Institute"), not its place. Only
# words that follow the city in their language: "Instituto", "Universidad", "Università",
# "Universität" open a name of their own ("Madrid Instituto Geológico y Minero de España" is
# Madrid and the institute), so they do not join a city before them.
_PUBLISHER_WORD = re.compile(
    r"(?:University|Univ\.|Press|Verlag\w*|Publish\w*|Scholars|Academic|Academy|Books|"
    r"Editions?|Institute|Society|Museum|Library)\b",
    re.IGNORECASE,
)


def _known(value: str) -> str | None:
    value = value.strip(" ,;:")
    if not value or _NOT_KNOWN.match(value):
        return None
    # "[Berlin]" (supplied by the cataloguer) is Berlin; "Berlin [u.a.]" keeps its brackets
    return re.sub(r"^\[([^\[\]]*)\]$", r"\1", value).strip() or None


def _place_end(text: str, start: int = 0) -> int:
    """Where the gazetteer place(s) that start ``text`` at ``start`` end (``start`` when none):
    places joined by "/" or ";" ("Berlin/Heidelberg", "Stuttgart ; New York") are one place, and
    a place may carry its state or country ("New York, USA")."""
    end = start
    while (length := _place_at(text, end)) is not None:
        end += length
        if region := _REGION.match(text, end):
            end = region.end()
        joiner = _PLACE_JOINER.match(text, end)
        if not joiner or _place_at(text, joiner.end()) is None:
            break
        end = joiner.end()
    return end


def split_publication_statement(text: str) -> CSLItem:
    """``publisher-place``, ``publisher`` and ``issued`` from a publication statement.

    Shapes: "Place : Publisher, Year" (ISBD; "Berlin ; Heidelberg : Springer"), "Place Publisher
    Year" (VuFind's joined subfields; "New York, USA Cambridge University Press 1990"),
    "Publisher, Place, Year" ("Wiley-VCH, Weinheim, 2004"). A bracketed "not known" of the
    cataloguer ("[S.l.]", "[Erscheinungsort nicht ermittelbar]", "[s.n.]") gives no value.
    """
    text = re.sub(r"\s+", " ", text).strip()
    out: CSLItem = {}
    # The date closes the statement: "2024", "c2019", "[2003]", "07.09.2023", "Sept. 2023".
    tokens = text.split()
    for size in (3, 2, 1):
        if len(tokens) < size:
            continue
        date = parse_date(" ".join(tokens[-size:]).strip("[],.c"), strict=True)
        if date:
            out["issued"] = date
            text = " ".join(tokens[:-size]).strip(" ,;:")
            break
    place: str | None = None
    publisher: str | None = None
    if " : " in text or re.match(r"^[^:]{2,40}:\s*\S", text):  # ISBD: "Place : Publisher"
        place_text, _, publisher_text = text.partition(":")
        # "Berlin : Springer ; New York : Wiley": the first statement's publisher
        publisher_text = re.split(r"\s;\s(?=[^:;]{2,40}\s?:)", publisher_text)[0]
        place, publisher = _known(place_text), _known(publisher_text.strip(" ,"))
    else:
        end = _place_end(text)
        rest = text[end:].strip(" ,;")
        if end and not _PUBLISHER_WORD.match(rest) and not _PUBLISHER_WORD.search(text[:end]):
            place, publisher = _known(text[:end]), _known(rest)
        else:
            # "Publisher, Place": a gazetteer place after the last comma(s) closes the statement
            place, publisher = None, _known(text)
            for match in re.finditer(r",\s*", text):
                if _place_end(text, match.end()) == len(text):
                    place, publisher = _known(text[match.end() :]), _known(text[: match.start()])
                    break
    if place:
        out["publisher-place"] = place
    if publisher:
        out["publisher"] = publisher
    return out
