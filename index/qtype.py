"""The type of answer a question expects, read with light rules (no model, no heavy import).

:func:`expected_types` maps a question, including terse ones an analyst types ("greek
foreign debt end-1986", "bp oil chief executive"), to the entity labels of
:mod:`index.entities` that can answer it: ``{"person"}`` for "who heads …", ``{"money"}``
for "how much is Acme paying …", ``{"percent"}`` for "what stake …", and so on. An empty
set means an open question (what / why / how) or a yes/no one. :func:`overview_words`
picks out the words of a "what happened in Kessby?" question that only ask for news, not
for a subject; :func:`began_subject` what a "when did the floods begin?" question asks the
start of.
"""

from __future__ import annotations

import re

#: Words for a post someone holds (a pattern).
ROLE = (r"chairm[ae]n|chairwoman|chair|chief executive|ceo|president|head|governor|"
         r"prime minister|minister|secretary|spokes(?:man|woman|person)|director|judge|lawyer|"
         r"attorney|manager|official|leader|mayor|senator|economist|analyst|commissioner|"
         r"meteorologist|consultant|cfo|coach|founder|owner|treasurer|inspector|forecaster|"
         r"lawmaker|legislator|commander|envoy|mediator|negotiator|superintendent|detective|"
         r"prosecutor|ambassador|captain|coordinator|chancellor|councillor|premier|engineer|"
         r"clerk|officer|adviser|advisor|auditor|surgeon|chief|vp|counsel|controller|"
         r"comptroller|boss|investigator|administrator|liquidator|mp|justice")

#: a word for a post, as a pattern that finds it
ROLE_WORD = re.compile(rf"\b(?:{ROLE})\b", re.I)


def post_key(role: str) -> str:
    """A post's key: its first five letters, the same for "CEO" and "chief executive" (and
    for a judge and "Justice Perpetua Langridge", a lawyer and an attorney, a VP and a
    vice-president)."""
    key = role.lower()[:5]
    return {"ceo": "chief", "cfo": "chief", "justi": "judge", "attor": "lawye",
            "couns": "lawye", "vp": "presi"}.get(key, key)


def posts(text: str) -> set[str]:
    """The posts ``text`` names, by :func:`post_key` ("minis" of "Health Minister")."""
    return {post_key(m.group(0)) for m in ROLE_WORD.finditer(text)}


#: the posts of a body's head (by :func:`post_key`): who "runs" or "heads" it, one post for
#: a question asking its holder ("who is the head of X": "X's chief executive")
HEAD_POSTS = frozenset(post_key(p) for p in """chairman chairwoman chair chief executive ceo
president head governor director manager leader boss commander coordinator
superintendent administrator""".split())


def same_posts(asked: set[str], named: set[str]) -> bool:
    """Whether posts ``named`` (by :func:`post_key`) hold one of those ``asked``, a body's
    head standing for any other head."""
    return bool(asked & named) or bool(asked & HEAD_POSTS and named & HEAD_POSTS)


#: Kinds of organisation a "which ..." question asks for (a pattern): "which newspaper".
ORG_KINDS = (r"company|firm|bank|group|agency|unit|network|airline|affiliate|party|"
             r"organi[sz]ation|newspaper|paper|magazine|broker|brokerage|exchange|utility|"
             r"carrier|insurer|lender|retailer|refiner|subsidiary|consortium|union|ministry|"
             r"department|court|committee|fund|maker|manufacturer|producer|supplier|"
             r"publisher|operator|distributor|contractor|chain|buyer|bidder|investor|"
             r"shareholder|partner|club|team|studio|station|channel")

#: The labels of a figure: one of these may answer a question that asks another.
FIGURE_LABELS = frozenset({"money", "percent", "quantity"})

#: "what did the mayor say?", "what does Acme plan?": what someone said or means to do
_SAID = (r"what (?:would|will|does|did|do|has|have) [\w' ]+ (?P<said>say|said|tell|told|think|"
         r"want|warn|claim|argue|announce|propose|plan|mean)")
