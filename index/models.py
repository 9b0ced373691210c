"""The dataclasses the library hands out: reports, sentences, answers, citations.

All are frozen; dates are ISO 8601 strings: an instant in UTC (``2026-11-25T11:00:00+00:00``,
see :mod:`index.dates`), or the day alone (``YYYY-MM-DD``) for a report date of which only the
day is known (its instant, noon in the library's zone, is ``Report.published_at``).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ReportDraft:
    """A report as a loader produced it, before it is stored.

    ``report_id`` is the id the source gave (a JSONL ``id``); when ``None`` the store derives
    one from the content hash. ``origin`` says where it came from (a path, ``<stdin>``, a URL)
    for messages.
    """

    title: str
    text: str
    date: str | None = None
    source: str | None = None
    url: str | None = None
    report_id: str | None = None
    origin: str = ""


@dataclass(frozen=True)
class AlsoReported:
    """Another outlet that published the same report (a syndicated or near copy)."""

    source: str | None
    url: str | None


@dataclass(frozen=True)
class Report:
    """A stored report."""

    id: str
    title: str
    date: str | None
    source: str | None
    url: str | None
    ingested_at: str
    n_sentences: int = 0
    also_reported_by: tuple[AlsoReported, ...] = ()
    published_at: str | None = None
    date_only: bool = False
    versions: int = 1

    @property
    def instant(self) -> str:
        """When it was published (else ingested), as a UTC instant: what reports sort by."""
        return self.published_at or self.ingested_at


@dataclass(frozen=True)
class ReportVersion:
    """One text a report has had: a later text at the same id or canonical URL is a new
    version, numbered from 1."""

    version: int
    content_hash: str
    title: str
    date: str | None
    published_at: str | None
    date_only: bool
    ingested_at: str


@dataclass(frozen=True)
class Sentence:
    """A stored sentence: ``id`` is its SQLite row id and its FAISS id."""

    id: int
    report_id: str
    position: int
    text: str


@dataclass(frozen=True)
class LoadProblem:
    """An input that was skipped, with the reason in words."""

    origin: str
    reason: str

    @property
    def message(self) -> str:
        """The reason naming the input once: ``r.jsonl line 2: not valid JSON``."""
        return self.reason if self.reason.startswith(self.origin) else \
            f"{self.origin}: {self.reason}"


@dataclass(frozen=True)
class IngestResult:
    """What one ingest run did."""

    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    merged: tuple[str, ...] = ()
    problems: tuple[LoadProblem, ...] = ()
    sentences_added: int = 0
    #: the added or updated reports that gave no date (where they came from, else their
    #: title): they are dated by when they were ingested
    undated: tuple[str, ...] = ()


@dataclass(frozen=True)
class Citation:
    """One piece of evidence: a verbatim sentence and the report it comes from."""

    n: int
    sentence: str
    report_id: str
    title: str
    date: str | None
    source: str | None
    url: str | None
    score: float
    sentence_id: int = 0
    context: str | None = None   # the sentence before, when this one leans on it


@dataclass(frozen=True)
class Figure:
    """A figure one report gives for the asked quantity (used when reports disagree)."""

    value: str
    report_id: str
    title: str
    date: str | None
    source: str | None
    claimant: str | None = None  # whom the report quotes for it (index.attribution)


@dataclass(frozen=True)
class TimelinePoint:
    """What one report stated for the asked figure on its date (:mod:`index.timeline`)."""

    date: str            # YYYY-MM-DD
    value: str           # as written: "about 12,000", "Nine", "10-12"
    number: float        # a range's midpoint
    report_id: str
    source: str | None
    sentence: str
    title: str = ""
    url: str | None = None
    sentence_id: int = 0
    correction: bool = False
    measure: str = ""
    claimant: str | None = None  # whom the report quotes for it (index.attribution)
    at: str = ""  # the report's own date as stored (its instant when its time is known; "" if none)


def span_at(text: str, span: str) -> int:
    """The first offset of ``span`` in ``text`` with no letter or digit glued to either end
    (nor a decimal point before it: the ".2" of "1.2"); else its first offset; -1 if none
    (an empty span is nowhere)."""
    if not span:
        return -1
    first = at = text.find(span)
    while at >= 0:
        end = at + len(span)
        before = text[at - 1] if at else " "
        glued_before = (before.isalnum() and span[0].isalnum()) \
            or (before in ".," and at > 1 and text[at - 2].isdigit() and span[0].isdigit())
        glued_after = end < len(text) and text[end].isalnum() and span[-1].isalnum()
        if not glued_before and not glued_after:
            return at
        at = text.find(span, at + 1)
    return first


@dataclass(frozen=True)
class Quote:
    """One quoted sentence of an answer and the citation numbers that back it."""

    text: str
    citations: tuple[int, ...]  # the reports that hold ``text`` itself
    highlight: str | None = None
    context: str | None = None   # the sentence before, quoted so "he" or "it" is clear
    reworded: tuple[int, ...] = ()  # reports that say the same in other words (their own
    # sentence is in their citation): never credited with words they do not hold

    @property
    def highlight_at(self) -> int:
        """Where :attr:`highlight` stands in :attr:`text` (-1: nowhere): its first
        occurrence as whole words, so "2 billion dollar" is not bolded inside the "1.2
        billion dollars" before it; else its first occurrence."""
        return span_at(self.text, self.highlight) if self.highlight else -1

    @property
    def marks(self) -> str:
        """The citation numbers as shown after the quote: ``[2] (also [3], in other
        words)``."""
        marks = "".join(f"[{n}]" for n in self.citations)
        if self.reworded:
            marks += f" (also {''.join(f'[{n}]' for n in self.reworded)}, in other words)"
        return marks


