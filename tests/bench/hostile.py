"""The hostile-input table of BENCHMARKS.md, and the measuring half of the hostile suite.

```sh
python -m tests.bench.hostile                 # the table (Markdown) on stdout
python -m tests.bench.hostile --json DIR      # one JSON row per input (the test suite)
```

Every input is generated here (nothing large is committed): bad files of each kind, three
decompression bombs and an overlong record, and, served from 127.0.0.1, a feed with a
surrogate reference, a ``gzip, gzip`` bomb and a server that trickles its headers. Each is
ingested by the real command line (with the small fake embedder: these are loader faults)
beside one good report, in this process, with the peak resident memory of that ingest
measured from ``/proc/self/status`` (``VmHWM``, reset through ``/proc/self/clear_refs``
before each input). Then loopback URL forms are tried with the fetch guard on (requests that
reach the server are counted), and ``briefbot run`` is started against a fake Bot API that
rejects the token and echoes it back, lower-cased (token occurrences in all output counted).
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parent.parent.parent
TOKEN = "987654:HoStIlE-bench_TOKEN_value"
GOOD = "Harbour reopens\n\nMonday, 2 Mar, 2026\n\nThe harbour at Kessby reopened on Monday. " \
       "Ferries sailed again after the storm.\n"


@dataclass(frozen=True)
class Case:
    """One hostile input: its file (or URL path), what must be said, and how many of the
    good records inside it must still be stored."""

    name: str
    file: str
    reason: str | None  # a word the one-line message must hold; None: nothing to refuse
    good: int
    url: bool = False


ALL = "all of them on one command line"


@dataclass
class Row:
    name: str
    exit: int
    stored: int
    problems: list[str]
    peak_mb: float
    seconds: float


TEMPLATES = {
    "h": "Crane {tag} at berth {n} was repaired. Work resumed on shift {tag} today.",
    "gz": "Ferry {tag} left pier {n} at dawn with {n} passengers and came back by noon.",
    "nul": "Storm {tag} flooded {n} cellars in the old town overnight, officials said.",
    "huge": "Bakery {tag} sold {n} loaves during the festival weekend.",
}


def _line(i: int, text: str | None = None, prefix: str = "h") -> str:
    tag = f"{prefix}{i}"
    return json.dumps({"id": tag, "title": f"Hostile suite report {tag}",
                       "text": text or TEMPLATES[prefix].format(tag=tag, n=i + 9)})


def _members(member: bytes, count: int, path: Path) -> None:
    """``count`` identical gzip members: a huge inflated size, written in no time."""
    packed = gzip.compress(member, compresslevel=9)
    with path.open("wb") as f:
        for _ in range(count):
            f.write(packed)


def make_inputs(folder: Path) -> list[Case]:
    """Write every hostile file into ``folder``; the URL cases are served by :func:`site`."""
    folder.mkdir(parents=True, exist_ok=True)
    w = folder.joinpath
    w("good.md").write_text(GOOD, encoding="utf-8")
    w("empty.txt").write_bytes(b"")
    w("binary.txt").write_bytes(bytes(range(256)) * 64)
    w("binary.jsonl").write_bytes(bytes(range(256)) * 64)
    data = gzip.compress("".join(_line(i, prefix="gz") + "\n" for i in range(200)).encode())
    w("truncated.jsonl.gz").write_bytes(data[: len(data) // 2])
    whole_lines = zlib.decompressobj(31).decompress(data[: len(data) // 2]).count(b"\n")
    w("invalid-utf8.md").write_bytes(b"Caf\xe9 prices\n\nThe caf\xe9 on the quay \xff\xfe raised "
                                     b"its prices. Customers complained.\n")
    w("nul-line.jsonl").write_bytes(f"{_line(1, prefix='nul')}\n".encode() + b"\x00" * 64
                                    + b"\n" + f"{_line(2, prefix='nul')}\n".encode())
    w("surrogate.jsonl").write_text(
        "".join(_line(i) + "\n" for i in range(200))
        + '{"title": "Cocoa", "text": "Cocoa \\ud800 prices rose."}\n', encoding="utf-8")
    w("rtl-emoji.md").write_text("تقرير الميناء 🚢\n\nالميناء مفتوح اليوم. הנמל נפתח מחדש 🎉. "
                                 "Ships 🚢 sailed at 08:00.\n", encoding="utf-8")
    w("nested.html").write_bytes(b"<html><body>" + b"<div>" * 10_000 + b"Deep text. " * 5
                                 + b"</div>" * 10_000 + b"</body></html>")
    w("no-punctuation.txt").write_text(("lorem ipsum dolor sit amet " * 40_000)[:1_000_000],
                                       encoding="utf-8")
    w("wrong-types.jsonl").write_text("\n".join([
        json.dumps({"text": 5}), json.dumps({"text": "Fine.", "title": ["a", "list"]}),
        json.dumps({"text": {"an": "object"}}), json.dumps({"text": None}),
        json.dumps({"id": 3, "date": 20260302, "text": "The numbers are fine here."})]),
        encoding="utf-8")
    w("deep.jsonl").write_text("[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    _members(b"\x00" * 16_000_000, 70, w("zeros.jsonl.gz"))  # 1.1 GB from ~1 MB
    lines = ((_line(7, "The quay is open. " * 3600, "bomb") + "\n") * 250).encode()
    _members(lines, 70, w("lines.jsonl.gz"))  # ~1.1 GB of valid lines
    with w("huge-record.jsonl").open("wb") as f:  # one 50 MB record, then a good one
        f.write(b'{"title": "Huge", "text": "')
        chunk = b"word " * 200_000
        for _ in range(50):
            f.write(chunk)
        f.write(b'"}\n' + _line(9, prefix="huge").encode() + b"\n")
    return [
        Case("empty file", "empty.txt", "empty", 0),
        Case("binary .txt", "binary.txt", "binary", 0),
        Case("binary .jsonl", "binary.jsonl", "binary", 0),
        Case("truncated gzip", "truncated.jsonl.gz", "truncated", whole_lines),
        Case("invalid UTF-8 (read as Windows-1252)", "invalid-utf8.md", None, 1),
        Case("raw NUL line in JSONL", "nul-line.jsonl", "NUL", 2),
        Case("lone surrogate in JSONL (after 200 good)", "surrogate.jsonl", "surrogate", 200),
        Case("RTL and emoji", "rtl-emoji.md", None, 1),
        Case("10,000 nested HTML elements", "nested.html", "no readable", 0),
        Case("1M characters, no punctuation", "no-punctuation.txt", None, 1),
        Case("wrongly typed JSON fields", "wrong-types.jsonl", "must be a string", 1),
        Case("JSON nested 100,000 deep", "deep.jsonl", "nested too deeply", 0),
        Case("gzip of 1.1 GB zeros", "zeros.jsonl.gz", "binary", 0),
        Case("gzip of 1.1 GB valid lines", "lines.jsonl.gz", "decompression bomb", 1),
        Case("one 50 MB JSONL record", "huge-record.jsonl", "longer than 20 MB", 1),
        Case("feed with &#xD800; in an entry", "/feed.xml", None, 3, url=True),
        Case("fetched gzip, gzip bomb (1 GB)", "/bomb.html", "larger than 5 MB", 0, url=True),
        Case("headers trickled 1 byte/0.1 s", "/trickle.html", "took longer than 2 s", 0,
             url=True),
    ]


FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Quay Wire</title>
<item><title>Quay one</title><guid>q1</guid><description>The first quay opened at dawn.
</description></item><item><title>Quay &#xD800; two</title><guid>q2</guid><description>
The second &#55296; quay opened at noon.</description></item><item><title>Quay three</title>
<guid>q3</guid><description>The third quay opened at dusk.</description></item>
</channel></rss>"""


