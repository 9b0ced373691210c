"""A question's misspelt words, read as the words of the reports they are likely typos of.

Analysts type fast: "who is the govenor", "how many dead in kesby". A word that no stored
sentence holds, and that is a word the reports do hold typed with one slip of the hand (a
letter left out, one too many, two swapped: :func:`one_slip`), is read as that word, so the
question is answered and the reader is told how it was read. A word that is one slip from
two of the reports' words is left as it is. The reports' words are found through the
store's own index terms (stemmed: "kessbi" stands for "Kessby"); the word shown is the form
a sentence prints.
A word is never "corrected" into one it begins or ends (``kenyan`` is not a typo of
``kenya``, nor ``easter`` of ``eastern``: other words, or forms the lexical search already
meets), and a word the library holds is never touched, nor one of the English words
the packaged model's tokenizer holds whole (:func:`english_words`: "stuck" is no slip of
"struck", nor "donor" of "door", though the reports hold only the latter).
"""

from __future__ import annotations

import functools
import logging
import re

from index.abbreviations import also_meant, other_forms
from index.backends.base import ReportStore
from index.retrieve import STOPWORDS

log = logging.getLogger(__name__)

_WORD = re.compile(r"[^\W\d_]+")
SHORTEST = 4  # letters: a shorter word is taken as written
LONGEST = 30  # letters: so is a longer one (and it is never compared letter by letter)
TERMS_COMPARED = 5000  # index terms with the word's first two letters that are compared
SENTENCES_READ = 20  # sentences read for the printed form of one candidate term


def read_as(question: str, store: ReportStore) -> str | None:
    """``question`` with each likely typo replaced by the reports' word (in the case it was
    typed in), or ``None`` when no word changes."""
    matches = [m for m in _WORD.finditer(question)
               if SHORTEST <= len(m.group(0)) <= LONGEST and m.group(0).lower() not in STOPWORDS]
    words = {m.group(0).lower() for m in matches}
    forms = {w: {w, *other_forms(w), *also_meant([w])} for w in words}
    # every word the library may hold, counted at once (the backend batches them)
    held = store.term_frequencies(sorted(set().union(*forms.values())), 1)
    out = question
    for m in reversed(matches):
        word = m.group(0)
        if any(held[f] for f in forms[word.lower()]) or word.lower() in english_words():
            continue  # the library holds it, or it is a word of its own: taken as written
        fix = _fix(word.lower(), store)
        if fix is not None:
            out = out[:m.start()] + (fix.capitalize() if word[0].isupper() else fix) \
                + out[m.end():]
    if out == question:
        return None
    log.info("read %r as %r", question, out)
    return out


@functools.cache
def english_words() -> frozenset[str]:
    """The whole lower-case words of the packaged model's WordPiece vocabulary (about 22,000
    common English words; empty when the package is not installed)."""
    from index.embedder import DEFAULT_MODEL, resolve_model_path
    from index.errors import ModelError

    try:
        vocab = (resolve_model_path(DEFAULT_MODEL) / "vocab.txt").read_text(encoding="utf-8")
    except (ModelError, OSError) as exc:
        log.warning("no English word list for typo reading: %s", exc)
        return frozenset()
    return frozenset(w for w in vocab.split() if w.isalpha() and w.islower())


def _fix(word: str, store: ReportStore) -> str | None:
    """The one report word ``word`` (which no stored sentence holds) is a slip of, if any."""
    # index terms are stems ("evacu" of "evacuated"): a loose test on the word's start
    # first, then the exact one on the forms the sentences print
    stems = [t for t in store.terms_starting(word[:2], TERMS_COMPARED)
             if len(t) >= SHORTEST and distance(word[:len(t)], t) <= 2]
    found = {printed for stem in sorted(stems, key=lambda t: distance(word[:len(t)], t))[:5]
             for printed in _printed_forms(store, stem) if one_slip(word, printed)
             # "kenyan" is no typo of "kenya", nor "easter" of "eastern", nor "bus" of
             # "airbus": a word the reports' word begins or ends with is another word
             and not (word.startswith(printed) or printed.startswith(word)
                      or printed.endswith(word) or word.endswith(printed))}
    return min(found) if len(found) == 1 else None  # two as near: which one is meant?


def one_slip(word: str, target: str) -> bool:
    """Whether ``word`` is ``target`` typed with one slip of the hand: a letter left out
    ("govenor"), one too many ("agenchy") or two side by side swapped ("tackels"). A letter
    typed for another is not one: "tram" and "trim", "silo" and "sino" are other words more
    often than typos."""
    if len(word) == len(target) - 1:
        return any(target[:i] + target[i + 1:] == word for i in range(len(target)))
    if len(word) == len(target) + 1:
        return one_slip(target, word)
    if len(word) != len(target) or word == target:
        return False
    diff = [i for i, (a, b) in enumerate(zip(word, target, strict=True)) if a != b]
    return len(diff) == 2 and diff[1] == diff[0] + 1 \
        and word[diff[0]] == target[diff[1]] and word[diff[1]] == target[diff[0]]


def _printed_forms(store: ReportStore, stem: str) -> set[str]:
    """The lower-case words of a few sentences holding index term ``stem`` that begin as it
    does (the printed forms it stands for: "kessby" for "kessbi")."""
    ids = [i for i, _ in store.bm25(f'"{stem}"', SENTENCES_READ)]
    start = stem[:max(SHORTEST - 1, len(stem) - 1)]
    return {w for s in store.sentences(ids).values()
            for w in (x.lower() for x in _WORD.findall(s.text)) if w.startswith(start)}


def distance(a: str, b: str) -> int:
    """Levenshtein distance: the fewest insertions, deletions and substitutions."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]
