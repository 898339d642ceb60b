"""Tests for auditor.sources.latex.decode_latex: LaTeX in BibTeX values → plain Unicode."""

import ast
import sys
import unicodedata
from pathlib import Path

import pytest

from auditor.sources import latex
from auditor.sources.latex import decode_latex

P = pytest.param


def _check(value: str, expected: str) -> None:
    assert decode_latex(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        P('{M{\\"u}ller}, J{\\"o}rg', "Müller, Jörg", id="umlaut-braced-group"),
        P('M\\"uller', "Müller", id="umlaut-bare"),
        P('M\\"{u}ller', "Müller", id="umlaut-braced-arg"),
        P('M{\\"{u}}ller', "Müller", id="umlaut-double-braced"),
        P('G\\"{u}nther Rote', "Günther Rote", id="umlaut-dblp-style"),
        P("Bj\\\"orklund and M\\\"obius", "Björklund and Möbius", id="umlaut-twice"),
        P("C\\'{e}dric Bentz", "Cédric Bentz", id="acute-braced-arg"),
        P("St{\\'e}phane", "Stéphane", id="acute-in-group"),
        P("D\\'esarticulation", "Désarticulation", id="acute-bare"),
        P("Genevi\\`{e}ve Simonet", "Geneviève Simonet", id="grave"),
        P("h\\^otel", "hôtel", id="circumflex"),
        P("Ca{\\~n}ada", "Cañada", id="tilde-accent"),
        P("Espa\\~na", "España", id="tilde-accent-bare"),
        P("\\=a", "ā", id="macron"),
        P("\\.Zagiel", "Żagiel", id="dot-above"),
        P("Fran{\\c{c}}a", "França", id="cedilla-braced"),
        P("Fran\\c ca", "França", id="cedilla-space-arg"),
        P("Gar\\c{c}on", "Garçon", id="cedilla-arg"),
        P("Ko\\v{s}ice and {\\v{C}}apek", "Košice and Čapek", id="caron"),
        P("Rom\\^an\\u{a} and \\u a", "Română and ă", id="breve"),
        P("Erd{\\H{o}}s", "Erdős", id="double-acute"),
        P("\\r{A}ngstr\\\"om and \\r{a}", "Ångström and å", id="ring"),
        P("Przegl\\k{a}d", "Przegląd", id="ogonek"),
        P("\\d{a}", "ạ", id="dot-below"),
        P("\\b{a}", "a̱", id="bar-below"),
        P("\\t{oo}", "o͡o", id="tie"),
        P("Alu{\\'\\i}sio", "Aluísio", id="acute-dotless-i"),
        P("Garc\\'{\\i}a", "García", id="acute-braced-dotless-i"),
        P("Mar{\\'i}a", "María", id="acute-plain-i"),
        P("Ana{\\\"\\i}s", "Anaïs", id="umlaut-dotless-i"),
        P("{\\L}{\\'o}d{\\'z}", "Łódź", id="polish-city"),
        P("Sys{\\l}o", "Sysło", id="l-stroke-in-name"),
        P("CHv{\\'{a}}tal", "CHvátal", id="acute-nested-braces"),
        P("\\'{\\\"u}", "ǘ", id="stacked-accents"),
        P("\\'{}", "´", id="accent-empty-argument"),
    ],
)
def test_accents(value: str, expected: str) -> None:
    _check(value, expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        P("Stra{\\ss}e", "Straße", id="ss-braced"),
        P("Stra\\ss{}e", "Straße", id="ss-empty-group"),
        P("Stra\\ss e", "Straße", id="ss-space-terminated"),
        P("Gro\\ss\\ und Klein", "Groß und Klein", id="ss-control-space"),
        P("S{\\o}ren Kierkeg{\\aa}rd", "Søren Kierkegård", id="o-slash-and-aa"),
        P("{\\O}stergaard and Bj\\o rn", "Østergaard and Bjørn", id="capital-o-slash"),
        P("{\\AE}sop and C{\\ae}sar", "Æsop and Cæsar", id="ae"),
        P("{\\OE}uvre and c{\\oe}ur", "Œuvre and cœur", id="oe"),
        P("{\\AA}rhus", "Århus", id="capital-aa"),
        P("{\\L}ukasiewicz and Wroc{\\l}aw", "Łukasiewicz and Wrocław", id="l-stroke"),
        P("{\\i} and {\\j}", "ı and ȷ", id="dotless-letters"),
        P("{\\dh}{\\DH} {\\th}{\\TH} {\\ng}", "ðÐ þÞ ŋ", id="eth-thorn-eng"),
    ],
)
def test_letters(value: str, expected: str) -> None:
    _check(value, expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        P("Johnson \\& Johnson", "Johnson & Johnson", id="ampersand"),
        P("Journal of Experimental \\& Theoretical AI", "Journal of Experimental & Theoretical AI",
          id="ampersand-journal"),
        P("A 95\\% confidence interval", "A 95% confidence interval", id="percent"),
        P("The \\$1000 genome", "The $1000 genome", id="dollar"),
        P("C\\# and F\\#", "C# and F#", id="hash"),
        P("snake\\_case", "snake_case", id="underscore"),
        P("\\{braces\\}", "{braces}", id="escaped-braces"),
        P("Mr.\\ Smith", "Mr. Smith", id="control-space"),
        P("10\\,000 patients", "10 000 patients", id="thin-space"),
        P("a\\;b\\:c\\!d", "a b cd", id="other-spaces"),
        P("Dr.~Who", "Dr. Who", id="tie-tilde"),
        P("First line\\\\second line", "First line second line", id="line-break"),
        P("pages 10--20", "pages 10–20", id="en-dash"),
        P("yes---no", "yes—no", id="em-dash"),
        P("``Quoted'' title", "“Quoted” title", id="tex-quotes"),
        P("`single' quote", "`single' quote", id="single-backtick-kept"),
        P("D'Atri", "D'Atri", id="apostrophe-kept"),
        P("1990\\textendash 2000\\textemdash now", "1990–2000—now", id="text-dashes"),
        P("\\textquoteleft x\\textquoteright", "‘x’", id="text-quotes"),
        P("Acme\\textregistered{} and Foo\\texttrademark", "Acme® and Foo™", id="marks"),
        P("37\\textdegree C, 5\\textmu{}m", "37°C, 5µm", id="degree-mu"),
        P("a\\textbackslash b", "a\\b", id="textbackslash"),
        P("Wait\\ldots{} and \\dots", "Wait… and …", id="ellipsis"),
        P("\\textasciitilde 5", "~5", id="asciitilde"),
        P("\\pounds 5, \\S 3, \\P 2, \\copyright{} 2020", "£5, §3, ¶2, © 2020",
          id="pounds-section-copyright"),
        P("Open \\LaTeX{} and \\BibTeX", "Open LaTeX and BibTeX", id="logos"),
        P("co\\-operation", "cooperation", id="discretionary-hyphen"),
    ],
)
def test_escapes_and_symbols(value: str, expected: str) -> None:
    _check(value, expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        P("\\emph{In vitro} study", "In vitro study", id="emph"),
        P("\\textit{E. coli} and \\textbf{bold}", "E. coli and bold", id="textit-textbf"),
        P("\\textsc{Tron} \\textrm{r} \\textsf{s} \\texttt{t} \\textup{u}", "Tron r s t u",
          id="text-fonts"),
        P("H\\textsubscript{2}O and 1\\textsuperscript{st}", "H2O and 1st", id="text-scripts"),
        P("The pagenumber of \\mbox{$k$-trees}", "The pagenumber of k-trees", id="mbox-math"),
        P("See \\url{https://example.org/~a_b%20c}", "See https://example.org/~a_b%20c",
          id="url-verbatim"),
        P("\\href{https://doi.org/10.1/x}{The paper}", "The paper", id="href-keeps-text"),
        P("\\mkbibemph{x} \\mkbibquote{y} \\enquote{z}", "x y z", id="biblatex-wrappers"),
        P("\\uppercase{a} \\lowercase{B} \\MakeUppercase{c} \\NoCaseChange{DNA}", "a B c DNA",
          id="case-commands"),
        P("\\protect\\emph{x}\\relax{} y", "x y", id="protect-relax"),
        P("{\\em Lancet}", "Lancet", id="old-em"),
        P("Fast Algorithms for the {\\sc Tron} Game", "Fast Algorithms for the Tron Game",
          id="old-sc"),
        P("Beyond {{\\it NP}}-Completeness", "Beyond NP-Completeness", id="old-it-double-braced"),
        P("{\\bf Bold} and {\\rm roman}", "Bold and roman", id="old-bf-rm"),
        P("\\foo{bar}", "bar", id="unknown-command-keeps-argument"),
        P("\\nocite{key} text", "key text", id="nocite-like"),
        P("\\frob{a}{b} c", "ab c", id="unknown-two-arguments"),
    ],
)
def test_formatting(value: str, expected: str) -> None:
    _check(value, expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        P("{{Double}} braces", "Double braces", id="double-braces"),
        P("{{COVID-19}} forecasting", "COVID-19 forecasting", id="covid-protected"),
        P("The {DNA} of {T}utte's theorem", "The DNA of Tutte's theorem", id="case-protection"),
        P("{{PLOS Computational Biology}}", "PLOS Computational Biology", id="journal-braced"),
    ],
)
def test_braces(value: str, expected: str) -> None:
    _check(value, expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        P("$\\beta$-lactam", "β-lactam", id="beta-lactam"),
        P("$\\beta$-cell function", "β-cell function", id="beta-cell"),
        P("$\\alpha$-synuclein", "α-synuclein", id="alpha-synuclein"),
        P("CO$_2$ emissions", "CO₂ emissions", id="subscript-digit"),
        P("0.2\\,mm$^2$ size", "0.2 mm² size", id="superscript-digit"),
        P("$x^{10}$ and $H_{2}O$", "x¹⁰ and H₂O", id="braced-scripts"),
        P("Ca$^{2+}$ and SO$_4^{2-}$", "Ca²⁺ and SO₄²⁻", id="ion-charges"),
        P("few {$P_4$}'s", "few P₄'s", id="braced-math"),
        P("{$K_{3,3}$}-free", "K_3,3-free", id="unmappable-subscript-content"),
        P("faster than $2^n$", "faster than 2^n", id="unmappable-superscript-content"),
        P("$\\Gamma \\Delta \\Omega$", "Γ Δ Ω", id="greek-capitals"),
        P("$\\mu$J and $\\lambda$-coloring", "μJ and λ-coloring", id="greek-small"),
        P("$\\pm$0.1 and $3 \\times 3$", "±0.1 and 3 × 3", id="pm-times"),
        P("$p \\leq 0.05$, $n \\geq 10$", "p ≤ 0.05, n ≥ 10", id="leq-geq"),
        P("$a \\le b \\ge c \\neq d \\approx e$", "a ≤ b ≥ c ≠ d ≈ e", id="relations"),
        P("$n \\to \\infty$ and $a \\rightarrow b$", "n → ∞ and a → b", id="arrows"),
        P("$a \\cdot b$, $\\sim$5", "a · b, ~5", id="cdot-sim"),
        P("37$^\\circ$C", "37°C", id="degree-circ"),
        P("$\\mathrm{IC}_{50}$ values", "IC₅₀ values", id="mathrm-wrapper"),
        P("$\\mathbf{x}$, $\\mathit{y}$, $\\mathcal{O}$", "x, y, O", id="font-wrappers"),
        P("$\\text{for all } n$", "for all n", id="text-wrapper"),
        P("$\\operatorname{argmax}_x$", "argmax_x", id="operatorname"),
        P("An {$O(n \\log n)$} algorithm", "An O(n log n) algorithm", id="log-operator"),
        P("pagenumber {$O(\\sqrt{E})$}", "pagenumber O(√E)", id="sqrt"),
        P("\\(\\alpha\\)-helix", "α-helix", id="paren-math"),
        P("$$E = mc^2$$", "E = mc²", id="display-math"),
        P("$\\bar{x}$ and $\\hat{p}$", "x̄ and p̂", id="math-accents"),
        P("$a--b$", "a--b", id="no-dash-ligature-in-math"),
    ],
)
def test_math(value: str, expected: str) -> None:
    _check(value, expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        P("A plain ASCII title: with punctuation!", "A plain ASCII title: with punctuation!",
          id="plain-ascii"),
        P("  Spaces \n and\tnewlines\r\n  everywhere  ", "Spaces and newlines everywhere",
          id="whitespace-collapsed"),
        P(" \n\t ", "", id="only-whitespace"),
        P("", "", id="empty"),
        P("Müller", "Müller", id="decoded-unicode-idempotent"),
        P("Mu\u0308ller", "Müller", id="decomposed-unicode-nfc"),
        P("50% of cases", "50% of cases", id="unescaped-percent-kept"),
        P("A {\\em title}\n  over {two}\n  lines", "A title over two lines", id="multiline-field"),
    ],
)
def test_plain_text(value: str, expected: str) -> None:
    _check(value, expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        P("{Broken", "Broken", id="unclosed-brace"),
        P("Broken}", "Broken", id="stray-closing-brace"),
        P("{a}}}{b", "ab", id="mixed-unbalanced"),
        P("trailing\\", "trailing", id="trailing-backslash"),
        P("\\", "", id="only-backslash"),
        P('trailing accent\\"', "trailing accent¨", id="trailing-accent"),
        P("\\c", "", id="letter-accent-without-argument"),
        P("$unclosed math", "unclosed math", id="unclosed-math"),
        P("$a $b$ c$", "a b c", id="nested-dollars"),
        P("$x^$", "x", id="script-without-argument"),
        P("\\(a \\[b\\) c", "a b c", id="mismatched-math-delimiters"),
        P("\\url{unclosed", "unclosed", id="unclosed-verbatim"),
        P("\\href", "", id="href-without-arguments"),
        P("\\emph{x", "x", id="unclosed-argument"),
    ],
)
def test_malformed_input_is_decoded_best_effort(value: str, expected: str) -> None:
    _check(value, expected)


