"""The figure ledger: every figure a stored sentence states, what it counts, and its value.

At ingest (:func:`put`, called by :meth:`index.store.Store.put_report`) each sentence's
quantities (:func:`index.figures.find_quantities` spans) are recorded in the ``figures``
table with

- the *measure*: what the number counts, normalised so that "people died", "killed" and
  "death toll" all meet as ``dead`` (likewise ``missing``, ``displaced``, ``evacuated``,
  ``rescued``, ``injured``, ``aboard``, ``arrested`` ...); a number with no such word is
  measured by its unit noun (``tonnes``, ``dlrs``, ``shelters``);
- the value as written (``at least 12,000``, ``Nine``, ``10-12``), its number (a range's
  midpoint) and, for ranges, both ends;
- its role: ``level`` (the figure itself), ``change`` (``rose 1.2 billion dlrs``),
  ``prior`` (``up from 9``, ``vs 21 cts``, ``the previous week's level``: a figure of
  another time quoted for comparison), ``forecast`` (``they expect ... two billion dlrs``),
  ``part`` (``22, including four children``), ``total`` (``3,600 crossed on Friday,
  bringing the total to 17,800``: a running total of what the day's figure counts) or
  ``whole`` (the 14 of ``six of its 14 hospitals``: what the figure before is part of);
- whether the sentence corrects an earlier figure (``revised the number ... to 14,500``).

Report dates and sources are not copied: queries join ``reports`` (a figure's date is the
report's own date as it gave it, so its day is the report's day), so a new version of a
report is seen at once. The table is rebuilt from the stored sentences when :data:`SCHEME`
changes (:meth:`index.backends.base.ReportStore.rebuild_ledger`, run when the store opens;
``briefbot ledger --rebuild``).
"""

from __future__ import annotations

import functools
import itertools
import logging
import re
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from index.dbapi import Connection
from index.figures import (
    CURRENCY_WORDS,
    QUANTITY,
    RATIO,
    SENTENCE_STARTERS,
    WORD_NUMBERS,
    parse_number,
)

log = logging.getLogger(__name__)

QueryFn = Callable[[str, Sequence[object]], list[tuple[object, ...]]]

# 41-49: a figure before a word a month's name begins ("30 million marks", "declined 12
# percent") is one; a figure of an earlier event ("in 2029, in which 61 people died") none of
# this one's; basis points a rate's change; "that figure had fallen to 141,000" the figure
# before's level; "lists 185 people as missing" missing; "restored to all but 38,000" an
# outage; "which stood at 618,000 ..., rose to 624,000" its prior and level; "had been 9.4
# percent in August" a prior; rain in millimetres; a ransom a demand;
# 40: no figure in a time of day ("at 05:00 on Friday");
# 39: "two dozen ships" 24 ships, not two and a dozen;
# 38: "bringing the total since the protests began to 41" a total of the figure before (the
# protests only date it), "have left hospital" discharged;
# 37: "That brings the total to 9,450" counts no "brings";
# 36: passengers "brought home" are people, not the flights that did it; debts a sum of their
# own; no spill in kilometres;
# 35: "13 on Pimsa" a part of a list that splits a figure by place, "supply had been cut to"
# an outage, "brought 3,900 stranded passengers home" returned, "ordered about 1,400
# residents to leave" evacuated, "Correction: A report on Friday said 380 millimetres" prior,
# a damage estimate a sum of its own, "the total since the strike began to 6,550" a total,
# "That brings the three-day total to 9,450" the total of the sentence before's figure;
# 34: compensation (a payout) a sum of its own, "saved at least forty lives" rescued, "one body
# had been counted twice" a change, "later revised that figure to 45" the figure before's;
# 33: "of whom three are divers" (medics, volunteers, paramedics) a part;
# 32: "seriously hurt" in a critical condition, "a tremor above magnitude 6 could not be ruled
# out" a forecast, "15 percent, down from 18 percent" and "magnitude 6.8, up from an initial
# reading of 6.4" priors of the level's measure, "demanding a pay rise of 18 percent" a demand,
# "420 lev" a sum, "890 million lev in the first year and 2.1 billion lev over two years" two
# costs;
# 31: "18.4 per dollar" an exchange rate, "14 crew", reserves; "Drevnik has lost 86 people"
# its dead, "the gymnasium, where four people died" a part, "from last week's earthquake" no
# other period, "of whom eight are firefighters", "Of the dead, five were children" and,
# after a sentence giving 17 injured, "Of the 17, 12 are firefighters": parts of the people
# counted;
# 30: "will reduce its strength to around 500 firefighters" a plan; 29: "rose by 151 to 498" a
# change and a level, "an increase of 151" a change; 28: "19 injured, among them 13 firefighters":
# 13 a part of the injured; 27: an earlier event's figures none, "45 percent uncontained" none, "a
# third suspect has been arrested" three; 26: speeds in km/h or mph, not kilometres; 25: losses a
# measure; 24: "10 percent of its affected systems" a share of systems; 23: "the cost of the
# attack, which it now estimates at 23 million euros" a cost, "zero percent"; 22: "raised its pay
# offer to striking teachers to 6%" an offer; 21: sums in the world's currencies ("45 million
# lev"), stakes;
# 17: "The last person missing ... was found", "A second person has died", the first death;
# 16: what a wreck spilled ("the spill ... estimated at 210 tonnes"), "value" a deal's;
# 15: animals no people ("5,200 dead fish"), in hospital and in intensive care apart,
# costs, "asking for" a demand and "demanding a 14 percent pay rise" no change, a clause of
# "to 8.5 percent" read with the one before, "joined the walkout" striking, "like this one"
# none, "No one is now listed as missing" none left, at anchor waiting;
# 14: sums by what they are (withdrawn, a loan, a guarantee, pledged, deposits) and a flow's
# running total apart from each day's, magnitudes (an aftershock's apart), "Six hundred and
# twenty" one figure, a correction only of the clause that says so;
# 12: "bringing the total to 17,800" a running total (role "total"), "case count" cases,
# "in 2019, when 27 people died" none, capacities ("room for 10,000 people"), margins ("by
# 188 votes"), "and Quell with 48,402" the votes, "six of its 14 hospitals" six (14 the whole),
# 13: power cuts and power restored, "walked out" striking, "higher than the 2.5 metres"
# prior, "at 7 a.m." none, wind speeds, trapped, "brought to the surface" rescued, "5K" none;
# 11: "a 71-year-old man" no figure, "bringing the toll to three" the level, containment,
# "$43.50" in dollars, offers, values and prices, "6 percent to $38.70" no range, "no one"
# none, "three of the injured" a part, "listed as missing", in shelters, rates, inflation,
# exchange rates, deficits, no lengths of time, no distance or sum as people; 8:
# "3\u00a0000" one figure; 7: "the queue of ships, which had grown to 52": waiting; 6:
# "... to 24 after two were found dead": two is no level; 5: not the "ten" of "tents"; 4:
# "4-3/4 pct" whole, "2 months ago" none
SCHEME = "ledger-49"

SCHEMA = """
CREATE TABLE IF NOT EXISTS figures(
    id INTEGER PRIMARY KEY,
    sentence_id INTEGER NOT NULL REFERENCES sentences(id) ON DELETE CASCADE,
    report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    measure TEXT NOT NULL,
    unit TEXT NOT NULL,
    value TEXT NOT NULL,
    number REAL NOT NULL,
    low REAL,
    high REAL,
    role TEXT NOT NULL,
    correction INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS figures_measure ON figures(measure, role);
CREATE INDEX IF NOT EXISTS figures_sentence ON figures(sentence_id);
CREATE INDEX IF NOT EXISTS figures_report ON figures(report_id);
"""