@contextmanager
def site() -> Iterator[object]:
    """The URL cases, served on 127.0.0.1."""
    from tests.webserver import Page, serve, trickled_headers

    inner = gzip.compress(b"\x00" * 16_000_000, compresslevel=9) * 64  # 1 GB inflated
    bomb = gzip.compress(inner, compresslevel=9)

    with serve() as s:
        s.routes["/feed.xml"] = Page(FEED, "application/rss+xml")
        s.routes["/bomb.html"] = Page(bomb, headers={"Content-Encoding": "gzip, gzip"})
        s.routes["/trickle.html"] = trickled_headers(s, 0.1)
        yield s


def _status(field: str) -> int:
    text = Path("/proc/self/status").read_text()
    match = re.search(rf"^{field}:\s+(\d+) kB", text, re.MULTILINE)
    return int(match.group(1)) * 1024 if match else 0


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def ingest(argv: list[str]) -> tuple[int, str, str]:
    from bot.cli import main
    from tests.fakes import FakeEmbedder

    out, err = io.StringIO(), io.StringIO()
    code = main(["ingest", "--no-progress", *argv], embedder_factory=lambda m: FakeEmbedder(),
                stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def measure(folder: Path, cases: list[Case]) -> list[Row]:
    """Each case ingested beside the good report into a fresh data dir, each in a child
    forked from this warmed-up process (imports done), so that its peak is its own."""
    config = folder / "config.toml"
    config.write_text("[fetch]\ntimeout = 2\nallow_private_addresses = true\n")
    os.environ.pop("BRIEFBOT_CONFIG", None)
    ingest(["--data-dir", str(folder / "warm"), str(folder / "good.md")])  # imports, caches
    rows: list[Row] = []
    with site() as s:
        def target(case: Case) -> str:
            return s.url(case.file) if case.url else str(folder / case.file)  # type: ignore[attr-defined]

        for n, case in enumerate(cases):
            rows.append(_in_child(case.name, ["--config", str(config), "--data-dir",
                                              str(folder / f"data{n}"), str(folder / "good.md"),
                                              target(case)]))
        rows.append(_in_child(ALL, ["--config", str(config), "--data-dir", str(folder / "all"),
                                    str(folder / "good.md"), *map(target, cases)]))
    return rows


def _in_child(name: str, argv: list[str]) -> Row:
    """``briefbot ingest ARGV`` in a forked child; its peak resident memory over what it
    started with, its exit code, the reports added (the good one not counted), stderr."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        try:
            os.close(read_end)
            _reset_peak()
            base = _status("VmRSS")
            start = time.monotonic()
            code, out, err = ingest(argv)
            seconds = time.monotonic() - start
            peak = max(0, _status("VmHWM") - base)
            added = re.search(r"added (\d+) report", out)
            row = Row(name, code, int(added.group(1)) - 1 if added else -1,
                      err.strip().splitlines(), round(peak / 1e6, 1), round(seconds, 2))
            with os.fdopen(write_end, "w") as pipe:
                pipe.write(json.dumps(asdict(row)))
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        text = pipe.read()
    _, status = os.waitpid(pid, 0)
    if not text:
        return Row(name, -1, -1, [f"the ingest process died (status {status})"], -1, -1)
    return Row(**json.loads(text))


LOOPBACK_FORMS = ["http://127.0.0.1:{p}/", "http://localhost:{p}/", "http://[::1]:{p}/",
                  "http://127.1:{p}/", "http://2130706433:{p}/", "http://0x7f000001:{p}/",
                  "http://0177.0.0.1:{p}/", "http://[::ffff:127.0.0.1]:{p}/",
                  "http://0.0.0.0:{p}/", "http://127.0.0.1.nip.io:{p}/"]


def guard(folder: Path) -> tuple[int, int, int]:
    """(URL forms tried, refused with one line each, requests that reached the server)."""
    from tests.webserver import Page, serve

    os.environ.pop("BRIEFBOT_ALLOW_PRIVATE_URLS", None)
    with serve() as s:
        s.routes["*"] = Page(b"<p>secret</p>")
        urls = [form.format(p=s.port) for form in LOOPBACK_FORMS]
        _, _, err = ingest(["--data-dir", str(folder / "guard"), *urls])
        reached = len(s.requests)
    refused = sum(1 for url in urls if sum(url in line for line in err.splitlines()) == 1)
    return len(urls), refused, reached


def token_forms(text: str) -> int:
    """Occurrences of the token in any case, plain or URL-encoded: its secret half is in
    every form (it holds no character that URL encoding changes)."""
    secret = TOKEN.split(":")[1]
    assert quote(secret, safe="") == secret
    return text.lower().count(secret.lower())


def tokens(folder: Path) -> list[tuple[str, int, int, int]]:
    """(Bot API answer, exit code, lines on stderr, token occurrences in all output) for
    ``briefbot run`` against a fake Bot API that echoes the request path lower-cased."""
    from tests.webserver import bot_api_error, serve

    out = []
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "BRIEFBOT_BOT_API_RETRIES": "1",
           "HF_HUB_OFFLINE": "1"}
    for status in (401, 404, 500):
        for verbose in ([], ["-v"]):
            with serve() as s:
                s.routes["*"] = bot_api_error(status, "no such bot")
                done = subprocess.run(
                    [sys.executable, "-m", "bot", *verbose, "run", "--data-dir",
                     str(folder / "bot"), "--base-url", s.url("")], cwd=REPO, env=env,
                    capture_output=True, text=True, timeout=120)
            text = done.stdout + done.stderr
            out.append((f"getMe {status}{' -v' if verbose else ''}", done.returncode,
                        len(done.stderr.strip().splitlines()), token_forms(text)))
    return out


def table(rows: list[Row], cases: list[Case], guard_row: tuple[int, int, int],
          token_rows: list[tuple[str, int, int, int]]) -> str:
    lines = ["| input | refused cleanly | good records kept | peak memory over baseline | "
             "time |", "|---|---|---|---|---|"]
    for row, case in zip(rows, cases, strict=False):
        named = [p for p in row.problems if case.reason and case.reason in p]
        refused = "n/a (stored)" if case.reason is None else (
            f"yes: `{_short(named[0])}`" if named else "NO")
        lines.append(f"| {case.name} | {refused} | {row.stored} of {case.good} | "
                     f"{row.peak_mb:g} MB | {row.seconds:.1f} s |")
    together = rows[-1]
    lines.append(f"| {ALL} | {len(together.problems)} lines on stderr | {together.stored} of "
                 f"{sum(c.good for c in cases)} | {together.peak_mb:g} MB | "
                 f"{together.seconds:.1f} s |")
    tried, refused, reached = guard_row
    lines += ["", f"Loopback URL forms tried with the fetch guard on: {tried}; refused with one "
                  f"line each: {refused}; requests that reached the server: **{reached}**.", "",
              "| `briefbot run`, Bot API answers | exit code | lines on stderr | "
              "token occurrences in all output |", "|---|---|---|---|"]
    lines += [f"| {name} | {code} | {n} | **{count}** |" for name, code, n, count in token_rows]
    return "\n".join(lines)


def _short(problem: str) -> str:
    """A problem line without the temporary folder and the test server's address."""
    text = re.sub(r"(?:/[^\s/]+)+/(?=[\w.-]+\b)|http://127\.0\.0\.1:\d+/", "", problem)
    return text if len(text) <= 90 else text[:87] + "..."


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", metavar="DIR", help="measure the inputs in DIR (made if "
                        "missing) and print one JSON row per input")
    args = parser.parse_args()
    if args.json:
        folder = Path(args.json)
        cases = make_inputs(folder)
        for row in measure(folder, cases):
            print(json.dumps(asdict(row)), flush=True)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cases = make_inputs(folder)
        rows = measure(folder, cases)
        print(table(rows, cases, guard(folder), tokens(folder)))


if __name__ == "__main__":
    main()
