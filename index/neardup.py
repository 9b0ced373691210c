"""Near-duplicate detection: MinHash over word shingles, with LSH banding for lookup.

A syndicated copy of a story (another outlet, a dropped sentence, a few words changed, a new
headline or byline) shares most of its word 3-shingles with the original. Each report's
body gets a 128-value MinHash signature; signatures are cut into 64 bands of 2 values, and
two reports whose signatures agree on a whole band become candidates (a pair at Jaccard 0.2
is a candidate with probability 0.93, at 0.3 0.998, at 0.02 about 2.5 %). Candidates are
confirmed on their exact shingle sets: the shorter one must be at least half contained in
the other (a copy that dropped a paragraph is still a copy), their Jaccard similarity at least
0.2 (a two-line brief is not a copy of every long story that quotes it), and every figure of
the shorter must appear in the longer (an update with new figures is news, not a copy). On
pairs built from Reuters-21578 (``tests/bench/bench_feeds.py``, rule chosen on records
1-2000): plain Jaccard >= 0.5 misses 261 of 1,849 lightly edited copies, this rule 9; false
merges among same-topic records are about equal (12 vs 11 of 2,000, nearly all of them
records the corpus itself repeats).

Pure Python and numpy. :class:`NearDupIndex` keeps signatures and band keys in two tables of
the library's database (``neardup_sigs``, ``neardup_bands``; :data:`SCHEMA` is SQLite's).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from index.dbapi import Connection

log = logging.getLogger(__name__)

SHINGLE = 3
N_PERM = 128
BANDS = 64
ROWS = 2
CONTAINMENT = 0.5      # share of the shorter text's shingles found in the other
MIN_JACCARD = 0.2      # ... and overall overlap at least this
# Signatures stored under another scheme are made again when the store opens.
SCHEME = f"minhash-{N_PERM}-{BANDS}x{ROWS}-k{SHINGLE}"
MIN_SHINGLES = 8       # shorter texts are left to the exact content hash
_PRIME = np.uint64((1 << 61) - 1)
_MASK = np.uint64(0xFFFFFFFF)
_rng = np.random.default_rng(20240611)
_A = _rng.integers(1, 1 << 31, size=N_PERM, dtype=np.uint64)
_B = _rng.integers(0, 1 << 31, size=N_PERM, dtype=np.uint64)

Signature = npt.NDArray[np.uint32]

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS neardup_sigs(report_id TEXT PRIMARY KEY "
    "REFERENCES reports(id) ON DELETE CASCADE, n_shingles INTEGER NOT NULL, sig BLOB)",
    "CREATE TABLE IF NOT EXISTS neardup_bands(key INTEGER NOT NULL, report_id TEXT NOT NULL "
    "REFERENCES reports(id) ON DELETE CASCADE)",
    "CREATE INDEX IF NOT EXISTS neardup_bands_key ON neardup_bands(key)",
    "CREATE INDEX IF NOT EXISTS neardup_bands_report ON neardup_bands(report_id)",
)

_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def shingles(text: str, k: int = SHINGLE) -> set[str]:
    """The set of ``k``-word runs of ``text`` (lower case, punctuation dropped)."""
    w = words(text)
    if len(w) < k:
        return {" ".join(w)} if w else set()
    return {" ".join(w[i:i + k]) for i in range(len(w) - k + 1)}


def body_of(title: str, text: str) -> str:
    """The text without a first line that repeats the title (headlines differ between
    outlets; the body is what a copy shares)."""
    first, _, rest = text.strip().partition("\n")
    return rest if rest and words(first) == words(title) else text


def _hash32(shingle: str) -> int:
    return int.from_bytes(hashlib.blake2b(shingle.encode("utf-8"), digest_size=4).digest(),
                          "little")


def signature(shingle_set: Iterable[str]) -> Signature:
    """The MinHash signature (``N_PERM`` uint32 values) of a set of shingles."""
    hashes = np.fromiter((_hash32(s) for s in shingle_set), dtype=np.uint64)
    if hashes.size == 0:
        return np.full(N_PERM, 0xFFFFFFFF, dtype=np.uint32)
    # (a*x + b) mod p, a < 2^31 and x < 2^32 keep the product inside 64 bits.
    perm = (hashes[:, None] * _A[None, :] + _B[None, :]) % _PRIME & _MASK
    return np.asarray(perm.min(axis=0), dtype=np.uint32)


def estimate(a: Signature, b: Signature) -> float:
    """The Jaccard similarity the two signatures estimate."""
    return float(np.mean(a == b))


def jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


@dataclass(frozen=True)
class Fingerprint:
    """What two texts are compared on: word 3-shingles of the body, and its figures."""

    shingles: frozenset[str]
    figures: frozenset[str]

    @classmethod
    def of(cls, title: str, text: str) -> Fingerprint:
        return _fingerprint(title, text)


# One ingest looks a report up in the store and in the run, then indexes it in both: the
# fingerprint and its MinHash are made once per text (both are immutable).
@functools.lru_cache(maxsize=64)
def _fingerprint(title: str, text: str) -> Fingerprint:
    body = body_of(title, text)
    return Fingerprint(frozenset(shingles(body)),
                       frozenset(n.replace(",", "") for n in _NUMBER.findall(body)))


# Kept for a whole encode batch (>= 2048 sentences): a report is indexed after it is encoded.
@functools.lru_cache(maxsize=2048)
def _minhash(title: str, text: str) -> tuple[Signature, tuple[int, ...], int]:
    """The signature of a text's fingerprint shingles (read-only), its band keys and the
    number of shingles."""
    shingle_set = _fingerprint(title, text).shingles
    sig = signature(shingle_set)
    sig.flags.writeable = False
    return sig, tuple(band_keys(sig)), len(shingle_set)


def copy_score(a: Fingerprint, b: Fingerprint) -> float:
    """How much one text copies the other: the containment of the smaller shingle set in
    the larger; 0 when their overall overlap is below ``MIN_JACCARD``, or when the smaller
    has a figure the larger lacks (the next day's update of a templated report, "hog
    slaughter about 285,000" after "about 290,000", is news, not a copy)."""
    small, large = sorted((a, b), key=lambda f: len(f.shingles))
    if not small.shingles:
        return 0.0
    common = len(small.shingles & large.shingles)
    if common / (len(small.shingles) + len(large.shingles) - common) < MIN_JACCARD:
        return 0.0
    if not small.figures <= large.figures:
        return 0.0
    return common / len(small.shingles)


def band_keys(sig: Signature) -> list[int]:
    """One signed 63-bit key per band (band number folded in)."""
    keys = []
    for band in range(BANDS):
        chunk = sig[band * ROWS:(band + 1) * ROWS].tobytes()
        digest = hashlib.blake2b(bytes([band]) + chunk, digest_size=8).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys


@dataclass(frozen=True)
class Match:
    """A stored report that a text nearly duplicates."""

    report_id: str
    similarity: float


def same_report(a: str, b: str, threshold: float = CONTAINMENT) -> bool:
    """Whether two texts are copies of one report."""
    fa, fb = Fingerprint.of("", a), Fingerprint.of("", b)
    if min(len(fa.shingles), len(fb.shingles)) < MIN_SHINGLES:
        return " ".join(words(a)) == " ".join(words(b))
    return copy_score(fa, fb) >= threshold


class NearDupIndex:
    """Signatures of stored reports, and lookup of the ones a new text nearly copies.

    Writes take the caller's connection (inside its transaction), so a report and its
    signature are stored together."""

    def __init__(self, threshold: float = CONTAINMENT) -> None:
        self.threshold = threshold

    @staticmethod
    def put(conn: Connection, report_id: str, title: str, text: str) -> None:
        """(Re)index ``report_id`` with its title and text."""
        conn.execute("DELETE FROM neardup_bands WHERE report_id = ?", (report_id,))
        sig, keys, n_shingles = _minhash(title, text)
        conn.execute("INSERT INTO neardup_sigs(report_id, n_shingles, sig) VALUES (?, ?, ?) "
                     "ON CONFLICT(report_id) DO UPDATE SET n_shingles = excluded.n_shingles, "
                     "sig = excluded.sig", (report_id, n_shingles, sig.tobytes()))
        if n_shingles >= MIN_SHINGLES:
            conn.executemany("INSERT INTO neardup_bands(key, report_id) VALUES (?, ?)",
                             [(key, report_id) for key in keys])

    def find(self, conn: Connection, title: str, text: str,
             exclude: str | None = None) -> list[Match]:
        """Stored reports that this report nearly copies, most similar first."""
        mine = Fingerprint.of(title, text)
        if len(mine.shingles) < MIN_SHINGLES:
            return []
        sig, keys, _ = _minhash(title, text)
        marks = ",".join("?" * len(keys))
        candidates = [str(r[0]) for r in conn.execute(
            f"SELECT DISTINCT report_id FROM neardup_bands WHERE key IN ({marks})", keys)]
        matches: list[Match] = []
        for rid in candidates:
            if rid == exclude:
                continue
            row = conn.execute(
                "SELECT s.sig, r.title, r.text FROM neardup_sigs s "
                "JOIN reports r ON r.id = s.report_id WHERE s.report_id = ?", (rid,)).fetchone()
            if row is None:
                continue
            other = np.frombuffer(row[0], dtype=np.uint32)
            if estimate(sig, other) < MIN_JACCARD / 2:  # clearly different: skip the text
                continue
            similarity = copy_score(mine, Fingerprint.of(str(row[1]), str(row[2])))
            if similarity >= self.threshold:
                matches.append(Match(rid, similarity))
        matches.sort(key=lambda m: -m.similarity)
        return matches

    @staticmethod
    def missing(conn: Connection) -> list[tuple[str, str, str]]:
        """(id, title, text) of stored reports that have no signature yet."""
        return [(str(r[0]), str(r[1]), str(r[2])) for r in conn.execute(
            "SELECT id, title, text FROM reports "
            "WHERE id NOT IN (SELECT report_id FROM neardup_sigs)")]


class RunIndex:
    """Near-duplicate lookup among the texts of one ingest run (not stored yet), in memory."""

    def __init__(self, threshold: float = CONTAINMENT) -> None:
        self.threshold = threshold
        self._bands: dict[int, list[int]] = {}
        self._items: list[tuple[str, Fingerprint, str | None]] = []

    def add(self, key: str, title: str, text: str, source: str | None = None) -> None:
        fp = Fingerprint.of(title, text)
        if len(fp.shingles) < MIN_SHINGLES:
            return
        idx = len(self._items)
        self._items.append((key, fp, source))
        for band in _minhash(title, text)[1]:
            self._bands.setdefault(band, []).append(idx)

    def find(self, title: str, text: str) -> list[tuple[str, str | None, float]]:
        """(key, source, similarity) of earlier texts this one nearly copies, best first."""
        mine = Fingerprint.of(title, text)
        if len(mine.shingles) < MIN_SHINGLES or not self._items:
            return []
        seen: set[int] = set()
        out: list[tuple[str, str | None, float]] = []
        for band in _minhash(title, text)[1]:
            for idx in self._bands.get(band, ()):
                if idx in seen:
                    continue
                seen.add(idx)
                key, other, source = self._items[idx]
                similarity = copy_score(mine, other)
                if similarity >= self.threshold:
                    out.append((key, source, similarity))
        out.sort(key=lambda t: -t[2])
        return out
