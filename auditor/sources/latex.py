"""LaTeX in BibTeX field values (titles, names, journals) → plain Unicode text.

A small hand-written tokenizer and recursive-descent decoder. pylatexenc (what bibtexparser's
LatexDecodingMiddleware uses) is general but far too slow for thousands of fields, and .bib
values only use a small, well-known subset of LaTeX. Standard library only; never raises.
"""

import re
import unicodedata

__all__ = ["decode_latex"]


def _pairs(spec: str) -> dict[str, str]:
    """'name value name value …' → dict; keeps the symbol tables short and readable."""
    words = spec.split()
    return dict(zip(words[::2], words[1::2], strict=True))


# Strings with none of these are plain text already: the fast path skips the tokenizer.
_SPECIAL_RE = re.compile(r"[\\{}~$]|--|``|''")
# A control word, control symbol or lone trailing backslash; a ligature; a special
# character; or a run of ordinary text. Together the alternatives cover every character.
_TOKEN_RE = re.compile(r"\\(?:[A-Za-z]+|.|\Z)|---|--|``|''|\$\$|[{}$~^_`'-]|[^\\{}$~^_`'-]+", re.S)
# Last resort when decoding fails (absurdly deep nesting): drop the markup, keep the words.
_FALLBACK_RE = re.compile(r"\\[A-Za-z]+|\\.?|[{}$]", re.S)

# Accent commands → Unicode combining marks; NFC later composes "u" + U+0308 into "ü".
_ACCENTS = {
    '"': "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303", "=": "\u0304",
    ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b", "r": "\u030a", "c": "\u0327",
    "k": "\u0328", "d": "\u0323", "b": "\u0331", "t": "\u0361",
    # math-mode accents
    "hat": "\u0302", "check": "\u030c", "tilde": "\u0303", "acute": "\u0301",
    "grave": "\u0300", "dot": "\u0307", "ddot": "\u0308", "breve": "\u0306", "bar": "\u0304",
    "vec": "\u20d7", "widehat": "\u0302", "widetilde": "\u0303",
}
# What an accent with an empty argument (`\~{}`) stands for.
_SPACING = {'"': "¨", "'": "´", "`": "`", "^": "^", "~": "~", "=": "¯", ".": "˙"}
# Accents go on the dotted letter: `\'{\i}` is "í", not "ı́".
_DOTLESS = {"ı": "i", "ȷ": "j"}

# Letter commands; as in TeX the space after a control word goes (`Stra\ss e` is "Straße").
_LETTERS = _pairs("""
    ss ß SS SS o ø O Ø ae æ AE Æ oe œ OE Œ aa å AA Å l ł L Ł i ı j ȷ
    dh ð DH Ð th þ TH Þ ng ŋ NG Ŋ dj đ DJ Đ
""")

