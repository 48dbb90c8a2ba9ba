"""The dictionaries the reference labeller's features look words up in.

Journal words come from JabRef's abbreviation lists (CC0), compacted by
``scripts/build-journal-words`` into ``data/journal_words.txt``. The short lists below (given
names, particles, publishers, places, months, locator words) are written here: they are small,
stable and multilingual on purpose, and no maintained package ships them in a usable form.
A hit is only a feature: the model learns how much each list is worth in context.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

GIVEN_NAMES = frozenset(
    """
    aaron adam adrian ahmed aiko akira alan albert alberto alejandro aleksandr alex alexander
    alexandra alexandre alfred ali alice alicia alison amanda amy ana anders andré andrea andreas
    andrew andrzej angela angelika anna anne annette anton antonio arne arthur astrid barbara beate
    ben benjamin bernd bernhard bettina birgit bo brian bruno carl carla carlos carmen caroline
    catherine charles charlotte chen christian christina christine christoph christopher claire
    claudia craig daniel daniela david deborah dennis dieter dimitri dirk dmitry donald doris
    dorothy edward elena elisabeth elizabeth ellen emily emma eric erik ernst eva fabian fatima
    felix florian francesca francesco francis françois frank franz friedrich gabriel gabriele
    george georg gerhard giovanni giuseppe gordon grace gregory gudrun günter günther hana hannah
    hans harald harry heike heinrich heinz helen helga helmut henrik henry hermann hiroshi hong
    hugo ian ingrid irene isabel isabelle jack jacob james jan jana jane janet jean jennifer jens
    jessica jian jing joachim joan joanna johan johann johannes john jonas jonathan jordi jorge
    josé joseph josef juan judith julia julian julie jürgen karen karin karl katarzyna katharina
    kathleen kenji kevin klaus kurt lars laura lea lei leon leonie li lin linda lisa liu lorenzo
    louis louise lucas lucia ludwig luis lukas magdalena manfred manuel marco margaret maria
    marie marina mario mark markus marta martin mary matthew matthias max maria mei michael
    michel michelle miguel mikhail ming mohamed mohammad monika nadia natalia nicholas nicola
    nicolas niklas nikolai nina noah olaf olga oliver olivier pablo paolo pascal patricia patrick
    paul paula pedro peter petra philip philipp pierre piotr rachel rafael rainer ralf raymond
    rebecca reinhard renate richard robert roberto robin roger roland rolf rosa ruth ryan sabine
    samuel sandra sara sarah sebastian sergei sergio simon simone sofia sophie stefan stefanie
    stephan stephen steven susan susanne sven sylvie takashi tanja teresa thomas tim timothy tobias
    tom tomás torsten ulrich ursula uwe valentina vera victor viktor vincent walter wei werner
    wilhelm william wolfgang xavier xin yan yang ying yuki yusuf zhang zoltan
    """.split()
)

PARTICLES = frozenset(
    "de da das dos du del della der den des di do la le lo van von ten ter vander zu zum zur "
    "af av bin ibn al el mac st dei degli y e".split()
)

PUBLISHER_WORDS = frozenset(
    """
    press verlag springer elsevier wiley blackwell routledge sage taylor francis academic
    university universitätsverlag oxford cambridge harvard yale princeton mit chicago penguin
    macmillan palgrave pearson mcgraw-hill mcgraw norton random house harper collins hachette
    suhrkamp rowohlt beck c.h. hanser vandenhoeck ruprecht mohr siebeck kohlhammer thieme
    schattauer hogrefe huber vs gruyter de walter campus transcript fischer dtv reclam gallimard
    seuil flammarion puf dunod masson hachette einaudi laterza mulino zanichelli anagrama
    alianza crítica paidós brill benjamins kluwer wolters lippincott williams wilkins mosby
    saunders karger ieee acm aip iop siam ams crc chapman hall cengage prentice addison-wesley
    addison wesley o'reilly apress birkhäuser teubner vieweg gabler metzler lit waxmann
    klinkhardt beltz juventa nomos duncker humblot facultas utb books publishing publishers
    publications publisher inc inc. ltd ltd. co. gmbh ag llc editions éditions editorial
    editora editrice edizioni uitgeverij förlag forlag wydawnictwo nakladatelství who oecd
    """.split()
)

PLACES = frozenset(
    """
    london new york ny oxford cambridge boston chicago philadelphia washington dc baltimore
    princeton berkeley stanford san francisco los angeles toronto montreal sydney melbourne
    berlin münchen munich hamburg frankfurt köln cologne stuttgart heidelberg leipzig dresden
    göttingen tübingen freiburg bonn mainz wiesbaden weinheim basel zürich zurich bern wien
    vienna graz salzburg innsbruck paris lyon bruxelles brussels amsterdam leiden utrecht
    rotterdam den haag hague madrid barcelona lisboa lisbon roma rome milano milan torino
    bologna firenze napoli warszawa warsaw kraków praha prague budapest stockholm oslo
    københavn copenhagen helsinki moskva moscow tokyo beijing shanghai singapore delhi geneva
    genève dordrecht heidelberg amsterdam abingdon hoboken thousand oaks newbury park malden
    chichester harlow basingstoke clifton cham wiesbaden opladen bielefeld paderborn münster
    hannover bremen kiel jena halle erlangen nürnberg würzburg regensburg augsburg konstanz
    darmstadt karlsruhe mannheim bad heilbrunn baden-baden seelze weinheim/basel ma ca nj uk
    usa germany france italy spain switzerland austria netherlands
    """.split()
)

# Words that make a name an organisation's ("World Health Organization", "National Institute
# for Health and Care Excellence", "Statistisches Bundesamt"): corporate authors and the
# institutions of theses and reports
ORGANISATION_WORDS = frozenset(
    """
    organization organisation institute institut institution association society council
    committee commission agency department ministry office bureau board authority service
    services centre center centers centres foundation fund trust group consortium
    collaboration network alliance federation union league coalition academy college
    school university universität université università universidad universidade
    hochschule fachhochschule faculty laboratory laboratories corporation company
    administration government parliament congress senate court bank agency programme program
    project initiative taskforce forum unit division secretariat panel registry
    bundesamt bundesministerium ministerium landesamt amt gesellschaft verband verein stiftung
    arbeitsgemeinschaft kommission bundesanstalt zentrum
    national international federal european american british royal world global
    who unesco unicef oecd nice cdc nih fda ema nhs un eu imf
    """.split()
)

MONTHS = frozenset(
    """
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
    januar februar märz mai juni juli oktober dezember jänner
    janvier février mars avril mai juin juillet août septembre octobre novembre décembre
    enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre
    gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre
    januari februari maart mei augustus
    spring summer fall autumn winter frühjahr sommer herbst
    """.split()
)

# Words that announce a field: "In:", "pp.", "vol.", "Hrsg.", "S.", "Bd." ...
MARKERS: dict[str, str] = {
    "in": "in",
    "in:": "in",
    "dans": "in",
    "en": "in",
    "pp": "pages",
    "p": "pages",
    "s": "pages",
    "pages": "pages",
    "seiten": "pages",
    "vol": "volume",
    "volume": "volume",
    "bd": "volume",
    "band": "volume",
    "jg": "volume",
    "jahrgang": "volume",
    "vols": "volume",
    "tome": "volume",
    "tomo": "volume",
    "t": "volume",
    "part": "part",
    "pt": "part",
    "teil": "part",
    "suppl": "part",
    "supplement": "part",
    "fasc": "issue",
    "no": "issue",
    "nos": "issue",
    "n°": "issue",
    "nº": "issue",
    "núm": "issue",
    "num": "issue",
    "nr": "issue",
    "issue": "issue",
    "h": "issue",
    "heft": "issue",
    "ed": "editor",
    "eds": "editor",
    "hrsg": "editor",
    "hg": "editor",
    "editor": "editor",
    "editors": "editor",
    "edited": "editor",
    "(ed": "editor",
    "(eds": "editor",
    "(hrsg": "editor",
    "(hg": "editor",
    "aufl": "edition",
    "edn": "edition",
    "edition": "edition",
    "doi": "doi",
    "doi:": "doi",
    "isbn": "isbn",
    "pmid": "pmid",
    "retrieved": "url",
    "available": "url",
    "accessed": "url",
    "abgerufen": "url",
    "thesis": "genre",
    "dissertation": "genre",
    "diss": "genre",
    "phd": "genre",
    "report": "genre",
    "proceedings": "proc",
    "proc": "proc",
    "conference": "proc",
    "symposium": "proc",
    "workshop": "proc",
    "tagungsband": "proc",
    "and": "and",
    "&": "and",
    "und": "and",
    "et": "and",
    "al": "etal",
    "al.": "etal",
    "u.": "etal",
    "a.": "etal",
}


@cache
def journal_words() -> tuple[frozenset[str], frozenset[str]]:
    """(full-name words, abbreviation words) of JabRef's journal lists."""
    text = (
        resources.files("records.references")
        .joinpath("data/journal_words.txt")
        .read_text(encoding="utf-8")
    )
    full: set[str] = set()
    abbrev: set[str] = set()
    target = full
    for line in text.splitlines():
        if line == "# abbrev":
            target = abbrev
        elif line and not line.startswith("#"):
            target.add(line)
    return frozenset(full), frozenset(abbrev)
