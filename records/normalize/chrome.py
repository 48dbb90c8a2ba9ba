"""Page chrome: the words a catalog or publisher page prints around a record, in its UI languages.

A user who presses Ctrl-A, Ctrl-C on a record page copies the site with the record: skip links,
the search form's field list, "Book Bag: 0 items (Full)", Login, the language switcher, the
record toolbar ("Cite this, Text this, Email this ... Permanent link"), "Full description"
toggles, PubMed's display options. None of these may become a field's value.

Most labels come from VuFind's own language files (``catalog_labels.json``, built by
``scripts/build_catalog_labels.py`` from the 21-language survey); what those files do not hold
(the search form, skip links, login, the book bag with its count) is listed here by hand, in
the languages of the pages users send. Both the page readers (to skip chrome) and the
plausibility check (to refuse a label as a title) use this one vocabulary.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources

# Lines of the site around a VuFind (and generic catalog) record that the language files lack.
# Per language: skip link, search-form field list, navigation, login, toolbar, language switch.
EXTRA_CHROME: dict[str, tuple[str, ...]] = {
    "en": (
        "Skip to content", "Skip to main content", "Toggle navigation", "All Fields", "Title",
        "Author", "Subject", "Call Number", "ISBN/ISSN", "Tag", "Find", "Search", "Advanced",
        "Advanced Search", "Home", "Login", "Log in", "Log out", "Logout", "Your Account",
        "Language", "Cite this", "Text this", "Email this", "Print", "Export Record",
        "Save to List", "Add to favorites", "Permanent link", "Permalink", "Full description",
        "Brief description", "Show more", "Show less", "Back to results", "Previous", "Next",
        "New Search", "Search History", "Help", "Contact", "Similar Items", "Staff View",
        "Holdings", "Description", "Details", "Reviews", "Comments", "Table of Contents",
        "Export to", "RefWorks", "EndNoteWeb", "EndNote", "MARC", "MARCXML", "RDF", "BibTeX",
        "RIS", "Get full text", "Saved in", "Search Tips", "Browse", "Browse the Catalog",
        "Course Reserves", "New Items", "Interlibrary Loan", "Ask a Librarian", "FAQ",
        "Privacy", "Privacy Policy", "Accessibility", "Imprint", "Feedback",
        # EBSCO's and Primo's bars
        "Sign In", "Sign Out", "Folder", "Preferences", "Languages", "New Search",
        "Publications", "Result List", "Refine Search", "Create Note", "Send to",
        "Full display", "Citation", "Get It", "Virtual Browse",
    ),
    "de": (
        "Zum Inhalt springen", "Zum Hauptinhalt springen", "Navigation umschalten",
        "Alle Felder", "Titel", "Autor", "Verfasser", "Schlagwort", "Signatur", "ISBN/ISSN",
        "Tag", "Finden", "Suchen", "Suche", "Erweitert", "Erweiterte Suche", "Startseite",
        "Anmelden", "Einloggen", "Abmelden", "Ihr Konto", "Benutzerkonto", "Sprache",
        "Zitieren", "SMS versenden", "Als E-Mail versenden", "Drucken",
        "Datensatz exportieren", "Zu den Favoriten", "Zur Merkliste", "Permanenter Link",
        "Permalink", "Ausführliche Beschreibung", "Kurzbeschreibung", "Mehr anzeigen",
        "Weniger anzeigen", "Zurück zur Trefferliste", "Vorheriger", "Nächster", "Neue Suche",
        "Suchverlauf", "Hilfe", "Kontakt", "Ähnliche Einträge", "Mitarbeiteransicht",
        "Exemplare", "Beschreibung", "Details", "Rezensionen", "Kommentare",
        "Inhaltsverzeichnis", "Exportieren nach", "Volltext", "Gespeichert in",
        "Suchtipps", "Fernleihe", "Impressum", "Datenschutz", "Datenschutzerklärung",
        "Barrierefreiheit",
    ),
    "fr": (
        "Aller au contenu", "Passer au contenu principal", "Tous les champs", "Titre",
        "Auteur", "Sujet", "Cote", "ISBN/ISSN", "Étiquette", "Trouver", "Rechercher",
        "Recherche", "Avancée", "Recherche avancée", "Accueil", "Connexion", "Se connecter",
        "Déconnexion", "Votre compte", "Langue", "Citer", "Envoyer par SMS",
        "Envoyer par courriel", "Imprimer", "Exporter la notice", "Exporter les notices",
        "Ajouter aux favoris", "Lien permanent", "Description complète", "Retour aux résultats",
        "Nouvelle recherche", "Aide", "Documents similaires", "Exemplaires", "Description",
        "Détails", "Enregistré dans", "Accéder au texte intégral", "Mentions légales",
    ),
    "es": (
        "Saltar al contenido", "Todos los campos", "Título", "Autor", "Materia",
        "Signatura topográfica", "ISBN/ISSN", "Etiqueta", "Encontrar", "Buscar", "Avanzada",
        "Búsqueda avanzada", "Inicio", "Iniciar sesión", "Cerrar sesión", "Su cuenta",
        "Idioma", "Citar", "Enviar por SMS", "Enviar por correo electrónico", "Imprimir",
        "Exportar registro", "Agregar a favoritos", "Enlace permanente",
        "Descripción completa", "Volver a los resultados", "Nueva búsqueda", "Ayuda",
        "Ítems similares", "Ejemplares", "Descripción", "Detalles", "Guardado en",
    ),
    "it": (
        "Vai al contenuto", "Salta al contenuto", "Tutti i campi", "Titolo", "Autore",
        "Soggetto", "Collocazione", "ISBN/ISSN", "Tag", "Trova", "Cerca", "Avanzata",
        "Ricerca avanzata", "Pagina iniziale", "Home", "Accedi", "Esci", "Il tuo account",
        "Lingua", "Citazione", "Invia SMS", "Invia email", "Stampa", "Esporta il record",
        "Aggiungi alla lista", "Link permanente", "Descrizione completa", "Torna ai risultati",
        "Nuova ricerca", "Aiuto", "Documenti simili", "Copie", "Descrizione", "Dettagli",
        "Salvato in",
    ),
    "nl": (
        "Ga naar inhoud", "Naar inhoud", "Alle velden", "Titel", "Auteur", "Onderwerp",
        "Plaatsnummer", "ISBN/ISSN", "Tag", "Vind", "Zoeken", "Geavanceerd",
        "Uitgebreid zoeken", "Startpagina", "Inloggen", "Uitloggen", "Uw account", "Taal",
        "Citeren", "SMS dit", "Versturen", "Afdrukken", "Exporteer record",
        "Toevoegen aan favorieten", "Permanente link", "Volledige beschrijving",
        "Terug naar resultaten", "Nieuwe zoekopdracht", "Help", "Vergelijkbare items",
        "Exemplaren", "Beschrijving", "Details", "Opgeslagen in",
    ),
    "sv": (
        "Hoppa till innehåll", "Alla fält", "Titel", "Författare", "Ämne", "Hyllsignum",
        "ISBN/ISSN", "Tagg", "Hitta", "Sök", "Avancerad", "Avancerad sökning", "Startsida",
        "Logga in", "Logga ut", "Ditt konto", "Språk", "Hänvisa", "Textmeddelande",
        "Skicka per e-post", "Skriv ut", "Exportera posten", "Lägg till i favoriter",
        "Permanent länk", "Full beskrivning", "Tillbaka till träfflistan", "Ny sökning",
        "Hjälp", "Liknande poster", "Beskrivning", "Detaljer", "Sparad i",
    ),
    "pl": (
        "Przejdź do treści", "Wszystkie pola", "Tytuł", "Autor", "Temat", "Sygnatura",
        "Szukaj", "Zaawansowane", "Wyszukiwanie zaawansowane", "Strona główna", "Zaloguj",
        "Język", "Cytować", "Wyślij wiadomość", "Wyślij emailem", "Drukuj",
        "Eksportuj rekord", "Stały link", "Szczegółowa specyfikacja", "Zapisane w",
    ),
}
# The language switcher lists each language under its own name.
LANGUAGE_NAMES = (
    "English", "Deutsch", "Français", "Español", "Italiano", "Nederlands", "Svenska", "Suomi",
    "Polski", "Čeština", "Português", "Português (Brasil)", "Русский", "Català", "Hrvatski",
    "Ελληνικά", "Türkçe", "日本語", "中文（简体）", "Dansk", "Norsk", "Magyar", "Eesti",
)
# "Book Bag: 0 items (Full)", "Merkliste: 0 Titel (voll)", "Panier : 3 éléments": the bag
# label, a count, a unit and an optional state, in any UI language.
_BAG = re.compile(
    r"^(?:book ?bag|merkliste|favoriten|warenkorb|panier|mochila|cesta|carrello|boekentas|"
    r"bokväska|kori|koszyk|cart|basket|my list)\s*:?\s*\(?\d+\)?(?:\s+[^\s()]+)?"
    r"(?:\s*\([^()]{1,12}\))?$",
    re.IGNORECASE,
)
# A breadcrumb: "Home › Search: x › Record", "Search: "heart failure"", "Suche: Tumoren".
_CRUMB = re.compile(
    r"^(?:(?:home|startseite|accueil|inicio|start|pagina iniziale|startpagina|startsida)\s*"
    r"[›>»/|]|(?:search|suche|recherche|búsqueda|ricerca|zoekopdracht|sökning|"
    r"suchergebnis(?:se)?|search results|trefferliste|your search)\s*:)",
    re.IGNORECASE,
)
# Words of a site's own name ("University Library Search", "Library Catalog", "Suchportal"):
# a "title" made only of these (and the small words and acronyms between them) is the site.
SITE_WORDS = frozenset(
    """library libraries catalog catalogue katalog kataloge bibliothek bibliotheken bibliotheca
    universitätsbibliothek landesbibliothek staatsbibliothek stadtbibliothek hochschulbibliothek
    university universität universitat université universidad università universiteit
    universitet college institute hochschule search suche discovery portal suchportal
    rechercheportal katalogplus opac online digital bibliothèque biblioteca bibliotheek
    bibliotek biblioteket catálogo catalogo catalogus recherche buscador ricerca zoeken sök
    primo summon vufind finder explorer plus resources ressourcen""".split()
)
_SMALL_WORDS = frozenset(
    "of the and for at in de der des die du la le el y und & - – — | : of".split()
)


@cache
def _labels() -> frozenset[str]:
    data = json.loads(
        resources.files("records.parsers").joinpath("data/catalog_labels.json").read_text("utf-8")
    )
    labels: set[str] = set(data["noise"]) | set(data["vufind_captions"])
    labels.update(data["vufind_ignored"])
    for names in data["vufind_fields"].values():
        labels.update(names)
    for names in EXTRA_CHROME.values():
        labels.update(names)
    # A language's name alone ("Deutsch") is also a field value (Sprache: Deutsch): only the
    # switcher's row of several names is chrome (see is_ui_label).
    return frozenset(_key(label) for label in labels if _key(label))


def _key(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split()).strip(" :.!|•·»›").casefold()


def is_ui_label(text: str) -> bool:
    """Whether ``text`` is a label or control of a record page ("Permanent link", "Titel",
    "Full description", "Book Bag: 0 items (Full)", "Home › Search"), in any UI language."""
    key = _key(text)
    if not key:
        return False
    if key in _labels() or _BAG.match(key) or _CRUMB.match(key):
        return True
    # The language switcher copied as one line: "English Deutsch Français Español".
    words = key.split()
    return len(words) >= 2 and all(w in _language_names() for w in words)


@cache
def _language_names() -> frozenset[str]:
    return frozenset(w.casefold() for name in LANGUAGE_NAMES for w in name.split())


def is_breadcrumb(text: str) -> bool:
    return bool(_CRUMB.match(_key(text)))


def is_site_name(text: str) -> bool:
    """A short text made only of site words, small words and acronyms ("UB Leipzig" is not:
    a place name could be a title; "University Library Search", "Library Catalog" are)."""
    words = _key(text).replace("-", " ").split()
    if not 1 <= len(words) <= 6:
        return False
    site = 0
    for word, written in zip(words, _key_words(text), strict=False):
        if word in SITE_WORDS:
            site += 1
        elif word in _SMALL_WORDS or (written.isupper() and len(written) <= 5):
            continue
        else:
            return False
    return site >= 1


def _key_words(text: str) -> list[str]:
    return " ".join(text.replace("\u00a0", " ").split()).strip(" :.!|•·»›").replace("-", " ").split()