_ASKS_WHAT_SAID = re.compile(rf"^\s*{_SAID}\b", re.I)

_RULES: tuple[tuple[re.Pattern[str], frozenset[str]], ...] = tuple(
    (re.compile(p, re.I), frozenset(labels.split())) for p, labels in (
        # the question word first: it says the most
        (rf"^\s*(why|how come|what (?:would|will|does|did|do|is|are) [\w ]+ do|{_SAID})\b",
         ""),
        # "what did Acme buy?": a company, in business news
        (r"^\s*what (?:did|does|do|will|would|has|have|is|are|was|were) [\w' .&-]+? "
         r"(?:buy|bought|buying|acquire|acquired|acquiring|purchase|purchased|purchasing|"
         r"take over|took over|taking over)\b", "org"),
        (r"^\s*(?:year|date)\b|\b(when|what (?:year|date|day|month|time)|"
         r"which (?:year|date|day|month)|deadline|since when|how soon|expiry|expire|due date|"
         r"(?<!to )dates?)\b", "date"),
        # "worst hit district", "hardest-hit villages": a place
        (r"\b(?:worst|hardest|most|least|badly|best)\b[\w -]{0,20}?\b(?:districts?|villages?|"
         r"towns?|cit(?:y|ies)|regions?|provinces?|areas?|neighbou?rhoods?|countr(?:y|ies)|"
         r"states?|count(?:y|ies)|islands?)\s*\??\s*$", "place"),
        (r"\b(where|(?:which|what) (?:cit(?:y|ies)|towns?|villages?|countr(?:y|ies)|places?|"
         r"regions?|provinces?|states?|rivers?|ports?|districts?|areas?|islands?|"
         r"count(?:y|ies)))\b", "place"),
        (rf"\b(which (?:\w+ )?(?:{ORG_KINDS})s?|what (?:company|firm|bank|unit|agency)|"
         r"lead manager|underwriters?|partner|affiliate|parent)\b", "org"),
        (rf"\b(who|whom|whose|which (?:\w+ )?(?:person|man|woman|{ROLE})|"
         rf"(?:{ROLE})(?:'s)?(?:\s+names?)?\??$|^(?:[\w'-]+ |(?:co|vice|deputy)-){{0,3}}"
         # a few words naming a post, then whose it is ("new ceo computer identics",
         # "analyst on anacomp"), not what it is paid ("ceo pay")
         rf"(?:{ROLE})(?:\s+(?!(?:pay|salary|salaries|bonus|bonuses|compensation|package|"
         rf"age|stake|shares|pension|term|contract|visit|trip|resign\w*|quit|flying|hours|"
         rf"years|days|experience|record|votes|seats|ratings?)\b)[\w'.-]+)"
         rf"{{1,3}}\??$|^(?:[\w'-]+ |(?:co|vice|deputy)-){{0,3}}"
         rf"(?:{ROLE}) of\b|\bnames? of (?:the |its |their )?(?:[\w'-]+ )?(?:{ROLE}))",
         "person org"),
        # "name of the yacht", "what is the operation called", "geologist name": a name of
        # any kind
        (r"^\s*(?:what(?:'s|\s+is|\s+was|\s+are|\s+were)\s+)?(?:the\s+)?names?\s+of\b|"
         r"^\s*(?:[\w'-]+\s+){1,3}names?\s*\??\s*$|"
         r"^\s*what(?:'s|\s+is|\s+was)\s+(?:the\s+)?[\w' -]{2,30}?\s+called\s*\??\s*$",
         "person org place thing"),
        (r"\b(price|cost)\b", "money"),
        (r"\bhow much (?:is|are|was|were|did|does|will|has|have)\b.*\b(?:pay|paying|paid|"
         r"cost|spend|spent|raise|raising|borrow|lend|offer|bid|sell|selling|buy|invest|"
         r"owe|earn|lose|lost|make|worth|charge|default)\w*", "money"),
        (r"\b(what (?:percentage|percent|proportion|share|stake|portion)|how much of|"
         r"percentage|pct|stake|share of|'s share|inflation|growth|coupon|load factor|"
         r"(?:interest|jobless|unemployment|growth|inflation|tax) rate|yield)\b",
         "percent"),
        (r"\b(paying|value of|worth|revenues?|sales|turnover|profit|income|"
         r"earnings|loss|debt|deficit|surplus|dividend|payout|bail|refund|budget|"
         r"how big is .* (?:offering|loan|issue|bond|deal|plan|fund)|"
         r"how much (?:money|cash|capital|debt)|amount|fund(?:ing)?|liability|"
         r"maintenance|borrowing|duty|tariff|grants?|payments?|compensation|subsid(?:y|ies)|"
         r"allowance|salary|salaries|wages?|bonus(?:es)?)\b", "money"),
        (r"\b(how (?:many|long|far|deep|tall|high|big|large|old|often|fast|heavy)|"
         r"number of|capacity|output|production|ratio|"
         r"how much (?:\w+ )?(?:land|oil|grain|wheat|gas|gold|coal|sugar))\b",
         "quantity"),
        # a figure of some kind: a level, a change, a target
        (r"\b(how much|rise|rose|fall|fell|drop|gain|decline|increase|cut|target|estimate|"
         r"offers?|offered|bids?|"
         r"level|size|grade|length|flow|rate|spread|exports?|imports?|total|figure|"
         r"miles|tonnes|barrels|shares|revised|"
         # ... and what a few words ask a figure of ("max sustained wind", "hotline calls")
         r"winds?|gusts?|speed|surge|rain|rainfall|snowfall|calls|debris|fine|move|width|"
         r"depth|height|distance|radius|diameter|peak|max|maximum|minimum)\b",
         "money percent quantity"),
    ))

