"""A labelled set of health citation strings, made for the project: real breastfeeding,
perinatal and paediatric references (the records below, typed from the articles' own pages),
each written in the styles health bibliographies use — Vancouver, AMA, APA 7, Harvard, BMC,
Chicago, and two French habits (NOMS EN CAPITALES; ISO 690 "vol. 12, n° 3, p. 45-50") — with
the slips real lists have (authors cut with "et al.", an issue left out, en-dash or short
page ranges, a DOI or PMID after the citation, "[Internet]", a line-break hyphen).

The gold of each string is what it says: its title, first author's family name, year,
container (as written: abbreviated or not), volume, issue and first page.

    from health_citations import labelled_strings
    for text, gold in labelled_strings(): ...
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from auditor.sources.citations.styles import short_range  # 475-490 → 475-90


@dataclass(frozen=True)
class Record:
    authors: tuple[tuple[str, str], ...]  # (family, initials without dots)
    year: int
    title: str
    journal: str  # full name
    abbrev: str  # NLM abbreviation
    volume: str | None
    issue: str | None
    pages: str  # "475-490", "e827-e841", "CD003517"
    doi: str | None = None
    pmid: str | None = None
    french: bool = False


def R(authors: str, year: int, title: str, journal: str, abbrev: str, volume: str | None,
      issue: str | None, pages: str, doi: str | None = None, pmid: str | None = None,
      french: bool = False) -> Record:
    names = tuple(tuple(a.rsplit(" ", 1)) for a in authors.split(", "))
    return Record(names, year, title, journal, abbrev, volume, issue, pages, doi, pmid, french)  # type: ignore[arg-type]


RECORDS = [
    R("Victora CG, Bahl R, Barros AJD, França GVA, Horton S, Krasevec J, Murch S, Sankar MJ, "
      "Walker N, Rollins NC", 2016, "Breastfeeding in the 21st century: epidemiology, "
      "mechanisms, and lifelong effect", "The Lancet", "Lancet", "387", "10017", "475-490",
      "10.1016/S0140-6736(15)01024-7", "26869575"),
    R("Rollins NC, Bhandari N, Hajeebhoy N, Horton S, Lutter CK, Martines JC, Piwoz EG, "
      "Richter LM, Victora CG", 2016, "Why invest, and what it will take to improve "
      "breastfeeding practices?", "The Lancet", "Lancet", "387", "10017", "491-504",
      "10.1016/S0140-6736(15)01044-2"),
    R("Kramer MS, Chalmers B, Hodnett ED, Sevkovskaya Z, Dzikovich I, Shapiro S, Collet JP",
      2001, "Promotion of Breastfeeding Intervention Trial (PROBIT): a randomized trial in the "
      "Republic of Belarus", "JAMA", "JAMA", "285", "4", "413-420", "10.1001/jama.285.4.413",
      "11242425"),
    R("Kramer MS, Kakuma R", 2012, "Optimal duration of exclusive breastfeeding",
      "Cochrane Database of Systematic Reviews", "Cochrane Database Syst Rev", "2012", "8",
      "CD003517", "10.1002/14651858.CD003517.pub2"),
    R("Moore ER, Bergman N, Anderson GC, Medley N", 2016, "Early skin-to-skin contact for "
      "mothers and their healthy newborn infants", "Cochrane Database of Systematic Reviews",
      "Cochrane Database Syst Rev", "11", None, "CD003519", "10.1002/14651858.CD003519.pub4"),
    R("Horta BL, Loret de Mola C, Victora CG", 2015, "Long-term consequences of breastfeeding "
      "on cholesterol, obesity, systolic blood pressure and type 2 diabetes: a systematic "
      "review and meta-analysis", "Acta Paediatrica", "Acta Paediatr", "104", "467", "30-37",
      "10.1111/apa.13133"),
    R("Sankar MJ, Sinha B, Chowdhury R, Bhandari N, Taneja S, Martines J, Bahl R", 2015,
      "Optimal breastfeeding practices and infant and child mortality: a systematic review "
      "and meta-analysis", "Acta Paediatrica", "Acta Paediatr", "104", "467", "3-13",
      "10.1111/apa.13147"),
    R("Chowdhury R, Sinha B, Sankar MJ, Taneja S, Bhandari N, Rollins N, Bahl R, Martines J",
      2015, "Breastfeeding and maternal health outcomes: a systematic review and "
      "meta-analysis", "Acta Paediatrica", "Acta Paediatr", "104", "467", "96-113",
      "10.1111/apa.13102"),
    R("Hauck FR, Thompson JMD, Tanabe KO, Moon RY, Vennemann MM", 2011, "Breastfeeding and "
      "reduced risk of sudden infant death syndrome: a meta-analysis", "Pediatrics",
      "Pediatrics", "128", "1", "103-110", "10.1542/peds.2010-3000", "21669892"),
    R("Meek JY, Noble L", 2022, "Policy statement: breastfeeding and the use of human milk",
      "Pediatrics", "Pediatrics", "150", "1", "e2022057988", "10.1542/peds.2022-057988"),
    R("Brown A", 2016, "What do women really want? Lessons for breastfeeding promotion and "
      "education", "Breastfeeding Medicine", "Breastfeed Med", "11", "3", "102-110",
      "10.1089/bfm.2015.0175"),
    R("Pérez-Escamilla R, Martinez JL, Segura-Pérez S", 2016, "Impact of the Baby-friendly "
      "Hospital Initiative on breastfeeding and child health outcomes: a systematic review",
      "Maternal & Child Nutrition", "Matern Child Nutr", "12", "3", "402-417",
      "10.1111/mcn.12294"),
    R("Kellams A, Harrel C, Omage S, Gregory C, Rosen-Carole C", 2017, "ABM Clinical Protocol "
      "#3: supplementary feedings in the healthy term breastfed neonate, revised 2017",
      "Breastfeeding Medicine", "Breastfeed Med", "12", "3", "188-198",
      "10.1089/bfm.2017.29038.ajk"),
    R("Balogun OO, O'Sullivan EJ, McFadden A, Ota E, Gavine A, Garner CD, Renfrew MJ, "
      "MacGillivray S", 2016, "Interventions for promoting the initiation of breastfeeding",
      "Cochrane Database of Systematic Reviews", "Cochrane Database Syst Rev", "11", None,
      "CD001688", "10.1002/14651858.CD001688.pub3"),
    R("McFadden A, Gavine A, Renfrew MJ, Wade A, Buchanan P, Taylor JL, Veitch E, Rennie AM, "
      "Crowther SA, Neiman S, MacGillivray S", 2017, "Support for healthy breastfeeding "
      "mothers with healthy term babies", "Cochrane Database of Systematic Reviews",
      "Cochrane Database Syst Rev", "2", None, "CD001141"),
    R("Dennis CL, McQueen K", 2009, "The relationship between infant-feeding outcomes and "
      "postpartum depression: a qualitative systematic review", "Pediatrics", "Pediatrics",
      "123", "4", "e736-e751", "10.1542/peds.2008-1629"),
    R("Dewey KG, Nommsen-Rivers LA, Heinig MJ, Cohen RJ", 2003, "Risk factors for suboptimal "
      "infant breastfeeding behavior, delayed onset of lactation, and excess neonatal weight "
      "loss", "Pediatrics", "Pediatrics", "112", "3", "607-619", "10.1542/peds.112.3.607"),
    R("Odom EC, Li R, Scanlon KS, Perrine CG, Grummer-Strawn L", 2013, "Reasons for earlier "
      "than desired cessation of breastfeeding", "Pediatrics", "Pediatrics", "131", "3",
      "e726-e732", "10.1542/peds.2012-1295"),
    R("Bartick M, Reinhold A", 2010, "The burden of suboptimal breastfeeding in the United "
      "States: a pediatric cost analysis", "Pediatrics", "Pediatrics", "125", "5",
      "e1048-e1056", "10.1542/peds.2009-1616"),
    R("Wambach K, Campbell SH, Gill SL, Dodgson JE, Abiona TC, Heinig MJ", 2005, "Clinical "
      "lactation practice: 20 years of evidence", "Journal of Human Lactation", "J Hum Lact",
      "21", "3", "245-258", "10.1177/0890334405279001"),
    R("Lucas A, Cole TJ", 1990, "Breast milk and neonatal necrotising enterocolitis",
      "The Lancet", "Lancet", "336", "8730", "1519-1523"),
    R("Quigley M, Embleton ND, McGuire W", 2019, "Formula versus donor breast milk for feeding "
      "preterm or low birth weight infants", "Cochrane Database of Systematic Reviews",
      "Cochrane Database Syst Rev", "7", None, "CD002971", "10.1002/14651858.CD002971.pub5"),
    R("Nommsen-Rivers LA, Chantry CJ, Peerson JM, Cohen RJ, Dewey KG", 2010, "Delayed onset "
      "of lactogenesis among first-time mothers is related to maternal obesity and factors "
      "associated with ineffective breastfeeding", "The American Journal of Clinical "
      "Nutrition", "Am J Clin Nutr", "92", "3", "574-584", "10.3945/ajcn.2010.29192"),
    R("Amir LH, Donath S", 2007, "A systematic review of maternal obesity and breastfeeding "
      "intention, initiation and duration", "BMC Pregnancy and Childbirth",
      "BMC Pregnancy Childbirth", "7", None, "9", "10.1186/1471-2393-7-9"),
    R("Thompson JF, Roberts CL, Currie M, Ellwood DA", 2002, "Prevalence and persistence of "
      "health problems after childbirth: associations with parity and method of birth",
      "Birth", "Birth", "29", "2", "83-94"),
    R("Geddes DT", 2007, "Inside the lactating breast: the latest anatomy research",
      "Journal of Midwifery & Women's Health", "J Midwifery Womens Health", "52", "6",
      "556-563", "10.1016/j.jmwh.2007.05.004"),
    R("Ramsay DT, Kent JC, Hartmann RL, Hartmann PE", 2005, "Anatomy of the lactating human "
      "breast redefined with ultrasound imaging", "Journal of Anatomy", "J Anat", "206", "6",
      "525-534", "10.1111/j.1469-7580.2005.00417.x"),
    R("Kent JC, Mitoulas LR, Cregan MD, Ramsay DT, Doherty DA, Hartmann PE", 2006, "Volume and "
      "frequency of breastfeedings and fat content of breast milk throughout the day",
      "Pediatrics", "Pediatrics", "117", "3", "e387-e395", "10.1542/peds.2005-1417"),
    R("Bergman NJ, Linley LL, Fawcus SR", 2004, "Randomized controlled trial of skin-to-skin "
      "contact from birth versus conventional incubator for physiological stabilization in "
      "1200- to 2199-gram newborns", "Acta Paediatrica", "Acta Paediatr", "93", "6",
      "779-785"),
    R("Jaafar SH, Ho JJ, Lee KS", 2016, "Rooming-in for new mother and infant versus separate "
      "care for increasing the duration of breastfeeding", "Cochrane Database of Systematic "
      "Reviews", "Cochrane Database Syst Rev", "8", None, "CD006641"),
    R("Howard CR, Howard FM, Lanphear B, Eberly S, deBlieck EA, Oakes D, Lawrence RA", 2003,
      "Randomized clinical trial of pacifier use and bottle-feeding or cupfeeding and their "
      "effect on breastfeeding", "Pediatrics", "Pediatrics", "111", "3", "511-518"),
    R("Flaherman VJ, Schaefer EW, Kuzniewicz MW, Li SX, Walsh EM, Paul IM", 2015, "Early "
      "weight loss nomograms for exclusively breastfed newborns", "Pediatrics", "Pediatrics",
      "135", "1", "e16-e23", "10.1542/peds.2014-1532"),
    R("Wight N, Marinelli KA", 2014, "ABM clinical protocol #1: guidelines for blood glucose "
      "monitoring and treatment of hypoglycemia in term and late-preterm neonates, revised "
      "2014", "Breastfeeding Medicine", "Breastfeed Med", "9", "4", "173-179",
      "10.1089/bfm.2014.9986"),
    R("Li R, Fein SB, Chen J, Grummer-Strawn LM", 2008, "Why mothers stop breastfeeding: "
      "mothers' self-reported reasons for stopping during the first year", "Pediatrics",
      "Pediatrics", "122", "Suppl 2", "S69-S76", "10.1542/peds.2008-1315i"),
    R("Colombo L, Crippa BL, Consonni D, Bettinelli ME, Agosti V, Mangino G, Bezze EN, "
      "Mauri PA, Zanotta L, Roggero P, Plevani L, Bertoli D, Giannì ML, Mosca F", 2018,
      "Breastfeeding determinants in healthy term newborns", "Nutrients", "Nutrients", "10",
      "1", "48", "10.3390/nu10010048"),
    R("Walters DD, Phan LTH, Mathisen R", 2019, "The cost of not breastfeeding: global results "
      "from a new tool", "Health Policy and Planning", "Health Policy Plan", "34", "6",
      "407-417", "10.1093/heapol/czz050"),
    R("Patnode CD, Henninger ML, Senger CA, Perdue LA, Whitlock EP", 2016, "Primary care "
      "interventions to support breastfeeding: updated evidence report and systematic review "
      "for the US Preventive Services Task Force", "JAMA", "JAMA", "316", "16", "1694-1705",
      "10.1001/jama.2016.8882"),
    R("Feldman-Winter L, Goldsmith JP", 2016, "Safe sleep and skin-to-skin care in the "
      "neonatal period for healthy term newborns", "Pediatrics", "Pediatrics", "138", "3",
      "e20161889", "10.1542/peds.2016-1889"),
    R("Lumbiganon P, Martis R, Laopaiboon M, Festin MR, Ho JJ, Hakimi M", 2016, "Antenatal "
      "breastfeeding education for increasing breastfeeding duration", "Cochrane Database of "
      "Systematic Reviews", "Cochrane Database Syst Rev", "12", None, "CD006425"),
    R("Wagner S, Kersuzan C, Gojard S, Tichit C, Nicklaus S, Geay B, Humeau P, Thierry X, "
      "Charles MA, Lioret S, de Lauzon-Guillain B", 2015, "Durée de l'allaitement en France "
      "selon les caractéristiques des parents et de la naissance. Résultats de l'étude "
      "longitudinale française Elfe, 2011", "Bulletin épidémiologique hebdomadaire",
      "Bull Epidémiol Hebd", None, "29", "522-532", french=True),
    R("Turck D, Vidailhet M, Bocquet A, Bresson JL, Briend A, Chouraqui JP, Darmaun D, "
      "Dupont C, Frelut ML, Girardet JP, Goulet O, Hankard R, Rieu D, Simeoni U", 2013,
      "Allaitement maternel : les bénéfices pour la santé de l'enfant et de sa mère",
      "Archives de Pédiatrie", "Arch Pediatr", "20", "Suppl 2", "S29-S48",
      "10.1016/S0929-693X(13)72251-6", french=True),
    R("Salanave B, de Launay C, Boudet-Berquier J, Castetbon K", 2014, "Durée de l'allaitement "
      "maternel en France (Épifane 2012-2013)", "Bulletin épidémiologique hebdomadaire",
      "Bull Epidémiol Hebd", None, "27", "450-457", french=True),
    R("Branger B, Dinot-Mariau L, Lemoine N, Godon N, Merot E, Brossier JP, Winer N, Philippe "
      "HJ, Roze JC", 2012, "Durée de l'allaitement maternel et facteurs de risque d'arrêt",
      "Journal de Gynécologie Obstétrique et Biologie de la Reproduction",
      "J Gynecol Obstet Biol Reprod", "41", "6", "528-537", french=True),
    R("Gremmo-Féger G", 2013, "Actualisation des recommandations pour la pratique clinique "
      "de l'allaitement maternel", "Gynécologie Obstétrique & Fertilité",
      "Gynecol Obstet Fertil", "41", "3", "176-185", "10.1016/j.gyobfe.2013.01.010",
      french=True),
    R("Hassiotou F, Geddes DT, Hartmann PE", 2013, "Cells in human milk: state of the science",
      "Journal of Human Lactation", "J Hum Lact", "29", "2", "171-182",
      "10.1177/0890334413477242"),
    R("Ballard O, Morrow AL", 2013, "Human milk composition: nutrients and bioactive factors",
      "Pediatric Clinics of North America", "Pediatr Clin North Am", "60", "1", "49-74",
      "10.1016/j.pcl.2012.10.002"),
]

_DASH = "–"


def _initials(given: str, dots: bool, space: bool = True) -> str:
    letters = [c for c in given if c.isupper()]
    if not dots:
        return "".join(letters)
    return (" " if space else "").join(f"{c}." for c in letters)


def _names(r: Record, limit: int, etal: str = "et al.") -> tuple[list[tuple[str, str]], bool]:
    if len(r.authors) > limit:
        return list(r.authors[:max(limit - 3, 1) if limit > 3 else limit]), True
    return list(r.authors), False


def vancouver(r: Record, rng: random.Random) -> str:
    names, cut = _names(r, 6)
    authors = ", ".join(f"{f} {g}" for f, g in names) + (", et al." if cut else ".")
    numbers = f"{r.volume or ''}" + (f"({r.issue})" if r.issue and rng.random() < 0.85 else "")
    pages = short_range(r.pages)
    text = f"{authors} {r.title}. {r.abbrev}. {r.year};{numbers}:{pages}."
    if r.doi and rng.random() < 0.4:
        text += f" doi: {r.doi}"
    if r.pmid and rng.random() < 0.5:
        text += f" PMID: {r.pmid}."
    return text


def ama(r: Record, rng: random.Random) -> str:
    names, cut = _names(r, 6)
    authors = ", ".join(f"{f} {g}" for f, g in names) + (", et al." if cut else ".")
    numbers = f"{r.volume or ''}" + (f"({r.issue})" if r.issue else "")
    text = f"{authors} {r.title}. {r.abbrev}. {r.year};{numbers}:{r.pages}."
    if r.doi:
        text += f" doi:{r.doi}"
    return text


def _sentence_case(title: str) -> str:
    return title[:1].upper() + title[1:]


def apa(r: Record, rng: random.Random) -> str:
    names = [f"{f}, {_initials(g, True)}" for f, g in r.authors[:20]]
    authors = names[0] if len(names) == 1 else ", ".join(names[:-1]) + ", & " + names[-1]
    numbers = f"{r.volume}" + (f"({r.issue})" if r.issue else "") if r.volume else (
        f"({r.issue})" if r.issue else "")
    pages = r.pages.replace("-", _DASH)
    title = re.sub(r": (\w)", lambda m: ": " + m.group(1).upper(), r.title)
    text = f"{authors} ({r.year}). {title}. {r.journal}, {numbers}, {pages}."
    if r.doi:
        text += f" https://doi.org/{r.doi}"
    return text


def harvard(r: Record, rng: random.Random) -> str:
    names = [f"{f}, {_initials(g, True, space=False)}" for f, g in r.authors]
    if len(names) > 3:
        authors = f"{names[0]} et al."
    else:
        authors = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    numbers = f"{r.volume or ''}" + (f"({r.issue})" if r.issue else "")
    pages = r.pages.replace("-", _DASH)
    return (f"{authors} ({r.year}) '{r.title}', {r.journal}, {numbers}, "
            f"{'pp.' if '-' in r.pages else 'p.'} {pages}.")


def bmc(r: Record, rng: random.Random) -> str:
    names, cut = _names(r, 10)
    authors = ", ".join(f"{f} {g}" for f, g in names) + (", et al" if cut else "")
    numbers = f"{r.volume or ''}" + (f"({r.issue})" if r.issue and rng.random() < 0.5 else "")
    return f"{authors}: {r.title}. {r.abbrev} {r.year}, {numbers}:{r.pages}."


def chicago(r: Record, rng: random.Random) -> str:
    first_family, first_given = r.authors[0]
    rest = [f"{_initials(g, True)} {f}" for f, g in r.authors[1:6]]
    authors = f"{first_family}, {_initials(first_given, True)}"
    if rest:
        authors += ", " + ", ".join(rest[:-1]) + (", and " if len(rest) > 1 else " and ") + rest[-1]
    numbers = f"{r.volume or ''}" + (f", no. {r.issue}" if r.issue else "")
    pages = r.pages.replace("-", _DASH)
    return f"{authors}. {r.year}. “{r.title}.” {r.journal} {numbers}: {pages}."


def french_capitals(r: Record, rng: random.Random) -> str:
    names, cut = _names(r, 3)
    authors = ", ".join(f"{f.upper()} {g}" for f, g in names) + (" et al." if cut else ".")
    numbers = f"{r.volume or ''}" + (f" ({r.issue})" if r.issue else "")
    return f"{authors} {r.title}. {r.abbrev}. {r.year} ; {numbers} : {short_range(r.pages)}."


def french_iso690(r: Record, rng: random.Random) -> str:
    names = [f"{f.upper()}, {_initials(g, True, space=False)}" for f, g in r.authors[:3]]
    authors = ", ".join(names) + (", et al." if len(r.authors) > 3 else ".")
    parts = [f"{authors} {r.title}. {r.journal}, {r.year}"]
    if r.volume:
        parts.append(f"vol. {r.volume}")
    if r.issue:
        parts.append(f"n° {r.issue}")
    parts.append(f"p. {r.pages}")
    return ", ".join(parts) + "."


STYLES = {"vancouver": vancouver, "ama": ama, "apa": apa, "harvard": harvard, "bmc": bmc,
          "chicago": chicago, "french-capitals": french_capitals, "french-iso690": french_iso690}


def _gold(r: Record, style: str) -> dict[str, str | int | None]:
    full = style in ("apa", "harvard", "chicago", "french-iso690")
    return {"title": r.title, "first_author": r.authors[0][0], "year": r.year,
            "container": r.journal if full else r.abbrev, "volume": r.volume,
            "first_page": re.split(r"[-–]", r.pages)[0]}


def _slips(text: str, rng: random.Random) -> str:
    """What a PDF or a hurried copy does to a string, once in a while."""
    if rng.random() < 0.08:
        words = text.split(" ")
        i = rng.randrange(len(words) // 3, len(words))
        w = words[i]
        if len(w) > 7 and w.isalpha():
            words[i] = f"{w[:4]}- {w[4:]}"  # a line-break hyphen left in
        text = " ".join(words)
    if rng.random() < 0.05:
        text = text.replace(" ", "  ", 1)
    return text


def labelled_strings(seed: int = 13) -> list[tuple[str, str, dict]]:
    """(style, string, gold) for every record in every style."""
    rng = random.Random(seed)
    out = []
    for r in RECORDS:
        for style, write in STYLES.items():
            text = _slips(write(r, rng), rng)
            out.append((style, text, _gold(r, style)))
    return out
