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


def split_publication_statement(text: str) -> CSLItem:
    """``publisher-place``, ``publisher`` and ``issued`` from a publication statement."""
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
    if " : " in text or re.match(r"^[^:]{2,40}:\s*\S", text):  # ISBD: "Place : Publisher"
        place, _, publisher = text.partition(":")
        if place.strip():
            out["publisher-place"] = place.strip(" []")
        if publisher.strip(" ,"):
            out["publisher"] = publisher.strip(" ,")
        return out
    # Places joined by "/" or ";" ("Berlin/Heidelberg", "Stuttgart ; New York") are one place.
    end = 0
    while (length := _place_at(text, end)) is not None:
        end += length
        joiner = _PLACE_JOINER.match(text, end)
        if not joiner or _place_at(text, joiner.end()) is None:
            break
        end = joiner.end()
    if end:
        out["publisher-place"] = text[:end].strip()
        rest = text[end:].strip(" ,;")
        if rest:
            out["publisher"] = rest
        return out
    if text:
        out["publisher"] = text
    return out