# What a figure counts: the words that name it, normalised.
MEASURE_WORDS: dict[str, str] = {
    "dead": "dead", "died": "dead", "die": "dead", "dies": "dead", "killed": "dead",
    "killing": "dead", "death": "dead", "deaths": "dead", "toll": "dead",
    "fatalities": "dead", "perished": "dead", "drowned": "dead", "lives": "dead",
    "missing": "missing", "unaccounted": "missing",
    "displaced": "displaced", "homeless": "displaced", "uprooted": "displaced",
    "evacuated": "evacuated", "evacuees": "evacuated", "evacuation": "evacuated",
    "evacuations": "evacuated",
    "rescued": "rescued", "saved": "rescued",
    "injured": "injured", "wounded": "injured", "hurt": "injured", "injuries": "injured",
    "aboard": "aboard",
    "arrested": "arrested", "detained": "arrested", "arrests": "arrested",
    "striking": "striking", "strike": "striking",
    "waiting": "waiting", "queue": "waiting",
    "treated": "treated", "discharged": "discharged", "critical": "critical",
    "cases": "cases", "infections": "cases", "infected": "cases", "sick": "cases",
    "ill": "cases", "illnesses": "cases",
    "recovered": "recovered", "recoveries": "recovered",
    "turnout": "turnout",
    "gathered": "gathered", "rallied": "gathered", "marched": "gathered",
    "protested": "gathered", "demonstrated": "gathered", "attended": "gathered",
    "contained": "contained", "containment": "contained", "sheltered": "sheltered",
    "alive": "rescued",
    "offer": "offer", "offers": "offer", "offered": "offer", "offering": "offer",
    "bid": "offer", "bids": "offer", "bidding": "offer",
    "valuing": "value", "values": "value", "valued": "value", "worth": "value", "value": "value",
    "valuation": "value", "margin": "margin", "capacity": "capacity",
    "demand": "demand", "demands": "demand", "demanding": "demand", "demanded": "demand",
    "ransom": "demand",  # what kidnappers or hackers demand
    "destroyed": "destroyed", "damaged": "damaged",
    "cost": "cost", "costs": "cost", "costing": "cost",
    # a bank's or a company's losses ("raised its estimate of losses to 2.6 billion reals")
    "loss": "losses", "losses": "losses",
    # what a wreck or a plant lets out, not its cargo (the noun "spill" names only the
    # event: "the compensation for the spill"; its estimate is a phrase)
    "spilled": "spilled", "spilt": "spilled", "leaked": "spilled", "leaking": "spilled",
    "escaped": "spilled",
    # sums of money by what they are: a bank run's withdrawals, a loan, a guarantee, pledges
    "withdrew": "withdrawn", "withdrawn": "withdrawn", "withdrawals": "withdrawn",
    "withdrawal": "withdrawn", "outflows": "withdrawn", "drained": "withdrawn",
    "loan": "loan", "guaranteed": "guarantee", "guarantee": "guarantee", "insured": "guarantee",
    "pledged": "pledged", "pledge": "pledged", "pledges": "pledged", "pledging": "pledged",
    "donated": "pledged", "deposits": "deposits",
    "magnitude": "magnitude", "reserves": "reserves",
    "compensation": "compensation", "payout": "compensation", "payouts": "compensation",
    # what a company owes ("its debts total about $780 million", "liabilities of $1 billion")
    "debt": "debt", "debts": "debt", "liabilities": "debt",
}
# Phrases first (they contain words that mean something else alone).
MEASURE_PHRASES: tuple[tuple[re.Pattern[str], str], ...] = (
    # a shareholder's part of a company ("raised its stake to 14.2 percent")
    (re.compile(r"\bstakes?\b|\bshareholdings?\b|(?<!-)\bowns?\b|(?<!-)\bowned\b"), "stake"),
    # (the figure between splits the phrase: "ordered about 1,400 residents to leave their
    # homes" is read by its words after the figure)
    (re.compile(r"\b(?:ordered|told|forced) to (?:leave|evacuate|flee)\b|"
                r"^\s*(?:[a-z-]+\s+)?to (?:evacuate|flee|leave(?:\s*[.,;]?\s*$|\s+(?:their|his|her|"
                r"the)\s+(?:homes?|houses?|area|town|city|village|zone|island|district)\b))"),
     "evacuated"),
    (re.compile(r"\bleft (?:their|his|her) homes?\b|\bfled (?:their|his|her) homes?\b"),
     "displaced"),
    (re.compile(r"\bon board\b"), "aboard"),
    # what a storm or a blast cost, in money ("raised the damage estimate to $610 million")
    (re.compile(r"\bdamages? (?:estimates?|bill|costs?|assessments?)\b|\b(?:estimates?|cost|bill) "
                r"of (?:the )?damage\b|\btotal damage\b|\bdamage from\b"), "damage"),
    (re.compile(r"\bat anchor\b|\banchored\b"), "waiting"),  # ships queued outside a port
    (re.compile(r"\bin (?:\w+ )?(?:shelters|camps|tents)\b|\bsheltering\b"), "sheltered"),
    (re.compile(r"\bpulled (?:\w+ ){0,4}alive\b|\bsurvivors\b"), "rescued"),
    # "Eleven miners were brought to the surface", "The last 20 miners trapped ... were lifted
    # to the surface": rescued (the clause's verb, not the trapped before it)
    (re.compile(r"(?:\btrapped\b[^.,;]{0,60})?\b(?:were|was|have been|had been|has been)\s+"
                r"(?:\w+\s+)?(?:lifted|brought|pulled|hoisted|winched|freed|rescued|"
                r"evacuated)\s+(?:out|up|free|to (?:the )?(?:surface|safety))\b|"
                r"\bbrought to (?:the )?surface\b"), "rescued"),
    # "had now brought 3,900 stranded passengers home": no longer stranded
    (re.compile(r"\b(?:brought|brings|bringing|flown|flew|flying|carried|carrying|returned|"
                r"repatriated)\s+(?:[\w,-]+\s+){0,4}?home\b|\brepatriated\b|"
                r"^\s*(?:[a-z-]+\s+)?home\b"), "returned"),  # "carrying 540 passengers home"
    (re.compile(r"\btrapped\b|\bstranded\b(?!\s+(?:[\w-]+\s+){0,2}home\b)|"
                r"\b(?:stuck|waiting|still|remain(?:ed|s|ing)?) (?:abroad|overseas)\b|"
                r"\b(?:remain(?:ed|s)?|still|are|were|had been|have been)\s+underground\b"),
     "trapped"),
    (re.compile(r"\bbod(?:y|ies)\b"), "dead"),  # "six bodies had been recovered": no recovery
    (re.compile(r"\b(?:estimate|size) of the (?:oil )?spill\b|\bspill (?:estimate|size)\b|"
                r"\bspill\b[^,.;]{0,40}\bestimated\b"), "spilled"),
    # "A magnitude 5.4 aftershock": the aftershock's, not the quake's (not "200 aftershocks")
    (re.compile(r"\baftershock\b"), "aftershock"),
    # "The bank has drawn 1.2 billion dollars of the ... loan": what it used of it
    (re.compile(r"\b(?:has|have|had|was|were) (?:been |now |already )?drawn(?: down)?\b|"
                r"\bdrew down\b"),
     "drawn"),
    # "agreed to buy Thessary for 640 million dollars": what the deal values it at (an
    # offer "to buy" stays an offer)
    (re.compile(r"(?<!offered to )(?<!offering to )(?<!offers to )(?<!offer to )(?<!bid to )"
                r"\b(?:buy|buys|buying|bought|acquire|acquires|acquiring|acquired|"
                r"purchase)\b"), "value"),
    # a central bank's rate, prices' rise, a currency's level
    (re.compile(r"\binterest rates?\b|\b(?:benchmark|policy|key|lending|base|discount|"
                r"prime) rates?\b"), "rate"),
    # core inflation (without energy and food) beside the headline rate
    (re.compile(r"\bcore (?:inflation|consumer prices|prices)\b"), "core inflation"),
    (re.compile(r"\binflation\b|\bconsumer prices\b"), "inflation"),
    (re.compile(r"\bdeficits?\b"), "deficit"),
    (re.compile(r"\b(?:to the|against the|per) (?:u\.?s\.? )?dollar\b|\bexchange rate\b|"
                # "crown rate now": a currency's rate
                rf"\b(?:{'|'.join(CURRENCY_WORDS)}) rate\b"), "exchange"),
    (re.compile(r"\bdeath toll\b|\bnumber of (?:dead|deaths|victims)\b"), "dead"),
    # those in intensive care apart from all in hospital, and those apart from the injured
    (re.compile(r"\bin intensive care\b|\bin (?:the )?icu\b|\bcritical care\b"), "icu"),
    (re.compile(r"\bin (?:a )?(?:critical|serious|grave) condition\b|\b(?:critically|seriously|"
                r"badly|gravely) (?:ill|injured|hurt|wounded)\b"), "critical"),
    # those who "have left hospital", asked "how many are out of hospital"
    (re.compile(r"\b(?:left|leave|leaving|out of|released from|discharged from) (?:the )?"
                r"hospitals?\b"), "discharged"),
    (re.compile(r"\b(?:treated |being treated |remain(?:ed|s)? |still )?in (?:the )?hospital\b|"
                r"\bhospitali[sz]ed\b|\b(?:taken|admitted|rushed|flown|airlifted) to "
                r"(?:a |the )?hospitals?\b"), "hospitalised"),
    (re.compile(r"\basking for\b"), "demand"),
    (re.compile(r"\bcase (?:count|numbers?|totals?|tally|load)\b|\bcaseloads?\b|"
                r"\b(?:fallen|fell|falls?|taken|become|became|been|gotten|got) (?:ill|sick)\b|"
                r"\bsickened\b|\billness(?:es)?\b"), "cases"),
    # a storm's power cuts, and the supply brought back ("restored power to 47,000")
    (re.compile(r"\b(?:without|w/o) (?:power|electricity)\b|\blost (?:power|electricity)\b|"
                r"\b(?:power|electricity|supply) (?:had been |has been |was |were |have been )?"
                r"cut\b|"
                r"\bpower (?:cuts?|outages?)\b|\boutages?\b|\bin the dark\b"), "outage"),
    (re.compile(r"\b(?:restored|restoring|restore|reconnected) (?:power|electricity|service|"
                r"supply|supplies)\b|\b(?:power|electricity|service) (?:was |were |had been |"
                r"has been |have been )?(?:restored|back)\b|\bpower restored\b"), "restored"),
    (re.compile(r"\bwalked (?:out|off the job)\b|\bon strike\b|\b(?:joined|joining|join) "
                r"(?:the |a )?(?:walkout|strike)\b"), "striking"),
    (re.compile(r"\bwind ?speeds?\b|\bwinds\b|\bgusts?\b|\bgusting\b"), "wind"),
    (re.compile(r"\b(?:share|stock|closing|opening) price\b|\bshares? (?:rose|fell|closed|"
                r"jumped|climbed|dropped|slipped|gained|traded|ended|opened|stood)\b|"
                r"\b(?:closed|traded|trading|opened|ended) (?:\w+ ){0,3}at\b"), "price"),
)
#: the measures the ledger names by words of their own (any other is a unit's: "tonnes")
NAMED_MEASURES = frozenset({*MEASURE_WORDS.values(), *(m for _, m in MEASURE_PHRASES)})
#: measures of a sum of money: a figure in no currency beside their words is of its own unit
#: ("a premium of 27 percent" to the offer, "1.5 mln shares" offered)
MONEY_MEASURES = frozenset({"offer", "value", "price", "withdrawn", "loan", "guarantee",
                            "pledged", "deposits", "drawn", "cost", "losses", "compensation",
                            "damage", "debt"})
#: sums that are someone's: whose offer, pledge or loan, which company's share price
#: (a bank run's withdrawals or deposits are the story's own)
OWNED_MEASURES = frozenset({"offer", "value", "price", "pledged", "loan"})
#: sums that flow in day by day, whose running total ("bringing the total withdrawn since
#: Tuesday to 1.51 billion dollars") is another series than each day's
FLOW_MEASURES = frozenset({"withdrawn", "pledged"})
#: the unit a currency sign writes ("$43.50": dlrs)
CURRENCY_SIGNS = {"$": "dlrs", "€": "euros", "£": "pounds", "¥": "yen"}
CURRENCIES = frozenset({*CURRENCY_SIGNS.values(), "cts", *CURRENCY_WORDS.values()})
#: units that count people whatever befell them
_PEOPLE_UNITS = frozenset("bodies patients persons victims".split())
PEOPLE_MEASURES = frozenset("dead missing displaced evacuated rescued injured aboard arrested "
                            "treated cases recovered gathered sheltered trapped hospitalised "
                            "icu critical discharged returned".split())
#: units naming a kind of people, whose count a report may give as "people" ("1,900 people
#: crossed on Wednesday" of refugees)
PEOPLE_KINDS = frozenset("""refugees migrants residents passengers workers miners nurses doctors
patients students protesters demonstrators soldiers troops civilians children adults voters
tourists pilgrims villagers evacuees strikers employees prisoners detainees hostages fans
spectators families households fighters rebels militants combatants insurgents crew""".split())
#: measures that count some of the same people: the treated are cases, or the injured
AKIN: dict[str, frozenset[str]] = {
    "cases": frozenset({"treated", "hospitalised", "icu", "critical"}),
    "injured": frozenset({"treated", "hospitalised", "icu", "critical", "discharged"})}
UNIT_ALIASES = {"dollars": "dlrs", "dlr": "dlrs", "tons": "tonnes", "tonne": "tonnes",
                "kilometre": "kilometres", "kilometer": "kilometres", "kilometers": "kilometres",
                "km": "kilometres", "kms": "kilometres", "mile": "miles", "metre": "metres",
                "meter": "metres", "meters": "metres",
                # rain and snow in millimetres, a crack in centimetres
                "mm": "millimetres", "millimetre": "millimetres", "millimeter": "millimetres",
                "millimeters": "millimetres", "cm": "centimetres", "centimetre": "centimetres",
                "centimeter": "centimetres", "centimeters": "centimetres",
                "crown": "crowns",
                "ton": "tonnes", "percent": "pct", "%": "pct", "per": "pct", "euro": "euros",
                "bodies": "bodies",
                **{w: unit for w, unit in CURRENCY_WORDS.items() if w != unit}}

_STOP_AFTER = frozenset("of the a an and or to in on at by for was were is are had have has "
                        "said says after before from with as since than this that who which "
                        "would will could may been be".split())
# ("listed as missing", "reported as dead": an "as" that ends no clause)
_CLAUSE = re.compile(r"[,;:]|\band\b|\bbut\b|\bwhile\b|\bafter\b|(?<!listed )(?<!reported )"
                     r"(?<!counted )(?<!registered )(?<!classified )(?<!confirmed )\bas\b|"
                     r"\bwhen\b|\bwhereas\b")
_PLURAL_NOUNS = frozenset("people children staff personnel police cattle livestock aircraft fish "
                          "sheep deer poultry crew".split())
_YEAR = re.compile(r"(?:in\s+)?(1[5-9]|20)\d\d")
_CHANGE_OF_BEFORE = re.compile(r"\b(?:an?\s+)?(?:increase|rise|jump|drop|fall|decline|"
                               r"decrease)\s+of\s*$", re.I)
#: right before a figure, what makes it the size of a change ("rose 4 pct", "by 75 cts")
CHANGE_BEFORE = re.compile(
    r"\b(?:rose|rise|rises|risen|fell|fall|falls|fallen|increased|decreased|declined|climbed|"
    r"gained|dropped|jumped|grew|shrank|up|down|by|added|lost|plunged|soared|slipped|"
    # "an increase of 151 in a single day"
    r"(?:an?\s+)?(?:increase|rise|jump|drop|fall|decline|decrease)\s+of)\s*$",
    re.I)
#: a figure's move after the figure before: "..., rose to an estimated 624,000"
_MOVED_TO = re.compile(r",\s*(?:has\s+|had\s+|have\s+)?(?:rose|risen|fell|fallen|grew|grown|"
                       r"climbed|jumped|dropped|increased|decreased|declined)\s+to\s+(?:an?\s+)?"
                       r"(?:estimated\s+)?$", re.I)
#: "..., which stood at 618,000": what a figure was before it moved
_STOOD_AT = re.compile(r"\b(?:which|that)\s+(?:had\s+)?(?:stood|was)\s+(?:at\s+)?$", re.I)
#: "Annual inflation had been 9.4 percent in August": an earlier month's figure
_HAD_BEEN = re.compile(r"\bhad\s+been\s+$", re.I)
_PRIOR_BEFORE = re.compile(r"\b(?:from(?: an?| the)?(?: earlier| initial| first| previous| "
                           r"original)?(?: (?:reading|estimate|figure|count|tally|level) of)?|"
                           r"vs|versus|against|compared with|compared to|"
                           r"previously|earlier|prior|(?:higher|lower|greater|bigger|smaller) "
                           r"than(?: the| an?)?(?: earlier| initial| first| previous)?)\s*$",
                           re.I)
#: a clause on a place before the figure: ", where four people died" (not ", where the death
#: toll rose to 149": the toll)
_WHERE_BEFORE = re.compile(r",\s*where\s+(?![^,;]*\b(?:toll|total|number|tally|count)\b)"
                           r"[^,;]*$", re.I)