@pytest.mark.parametrize(
    "value",
    [
        P("{" * 5000 + "deep" + "}" * 5000, id="very-deep-nesting"),
        P("\\'" * 3000 + "e", id="long-accent-chain"),
        P("$" * 101, id="many-dollars"),
        P("\\\\\\\\\\", id="backslash-run"),
        P("\ud800 lone surrogate \\'e", id="lone-surrogate"),
        P("\x00\x1f\\\x00{\x7f}", id="control-characters"),
        P("^_^_$^_^$", id="scripts-everywhere"),
        P("}" * 50 + "{" * 50, id="inverted-braces"),
    ],
)
def test_never_raises(value: str) -> None:
    result = decode_latex(value)
    assert isinstance(result, str)
    assert result == " ".join(result.split())
    assert unicodedata.is_normalized("NFC", result)


def test_deep_nesting_keeps_the_words() -> None:
    assert decode_latex("{" * 5000 + "deep" + "}" * 5000) == "deep"


def test_decoding_is_idempotent_on_its_output() -> None:
    values = ['{M{\\"u}ller}, J{\\"o}rg', "Erd{\\H{o}}s", "$\\beta$-lactam", "pages 10--20"]
    for value in values:
        once = decode_latex(value)
        assert decode_latex(once) == once


def test_plain_strings_skip_the_tokenizer(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(text: str) -> None:
        raise AssertionError("tokenizer used on plain text")

    monkeypatch.setattr(latex, "_Decoder", boom)
    assert decode_latex("  Plain  title - with dash 'and' quotes ") == (
        "Plain title - with dash 'and' quotes")


def test_module_uses_only_the_standard_library() -> None:
    tree = ast.parse(Path(latex.__file__).read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree)
                if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module}
    assert imported <= set(sys.stdlib_module_names)