# Symbols, text and math; in math mode the source spacing around them is kept (`n \times n`).
_SYMBOLS = {
    "": "", "&": "&", "%": "%", "$": "$", "#": "#", "_": "_", "{": "{", "}": "}",
    " ": " ", "\n": " ", "\t": " ", "\\": " ", ",": " ", ";": " ", ":": " ", ">": " ",
    "!": "", "/": "", "-": "", "@": "", ")": "", "]": "", "|": "‖",
    **_pairs("""
    textendash – textemdash — textquoteright ’ textquoteleft ‘ textquotedblleft “
    textquotedblright ” textregistered ® texttrademark ™ textdegree ° textmu µ
    textbackslash \\ ldots … dots … textellipsis … textasciitilde ~ textasciicircum ^
    pounds £ textsterling £ S § P ¶ copyright © textcopyright © textsection § textparagraph ¶
    textbullet • textperiodcentered · dag † ddag ‡ textdagger † textdaggerdbl ‡ euro €
    texteuro € textless < textgreater > textbar | textunderscore _ textquotesingle '
    textquotedbl " guillemotleft « guillemotright » guilsinglleft ‹ guilsinglright ›
    textexclamdown ¡ textquestiondown ¿ LaTeX LaTeX TeX TeX BibTeX BibTeX
    alpha α beta β gamma γ delta δ epsilon ε varepsilon ε zeta ζ eta η theta θ vartheta ϑ
    iota ι kappa κ lambda λ mu μ nu ν xi ξ pi π varpi ϖ rho ρ varrho ϱ sigma σ varsigma ς
    tau τ upsilon υ phi φ varphi φ chi χ psi ψ omega ω Gamma Γ Delta Δ Theta Θ Lambda Λ
    Xi Ξ Pi Π Sigma Σ Upsilon Υ Phi Φ Psi Ψ Omega Ω
    pm ± mp ∓ times × div ÷ cdot · ast ∗ star ⋆ bullet • leq ≤ le ≤ geq ≥ ge ≥ neq ≠ ne ≠
    approx ≈ sim ~ simeq ≃ cong ≅ equiv ≡ propto ∝ ll ≪ gg ≫ infty ∞ to → rightarrow →
    leftarrow ← gets ← Rightarrow ⇒ Leftarrow ⇐ leftrightarrow ↔ Leftrightarrow ⇔ mapsto ↦
    longrightarrow → uparrow ↑ downarrow ↓ circ ° degree ° partial ∂ nabla ∇ sum ∑ prod ∏
    int ∫ oint ∮ sqrt √ surd √ in ∈ notin ∉ ni ∋ subset ⊂ subseteq ⊆ supset ⊃ supseteq ⊇
    cup ∪ cap ∩ setminus ∖ forall ∀ exists ∃ emptyset ∅ varnothing ∅ ell ℓ hbar ħ aleph ℵ
    prime ′ langle ⟨ rangle ⟩ lceil ⌈ rceil ⌉ lfloor ⌊ rfloor ⌋ mid | vert | Vert ‖
    cdots ⋯ vdots ⋮ ddots ⋱ perp ⊥ parallel ∥ angle ∠ neg ¬ lnot ¬ land ∧ wedge ∧ lor ∨
    vee ∨ oplus ⊕ otimes ⊗ odot ⊙ dagger † ddagger ‡ colon : lbrace { rbrace } backslash \\
    log log ln ln exp exp sin sin cos cos tan tan max max min min lim lim det det dim dim
    deg deg arg arg inf inf sup sup gcd gcd Pr Pr
    """),
}
_SYMBOLS.update(quad=" ", qquad=" ", enspace=" ", thinspace=" ", space=" ", nobreakspace=" ")

# Commands whose argument is verbatim (no `~` → space), kept; `\href`'s is dropped.
_VERBATIM = {"url", "path", "nolinkurl"}

_TEXT_LIGATURES = {"~": " ", "---": "—", "--": "–", "``": "“", "''": "”"}
_MATH_LIGATURES = {"~": " "}
_SUP = dict(zip("0123456789+-=()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾", strict=True))
_SUB = dict(zip("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎", strict=True))
_MATH_OPEN = {"(": "\\)", "[": "\\]"}