#: lives saved ("had saved 'at least forty lives'"): no dead
_SAVED_BEFORE = re.compile(r"\bsav(?:e|ed|es|ing)\s+[\"“']?\s*$", re.I)
#: "one body had been counted twice": a count's error, no level
_TWICE_AFTER = re.compile(r"\s+(?:[\w-]+\s+){0,2}(?:had been |has been |was |were |been )?"
                          r"(?:counted twice|double[- ]counted)\b", re.I)
#: a place that "has lost 86 people" (or "70 residents"): its dead
_LOST_BEFORE = re.compile(r"\b(?:has|have|had)\s+(?:now\s+|already\s+|alone\s+)?lost\s+(?:(?:about|"
                          r"some|around|at least|more than|nearly|almost|over)\s+)?$", re.I)
_LOST_AFTER = re.compile(r"\s+(?:people|residents|inhabitants|villagers|lives|citizens|"
                         r"townspeople|of its (?:people|residents|inhabitants))\b", re.I)
# "The previous week's level was revised to 734.6", "the four-week moving average rose to
# 735.0": a figure of another period or series than the report's own (not an event of then:
# "The death toll from last week's earthquake has risen to 149").
_OTHER_PERIOD = re.compile(r"\b(?:previous|prior|last) (?:week|month|year|quarter)(?!['’]s\s+"
                           r"(?:\w+\s+)?(?:earthquake|quake|storm|cyclone|hurricane|typhoon|"
                           r"flood|floods|fire|wildfire|blaze|attack|explosion|blast|crash|"
                           r"sinking|disaster|eruption|collapse|landslide|avalanche|outbreak|"
                           r"shooting|bombing|derailment|spill)\b)|"
                           r"moving average|a year (?:ago|earlier)", re.I)
# "a 300 mln dlr M-1 rise": the number is the size of a change; "23 new cases": so is this.
_NEW_WORDS = r"(?:new|more|additional|further)"
_CHANGE_AFTER = re.compile(r"(?:\s+[\w-]+){0,2}?\s+(?:rise|increase|decline|fall|drop|gain|"
                           rf"jump|decrease)s?\b|\s+{_NEW_WORDS}\b", re.I)
# "The fire service will reduce its strength on the peninsula to around 500 firefighters
# from Saturday": a plan
_PLANNED = re.compile(r"\bwill\s+(?:\w+\s+){0,2}(?:reduce|cut|raise|increase|lower|bring|"
                      r"expand|scale\s+(?:back|down|up))\b[^.;]*\bto\s*$", re.I)
# "demanding a pay rise of 18 percent": the demand itself
_PAY_RISE_OF = re.compile(r"\b(?:pay|wage|wages|salary|salaries|pension)\s+(?:rise|increase|hike)"
                          r"\s+of\s*$", re.I)
# "a tremor above magnitude 6 could not be ruled out": what may come, no figure of now
_MAYBE_AFTER = re.compile(r"[^.;]{0,40}?\b(?:could|can|cannot|can't|could not|couldn't) (?:not )?"
                          r"be (?:ruled out|excluded)\b", re.I)
# "They expect the Fed to add around two billion dlrs": what someone expects, not a figure.
# ("Output is expected at 340,000 tonnes" is an estimate: a figure in its own right.)
_FORECAST = re.compile(r"\b(?:expects?|probably|likely|would|could|might|may|should|"
                       r"predict\w*|polled|targets?|targeted|targeting|goal|aims? (?:for|at)|"
                       r"forecasts?|forecasting)\b",
                       re.I)
_TO_BEFORE = re.compile(r"\bto\s*$", re.I)
# "supported by eleven aircraft": who does it, not the size of a change
_AGENT_BY = re.compile(r"\b(?:supported|backed|joined|accompanied|assisted|helped|aided|"
                       r"reinforced|staffed|manned|crewed|followed|led|attended|operated|"
                       r"owned|carried|watched|seen|visited)\s+by\s*$", re.I)
# "a 71-year-old man", "a 30-day review", "71 years old": an age or a length, no count
#: "children under five", "people over 65": an age group, no count
_AGE_GROUP_BEFORE = re.compile(r"\b(?:children|kids|people|adults|infants|babies|pupils|"
                               r"those|men|women|girls|boys|residents)\s*$", re.I)
_AGE_AFTER = re.compile(r"(?:-|\s+)(?:years?|months?|weeks?|days?|hours?|minutes?)(?:-|\s+)old\b|"
                        r"-(?:years?|months?|weeks?|days?|hours?|minutes?|storey|point)\b", re.I)
# "... bringing the death toll to three": the running total, which the clause's other
# figure of its measure ("Two firefighters were killed") adds to
_TO_TOTAL = (r"\b(?:bringing|brings|brought|taking|takes|took|pushing|pushed|raising|raised|"
             r"lifting|lifted)\b")
_TOTAL_BEFORE = re.compile(rf"{_TO_TOTAL}[^,;.]{{0,60}}\bto\s*$", re.I)
# between a part and its whole: "nine of the chain's 14", "six of its 14 hospitals"
_PART_OF_WHOLE = re.compile(r"\s+of\s+(?:the\s+|its\s+|their\s+|his\s+|her\s+)?"
                            r"(?:[\w’'-]+['’]s?\s+)?")
# "..., bringing the total to 17,800": a running total of what the clause before counts
_RUNNING_TOTAL = re.compile(rf"{_TO_TOTAL}\s+(?:(?:the|its|their)\s+)?(?:overall\s+|cumulative\s+|"
                            r"running\s+)?(?:total|tally|count|number|figure)\b[^,;.]{0,30}"
                            r"\bto\s*$", re.I)
#: what dates a running total ("the total since the strike began")
_SINCE_CLAUSE = re.compile(r"\b(?:since|from)\s+[^,;.]*", re.I)
#: a question for a capacity ("how many people can the camp hold?")
_HOLD = r"(?:hold|house|take|accommodate|shelter)"
_CAPACITY_Q = re.compile(rf"\b(?:can|could)\b[^?]*\b{_HOLD}\b", re.I)
#: a question for a running total ("how many have arrived in total?", "latest total")
_TOTAL_Q = re.compile(r"\b(?:in total|total|totals|so far|altogether|in all|all told|"
                      r"cumulative|(?:has|have) been (?:pledged|withdrawn|donated|raised|"
                      r"collected|spent|paid out))\b", re.I)
# "... 48,590 votes and Quell with 48,402": the unit left out after another's figure
_ELIDED_BEFORE = re.compile(r"\band\s+(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3}\s+"
                            r"(?:with\s+|had\s+|has\s+|took\s+|got\s+|won\s+)?$")
# a margin: "won by 188 votes", "407 votes behind"
_BY_BEFORE = re.compile(r"\bby\s+(?:just|only|a mere|some|about|nearly|almost|fewer than|"
                        r"less than|more than|over|under)?\s*$", re.I)
_BEHIND_AFTER = re.compile(r"\s*votes?\s+(?:behind|ahead)\b", re.I)
# "backed the deal by 3,120 votes to 940": the votes for, not a margin
_VOTES_TO = re.compile(r"\s*votes?\s+to\s+\d", re.I)
# "capacity for 10,000 people", "its capacity of 10,000", "can hold 500"
_CAPACITY_BEFORE = re.compile(rf"\b(?:(?:capacity|room|space|places|beds|built|designed|"
                              rf"intended|meant)\s+(?:for|of)|(?:can|able\s+to)\s+{_HOLD})\s+"
                              r"(?:up\s+to\s+|about\s+|some\s+|around\s+|nearly\s+)?$", re.I)
# "at 7 a.m.", "8 p.m.", "six o'clock": a time of day
_CLOCK_AFTER = re.compile(r"(?::\d\d)?\s*(?:[ap]\.?m\b\.?|o['’]clock\b|gmt\b|hrs\b)", re.I)
# "last saw an outbreak in 2019, when 27 people died": a figure of that year, not of now
_PAST_WHEN = re.compile(r"\b(?:in|of|during)\s+(?:1[89]|20)\d\d,?\s+(?:when|in which|during "
                        r"which)\b[^.;]*$", re.I)  # ("the Morrow Star in 2029, in which 61 died")
# "The last cholera outbreak in Sorrania, in 2019, killed 31 people", "The last major fire
# there, in 2024, burned 900 hectares": an earlier event's figure, no level of this one's
_EARLIER_EVENT = re.compile(
    r"\b(?:last|previous|earlier|former|worst|deadliest|biggest|largest)\s+(?:[\w-]+\s+){0,2}"
    r"(?:outbreak|epidemic|fire|wildfire|blaze|floods?|quake|earthquake|crash|attack|storm|"
    r"cyclone|hurricane|typhoon|eruption|disaster|strike|war|spill|collapse)\b[^.;]{0,70}?,?"
    r"\s+in\s+(?:1[89]|20)\d\d\b[^.;]*$|"
    # "..., Hurricane Teodor in 2031, killed 23 people": a named storm of a year
    r"\b(?:hurricane|cyclone|typhoon|storm)\s+[A-Z][\w-]+,?\s+in\s+(?:1[89]|20)\d\d\b[^.;]*$",
    re.I)
# "a fire that is 45 percent uncontained": what the measure is not ("unaccounted for" is
# missing)
_UN_MEASURE = re.compile(r"\s+un(?!accounted)(\w+)")
# "No one was hurt", "None of the 40 passengers": no figure of what befell them
_NONE_BEFORE = re.compile(r"\b(?:no|none\s+of\s+(?:the|its|their)?)\s*$", re.I)
# "Three of the injured were flown out": a part of a count given elsewhere
_SOME_OF = re.compile(r"\s+of\s+(?:the|those)\s+(?:injured|wounded|dead|missing|victims|"
                      r"evacuees|displaced|rescued|survivors|patients|cases|strikers)\b", re.I)
# "Evacuation orders were lifted for about 2,000 residents": those no longer counted
_UNDONE_BEFORE = re.compile(r"\b(?:lifted|rescinded|withdrawn|cancelled|canceled)\s+"
                            r"(?:for|on)\s*$", re.I)
_CORRECTION = re.compile(
    r"\b(?:revis\w*|correct(?:ed|ion|s)?|amended|adjusted|lowered (?:its|the|their) "
    r"(?:estimate|figure|count|toll|forecast|tally)|"
    r"scaled back|raised (?:its|the|their) (?:estimate|figure|count|toll)|"
    r"had (?:earlier|previously|wrongly) (?:said|reported|given)|not [\w,.]+ as (?:earlier |"
    r"previously |first )?reported)\b", re.I)
_PREMIUM = re.compile(r"\bpremium\b", re.I)
#: what a correction says the report got wrong ("An earlier version of this report said the
#: chamber was 640 metres below the surface"): the figure it withdraws
_WITHDRAWN = re.compile(r"\b(?:an? |the )?(?:earlier|previous|original) (?:version|edition) of "
                        r"(?:this|the) (?:report|story|article)\b|"
                        # "Correction: A report on Friday said 380 millimetres of rain fell"
                        r"^\s*correction\s*:\s*(?:an?|the|our)\s+(?:[\w-]+\s+){0,3}?"
                        r"(?:report|story|article)\b", re.I)
# "No one is now listed as missing", "Nobody remains trapped": a count of people that fell to
# none (what befell no one, "No one was hurt", is no count)
_NO_ONE_LEFT = re.compile(r"\b(no one|nobody)\s+(?:is|are|was|were|remains?|remained)\s+"
                          r"(?:now\s+|still\s+)?(?:listed\s+as\s+|reported\s+|believed\s+"
                          r"(?:to\s+be\s+)?)?(missing|unaccounted|trapped)\b", re.I)
# "The last person missing ... was found alive", "after finding the last of the missing"
_LAST_FOUND = re.compile(r"\b(the last (?:person|people|man|woman|child|one) (?:still )?missing)\b"
                         r"(?=[^.;]{0,60}\b(?:was|were|has been|had been)\s+(?:found|located|"
                         r"rescued|accounted for)\b)|\b(?:finding|found|located|rescued)\s+"
                         r"(the last of the missing)\b", re.I)
# "A second person has died", "the first death of the flood", "a third body was found": the
# toll by its ordinal
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
             "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10}
_NTH_DEATH = re.compile(rf"\b(?:a|the)\s+({'|'.join(_ORDINALS)})\s+(?:death|fatality|person|"
                        r"man|woman|child|worker|victim|body)\b(?![^.;]{0,60}\b(?:alive|"
                        r"survived|rescued|freed)\b)", re.I)
