"""The table-driven LaTeX decoder for BibTeX values."""

from __future__ import annotations

import pytest

from records.normalize.latex import latex_to_unicode, needs_decoding


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        (r"Schr\"{o}dinger", "Schrödinger"),
        (r"{\"u}ber", "über"),
        (r"\"a \'e \`e \^o \~n \=a", "ä é è ô ñ ā"),
        (r"{\'\i}ndice", "índice"),
        (r"\'{\i}", "í"),
        (r"\v{c}esk\'y \v s", "český š"),
        (r"Fran\c{c}ois \c c", "François ç"),
        (r"Ko\l{}odziej \L", "Kołodziej Ł"),
        (r"Stra\ss e \ss{}", "Straße ß"),
        (r"\o{} \O{} \ae{} \AE{} \oe{} \aa{}ngstr\"om \AA", "ø Ø æ Æ œ ångström Å"),
        (r"\ss \o", "ßø"),  # TeX: the space after a control word ends it and is dropped
        (r"Pok\k{e} \H{o} \r{u} \u{g} \.{z} \d{s}", "Pokę ő ů ğ ż ṣ"),
        (r"Smith \& Sons, 10\% \$5 \#1 a\_b", "Smith & Sons, 10% $5 #1 a_b"),
        (r"1990--2000 --- a~b", "1990–2000 — a b"),
        (r"``quoted''", "“quoted”"),
        (r"{DNA} and {\em in vivo} \emph{data} \textbf{bold}", "DNA and in vivo data bold"),
        (r"\textit{E.~coli} \url{http://x.org/a}", "E. coli http://x.org/a"),
        (r"$\alpha$-helix $\beta$", "α-helix β"),
        (r"$e=mc^2$ H$_2$O", "e=mc² H₂O"),
        (r"\{literal braces\}", "{literal braces}"),
        (r"\LaTeX{} and \TeX", "LaTeX and TeX"),
        (r"a\begin{itshape}b\end{itshape}c", "abc"),
        ("plain title, nothing to do", "plain title, nothing to do"),
        ("Ünïcödé already", "Ünïcödé already"),
    ],
)
def test_decodes(latex: str, text: str) -> None:
    assert latex_to_unicode(latex) == text


def test_accent_results_are_composed_characters() -> None:
    # One code point (NFC), so that comparisons with typed text work.
    assert latex_to_unicode(r"\"{o}") == "\u00f6"
    assert len(latex_to_unicode(r"\'{\i}")) == 1


def test_unknown_command_keeps_its_argument_or_name() -> None:
    assert latex_to_unicode(r"\mycommand{kept}") == "kept"
    assert latex_to_unicode(r"the \Foo system") == "the Foo system"


def test_only_values_with_markup_are_decoded() -> None:
    assert not needs_decoding("A plain title (2024): results")
    assert needs_decoding("A {B}")
    assert needs_decoding(r"\'e")