#: "what is the name / type / term for …": it asks for a name or a kind, so a figure word
#: further on ("the name of the fund that measured the amount", "the type of oxygen
#: production") names no figure it expects
_KIND_OF = re.compile(r"^\s*(?:what|which)\s+(?:(?:is|are|was|were)\s+)?(?:(?:a|an|the)\s+)?"
                      r"(?:name|term|word|type|kind|sort|form|method|process|means)s?\b", re.I)

_PERSON_ONLY = re.compile(rf"\b({ROLE})\b|\bwho (?:heads|chairs|runs|leads)\b", re.I)
_ORG_ONLY = re.compile(r"\bwho (?:is |are |was )?(?:buying|bought|lent|lends|underwrit|"
                       r"manag|lead|sell|acquir|upgrad|downgrad|publish|own|pick)\w*", re.I)


#: "what has the minister offered?", "what did the mayor promise?": a thing, not a name
_WHAT_DONE = re.compile(r"^\s*what\s+(?:has|have|had|did|does|do|will|would)\s+", re.I)
#: a figure asked first: a "when" further on joins a clause ("how big did the zone get when
#: they widened it?")
_HOW_FIGURE = re.compile(r"^\s*how\s+(?:many|much|big|large|far|deep|high|tall|fast|heavy|"
                         r"wide|strong)\b", re.I)
#: a noun right before "who", which starts a clause on it: "the shepherd who died"
#: ("grant per family who lost a house", "each worker who was hurt")
_RELATIVE_WHO = re.compile(r"\b(?:the|a|an|its|their|his|her|per|each|every|any|those|these)"
                           r"\s+[\w-]+\s+$", re.I)
#: question words asking no one's name ("how long did they question the captain?")
_NOT_WHO = re.compile(r"^\s*(?:how|when|where|why)\b", re.I)
#: "did the river rise?", "is the port open?": answered yes or no by a statement, whatever
#: figure word it holds ("rise" asks no percentage)
YES_NO = re.compile(r"^\s*(?:is|are|was|were|do|does|did|has|have|had|will|would|can|could|"
                     r"should)\s+", re.I)