_DEATH_WORD = re.compile(r"\b(?:died|dies|killed|dead|death|body)\b", re.I)
# "A third suspect in the attack has been arrested": three arrested so far
_NTH_ARREST = re.compile(rf"\b(?:a|the)\s+(({'|'.join(_ORDINALS)})\s+(?:suspect|person|man|"
                         r"woman|member))\b[^.;]{0,60}?\b(?:has|had|have)\s+been\s+"
                         r"(?:arrested|detained)\b", re.I)
# "a strike like this one", "the one that": a pronoun, no count
_ONE_PRONOUN = re.compile(r"\b(?:this|that|the|which|each|every|any|another|no)\s+$", re.I)
_VAGUE = re.compile(r"\b(?:dozens|hundreds|thousands|millions|scores|tens of thousands|"
                    r"hundreds of thousands)$", re.I)
_VAGUE_OF = re.compile(r"\s+of\s+([A-Za-z-]+)")
#: animals, whose deaths are no toll of people ("5,200 dead fish")
ANIMALS = frozenset("""fish cattle livestock sheep birds animals cows pigs poultry chickens horses
deer""".split())
#: units that are things, not people: "dozens of ships" left by a strike count no strikers
_THINGS = frozenset("""ships vessels boats tankers homes houses buildings acres hectares
tonnes barrels cars vehicles trucks aircraft planes flights schools hospitals containers
kilometres kilometers km kms miles metres meters surgeries operations appointments
procedures beds meals doses tents trees roads bridges farms shops businesses jobs shelters
camps units batches""".split()) \
    | ANIMALS
#: units of distance: no spill ("the zone round the leaking tanker from 2 kilometres")
_DISTANCES = frozenset("kilometres kilometers km kms miles metres meters feet".split())
#: units of time: "a loan over three years", "a 17-hour session" are lengths, no count
_LENGTHS = frozenset("""second seconds minute minutes hour hours day days week weeks month
months year years decade decades""".split())
_ANNUAL = re.compile(r"\b(?:a year (?:earlier|ago|before)|year-on-year|annual|in the year to|"
                    r"over the year|12 months)\b", re.I)
_PCT = re.compile(r"%|\b(?:pct|percent|per cent)\b", re.I)
_RANGE_JOIN = re.compile(r"^\s*(?:-|–|—|to)\s*$")
# (a month's name, not any word it begins: "30 million marks", "declined 12 percent", "12
# mayors", "the toll of 12 may rise" are figures)
_MONTHS = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|(?-i:May|MAY)|june?|july?|"
           r"aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
#: a count "listed as missing" (the "as" ends no clause of its own)
_AS_STATE = re.compile(r"\s+(?:[a-z-]+\s+){0,2}as\s+(missing|dead|injured|displaced|evacuated)\b",
                       re.I)
#: "restored to all but 38,000 customers": those still without
_ALL_BUT = re.compile(r"\b(?:restored|reconnected)\b[^.;]{0,40}\ball but\s*$", re.I)
_BASIS_POINTS = re.compile(r"\s*(?:basis points?|bps?|bp)\b", re.I)
_MONTH_BEFORE = re.compile(rf"\b{_MONTHS}\s*$", re.I)
_MONTH_AFTER = re.compile(rf"(?:st|nd|rd|th)?\s+{_MONTHS}\b", re.I)
_SUBJECT = re.compile(r"\b(?:death toll|(?:number|count|total|toll) of (?:\w+ )?\w+)", re.I)
_COUNTED = re.compile(r"\bof\s+(?:the\s+)?([A-Za-z-]+)")


def _counted(subject: str) -> str:
    """What "the number of firefighters" counts ("firefighters"); "" when not a plural."""
    m = _COUNTED.search(subject)
    word = m.group(1).lower() if m else ""
    return UNIT_ALIASES.get(word, word) if word and _plural(word) else ""

_BETWEEN = re.compile(r"\bbetween\s*$", re.I)
_RELATIVE = re.compile(r"\s*(?:which|that|who)\b", re.I)  # a clause on the one before


@dataclass(frozen=True)
class Entry:
    """One figure of a sentence."""

    measure: str
    unit: str
    value: str
    number: float
    low: float | None = None
    high: float | None = None
    role: str = "level"   # level, change, prior, forecast, part, total or whole
    correction: bool = False
    start: int = 0


def _plural(word: str) -> bool:
    w = word.lower()
    return w in _PLURAL_NOUNS or (len(w) > 3 and w.endswith("s") and not w.endswith("ss")
                                  and w not in _TOTAL_VERBS)


#: the verbs of a running total ("That brings the total to 9,450"): no things counted
_TOTAL_VERBS = frozenset("brings takes pushes raises lifts".split())


#: any of the phrases: most clauses hold none, and one search tells
_ANY_PHRASE = re.compile("|".join(f"(?:{pat.pattern})" for pat, _ in MEASURE_PHRASES))


@functools.lru_cache(maxsize=8192)
def _measure_hits(low: str) -> tuple[tuple[int, str], ...]:
    """The measures a lower-case clause names, by offset (one figure's clause is read
    several times: its words ahead, behind, right before it)."""
    phrases = [(m.start(), m.end(), name) for pat, name in MEASURE_PHRASES
               for m in pat.finditer(low)] if _ANY_PHRASE.search(low) else []
    # a phrase inside a longer one is the longer one's ("inflation" of "core inflation")
    phrases = [p for p in phrases if not any(q[0] <= p[0] and p[1] <= q[1] and q != p
                                             for q in phrases)]
    hits: list[tuple[int, str]] = [(start, name) for start, _, name in phrases]
    for m in re.finditer(r"[a-z]+", low):  # a word inside a phrase is the phrase's ("cases"
        # of "suspected cases")
        if m.group(0) in MEASURE_WORDS and not any(a <= m.start() < b for a, b, _ in phrases):
            hits.append((m.start(), MEASURE_WORDS[m.group(0)]))
    return tuple(sorted(hits))


def _measure_in(text: str, reverse: bool = False, near: int | None = None) -> str:
    """The measure a clause names, nearest its start (or end when ``reverse``, or the
    offset ``near``)."""
    hits = _measure_hits(text.lower())
    if not hits:
        return ""
    if near is not None:
        return min(hits, key=lambda hit: abs(hit[0] - near))[1]
    return hits[-1][1] if reverse else hits[0][1]


#: the words asking the size of an area ("fire size", "acreage") and its units
_AREA_WORDS = r"size|acreage"
_AREA_Q = re.compile(rf"\bhow (?:big|large)\b|\b(?:{_AREA_WORDS}|area)\b", re.I)
AREA_UNITS = frozenset({"hectares", "acres"})
#: units of a distance or a depth ("how far has the rescue shaft got?")
LENGTH_UNITS = frozenset({"metres", "kilometres", "miles", "feet", "centimetres", "millimetres"})
_FIGURE_Q = re.compile(r"\b(?:how (?:many|much)|number of|count of|death toll|toll|estimate|figure|"
                       rf"magnitude|{_AREA_WORDS}|case (?:count|numbers?|totals?|tally|load)|"
                       r"caseloads?|margin|capacity|"
                       r"wind ?speeds?|gusts|"
                       r"total|turnout|containment|percent|per cent|percentage|vote share|"
                       r"share of the vote|in (?:tonnes|tons|dlrs|dollars|euros|barrels|"
                       r"bushels)|share price|stock price|(?:interest|exchange|benchmark|policy|"
                       r"key|lending|base) rates?|inflation|deficit|to the dollar|stakes?)\b"
                       r"|^\s*what(?:'s|\s+is|\s+was)?\b[^?]*\b(?:offer|offering|bid|worth|valued?|"
                       r"demand|demanding)\b",
                       re.I)


#: a few words that ask nothing else ("quake deaths", "ships at anchor?"): with a measure's
#: word, its figure
_KEYWORDS_ONLY = re.compile(r"\s*(?!(?:who|whom|whose|what|which|when|where|why|how|is|are|"
                            r"was|were|do|does|did|has|have|had|can|could|will|would|should)"
                            r"\b)[\w'’-]+(?:\s+[\w'’-]+){0,4}\s*\??\s*", re.I)
def _dated_only(running: str, measure: str, unit: str) -> bool:
    """Whether a running total's words (``running``: "bringing the total since the
    protests began to") name what a figure counts (``measure``, ``unit``) only in the
    clause that dates the total ("since the protests began")."""
    outside = _SINCE_CLAUSE.sub(" ", running)
    if unit and unit != measure:
        return _measure_in(running) == measure and not _measure_in(outside)
    named = re.compile(rf"\b{re.escape(measure)}\b", re.I)
    return (_measure_in(running) == measure or named.search(running) is not None) \
        and not _measure_in(outside) and named.search(outside) is None


def keywords_only(question: str) -> bool:
    """Whether ``question`` is a few words asking nothing else ("coalition seats", "captain
    flying hours"): no question word, no yes/no verb first."""
    return _KEYWORDS_ONLY.fullmatch(question) is not None


#: the event something befell, after what a "how many" question counts ("how many hospitals
#: hit by the strike")
_BY_THE_EVENT = re.compile(r"\b(?:by|during|in|since)\s+(?:the|this|a)\s+(?:strike|walkout|"
                           r"evacuation|outage)\b", re.I)
_HOW_MANY_THINGS = re.compile(r"\bhow many\s+(?!people\b|workers\b|staff\b|employees\b)"
                              r"[a-z]+s\b", re.I)
#: measure words that name the event more than a figure of it ("strike", "evacuation")
_EVENT_WORDS = frozenset({"strike", "evacuation", "evacuations", "outage", "outages", "queue",
                          "deficit", "inflation"})
#: ... and words asking for news or names, not a figure ("latest on the strike", "names of
#: the workers killed")
_NEWS_WORDS = re.compile(r"\b(?:news|update|updates|on|about|situation|names?|identities|"
                         r"identity)\b", re.I)
#: "latest offer", "current pay demand" (not "the latest on the strike": how things stand)
_NEWEST = r"\b(?:latest|newest|current)"


def is_vague(value: str) -> bool:
    """Whether a figure's value is no count ("dozens", "hundreds of thousands")."""
    return bool(_VAGUE.search(value))


def is_part_of(sentence: str, end: int, whole: int, part: str) -> bool:
    """Whether the figure ``part`` ending at ``end`` is a part of the figure starting at
    ``whole`` ("six of its 14 hospitals", "nine of the chain's 14"; not "one of only ten
    teams": one of them, whose number is the ten)."""
    return part.lower() not in ("one", "1", "only one") \
        and bool(_PART_OF_WHOLE.fullmatch(sentence, end, whole))


def capacity_before(text: str) -> bool:
    """Whether the figure after ``text`` is a capacity ("with room for", "built for")."""
    return bool(_CAPACITY_BEFORE.search(text))


#: the verbs of a change asked of a figure (a pattern): "jump", "rose", "fell"
CHANGE_VERBS = (r"ris\w*|rose|jump\w*|increas\w*|grow\w*|grew|fall\w*|fell|drop\w*|climb\w*|"
                r"declin\w*|gain\w*|slip\w*|soar\w*|plung\w*")
#: "how much did suspected cases jump on wednesday?": the size of a change asked
_CHANGE_Q = re.compile(r"\bhow (?:much|many|far)\b[^?]*?\b(?:did|has|have|had|was|were)"
                       r"(?:\s+(?!(?:when|after|as|while|since|because|before)\b)[\w'’-]+){0,5}?"
                       rf"\s+(?:{CHANGE_VERBS})\b|\bby how much\b|"
                       # "size of the second rate rise", "how big was monday's hike": a change
                       r"\b(?:(?:size|scale) of|how (?:big|large|steep|sharp) (?:was|is|were))\s+"
                       r"(?:[\w'’-]+\s+){0,3}(?:rise|hike|increase|cut|jump|drop|fall|reduction)s?\b",
                       re.I)


#: units a question may name for the figure it asks ("ransom in euros")
_NAMED_UNITS = CURRENCIES | LENGTH_UNITS | AREA_UNITS | frozenset({"tonnes", "barrels"})


def units_named(question: str) -> frozenset[str]:
    """The units ``question`` asks a sum or a measure in ("ransom in euros": euros; not the
    crown of "crown rate", what it asks about)."""
    return frozenset(UNIT_ALIASES.get(w, w) for w in re.findall(r"\bin\s+([a-z]+)",
                                                                question.lower())
                     if UNIT_ALIASES.get(w, w) in _NAMED_UNITS)