class _Decoder:
    """Recursive descent over the token list; `i` is the next token to read."""

    __slots__ = ("i", "toks")

    def __init__(self, text: str) -> None:
        self.toks: list[str] = _TOKEN_RE.findall(text)
        self.i = 0

    def seq(self, stop: str | None, math: bool) -> str:
        """Decode tokens up to `stop` (or the end: unbalanced input is simply closed)."""
        out: list[str] = []
        toks = self.toks
        ligatures = _MATH_LIGATURES if math else _TEXT_LIGATURES
        while self.i < len(toks):
            tok = toks[self.i]
            self.i += 1
            if tok == stop:
                break
            if tok[0] == "\\":
                out.append(self.command(tok[1:], math))
            elif tok == "{":
                out.append(self.seq("}", math))
            elif tok == "}":
                continue  # a stray closing brace: drop it
            elif tok in ("$", "$$"):
                out.append(self.seq(tok, True))
            elif math and tok in ("^", "_"):
                body = self.arg(math)
                table = _SUP if tok == "^" else _SUB
                ok = body and all(ch in table for ch in body)
                if ok:
                    out.append("".join(table[ch] for ch in body))
                else:  # keep the marker so `2^n` does not read as `2n`; a degree sign needs none
                    out.append(body if not body or body in "°′″" else tok + body)
            else:
                out.append(ligatures.get(tok, tok))
        return "".join(out)

    def command(self, name: str, math: bool) -> str:
        """One control sequence, with whatever argument it consumes."""
        symbol = _SYMBOLS.get(name)
        if symbol is not None:
            if not math and name.isalpha():
                self.skip_space()  # as TeX: `\textendash 2000`; in math keep `n \times n`
            return symbol
        if name in _MATH_OPEN:
            return self.seq(_MATH_OPEN[name], True)
        if not name.isalpha():
            return self.accent(name, math) if name in _ACCENTS else name
        self.skip_space()
        if name in _ACCENTS:
            return self.accent(name, math)
        letter = _LETTERS.get(name)
        if letter is not None:
            return letter
        if name in _VERBATIM:
            return self.verbatim()
        if name == "href":
            self.verbatim()  # the URL; the link text follows as an ordinary group
        # Formatting (\emph, \textbf, \mathrm…), declarations ({\em x}) and unknown commands:
        # drop the name; the braced arguments that follow are decoded as ordinary groups.
        return ""

    def accent(self, name: str, math: bool) -> str:
        """Put the combining mark after the first character of the argument."""
        body = self.arg(math).lstrip()
        if not body:
            return _SPACING.get(name, "")
        end = 1  # after the base letter and any marks it already has (`\'{\"u}`)
        while end < len(body) and unicodedata.combining(body[end]):
            end += 1
        return _DOTLESS.get(body[0], body[0]) + body[1:end] + _ACCENTS[name] + body[end:]

    def arg(self, math: bool) -> str:
        """A macro argument: a braced group, one command, or one character."""
        self.skip_space()
        toks = self.toks
        if self.i >= len(toks):
            return ""
        tok = toks[self.i]
        if tok in ("}", "$", "$$"):
            return ""
        self.i += 1
        if tok == "{":
            return self.seq("}", math)
        if tok[0] == "\\":
            return self.command(tok[1:], math)
        if len(tok) > 1:  # leave the rest of the text run for later
            self.i -= 1
            toks[self.i] = tok[1:]
        return tok[0]

    def verbatim(self) -> str:
        """A braced argument taken as written (URLs keep their `~`, `_` and `%`)."""
        self.skip_space()
        toks = self.toks
        if self.i >= len(toks) or toks[self.i] != "{":
            return ""
        start, depth = self.i + 1, 0
        while self.i < len(toks):
            tok = toks[self.i]
            self.i += 1
            depth += (tok == "{") - (tok == "}")
            if depth == 0:
                return "".join(toks[start : self.i - 1])
        return "".join(toks[start:])

    def skip_space(self) -> None:
        """TeX ignores spaces after a control word and before an argument."""
        if self.i < len(self.toks):
            tok = self.toks[self.i]
            if tok[0].isspace():
                rest = tok.lstrip()
                if rest:
                    self.toks[self.i] = rest
                else:
                    self.i += 1


def decode_latex(text: str) -> str:
    """Plain, NFC-normalised Unicode with single spaces; best effort, never raises."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    if _SPECIAL_RE.search(text) is not None:
        try:
            text = _Decoder(text).seq(None, False)
        except Exception:  # e.g. RecursionError on thousands of nested braces
            text = _FALLBACK_RE.sub("", text)
    return unicodedata.normalize("NFC", " ".join(text.split()))