#: a question opening with words that ask no question ("wind speed when ...")
_NOUN_FIRST = re.compile(r"\s*(?!(?:what|which|who|whom|whose|where|how|why|is|are|was|were|"
                         r"do|does|did|has|have|had|can|will|would|since|until|till)\b)"
                         r"(?:[\w'-]+\s+){1,4}$", re.I)


def expected_types(question: str) -> frozenset[str]:
    """The labels an answer to ``question`` would carry (empty: an open question, or one
    answered yes or no)."""
    q = question.strip()
    if YES_NO.match(q):
        return frozenset()
    for pattern, labels in _RULES:
        if (m := pattern.search(q)):
            if labels == {"person", "org"} and _NOT_WHO.match(q):
                continue  # "how long did investigators interview the captain?": no name
            if labels == {"org"} and _HOW_FIGURE.match(q):
                continue  # "how much did orlan hydro's parent shares drop?": a figure
            if labels == {"person", "org"} and _WHAT_DONE.match(q) and "name" not in q.lower():
                continue  # "what has the minister offered?": what, not who
            if labels == {"date"} and m.group(0).lower() == "when" \
                    and (_HOW_FIGURE.match(q) or (_NOUN_FIRST.match(q, 0, m.start())
                                                  and q[m.end():].strip(" ?"))):
                continue  # "how many were hurt when the roof fell?", "wind speed when ilsa
                # hit land": "when" joins a clause
            if labels == {"person", "org"} and m.group(0).lower() == "who" \
                    and _RELATIVE_WHO.search(q, 0, m.start()):
                continue  # "the shepherd who died": no one asked for
            if labels == {"person", "org"}:
                if _ORG_ONLY.search(q):
                    return frozenset({"org", "person"})
                if _PERSON_ONLY.search(q):
                    return frozenset({"person"})
            if labels <= FIGURE_LABELS and _KIND_OF.search(q):
                return frozenset()
            return labels
    return frozenset()


_CAUSE_ASKED = re.compile(
    r"^\s*(?:why|how\s+come)\b|\bwhat\s+(?:cause[sd]?|leads\s+to|led\s+to|triggered|"
    r"sparked|prompted|drove|drives|is\s+behind|was\s+behind)\b|"
    r"\breasons?\s+(?:for|behind|why)\b|\bcause\s+of\b", re.I)
#: words by which a sentence gives a cause or a purpose
_CAUSE_GIVEN = re.compile(
    r"\b(?:because|due\s+to|owing\s+to|caused\s+by|as\s+a\s+result|result\s+of|blamed|"
    r"blames|attributed|led\s+to|triggered|sparked|prompted|pushed|forced|after|following|"
    r"amid|in\s+order\s+to|so\s+as\s+to|to\s+(?:help|reduce|cut|avoid|meet|fund|finance|"
    r"refinance|pay|offset|protect|boost|raise)|reflect(?:s|ed|ing)?|citing|cited|reasons?|"
    r"on\s+(?:fears|hopes|concerns?|worries)|over\s+(?:fears|concerns?|pay|wages))\b", re.I)


#: words by which a sentence gives a reason outright (stricter than :data:`_CAUSE_GIVEN`, and
#: what it says went wrong: "had not included a third tank", "a crack in a second tank")
_REASON_GIVEN = re.compile(
    r"\b(?:because|due\s+to|owing\s+to|caused\s+by|as\s+a\s+result\s+of|result\s+of|"
    r"blam(?:e|es|ed|ing)|attribut\w+\s+(?:to|it|the)|citing|argu(?:ing|ed|es)|"
    r"on\s+(?:the\s+)?grounds|in\s+protest|driven\s+by|stemm?(?:s|ed|ing)?\s+from|"
    r"so\s+as\s+to|in\s+order\s+to|in\s+a\s+bid\s+to|failure|failed|faulty|had\s+not(?=\s+\w)|"
    r"caused\s+(?:the|a|an|it|this)(?=\s)|"
    r"hadn't(?=\s+\w)|"
    r"counted\s+twice|double-count\w*|reasons?\s+(?:for|was|is|being)|"
    r"to\s+(?:stop|prevent|avoid|ease|make\s+room|make\s+up)|fault|crack|leak|error|"
    r"mistake|(?:over|amid)\s+(?:fears|concerns?|a\s+dispute|a\s+row)|"
    r"after\s+(?:a|an|the)\s+(?:dispute|row|disagreement|failure|breakdown))\b", re.I)