def asks_change(question: str) -> bool:
    """Whether a question asks by how much a figure changed ("how much did cases jump on
    wednesday?"), not the level it reached."""
    return _CHANGE_Q.search(question) is not None


#: "new cases in the last 24h", "how many new infections": the newly counted, which reports
#: give beside the running count ("with 119 new suspected cases in the previous 24 hours")
_NEW_Q = re.compile(r"\bnew\s+(?:(?:suspected|confirmed|probable|reported)\s+)?(?:cases|"
                    r"infections|deaths|admissions|hospitali[sz]ations|arrivals)\b|"
                    # "bodies recovered on friday": those recovered, not the toll they raise
                    r"\bbod(?:y|ies)\s+(?:were\s+)?(?:recovered|found|pulled|retrieved)\b|"
                    r"\b(?:recovered|found|pulled|retrieved)\s+(?:\w+\s+)?bodies\b", re.I)


def asks_new(question: str) -> bool:
    """Whether a question asks how many were newly counted ("new cases in the last 24h",
    "bodies recovered on friday"; not "where was the body found"), which the ledger reads as
    a change of the running count, not its level."""
    return _NEW_Q.search(question) is not None and _asks_count(question)


def _asks_count(question: str) -> bool:
    """Whether a question may ask a count: not one asking where, who, why or when."""
    return not re.match(r"\s*(?:where|who|whom|whose|why|when|which|what time)\b", question,
                        re.I)


def newly_counted(row: LedgerRow) -> bool:
    """Whether a ``change`` row counts new ones ("119 new suspected cases", "40 more cases",
    "an increase of 151"), not a revision's difference ("27 patients had been suffering
    from other infections") nor a fall."""
    v = re.escape(row.value)
    return re.search(rf"\b{v}\s+(?:[\w-]+\s+)?{_NEW_WORDS}\b|"
                     rf"\b(?:further|another|additional)\s+{v}\b|"
                     rf"\b(?:recovered|found|retrieved|pulled out)\s+{v}\s+bodies\b|"
                     rf"\b(?:increase|rise|jump)\s+of\s+{v}\b", row.sentence, re.I) is not None


def asks_total(question: str) -> bool:
    """Whether a question asks for a running total ("how many refugees in total?"), which
    the ledger keeps apart from the figures it adds up (role ``total``)."""
    return bool(_TOTAL_Q.search(question))


def asks_area(question: str) -> bool:
    """Whether a question asks the size of an area ("how big is the fire?", "fire size")."""
    return bool(_AREA_Q.search(question))


#: a question asking someone's age ("how old was the shepherd who died", "age of ...")
_AGE_Q = re.compile(r"\bhow old\b|^\s*(?:what(?:'s| is| was)?\s+(?:the\s+)?)?ages?\s+of\b",
                    re.I)


def asks_figure(question: str) -> bool:
    """Whether a question asks for a figure ("how many", "the harvest estimate in tonnes",
    "employers' latest offer": the newest of a measure; not someone's age)."""
    if _AGE_Q.search(question):
        return False
    if _SHARE_OF_Q.search(question) or asks_new(question):  # "share of ferronord systems
        return True  # restored", "new cases in the last 24h"
    named = measure_words_in(question)
    return bool(_FIGURE_Q.search(question)) or any(
        re.search(rf"{_NEWEST}\s+(?:[\w'’-]+\s+)?{re.escape(word)}\b", question, re.I)
        for word in named) or ((bool(named - _EVENT_WORDS) or _counted_and_done(question)
                                or bool(_counted_things(question))
                                or (bool(_LEVEL_WORDS.search(question))
                                    and not _NORMAL.search(question)))
                               and keywords_only(question)
                               and not _NEWS_WORDS.search(question))


#: what a few words ask the figure of ("water level at tellavi now", "gauge reading")
_LEVEL_WORDS = re.compile(r"\b(?:level|levels|reading|readings|price|prices|depth|"
                          r"height|width|length|distance|rainfall|temperature)\b", re.I)
#: ... but not of what is usual ("normal level of the river"), which does not develop
_NORMAL = re.compile(r"\b(?:normal|usual|typical|average|design|designed|record)\b", re.I)
#: things and people a few words ask to count by naming them ("green harvest seats", "aid
#: trucks", "birds under treatment")
_COUNTED_THINGS = _THINGS | PEOPLE_KINDS | frozenset(
    "seats votes ballots claims complaints applications calls".split())


def _counted_things(question: str) -> str:
    """The last word of ``question`` naming things or people that are counted, or ``""``; of
    a few words asking a total, the plural before it ("aftershocks so far", "arrests to
    date")."""
    if keywords_only(question) and (so_far := _SO_FAR_COUNT.search(question)):
        return so_far.group(1).lower()
    return next((w for w in reversed(re.findall(r"[a-z]+", question.lower()))
                 if w in _COUNTED_THINGS), "")


#: a plural, then "so far" ("aftershocks so far")
_SO_FAR_COUNT = re.compile(r"\b([a-z-]{3,}s)\s+(?:so far|to date|in total|in all)\b", re.I)


def _counted_and_done(question: str) -> bool:
    """Whether a few words name things and what befell them ("roads closed", "homes
    flooded", "livestock lost"): a count of them is asked."""
    words = re.findall(r"[a-z]+", question.lower())
    return any((a in _THINGS or a in PEOPLE_KINDS or a in _PLURAL_NOUNS)
               and (b.endswith("ed") or b in ("lost", "shut", "cut", "hit"))
               for a, b in itertools.pairwise(words))


def measure_words_in(text: str) -> set[str]:
    """The words of ``text`` that name a measure, alone or in a phrase ("exchange" and "rate"
    of "what's the exchange rate?")."""
    low = text.lower()
    words = {w for m in (pat.finditer(low) for pat, _ in MEASURE_PHRASES) for hit in m
             for w in re.findall(r"[a-z]+", hit.group(0))}
    return words | {w for w in re.findall(r"[a-z]+", low) if w in MEASURE_WORDS}


_OF_WHOLE_Q = re.compile(r"\bhow (?:much|many) of (?:the|its|their|this|that) [\w-]+(?: [\w-]+)?"
                         r"(?= (?:has|have|had|was|were|is|are|did|do|does)\b)", re.I)


#: what a percentage of no measure is of: "about 10 percent of its affected systems had been
#: restored" (the things, in the plural; not "5 percent of the vote" nor "of GDP")
_PCT_OF = re.compile(r"\s+of\s+(?:the\s+|its\s+|their\s+|his\s+|her\s+)?"
                     r"(?:[\w-]+['’]s\s+)?(?:[a-z-]+\s+){0,2}?([a-z]{3,}s)\b(?!['’])")
#: "share of ferronord systems restored", "what percentage of schools are closed": a
#: percentage of the things named (see :data:`_PCT_OF`)
_SHARE_OF_Q = re.compile(r"\b(?:share|percent(?:age)?|proportion|pct|portion)\s+of\s+(?:the\s+|"
                         r"its\s+|their\s+)?(?:[\w'’-]+\s+){0,2}?([a-z]{3,}s)\b(?!['’])", re.I)


#: what a figure is given for ("per death", "per share"), no measure asked
_PER_THING = re.compile(r"\bper\s+(?!cent\b)(?:each\s+)?[\w-]+", re.I)
#: where people asked of are ("how many survivors still in hospital")
_STATES = ("hospitalised", "icu", "critical", "discharged")


def question_measure(question: str) -> str:
    """What a question asks to count: ``how many people died`` → ``dead``; ``how many ships``
    → ``ships``; ``""`` when it does not say."""
    if _AGE_Q.search(question):  # "how old was the shepherd who died": an age, no toll
        return ""
    # "compensation per death": what is paid, not the deaths it is paid for
    question = _PER_THING.sub(" ", question)
    # "how many hospitals hit by the strike": the strike is the event, the hospitals counted
    question = _BY_THE_EVENT.sub(" ", question) if _HOW_MANY_THINGS.search(question) \
        else question
    # "how many fish died?", "fish deaths": fish, not the dead (a count of people)
    if animal := next((w for w in re.findall(r"[a-z]+", question.lower()) if w in ANIMALS), ""):
        return animal
    if share := _SHARE_OF_Q.search(question):  # "share of ferronord systems restored"
        return f"share of {share.group(1).lower()}"
    # "how much of the loan has been drawn?": what is asked of the whole comes after it
    of_whole = _OF_WHOLE_Q.search(question)
    # "deposits insured up to how much?": the measure nearest what is asked
    how = re.search(r"\bhow (?:many|much)\b", question, re.I)
    # ... and of a few words asking nothing else, the last ("rival bid value": the value)
    last = how is None and keywords_only(question)
    measure = (of_whole and _measure_in(question[of_whole.end():])) \
        or _measure_in(question, reverse=last, near=how.start() if how else None)
    if (measure in PEOPLE_MEASURES or people_kind(measure)) \
            and not re.search(r"\bhow many\b", question, re.I) and (money := next(
            (m for _, m in _measure_hits(question.lower()) if m in MONEY_MEASURES), None)):
        measure = money  # "compensation for survivors": the sum, not the survivors
    if measure in ("recovered", "rescued", "") and re.search(r"\bbod(?:y|ies)\b", question,
                                                             re.I) and _asks_count(question):
        measure = "dead"  # "bodies recovered on friday": the dead, not patients recovered
    if measure in ("rescued", "injured", "cases") and (state := next(
            (m for _, m in _measure_hits(question.lower()) if m in _STATES), None)):
        measure = state  # "how many survivors still in hospital": those in hospital
    if (measure in MONEY_MEASURES or measure == "stake") \
            and re.search(r"\bhow many\b", question, re.I):
        measure = ""  # "how many A320s is All Nippon buying?": planes, no sum of money (nor
        # a stake: "how many carriers does Norvant own?")
    if measure:
        return measure
    if _CAPACITY_Q.search(question):
        return "capacity"
    if last and (things := _counted_things(question)):
        return UNIT_ALIASES.get(things, things)  # "green harvest seats": seats
    m = re.search(r"\bhow (?:many|much)\s+(?:more\s+)?([a-z-]+)(?:\s+([a-z-]+))?", question,
                  re.I) or re.search(r"\b(?:number|count|total|tally) of\s+(?:the\s+)?(?:new\s+)?"
                                     r"([a-z-]+)(?:\s+([a-z-]+))?", question, re.I)
    if m:
        for word in m.groups():
            if word and (_plural(word) or word.lower() in UNIT_ALIASES.keys() - {"per"}) \
                    and word.lower() != "people":
                return UNIT_ALIASES.get(word.lower(), word.lower())
    return ""


#: a speed after a figure: "70 km/h", "40 kilometres an hour", "90 mph"
_SPEED = re.compile(r"\s*(?:(km/h|kph|km an hour|km per hour|kilomet(?:re|er)s? (?:an|per) hour)|"
                    r"(mph|miles (?:an|per) hour))\b", re.I)


#: an exchange rate's "per dollar" after its figure
_PER_CURRENCY = re.compile(r"\s*per\s+(?:u\.?s\.?\s+)?(?:dollar|euro|pound|yen|franc)\b", re.I)


def _unit(after: str, before: str, span: str, measure: str) -> str:
    if _PCT.search(span):
        return "pct"
    if speed := _SPEED.match(after):  # a speed, not a distance
        return "km/h" if speed.group(1) else "mph"
    if sign := re.search(r"[$€£¥]", span):  # "$43.50", "about $2.4 billion"
        return CURRENCY_SIGNS[sign.group(0)]
    if _BASIS_POINTS.match(after):  # "adding another 250 basis points"
        return "bp"
    after = re.split(r"[,;:(]\s", after, maxsplit=1)[0]  # "three, officials said": no unit
    if (of := _VAGUE_OF.match(after)) and _VAGUE.search(span) and _plural(of.group(1)):
        return UNIT_ALIASES.get(of.group(1).lower(), of.group(1).lower())  # "dozens of ships"
    for word in re.findall(r"[A-Za-z][A-Za-z-]*", after)[:3]:  # "Nine foreign rescue teams"
        if word.lower() in _STOP_AFTER:
            break
        w = str(word).lower()
        if w == "per" and _PER_CURRENCY.match(after):
            break  # "18.4 per dollar": a rate, no percentage
        if w in CURRENCY_WORDS:  # "about 420 lev a month"
            return CURRENCY_WORDS[w]
        if w in UNIT_ALIASES or w in ("dlrs", "tonnes", "euros", "bushels", "barrels"):
            return UNIT_ALIASES.get(w, w)
        if _plural(word):
            return w
    if measure in PEOPLE_MEASURES:
        return "people"
    back = re.findall(r"[A-Za-z][A-Za-z-]*", before)[-4:]
    return next((w.lower() for w in reversed(back) if _plural(w) and w[0].islower()), "")


