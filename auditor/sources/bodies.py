"""Bodies as authors: "World Health Organization", "Lancet Breastfeeding Series Group",
"Organisation mondiale de la Santé" — told from a person's name and from a title's first
words, in English and in French (which capitalises only a body's first word)."""

from __future__ import annotations

import re

# Words an organisation's name may hold in lower case ("Department of Health and Social Care").
_ORG_WORDS = {"of", "and", "for", "the", "on", "in", "de", "du", "des", "la", "le", "et", "&",
              "to", "at", "y", "und", "für"}
ORG_KEYWORD = re.compile(
    r"\b(?:Organi[sz]ation|Academy|Association|Society|College|Committee|Section|Department|"
    r"Institute|Cent(?:re|er)s?|Council|Foundation|Ministry|Agency|Group|Task Force|Network|"
    r"Collaboration|Consortium|Investigators|Service|Board|UNICEF|WHO|NICE|NHS)\b")
# A French body's name, capitalised on its first word only ("Organisation mondiale de la
# Santé", "Société française de pédiatrie", "Santé publique France").
FRENCH_BODY = re.compile(
    r"^(?:Organisation|Soci[ée]t[ée]|Coll[èe]ge|Minist[èe]re|Agence|Haute? Autorit[ée]|"
    r"Haut Conseil|Association|F[ée]d[ée]ration|Institut|Direction|Conseil|Acad[ée]mie|Caisse|"
    r"Centre|Observatoire|Fondation|R[ée]seau|Union|Comit[ée]|Commission|Coordination|"
    r"Fonds|Programme|Bureau|Office|Groupe|Collectif|Ordre|Conf[ée]rence|Initiative|"
    r"Sant[ée] publique France|Assurance [Mm]aladie)\b(?:[ \-'’][\w'’\-]+){0,11}$")


def is_organisation(words: list[str], most: int = 10) -> bool:
    """`World Health Organization`, `UNICEF UK`, `U.S. Department of Health and Human
    Services`: capitalised words and a few small ones, ten words at most (twenty for a name
    that says it is a body: "The Task Force on … and the Committee on Fetus and Newborn")."""
    return 0 < len(words) <= most and words[0][:1].isupper() and all(
        w.lstrip("(")[:1].isupper() or w.lower() in _ORG_WORDS or w[:1].isdigit() for w in words)


def names_someone(author: str) -> bool:
    """An author read as a person ("Victora, CG") or as a body that says it is one ("World
    Health Organization", "Organisation mondiale de la Santé"), not a capitalised word."""
    return "," in author or bool(ORG_KEYWORD.search(author) or FRENCH_BODY.match(author))