#: what every front end says when nothing answers a question
NOT_FOUND = "Nothing in the reports answers that."


@dataclass(frozen=True)
class Answer:
    """A cited answer to a question.

    ``quotes`` are the 1-3 sentences shown; ``citations`` every source behind them (first =
    best evidence); ``more`` further evidence that a front end may reveal on demand;
    ``figures`` is non-empty when reports disagree on the asked figure, newest first.
    """

    question: str
    found: bool
    quotes: tuple[Quote, ...] = ()
    citations: tuple[Citation, ...] = ()
    highlight: str | None = None
    figures: tuple[Figure, ...] = ()
    more: tuple[Citation, ...] = ()
    as_of: str | None = None
    timeline: tuple[TimelinePoint, ...] = ()
    read_as: str | None = None  # the question as answered, its typos read as the reports'
    # words ("who is the governor" for "who is the govenor"); None: as asked
    empty_window: tuple[str | None, str | None] | None = None  # not found because no report
    # is dated in the question's days: [since, until) as ISO days (None: open)
    held: tuple[str, str] | None = None  # ... and the days the reports run from and to

    @property
    def developed(self) -> bool:
        """Whether the figure has a development to show: values that changed (or differed)
        from one date to a later one."""
        return len(_development_steps(self.timeline)) > 1

    @property
    def development(self) -> str:
        """How the figure developed, one step per date: ``4 (2 Mar, Courier) → 9 (3 Mar,
        Herald)``; values that differ on one date are joined by `` / ``."""
        return development_text(self.timeline)

    @property
    def text(self) -> str:
        """The answer as plain text: the quotes, each followed by its citation numbers."""
        if not self.found:
            return NOT_FOUND
        parts = []
        for q in self.quotes:
            parts.append(f"{q.text} {q.marks}")
        if self.timeline:
            parts.append(f"As of {short_date(self.timeline[-1].date)}; how it developed: "
                         f"{self.development}.")
        if self.figures:
            listed = "; ".join(
                f"{f.value} ({', '.join(x for x in (f.source, (f.date or '')[:10]) if x)}"
                f"{', citing ' + f.claimant if f.claimant else ''})"
                for f in self.figures)
            same = " on the same date" if self.timeline else ""
            parts.append(f"Reports differ{same}, newest first: {listed}.")
        return " ".join(parts)


_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def short_date(iso: str) -> str:
    """``2026-03-02`` → ``2 Mar`` (:func:`development_text` adds the year when the points
    span several years)."""
    try:
        return f"{int(iso[8:10])} {_MONTHS[int(iso[5:7]) - 1]}"
    except (ValueError, IndexError):
        return iso[:10]


def development_text(points: tuple[TimelinePoint, ...]) -> str:
    """One step per date, oldest first; a date's differing values joined by `` / ``; a
    value that corrects an earlier one is marked ``revised``; an outlet that gives two of a
    date's values is shown with whom it cites for each (``Valley Radio citing relief
    groups``). Dates in a row that give the same values are one step (``14 (3 Mar–6 Mar,
    Courier, Radio)``): an unchanged figure is no development."""
    return " → ".join(_development_steps(points))


def _development_steps(points: tuple[TimelinePoint, ...]) -> list[str]:
    years = {p.date[:4] for p in points}
    by_date: dict[str, list[TimelinePoint]] = {}
    for p in points:
        by_date.setdefault(p.date, []).append(p)
    # per run of dates with the same values: its first and last date, each value's text,
    # its sources, and whether it was revised
    runs: list[tuple[str, str, dict[str, str], dict[str, list[str]], set[str]]] = []
    for day, pts in by_date.items():
        values: dict[str, list[str]] = {}
        shown: dict[str, str] = {}
        revised: set[str] = set()
        keys_of: dict[str, set[str]] = {}
        for p in pts:
            if p.source:
                keys_of.setdefault(p.source, set()).add(f"{p.number:g}")
        for p in pts:
            key = f"{p.number:g}"
            shown.setdefault(key, p.value)
            sources = values.setdefault(key, [])
            source = p.source
            if source and p.claimant and len(keys_of[source]) > 1:
                source = f"{source} citing {p.claimant}"
            if source and source not in sources:
                sources.append(source)
            if p.correction:
                revised.add(key)
        if runs and set(runs[-1][3]) == set(values) and not revised:
            first, _, run_shown, run_values, run_revised = runs[-1]
            for key, srcs in values.items():
                run_values[key] += [x for x in srcs if x not in run_values[key]]
            runs[-1] = (first, day, run_shown, run_values, run_revised)
        else:
            runs.append((day, day, shown, values, revised))

    def label(day: str) -> str:
        return short_date(day) + (f" {day[:4]}" if len(years) > 1 else "")

    steps = []
    for first, last, shown, values, revised in runs:
        when = label(first) if first == last else f"{label(first)}–{label(last)}"
        steps.append(" / ".join(
            f"{shown[k]} ({', '.join([when, *srcs, *(['revised'] * (k in revised))])})"
            for k, srcs in values.items()))
    return steps


@dataclass(frozen=True)
class IndexStats:
    """What the index holds."""

    reports: int
    sentences: int
    first_date: str | None
    last_date: str | None
    model: str = ""
    extra: dict[str, int] = field(default_factory=dict)