def _spans(sentence: str) -> list[tuple[int, int, str]]:
    """Quantity spans, with ranges (``10-12``, ``between 10 and 12``) joined into one."""
    found = [(m.start(), m.end(), m.group(0).strip()) for m in QUANTITY.finditer(sentence)]
    # "of $43.50": the pattern's word boundary leaves the currency sign out; it is the unit
    found = [(a - 1, b, sentence[a - 1] + t) if a and sentence[a - 1] in "$€£¥" else (a, b, t)
             for a, b, t in found]
    found = [f for f in found if not _YEAR.fullmatch(f[2])
             and not _MONTH_BEFORE.search(sentence[max(0, f[0] - 12):f[0]])
             and not _MONTH_AFTER.match(sentence[f[1]:f[1] + 12])
             and not re.search(r"[A-Za-z]-$", sentence[max(0, f[0] - 2):f[0]])]  # M-1
    # "up to nine in ten unprotected people": a share, no count of nine nor of ten
    ratios = [m.span() for m in RATIO.finditer(sentence)]
    found = [f for f in found if not any(a < f[1] and f[0] < b for a, b in ratios)]
    out: list[tuple[int, int, str]] = []
    i = 0
    while i < len(found):
        start, end, text = found[i]
        if i + 1 < len(found):
            s2, e2, t2 = found[i + 1]
            gap = sentence[end:s2]
            before = sentence[max(0, start - 12):start]
            # "10 to 12 pct" is a range; "rose 6 percent to $38.70", "rose by 151 to 498" a
            # change and a level
            joined = _RANGE_JOIN.match(gap) and not _PRIOR_BEFORE.search(before) \
                and not (_PCT.search(text) and not _PCT.search(t2)) \
                and not (re.search(r"\bby\s*$", before, re.I) and gap.strip() == "to")
            between = re.fullmatch(r"\s+and\s+", gap) and _BETWEEN.search(before)
            if joined or between:
                if between:
                    start = sentence.rfind("etween", 0, start) - 1
                out.append((start, e2, sentence[start:e2]))
                i += 2
                continue
        out.append((start, end, text))
        i += 1
    return out


def _parse(text: str) -> tuple[float, float | None, float | None] | None:
    """(number, low, high) of a span; a range's number is its midpoint."""
    parts = re.split(r"\s*(?:-|–|—|\bto\b|\band\b)\s*", re.sub(r"^between\s+", "", text,
                                                              flags=re.I))
    if len(parts) == 2 and not any(w in text.lower() for w in WORD_NUMBERS if "-" in w):
        lo, hi = parse_number(parts[0]), parse_number(parts[1])
        if lo is not None and hi is not None and hi > lo:
            # "10-12 mln": the scale of the second end applies to the first.
            if hi >= 1000 * lo and lo < 1000:
                lo *= hi / (parse_number(re.sub(r"[^\d.,]+.*$", "", parts[1]) or "1") or 1)
            return (lo + hi) / 2, lo, hi
    value = parse_number(text)
    return None if value is None else (value, None, None)


_AGO = re.compile(r"\s+(?:years?|months?|weeks?|days?|hours?|decades?)\s+(?:ago|earlier|"
                  r"later|before|after|into|since)\b", re.IGNORECASE)


def extract(sentence: str) -> list[Entry]:
    """Every figure ``sentence`` states, with its measure, unit and role."""
    if sentence.lstrip().startswith("#") or "http://" in sentence or "https://" in sentence:
        return []
    corrects = bool(_CORRECTION.search(sentence))
    withdrawn = _WITHDRAWN.search(sentence)
    out: list[Entry] = []
    spans = _spans(sentence)
    # "six of its 14 hospitals": six counts what is asked, 14 the whole it is part of
    wholes = {b[0]: a for a, b in itertools.pairwise(spans)
              if is_part_of(sentence, a[1], b[0], a[2])}
    for start, end, span in spans:
        parsed = _parse(span)
        if parsed is None:
            continue
        number, low, high = parsed
        after = sentence[end:end + 80]
        before = sentence[max(0, start - 80):start]
        ahead = _CLAUSE.split(after, maxsplit=1)[0]
        behind = _CLAUSE.split(before)[-1]
        measure = _measure_in(ahead) or _measure_in(behind, reverse=True)
        if (state := _AS_STATE.match(after)) is not None:  # "lists 185 people as missing"
            measure = MEASURE_WORDS[state.group(1).lower()]
        # ... but a measure right before it, when none is right after ("The union's demand
        # of nine per cent was 'not a starting bid'", "have offered three per cent")
        close = _measure_in(" ".join(behind.split()[-2:]), reverse=True)
        if close and close != measure and not _measure_in(" ".join(ahead.split()[:4])):
            measure = close
        # "The toll rose to 41, and the institute revised the magnitude to 7.1": of several
        # figures, only those in the clause that says so are corrected
        correction = corrects and (len(spans) == 1 or bool(_CORRECTION.search(behind + ahead)))
        unit = _unit(after, behind, span, measure)
        clauses = _CLAUSE.split(before)
        if not measure and (unit in ("", "pct") or unit in CURRENCIES) and len(clauses) > 1 \
                and _RELATIVE.match(behind):
            # "The queue of container ships, which had grown to 52, ...", "Kestria's deficit,
            # which it put at 5.2% of GDP", "the cost of the attack, which it now estimates at
            # 23 million euros": the clause before
            measure = _measure_in(clauses[-2], reverse=True)
            unit = "people" if measure in PEOPLE_MEASURES and not unit else unit
        if not measure and unit in ("", "pct") and len(clauses) > 1 \
                and re.fullmatch(r"\s*(?:to|at|by)\s*", behind):
            # "Corvane raised its offer again, to 8.5 percent": what the clause before names
            # ("The count of dead fish rose again, to 5,200": and what it counts)
            measure = _measure_in(clauses[-2], reverse=True)
            unit = unit or next((w.lower() for w in reversed(re.findall(
                r"[A-Za-z-]+", clauses[-2])) if w.lower() in ANIMALS or w.lower() in _THINGS),
                "")
        if not measure and unit == "pct" and (of := _PCT_OF.match(after)):
            # "10 percent of its affected systems": a share of them, apart from counts of them
            measure = f"share of {of.group(1).lower()}"
        if not measure and not unit:  # "the death toll in Dorvik, Marenthal, has risen to 11"
            subject = _SUBJECT.search(before)
            if subject:
                measure = _measure_in(subject.group(0))
                unit = "people" if measure in PEOPLE_MEASURES else _counted(subject.group(0))
        running_m = _RUNNING_TOTAL.search(before)
        running = running_m is not None
        if running_m is not None and (measure or unit) and out \
                and _dated_only(running_m.group(0), measure or unit, unit):
            measure = unit = ""  # "bringing the total since the strike began to 6,550": the
            # strike dates the total, which is of the figure before (so do "the protests")
        total = running and not measure and not unit and bool(out)
        if total:  # "About 3,600 refugees crossed ..., bringing the total to 17,800": the
            measure, unit = out[-1].measure, out[-1].unit  # running total of what it counts
        elif not measure and not unit and out and out[-1].role == "level" \
                and _MOVED_TO.search(before):
            # "The national waiting list, which stood at 618,000 at the end of October, rose
            # to an estimated 624,000": the figure before, now (which it stood at before)
            measure, unit = out[-1].measure, out[-1].unit
            if _STOOD_AT.search(sentence[:out[-1].start]):
                out[-1] = replace(out[-1], role="prior", correction=False)
        elif not measure and not unit and out and _CHANGE_OF_BEFORE.search(before):
            # "cases rose to 498 on Wednesday, ..., an increase of 151": the change of the
            # figure before
            measure, unit = out[-1].measure, out[-1].unit
        elif not measure and unit in CURRENCIES and out and out[-1].unit == unit \
                and out[-1].measure in MONEY_MEASURES and re.search(r"\band\s+$", before):
            # "890 million lev in the first full year and 2.1 billion lev over two years":
            # the sum before's measure
            measure = out[-1].measure
        elif not measure and not unit and out and _ELIDED_BEFORE.search(before) \
                and re.match(r"\s*(?:[.,;)]|$)", after):
            # "Montrose finished with 48,590 votes and Quell with 48,402", "took 19 seats and
            # the Greens four": the unit the figure before gives
            measure, unit = out[-1].measure, out[-1].unit
        if unit == "votes" and ((_BY_BEFORE.search(before) and not _VOTES_TO.match(after))
                                or _BEHIND_AFTER.match(after)):
            measure = "margin"  # "leads by just 407 votes", "put him 407 votes behind"
        if measure == "dead" and _SAVED_BEFORE.search(before):
            measure = "rescued"  # "had saved 'at least forty lives'": lives saved, no dead
        lost = bool(_LOST_BEFORE.search(before)) and bool(_LOST_AFTER.match(after))
        if lost:  # "Drevnik has lost 86 people": its dead
            measure, unit = "dead", "people"
        if _ALL_BUT.search(before) and measure in ("", "restored", unit):
            measure = "outage"  # "power had been restored to all but 38,000 customers"
        if _CAPACITY_BEFORE.search(before):  # "with room for 10,000 people": how many it
            measure = "capacity"  # could hold, not how many are there
        if measure in PEOPLE_MEASURES and (unit in _PEOPLE_UNITS
                                           or MEASURE_WORDS.get(unit) == measure):
            unit = "people"  # "nine deaths", "12 patients recovered": people, as "11 people"
        if not _fits_here(measure, unit, sentence):
            # the word beside it names what the figure is not of: another the clause names
            # before it may ("raised its pay offer to striking teachers to 6%": the offer)
            measure = next((m for _, m in reversed(_measure_hits(behind.lower()))
                            if m != measure and _fits_here(m, unit, sentence)), unit)
        if unit == "bp" and not measure and re.search(r"\brates?\b", sentence, re.I):
            measure = "rate"  # a rate moves by basis points: "raised ... by 300 basis points"
        if not measure:
            measure = unit
        if not measure or _AGO.match(after) or _AGE_AFTER.match(after) \
                or (_AGE_GROUP_BEFORE.search(before) and re.match(r"(?:under|over|above|below|"
                                                                  r"aged)\b", span, re.I)) \
                or (span.lower() == "one" and _ONE_PRONOUN.search(before)) \
                or _NONE_BEFORE.search(before) or unit in _LENGTHS \
                or _PAST_WHEN.search(before) or _CLOCK_AFTER.match(after) \
                or _EARLIER_EVENT.search(before) \
                or ((un := _UN_MEASURE.match(after)) is not None
                    and un.group(1).lower() in MEASURE_WORDS) \
                or re.match(r"[A-Z]\b", after):  # "5K resolution", "a 4G network": names
            continue  # "two months ago" dates, "a 71-year-old man" ages, "no one" none, "an
            # outbreak in 2019, when 27 people died" another time's, "at 7 a.m." a time
        role = "level"
        if total or (running and measure in FLOW_MEASURES):
            role = "total"
        elif start in wholes:
            role = "whole"
            part = wholes[start]
            if (got := _parse(part[2])) is not None and not any(e.start == part[0]
                                                                 for e in out):
                out.append(Entry(measure, unit, part[2], *got, "level",
                                 correction, part[0]))
        elif withdrawn is not None and withdrawn.end() <= start \
                and not re.search(r"[.;]", sentence[withdrawn.end():start]):
            role = "prior"
        elif _UNDONE_BEFORE.search(before) or _TWICE_AFTER.match(after):
            role = "change"  # (or the error a revision takes out: "one body had been counted
            # twice")
        elif _SOME_OF.match(after) or (measure in PEOPLE_MEASURES
                                        and _WHERE_BEFORE.search(before)):
            role = "part"  # "Three of the injured were flown out": some of them; "the
            # school gymnasium in Drevnik, where four people died": those of one place
        elif _PRIOR_BEFORE.search(before) or (_HAD_BEEN.search(before) and re.match(
                rf"\s+in\s+{_MONTHS}\b", after, re.I)) or re.match(r"\s*(?:a year (?:ago|earlier)|"
                                                    r"the (?:previous|prior) week)", after) \
                or _OTHER_PERIOD.search(behind):
            role = "prior"
        elif (CHANGE_BEFORE.search(before) and not _TO_BEFORE.search(before) and not lost
              and not _AGENT_BY.search(before) and not _VOTES_TO.match(after)) \
                or _CHANGE_AFTER.match(after):
            role = "change"
        elif _FORECAST.search(behind) or _MAYBE_AFTER.match(after) \
                or (_PLANNED.search(before) and unit != "pct"
                                          and unit not in CURRENCIES
                                          and measure not in MONEY_MEASURES):
            role = "forecast"  # (or a plan: "will reduce its strength to around 500 from
            # Saturday", no count of now)
        if measure == "rate" and unit == "bp" and role in ("level", "forecast") \
                and not re.search(r"\bto\s*$", before):
            role = "change"  # (a rate itself is in percent)
        if role == "change" and measure in ("inflation", "core inflation") \
                and _ANNUAL.search(sentence):
            role = "level"  # "prices rose 23.4 percent from a year earlier": the rate itself
        elif role == "change" and measure == "margin":
            role = "level"  # "had won by 188 votes": the margin itself
        elif role == "change" and measure in ("demand", "offer") \
                and (not CHANGE_BEFORE.search(before) or _PAY_RISE_OF.search(before)):
            role = "level"  # "demanding a 14 percent pay rise": the demand itself
        out.append(Entry(measure, unit, span, number, low, high, role,
                         correction and role == "level", start))
    if (left := _NO_ONE_LEFT.search(sentence)) is not None:  # "No one is now listed as
        # missing": the count fell to none
        out.append(Entry(MEASURE_WORDS.get(left.group(2).lower(), "trapped"), "people",
                         left.group(1), 0.0, start=left.start()))
    elif (last := _LAST_FOUND.search(sentence)) is not None:  # "The last person missing ...
        # was found alive": none missing any more
        said = 1 if last.group(1) else 2
        out.append(Entry("missing", "people", last.group(said), 0.0, start=last.start(said)))
    if not any(e.measure == "dead" for e in out) and _DEATH_WORD.search(sentence) \
            and (nth := _NTH_DEATH.search(sentence)) is not None:
        # "A second person has died", "The first death of the flood was confirmed"
        out.append(Entry("dead", "people", nth.group(0), float(_ORDINALS[nth.group(1).lower()]),
                         start=nth.start()))
    if not any(e.measure == "arrested" for e in out) \
            and (nth := _NTH_ARREST.search(sentence)) is not None:
        out.append(Entry("arrested", "people", nth.group(1),  # "third suspect"
                         float(_ORDINALS[nth.group(2).lower()]), start=nth.start(1)))
    out = _after_the_level(sentence, sorted(out, key=lambda e: e.start))
    out = _kind_parts(sentence, _priors_of_the_level(sentence, spans, out))
    return _by_place(sentence, out) if len(spans) > 1 else out