def gives_reason(sentence: str) -> bool:
    """Whether the sentence gives a reason outright ("because", "blaming", "arguing that",
    "had not included"), not only a word of time or purpose that may ("after", "to pay")."""
    return _REASON_GIVEN.search(sentence) is not None


def asks_cause(question: str) -> bool:
    """Whether the question asks why, or what caused something ("what caused the floods?")."""
    return _CAUSE_ASKED.search(question) is not None


def gives_cause(sentence: str) -> bool:
    """Whether the sentence holds a word that gives a cause or a purpose ("because",
    "after", "pushed", "to refinance")."""
    return _CAUSE_GIVEN.search(sentence) is not None


def asks_what_was_said(question: str) -> bool:
    """Whether the question asks what someone said, thinks or means to do."""
    return said_verb(question) is not None


def said_verb(question: str) -> str | None:
    """The verb of a question asking what someone said, thinks or wants ("want" of "what does
    the union want?"): a report answers it in other words ("is asking for"), so it names
    nothing a report must hold; ``None`` for any other question."""
    m = _ASKS_WHAT_SAID.match(question)
    return m.group("said").lower() if m else None


_BEGAN = re.compile(
    r"^\s*(?:when|what\s+(?:day|date|time)|since\s+when)\s+(?:did|was|were|had)\s+"
    r"(?P<subject>.+?)(?<!\blast)(?<!\bnext)(?<!\bagain)\s+(?:first\s+)?(?:begin|began|begun|"
    r"start|started|break\s+out|"
    r"broke\s+out|erupt|kick\s+off|commence|get\s+(?:under\s*way|going)|set\s+in)\s*\??\s*$",
    re.I)
_NO_SUBJECT = frozenset("it this that they them all everything things".split())


def began_subject(question: str) -> str | None:
    """Of "when did the floods begin?" (start, break out, ...), what began: ``"the
    floods"``; ``None`` for any other question: one that names nothing ("when did it
    begin?"), asks a schedule ("when does the crop year start?") or the latest time ("when
    did the volcano last erupt?")."""
    m = _BEGAN.match(question)
    if m is None:
        return None
    subject = m.group("subject").strip()
    if not set(re.findall(r"[a-z]+", subject.lower())) - _NO_SUBJECT:
        return None
    return subject


def is_figure(labels: frozenset[str]) -> bool:
    return bool(labels & FIGURE_LABELS)


#: Words that ask for news as such ("what happened", "latest", "update"), not for a subject.
OVERVIEW_WORDS = frozenset("""happen happened happening happens going latest news update
updates situation status developments new anything today lately give tell brief briefing
summary summarize summarise overview rundown recap catch""".split())
_OVERVIEW = re.compile(
    r"^\s*(?:what(?:'s|\s+is|\s+has|\s+have)?\s+(?:happened|happening|going\s+on|new\b|the\s+"
    r"(?:latest|news|situation|status))|(?:any\s+)?(?:latest|news|updates?|situation|status)\b|"
    r"anything\s+new\b|tell\s+me\s+about\b|(?:give\s+me\s+)?(?:a\s+|the\s+)?(?:summary|"
    r"overview|rundown|recap|briefing)\b|summari[sz]e\b|brief\s+me\b|catch\s+me\s+up\b)|"
    r"\b(?:updates?|latest|news)\s*\??\s*$", re.I)


def overview_words(question: str) -> frozenset[str]:
    """The words that only ask for news in a question that asks what happened, what is new
    or the latest about something (``{"happened"}`` of "what happened in Kessby?"); empty
    for any other question."""
    if not _OVERVIEW.search(question):
        return frozenset()
    return frozenset(w for w in re.findall(r"[a-z]+", question.lower()) if w in OVERVIEW_WORDS)