#: those the people counted are made of, named after the figure: "..., of whom eight are
#: firefighters", "Of the dead, five were children", "Of the 17, 12 are firefighters"
_KIND_PART = re.compile(r"(?:\b(?:of whom|of them|among them|among whom)|"
                        r"^\s*of the ((?:\d[\d,]*\s+)?[\w-]+),)"
                        r"\s+(\S+)\s+(?:are|were|is|was)\s+(?:also\s+|all\s+)?([a-z]+)\b",
                        re.I)
#: people named by what they are, beside :data:`PEOPLE_KINDS`
_PEOPLE_NAMED = frozenset("""firefighters rescuers police officers men women boys girls babies
infants minors foreigners foreign nationals pensioners teachers pupils divers medics
volunteers paramedics""".split())


def people_kind(unit: str) -> bool:
    """Whether ``unit`` names people of a kind ("firefighters", "children"), not all."""
    return unit in PEOPLE_KINDS or unit in _PEOPLE_NAMED


def _kind_part(sentence: str) -> tuple[re.Match[str], str | None] | None:
    """The figure of those the counted people are made of, and the measure the sentence's
    opening names ("Of the dead," "dead"; ``None`` for "Of the 17," or "of whom")."""
    m = _KIND_PART.search(sentence)
    if m is None or _parse(m.group(2)) is None \
            or not people_kind(m.group(3).lower()):
        return None
    said = MEASURE_WORDS.get(m.group(1).split()[-1].lower()) if m.group(1) else None
    return m, said if said in PEOPLE_MEASURES else None


def _kind_parts(sentence: str, entries: list[Entry]) -> list[Entry]:
    """``entries`` with the part :data:`_KIND_PART` reads, of the people measure the
    sentence opens with or counts before it."""
    got = _kind_part(sentence)
    if got is None:
        return entries
    m, measure = got
    if measure is None and not m.group(1):
        measure = next((e.measure for e in reversed(entries) if e.start < m.start()
                        and e.role == "level" and e.measure in PEOPLE_MEASURES), None)
    parsed = _parse(m.group(2))
    if measure is None or parsed is None:
        return entries
    part = Entry(measure, m.group(3).lower(), m.group(2), *parsed, "part", False, m.start(2))
    return sorted([e for e in entries if e.start != part.start] + [part],
                  key=lambda e: e.start)


def _priors_of_the_level(sentence: str, spans: list[tuple[int, int, str]],
                         entries: list[Entry]) -> list[Entry]:
    """``entries`` with the figure a level was before, said with no measure of its own, of
    the level's measure: "demand now stands at 15 percent, down from 18 percent" (18 is no
    bare percentage), "revised to magnitude 6.8, up from an initial reading of 6.4"."""
    out = list(entries)
    have = {e.start for e in out}
    for start, _, span in spans:
        before = sentence[max(0, start - 80):start]
        level = next((e for e in reversed(out) if e.start < start and e.role == "level"), None)
        if level is None or not _PRIOR_BEFORE.search(before) \
                or not re.search(r"\b(?:up|down|higher|lower)\s+from\b[^,;]*$", before):
            continue
        if start in have:
            out = [replace(e, measure=level.measure) if e.start == start and e.role == "prior"
                   and e.measure in ("pct", e.unit) and e.unit == level.unit else e for e in out]
        elif (parsed := _parse(span)) is not None and level.unit in ("", "pct"):
            out.append(Entry(level.measure, level.unit, span, *parsed, "prior", False, start))
    return sorted(out, key=lambda e: e.start)


#: the figure a sentence gives of the one before's ("... to 45", "... to about 9,450")
_FIGURE_OF_BEFORE = r"((?:about\s+|some\s+)?\d+(?:[,.]\d+)*)"
#: a correction of the figure the sentence before gives ("later revised that figure to 45")
_THAT_FIGURE = re.compile(r"\b(?:revised|corrected|lowered|raised|cut|put)\s+(?:that|this|the)\s+"
                          r"(?:figure|number|toll|tally|count|estimate)\s+(?:down\s+|up\s+)?"
                          rf"(?:to|at)\s+{_FIGURE_OF_BEFORE}", re.I)
#: "By 07:00 on Sunday that figure had fallen to 141,000": the figure before, moved
_THAT_MOVED = re.compile(r"\b(?:that|this|the)\s+(?:figure|number|toll|tally|count|total)\s+"
                         r"(?:(?:had|has|have|was)\s+)?(?:since\s+|now\s+|later\s+)?(?:fallen|fell|"
                         r"risen|rose|climbed|dropped|grown|grew|increased|decreased|declined|"
                         rf"jumped|reached|stood)\s+(?:to\s+|at\s+)?{_FIGURE_OF_BEFORE}", re.I)
#: "That brings the three-day total to 9,450.": the running total of the sentence before's
_THAT_TOTAL = re.compile(rf"{_TO_TOTAL}\s+(?:the|its|their)\s+(?:[\w-]+\s+){{0,2}}?"
                         rf"(?:total|tally|count)\s+to\s+{_FIGURE_OF_BEFORE}", re.I)


def in_context(sentences: Sequence[str], entries: Sequence[list[Entry]]) -> list[list[Entry]]:
    """``entries`` (the :func:`extract` of each of a report's ``sentences``, in order) with
    what a sentence says only with the one before: "Of the 17, 12 are firefighters" after
    "The prefecture corrected its tally of injured to 17" is a part of the injured; "The
    coast guard later revised that figure to 45" after "... said 46 bodies had been
    recovered" corrects the dead."""
    out = list(entries)
    for i in range(1, len(sentences)):
        if out[i] or not out[i - 1]:
            continue  # (a sentence with figures of its own says what they are of)
        if (that := _THAT_FIGURE.search(sentences[i])) is not None \
                and (got_that := _parse(that.group(1))) is not None:
            # "The coast guard later revised that figure to 45": of the figure before (of
            # an earlier report's figure, "An earlier version said 46", an earlier one)
            said = out[i - 1][-1]
            now = said.role != "prior"
            out[i] = [Entry(said.measure, said.unit, that.group(1), *got_that,
                            "level" if now else "prior", now, that.start(1))]
            continue
        if (moved := _THAT_MOVED.search(sentences[i])) is not None \
                and (got_moved := _parse(moved.group(1))) is not None \
                and (level := next((e for e in reversed(out[i - 1]) if e.role == "level"),
                                   None)) is not None:
            # "186,000 customers were without electricity. By 07:00 on Sunday that figure had
            # fallen to 141,000": the level before, now
            out[i] = [Entry(level.measure, level.unit, moved.group(1), *got_moved, "level",
                            False, moved.start(1))]
            continue
        if (brings := _THAT_TOTAL.search(sentences[i])) is not None \
                and (got_total := _parse(brings.group(1))) is not None \
                and (day := next((e for e in out[i - 1] if e.role == "level"), None)):
            # "2,900 operations were postponed on Sunday. That brings the three-day total to
            # 9,450.": the total of the day's figure
            out[i] = [Entry(day.measure, day.unit, brings.group(1), *got_total, "total",
                            False, brings.start(1))]
            continue
        if (got := _kind_part(sentences[i])) is None or not (m := got[0]).group(1) \
                or (whole := _parse(m.group(1))) is None or (parsed := _parse(m.group(2))) is None:
            continue
        level = next((e for e in out[i - 1] if e.role == "level" and e.number == whole[0]
                      and e.measure in PEOPLE_MEASURES), None)
        if level is not None:
            out[i] = [Entry(level.measure, m.group(3).lower(), m.group(2), *parsed, "part",
                            False, m.start(2))]
    return out


#: the parts of a list that splits a figure by place or holder ("Ten people died in Tolsend,
#: six in Marrowick and three in Brennagh")
_LIST_PART = re.compile(r"(?:[^,;:]|[,:](?=\d))+?(?=,(?!\d)|:(?!\d)|;|\band\b|\bwhile\b|\bbut\b|$)")
#: measures whose figures are each someone's anyway ("Green Harvest won 22 seats and the
#: Freedom Bloc 13"): no split of one whole
OF_WHOM = frozenset({"pct", "offer", "votes", "seats", "pledged", "stake"})


@dataclass(frozen=True)
class SplitPart:
    """One figure of a list that splits a whole by place or holder, and the names beside it
    (lower case)."""

    start: int
    value: str
    names: frozenset[str]


def split_parts(sentence: str) -> list[SplitPart]:
    """The figures of a list splitting a whole by place or holder ("six" with "marrowick"
    of "Ten people died in Tolsend, six in Marrowick and three in Brennagh"): two or more
    list parts, each with one figure and a name of its own (no day's: "up from 81 on
    Thursday" is an earlier figure), the later ones saying no measure of their own ("with a
    peak gust of 248 km/h in Tolsend" is another figure); ``[]`` when it is no such list.
    A figure the others are "of whom" is their whole, no part."""
    # "between 41,000 and 45,000": one range (the same length, so offsets stay)
    text = re.sub(r"(\bbetween\s+\S+\s+)and\b", r"\1&&&", sentence, flags=re.I)
    parts: list[SplitPart] = []
    for m in _LIST_PART.finditer(text):
        part = sentence[m.start():m.end()]
        if _WHOLE_AFTER.match(part) and parts and parts[-1].start < m.start():
            parts.pop()  # "roughly 44,000 people, of whom 12,500 are at Velsk": the whole
        figures = [f for f in QUANTITY.finditer(part) if not _YEAR.fullmatch(f.group(0).strip())]
        # (not a word of the figure itself: "About" of "About 31,000 people ...")
        words = [w.group(0) for w in re.finditer(r"\b[A-Z][\w'’-]+", part)
                 if not any(f.start() <= w.start() < f.end() for f in figures)]
        names = frozenset(w.lower() for w in words
                          if w.lower() not in _DAY_NAMES and not (
                              m.start() == 0 and part.lstrip().startswith(w)
                              and (w in SENTENCE_STARTERS or w.lower() in WORD_NUMBERS
                                   or w.endswith(("ed", "ing", "ly"))
                                   # "Cases now stand at 121 in Quayside, 80 in ...": what
                                   # is counted, no name
                                   or w.lower() in MEASURE_WORDS
                                   or w.lower() in PEOPLE_KINDS)))
        if len(figures) == 1 and names and not _EARLIER_PART.match(part) \
                and (not parts or (not measure_words_in(part)
                                   and _ELIDED_AFTER.match(part, figures[0].end()))):
            f = figures[0]
            parts.append(SplitPart(m.start() + f.start(), f.group(0).strip(), names))
    return parts if len(parts) >= 2 and len({p.names for p in parts}) == len(parts) else []


#: what follows a later part's figure that says no unit of its own ("six in Marrowick",
#: "Eastvale 27 and", "12,500 are at Velsk"; not "210,000 tonnes of soft wheat")
_ELIDED_AFTER = re.compile(r"\s*(?:$|[,;.)]|(?:in|on|from|at|of|for|to|and|were|was|are|is|had|"
                           r"have|has|more|each)\b)", re.I)
#: the names of days and months: no place
_DAY_NAMES = frozenset("""monday tuesday wednesday thursday friday saturday sunday january
february march april may june july august september october november december""".split())
#: a list part that gives an earlier or another figure, not a share of the whole
_EARLIER_PART = re.compile(r"\s*(?:up|down|higher|lower)?\s*(?:from|than|against|compared|"
                           r"versus|vs)\b", re.I)
_LIST_END = re.compile(r",(?!\d)|:(?!\d)|;|\band\b|\bwhile\b|\bbut\b")
#: a list part that splits the figure before it ("..., of whom 12,500 are at Velsk")
_WHOLE_AFTER = re.compile(r"\s*(?:of whom|of which|of them|including|among them|among whom)\b",
                          re.I)


def one_measure_split(sentence: str) -> list[SplitPart]:
    """:func:`split_parts`, when the figures read at them are of one measure ("Ten people died
    in Tolsend, six in Marrowick"; not "led the NFL in scoring (500 points), boasting six Pro
    Bowl selections")."""
    parts = split_parts(sentence)
    at = {p.start for p in parts}
    return parts if len({e.measure for e in extract(sentence) if e.start in at}) <= 1 else []


def _by_place(sentence: str, entries: list[Entry]) -> list[Entry]:
    """``entries`` with the figures of a list splitting one whole by place ("Ten people died
    in Tolsend, six in Marrowick and three in Brennagh") as parts of it, each read (the
    later ones say no measure: "six in Marrowick"); a whole they are "of" ("roughly 44,000
    people, of whom 12,500 are at Velsk") stays the level and gives them its measure."""
    parts = split_parts(sentence)
    at = {p.start for p in parts}
    # (or a list after a colon: "About 31,000 people have been told to leave: 11,200 in
    # Kestrel Bay, 8,600 in Harrowmere ...")
    wholes = {e.start for e in entries if (cut := _LIST_END.search(
        sentence, e.start + len(e.value))) and (_WHOLE_AFTER.match(sentence, cut.end())
                                                or cut.group(0) == ":")}
    # ... of the measure of the first, else of the whole they split ("of whom 12,500 ...")
    first = next((e for e in entries if e.start in at and e.role in ("level", "part")),
                 None) or next(
        (e for e in entries if parts and e.start in wholes and e.start < parts[0].start), None)
    if first is None or first.measure in OF_WHOM \
            or any(e.measure != first.measure for e in entries if e.start in at):
        return entries
    have = {e.start for e in entries}
    out = [replace(e, role="part", correction=False)
           if e.role == "level" and e.start in at and e.start not in wholes else e
           for e in entries]
    for p in parts:
        if p.start not in have and (got := _parse(p.value)) is not None:
            out.append(Entry(first.measure, first.unit, p.value, *got, "part", False, p.start))
    return sorted(out, key=lambda e: e.start)


def _fits_here(measure: str, unit: str, sentence: str) -> bool:
    """:func:`_fits`, and a pay offer in percent ("its offer of 4.5%"), unless the sentence
    gives a premium to a bid (which is no offer)."""
    return _fits(measure, unit) or (measure == "offer" and unit == "pct"
                                    and not _PREMIUM.search(sentence))


def _fits(measure: str, unit: str) -> bool:
    """Whether a figure in ``unit`` can be of ``measure``: a count of people is in no
    percent, currency or thing ("its 4.5% pay offer" to striking workers, "an evacuation
    zone of 2 kilometres", "800 crowns for evacuated households", "dozens of ships" left by a
    strike); an offer, value or price is a sum ("a premium of 27 percent" to it is not); a
    rate or inflation a percent ("six to nine months" for rates to work is none); a deficit
    a percent or a sum; an exchange rate a bare number ("43.8 to the dollar")."""
    if measure in PEOPLE_MEASURES or measure == "striking":
        return unit != "pct" and unit not in CURRENCIES and unit not in _THINGS
    if measure in MONEY_MEASURES:
        return unit in CURRENCIES
    if measure in ("rate", "inflation", "core inflation"):
        return unit in ("pct", "bp")
    if measure == "deficit":
        return unit == "pct" or unit in CURRENCIES
    if measure == "stake":
        return unit in ("pct", "shares")
    if measure == "spilled":  # "the zone around the leaking tanker from 2 kilometres": no spill
        return unit not in _DISTANCES
    return measure != "exchange" or not unit


#: "... rose to 24 after two fishermen were found dead", "... down to 168, saying six survivors
#: had been counted twice", "... 22, including four children":
#: a figure of the same measure after the sentence's level explains or splits it
_EXPLAINS = re.compile(r"\b(?:(after|following|as|when|saying|because)|(including|among them|"
                       r"among whom|of whom|of them|of which))\b", re.I)


def brought_to_total(sentence: str, start: int) -> bool:
    """Whether the figure at ``start`` is a running total the sentence brings it to ("...,
    bringing the number of arrests since Saturday to 54")."""
    return _TOTAL_BEFORE.search(sentence, max(0, start - 90), start) is not None


def _after_the_level(sentence: str, entries: list[Entry]) -> list[Entry]:
    """``entries`` with a figure that follows a level of its own measure in a clause
    explaining it (:data:`_EXPLAINS`) marked a ``change`` ("after two fishermen were found
    dead") or a ``part`` ("including four children"), not a second level: one sentence does
    not disagree with itself."""
    out = list(entries)
    for i, e in enumerate(out):
        if e.role == "level" and brought_to_total(sentence, e.start):
            # "Two firefighters were killed ..., bringing the death toll to three": the
            # total is the level, the figures of its measure before it what it adds
            out[:i] = [replace(p, role="change", correction=False)
                       if p.measure == e.measure and p.role == "level" else p
                       for p in out[:i]]
            continue
        # "The number of injured rose to 19, among them 13 firefighters": firefighters among
        # the injured, no count of all firefighters
        people = next((p for p in out[:i] if p.measure in PEOPLE_MEASURES
                       and p.role == "level"), None)
        if e.role == "level" and people is not None and e.measure == e.unit \
                and e.measure not in PEOPLE_MEASURES \
                and (m := _EXPLAINS.search(sentence, people.start, e.start)) and m.group(2):
            out[i] = replace(e, measure=people.measure, role="part", correction=False)
            continue
        lead = next((p for p in out[:i] if p.measure == e.measure and p.role == "level"), None)
        # ... not of a sum: "raised its offer to $43.50, hours after X bid $42" (two bidders)
        if e.role != "level" or lead is None or e.measure in MONEY_MEASURES:
            continue
        m = _EXPLAINS.search(sentence, lead.start, e.start)
        if m is not None:
            out[i] = replace(e, role="change" if m.group(1) else "part", correction=False)
    return out


# -- the table ---------------------------------------------------------------------------------


def ensure(db: sqlite3.Connection) -> None:
    db.executescript(SCHEMA)


def put(conn: Connection, report_id: str, sentence_ids: Sequence[int],
        sentences: Sequence[str], entries: Sequence[list[Entry]] | None = None) -> int:
    """Record the figures of a report's sentences (its old rows went with its sentences);
    ``entries``, when given, are their :func:`extract`, read beforehand."""
    found = in_context(sentences,
                       entries if entries is not None else [extract(text) for text in sentences])
    rows = [(sid, report_id, e.measure, e.unit, e.value, e.number, e.low, e.high, e.role,
             int(e.correction))
            for sid, figures in zip(sentence_ids, found, strict=True) for e in figures]
    conn.executemany(
        "INSERT INTO figures(sentence_id, report_id, measure, unit, value, number, low, high, "
        "role, correction) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return len(rows)


def rebuild(conn: Connection) -> int:
    """Re-read every stored sentence into the ledger; returns the number of figures."""
    conn.execute("DELETE FROM figures")
    total = 0
    by_report: dict[str, tuple[list[int], list[str]]] = {}
    for sid, rid, text in conn.execute(
            "SELECT id, report_id, text FROM sentences ORDER BY report_id, position"):
        ids, texts = by_report.setdefault(str(rid), ([], []))
        ids.append(int(sid))
        texts.append(str(text))
    for rid, (ids, texts) in by_report.items():
        total += put(conn, rid, ids, texts)
    conn.execute("INSERT INTO meta(key, value) VALUES('ledger_scheme', ?) "
                 "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (SCHEME,))
    return total


# -- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerRow:
    """A recorded figure with its sentence and report."""

    sentence_id: int
    report_id: str
    measure: str
    unit: str
    value: str
    number: float
    low: float | None
    high: float | None
    correction: bool
    date: str
    source: str | None
    title: str
    sentence: str
    position: int
    url: str | None = None
    dated: bool = True  # the report gave its date (``date`` is else when it was ingested)


_ROW_SQL = (
    "SELECT f.sentence_id, f.report_id, f.measure, f.unit, f.value, f.number, f.low, f.high, "
    "f.correction, COALESCE(r.date, r.sort_date), r.source, r.title, s.text, s.position, "
    "r.url, r.date IS NOT NULL "
    "FROM figures f JOIN reports r ON r.id = f.report_id "
    "JOIN sentences s ON s.id = f.sentence_id WHERE f.role = ? ")


def _row(r: tuple[object, ...]) -> LedgerRow:
    def opt(v: object) -> float | None:
        return None if v is None else float(str(v))

    return LedgerRow(int(str(r[0])), str(r[1]), str(r[2]), str(r[3]), str(r[4]),
                     float(str(r[5])), opt(r[6]), opt(r[7]), bool(r[8]), str(r[9]),
                     None if r[10] is None else str(r[10]), str(r[11]), str(r[12]),
                     int(str(r[13])), None if r[14] is None else str(r[14]), bool(r[15]))


def rows_for_sentences(query: QueryFn, sentence_ids: Iterable[int],
                       measure: str | None = None, role: str = "level") -> list[LedgerRow]:
    """The level figures (or those of another role) of these sentences (of one measure
    when given)."""
    return _rows_where(query, "f.sentence_id", sentence_ids, measure, role)


def rows_for_reports(query: QueryFn, report_ids: Iterable[str],
                     measure: str | None = None, role: str = "level") -> list[LedgerRow]:
    """The level figures (or those of another role) of these reports (of one measure when
    given)."""
    return _rows_where(query, "f.report_id", report_ids, measure, role)


def _rows_where(query: QueryFn, column: str, values: Iterable[object],
                measure: str | None, role: str) -> list[LedgerRow]:
    ids = list(dict.fromkeys(values))
    out: list[LedgerRow] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        sql = _ROW_SQL + f"AND {column} IN ({','.join('?' * len(chunk))})"
        params: list[object] = [role, *chunk]
        if measure:
            sql += " AND f.measure = ?"
            params.append(measure)
        out.extend(_row(r) for r in query(sql, params))
    return out


def rows_for_measure(query: QueryFn, measure: str, limit: int = 5000) -> list[LedgerRow]:
    """The newest level figures of a measure across all reports."""
    return [_row(r) for r in query(
        _ROW_SQL + "AND f.measure = ? ORDER BY r.sort_date DESC LIMIT ?",
        ("level", measure, limit))]

