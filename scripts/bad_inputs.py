#!/usr/bin/env python3
"""Try bad inputs on the CLI as a new user would, and print what happened.

usage: python scripts/bad_inputs.py [--policy-tracker PATH] [--only NAME] [--json]

Each case runs in a fresh scratch folder holding a copy of the seeds (``S``)
and a ledger built from them (``ledger.yaml``).  For every case the table
gives the command, its exit code, whether a Python traceback was printed
(there must be none), the first line of the message, whether any data was
lost (the ledger changed, lost an analyst edit or lost its permissions or
link when the command should not have touched it), and whether the command
behaved as the case expects (``ok``) or not (``DEFECT``).

Exit status: 0 when every case is ``ok``, 1 otherwise.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DOC = "001_d101504f9048af62.txt"  # the 2023-04-20 briefing


def sha(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except (FileNotFoundError, IsADirectoryError):
        return None


@dataclass
class Ctx:
    dir: Path
    exe: list[str]
    env: dict[str, str]
    results: list[subprocess.CompletedProcess[str]] = field(default_factory=list)

    @property
    def ledger(self) -> Path:
        return self.dir / "ledger.yaml"

    def run(self, *args: str, stdin: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        try:
            proc = subprocess.run(
                [*self.exe, *args], cwd=self.dir, env=self.env, input=stdin if stdin is not None else "",
                capture_output=True, text=True, timeout=timeout,
            )
        except subprocess.TimeoutExpired as exc:
            proc = subprocess.CompletedProcess(exc.cmd, -9, exc.stdout or "", f"TIMEOUT after {timeout}s")
        self.results.append(proc)
        return proc

    def ledger_text(self) -> str:
        return self.ledger.read_text(encoding="utf-8")

    def a_commitment(self) -> str:
        """The id of a commitment stated in several briefings."""
        for line in self.ledger_text().splitlines():
            if line.startswith("- id: nev-"):
                return line.split(":", 1)[1].strip()
        for line in self.ledger_text().splitlines():
            if line.startswith("- id: "):
                return line.split(":", 1)[1].strip()
        raise SystemExit("no commitment in the seed ledger")


@dataclass
class Case:
    name: str
    what: str
    act: Callable[[Ctx], str | None]  # returns None if the behaviour is as expected, else what went wrong
    must_keep_ledger: bool = True  # the ledger must be byte-identical afterwards
    group: str = ""


CASES: list[Case] = []
GROUP = ""


def case(name: str, what: str, must_keep_ledger: bool = True):
    def deco(fn: Callable[[Ctx], str | None]) -> Callable[[Ctx], str | None]:
        CASES.append(Case(name, what, fn, must_keep_ledger, GROUP))
        return fn
    return deco


def refused(proc: subprocess.CompletedProcess[str], *words: str) -> str | None:
    if proc.returncode == 0:
        return "accepted (exit 0)"
    low = proc.stderr.lower()
    missing = [w for w in words if w.lower() not in low]
    return f"message lacks {missing}" if missing else None


# --- ingest: what gets read --------------------------------------------------
GROUP = 'ingest'

@case("ledger-as-document", "ingest S ledger.yaml (forgot --ledger)")
def _(c: Ctx) -> str | None:
    p = c.run("ingest", "S", "ledger.yaml")
    return refused(p, "ledger")


@case("dot-picks-up-outputs", "ingest . with README.md and a diff.md beside the documents", must_keep_ledger=False)
def _(c: Ctx) -> str | None:
    (c.dir / "README.md").write_text("# 说明\n下一步，将加快推进本项目的文档整理。\n", encoding="utf-8")
    c.run("diff", "2023-04-20", "2023-07-19", "--output", "diff.md")
    shutil.copy(c.dir / "S" / DOC, c.dir / DOC)
    p = c.run("ingest", ".", "--ledger", "ledger.yaml", "-q")
    if "README.md" in c.ledger_text() or "diff.md" in c.ledger_text():
        return "README.md/diff.md ingested as documents"
    return None if p.returncode in (0,) else f"exit {p.returncode}"


@case("named-pdf", "ingest report.pdf (a file named directly, wrong extension)")
def _(c: Ctx) -> str | None:
    (c.dir / "report.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    return refused(c.run("ingest", "report.pdf", "--ledger", "ledger.yaml"), "report.pdf")


@case("same-doc-new-name", "ingest a seed again under another name")
def _(c: Ctx) -> str | None:
    shutil.copy(c.dir / "S" / DOC, c.dir / "copy.txt")
    p = c.run("ingest", "copy.txt", "--ledger", "ledger.yaml")
    if "copy" in c.ledger_text():
        return "duplicate document ingested"
    return None if ("already" in p.stderr + p.stdout or "same" in p.stderr + p.stdout) else "no word about the duplicate"


@case("undated-strict", "ingest --strict an undated document")
def _(c: Ctx) -> str | None:
    (c.dir / "undated.txt").write_text("工信部有关负责人表示，下一步，将加快推进5G网络建设。\n", encoding="utf-8")
    return refused(c.run("ingest", "undated.txt", "--ledger", "ledger.yaml", "--strict"), "undated.txt")


@case("utf16-bom", "ingest a UTF-16 LE document with BOM (Windows 'Unicode')", must_keep_ledger=False)
def _(c: Ctx) -> str | None:
    text = (c.dir / "S" / DOC).read_text(encoding="utf-8")
    (c.dir / "S" / DOC).unlink()
    (c.dir / "S" / "u16.txt").write_bytes(text.encode("utf-16"))
    p = c.run("ingest", "S", "--ledger", "new.yaml", "-q")
    return None if p.returncode == 0 and (c.dir / "new.yaml").exists() and "u16" in (c.dir / "new.yaml").read_text(encoding="utf-8") else f"exit {p.returncode}: {first(p)}"


@case("utf16-nobom", "ingest a UTF-16 LE document without BOM", must_keep_ledger=False)
def _(c: Ctx) -> str | None:
    text = (c.dir / "S" / DOC).read_text(encoding="utf-8")
    (c.dir / "u16.txt").write_bytes(text.encode("utf-16-le"))
    p = c.run("ingest", "u16.txt", "--ledger", "new.yaml", "-q")
    return None if p.returncode == 0 and (c.dir / "new.yaml").exists() else f"exit {p.returncode}: {first(p)}"


@case("gb18030", "ingest a GB18030 (GBK) encoded document", must_keep_ledger=False)
def _(c: Ctx) -> str | None:
    text = (c.dir / "S" / DOC).read_text(encoding="utf-8")
    (c.dir / "gbk.txt").write_bytes(text.encode("gb18030"))
    p = c.run("ingest", "gbk.txt", "--ledger", "new.yaml", "-q")
    ok = p.returncode == 0 and (c.dir / "new.yaml").exists()
    return None if ok or ("gbk.txt" in p.stderr and "encod" in p.stderr.lower()) else f"exit {p.returncode}: {first(p)}"


@case("big5", "ingest a Big5 encoded document", must_keep_ledger=False)
def _(c: Ctx) -> str | None:
    (c.dir / "b5.txt").write_bytes("工業和信息化部表示，下一步，將加快推進5G網絡建設。\n".encode("big5"))
    p = c.run("ingest", "b5.txt", "--ledger", "new.yaml", "-q")
    ok = p.returncode == 0
    return None if ok or ("b5.txt" in p.stderr and "encod" in p.stderr.lower()) else f"exit {p.returncode}: {first(p)}"


@case("nul-bytes", "ingest a binary file (PNG) named directly")
def _(c: Ctx) -> str | None:
    (c.dir / "pic.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    return refused(c.run("ingest", "pic.txt", "--ledger", "ledger.yaml"), "pic.txt")


@case("missing-path", "ingest a path that does not exist")
def _(c: Ctx) -> str | None:
    return refused(c.run("ingest", "nowhere", "--ledger", "ledger.yaml"), "nowhere")


@case("empty-folder", "ingest an empty folder")
def _(c: Ctx) -> str | None:
    (c.dir / "empty").mkdir()
    return refused(c.run("ingest", "empty", "--ledger", "ledger.yaml"), "empty")


@case("huge-document", "ingest a 30 MB document", must_keep_ledger=False)
def _(c: Ctx) -> str | None:
    text = (c.dir / "S" / DOC).read_text(encoding="utf-8")
    reps = 30_000_000 // len(text.encode("utf-8")) + 1
    (c.dir / "huge.txt").write_text(text * reps, encoding="utf-8")
    t = time.monotonic()
    p = c.run("ingest", "huge.txt", "--ledger", "new.yaml", timeout=60)
    dt = time.monotonic() - t
    if p.returncode == -9:
        return f"no answer after {dt:.0f}s"
    return None if "huge.txt" in p.stderr else "taken without a warning"


@case("crlf-bom-document", "ingest a UTF-8 document with BOM and CRLF line ends", must_keep_ledger=False)
def _(c: Ctx) -> str | None:
    text = (c.dir / "S" / DOC).read_text(encoding="utf-8")
    (c.dir / "win.txt").write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    p = c.run("ingest", "win.txt", "--ledger", "new.yaml", "-q")
    if p.returncode != 0:
        return f"exit {p.returncode}: {first(p)}"
    v = c.run("validate", "new.yaml", "--docs", ".")
    return None if v.returncode == 0 else f"validate: {first(v)}"


@case("chinese-file-name", "ingest a document whose name has spaces and Chinese", must_keep_ledger=False)
def _(c: Ctx) -> str | None:
    shutil.copy(c.dir / "S" / DOC, c.dir / "新华社 报道.txt")
    p = c.run("ingest", "新华社 报道.txt", "--ledger", "new.yaml", "-q")
    return None if p.returncode == 0 else f"exit {p.returncode}: {first(p)}"


@case("manifest-bad-yaml", "ingest --manifest with broken YAML")
def _(c: Ctx) -> str | None:
    (c.dir / "m.yaml").write_text("documents: [\n  - {file: x\n", encoding="utf-8")
    return refused(c.run("ingest", "S", "--ledger", "ledger.yaml", "--manifest", "m.yaml"), "m.yaml")


@case("manifest-wrong-shape", "ingest --manifest in a guessed shape (briefings: list, held: 2023-13-45)")
def _(c: Ctx) -> str | None:
    (c.dir / "m.yaml").write_text(f"briefings:\n  - held: '2023-13-45'\n    documents: [{DOC}]\n", encoding="utf-8")
    return refused(c.run("ingest", "S", "--ledger", "ledger.yaml", "--manifest", "m.yaml"), "m.yaml")


@case("manifest-bad-date", "ingest --manifest with held: 2023-13-45 (documented shape)")
def _(c: Ctx) -> str | None:
    (c.dir / "m.yaml").write_text(f"documents:\n  {DOC[:-4]}:\n    held: '2023-13-45'\n", encoding="utf-8")
    return refused(c.run("ingest", "S", "--ledger", "ledger.yaml", "--manifest", "m.yaml"), "m.yaml", "held")


@case("manifest-unknown-doc", "ingest --manifest naming a document that is not there")
def _(c: Ctx) -> str | None:
    (c.dir / "m.yaml").write_text("documents:\n  nosuch:\n    held: '2023-05-01'\n", encoding="utf-8")
    p = c.run("ingest", "S", "--ledger", "ledger.yaml", "--manifest", "m.yaml")
    return None if "nosuch" in p.stderr else "unknown manifest entry ignored silently"


@case("manifest-adds", "ingest --manifest giving one field keeps the shipped manifest's other facts", must_keep_ledger=False)
def _(c: Ctx) -> str | None:
    before = c.ledger_text()
    (c.dir / "m.yaml").write_text(f"documents:\n  {DOC[:-4]}:\n    outlet: 某某日报\n", encoding="utf-8")
    p = c.run("ingest", "S", "--ledger", "ledger.yaml", "--manifest", "m.yaml", "-q")
    if p.returncode != 0:
        return f"exit {p.returncode}: {first(p)}"
    added = [ln for ln in c.ledger_text().splitlines() if ln not in before.splitlines()]
    return None if added == ["  outlet: 某某日报"] else f"ledger changed beyond the outlet: {added[:3]}"


@case("front-matter-broken", "ingest a document with broken front matter", must_keep_ledger=False)
def _(c: Ctx) -> str | None:
    (c.dir / "fm.txt").write_text("---\nheld: [2023-05-01\n---\n下一步，将加快推进5G网络建设。\n", encoding="utf-8")
    p = c.run("ingest", "fm.txt", "--ledger", "new.yaml")
    return None if "fm.txt" in p.stderr else f"exit {p.returncode}: {first(p)}"


# --- the ledger file ----------------------------------------------------------
GROUP = 'ledger file'

@case("zero-byte-ledger", "ingest into a 0-byte ledger.yaml (touch ledger.yaml)", must_keep_ledger=False)
def _(c: Ctx) -> str | None:
    c.ledger.write_bytes(b"")
    p = c.run("ingest", "S", "--ledger", "ledger.yaml", "-q")
    return None if p.returncode == 0 and c.ledger.stat().st_size > 0 else f"exit {p.returncode}: {first(p)}"


@case("ledger-cut-at-boundary", "validate a ledger cut at a commitment boundary")
def _(c: Ctx) -> str | None:
    text = c.ledger_text()
    cut = text.index("\n- id: ", len(text) // 3)
    (c.dir / "cut.yaml").write_text(text[: cut + 1], encoding="utf-8")
    return refused(c.run("validate", "cut.yaml"), "cut.yaml")


@case("ledger-cut-mid-char", "validate a ledger cut inside a UTF-8 character")
def _(c: Ctx) -> str | None:
    data = c.ledger.read_bytes()
    i = len(data) // 2
    while data[i] < 0x80:
        i += 1
    (c.dir / "cut.yaml").write_bytes(data[: i + 1])
    return refused(c.run("validate", "cut.yaml"), "cut.yaml", "trunc")


@case("validate-all-errors", "validate a ledger with two independent errors reports both")
def _(c: Ctx) -> str | None:
    text = c.ledger_text().replace("\n    start: ", "\n    start: x", 1)
    idx = text.rindex("\n    end: ") + 1
    text = text[:idx] + "    end: y" + text[idx + len("    end: "):]
    (c.dir / "two.yaml").write_text(text, encoding="utf-8")
    p = c.run("validate", "two.yaml")
    if p.returncode == 0:
        return "accepted"
    return None if p.stderr.count("error: two.yaml:") >= 2 else "only the first error reported"


@case("alias-bomb-notes", "a YAML alias bomb in a commitment's notes")
def _(c: Ctx) -> str | None:
    levels = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    levels += [f"a{i}: &a{i} [" + ", ".join([f"*a{i-1}"] * 9) + "]" for i in range(1, 10)]
    bomb = "{" + ", ".join(levels) + "}"
    cid = c.a_commitment()
    text = c.ledger_text().replace(f"- id: {cid}\n", f"- id: {cid}\n  notes: {bomb}\n", 1)
    (c.dir / "bomb.yaml").write_text(text, encoding="utf-8")
    t = time.monotonic()
    p = c.run("show", cid, "--ledger", "bomb.yaml", timeout=30)
    if time.monotonic() - t > 10:
        return f"took {time.monotonic() - t:.0f}s"
    return refused(p, "bomb.yaml")


@case("deep-yaml", "a ledger of 100,000 nested [ (deep YAML)")
def _(c: Ctx) -> str | None:
    (c.dir / "deep.yaml").write_text("a: " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    return refused(c.run("validate", "deep.yaml"), "deep.yaml")


@case("python-tag", "a ledger with a !!python/object tag")
def _(c: Ctx) -> str | None:
    (c.dir / "evil.yaml").write_text("x: !!python/object/apply:os.system ['echo pwned > pwned']\n", encoding="utf-8")
    p = c.run("validate", "evil.yaml")
    if (c.dir / "pwned").exists():
        return "CODE EXECUTED"
    return refused(p, "evil.yaml")


@case("tab-indented", "a hand-edited ledger indented with a tab")
def _(c: Ctx) -> str | None:
    text = c.ledger_text().replace("\n  title: ", "\n\ttitle: ", 1)
    (c.dir / "tab.yaml").write_text(text, encoding="utf-8")
    p = c.run("show", c.a_commitment(), "--ledger", "tab.yaml")
    return refused(p, "tab.yaml:")


@case("future-schema", "a ledger written by a future version (schema: 99)")
def _(c: Ctx) -> str | None:
    text = c.ledger_text()
    import re as _re
    text = _re.sub(r"^schema(_version)?: .*$", r"schema\1: 99", text, count=1, flags=_re.M)
    (c.dir / "future.yaml").write_text(text, encoding="utf-8")
    return refused(c.run("validate", "future.yaml"), "future.yaml")


@case("duplicate-ids", "a hand edit that gives two commitments the same id")
def _(c: Ctx) -> str | None:
    text = c.ledger_text()
    ids = [ln for ln in text.split("\ncommitments:\n", 1)[1].splitlines() if ln.startswith("- id: ")]
    text = text.replace(ids[1] + "\n", ids[0] + "\n", 1)
    (c.dir / "dup.yaml").write_text(text, encoding="utf-8")
    return refused(c.run("validate", "dup.yaml"), "dup.yaml")


@case("quote-mismatch", "a hand edit that changes a quote so it no longer matches its document")
def _(c: Ctx) -> str | None:
    text = c.ledger_text()
    i = text.index("    quote: ")
    text = text[: i + len("    quote: ")] + "改" + text[i + len("    quote: ") + 1:]
    (c.dir / "q.yaml").write_text(text, encoding="utf-8")
    return refused(c.run("validate", "q.yaml", "--docs", "S"), "q.yaml")


@case("start-after-end", "a hand edit with a mention whose start is after its end")
def _(c: Ctx) -> str | None:
    import re as _re
    text = _re.sub(r"(\n\s+start: )(\d+)", r"\g<1>999999", c.ledger_text(), count=1)
    (c.dir / "se.yaml").write_text(text, encoding="utf-8")
    return refused(c.run("validate", "se.yaml"), "se.yaml")


@case("ledger-is-folder", "--ledger pointing at a folder, in ingest and report")
def _(c: Ctx) -> str | None:
    (c.dir / "lf").mkdir()
    a = c.run("ingest", "S", "--ledger", "lf")
    b = c.run("report", "--ledger", "lf")
    if a.returncode == 0 or b.returncode == 0:
        return "accepted"
    ma, mb = a.stderr.strip().splitlines()[-1:], b.stderr.strip().splitlines()[-1:]
    return None if ma == mb else f"two messages: {ma} / {mb}"


@case("ledger-missing", "show with no ledger.yaml in the folder")
def _(c: Ctx) -> str | None:
    c.ledger.rename(c.dir / "elsewhere.yaml")
    p = c.run("show", "x")
    c.ledger.write_bytes((c.dir / "elsewhere.yaml").read_bytes())
    return refused(p, "ledger.yaml")


@case("crlf-ledger", "a ledger re-saved with CRLF line ends (Windows editor)")
def _(c: Ctx) -> str | None:
    (c.dir / "crlf.yaml").write_bytes(c.ledger.read_bytes().replace(b"\n", b"\r\n"))
    p = c.run("validate", "crlf.yaml")
    return None if p.returncode == 0 else f"refused: {first(p)}"


@case("stale-lock", "a lock file left behind by a killed process", must_keep_ledger=False)
def _(c: Ctx) -> str | None:
    for name in ("ledger.yaml.lock", ".ledger.yaml.lock"):
        (c.dir / name).write_text("12345678\n")
    p = c.run("set", c.a_commitment(), "notes=x")
    for name in ("ledger.yaml.lock", ".ledger.yaml.lock"):
        (c.dir / name).unlink(missing_ok=True)
    return None if p.returncode == 0 or "lock" in p.stderr.lower() else f"exit {p.returncode}: {first(p)}"


# --- saving: permissions and links ------------------------------------------
GROUP = 'saving'

def _save(c: Ctx) -> subprocess.CompletedProcess[str]:
    return c.run("set", c.a_commitment(), "notes=checked")


@case("perm-0600", "set on a 0600 ledger keeps it 0600", must_keep_ledger=False)
def _(c: Ctx) -> str | None:
    os.chmod(c.ledger, 0o600)
    p = _save(c)
    mode = stat.S_IMODE(c.ledger.stat().st_mode)
    return None if p.returncode == 0 and mode == 0o600 else f"exit {p.returncode}, mode {oct(mode)}"


@case("perm-0664", "set on a 0664 ledger keeps it 0664", must_keep_ledger=False)
def _(c: Ctx) -> str | None:
    os.chmod(c.ledger, 0o664)
    p = _save(c)
    mode = stat.S_IMODE(c.ledger.stat().st_mode)
    return None if p.returncode == 0 and mode == 0o664 else f"exit {p.returncode}, mode {oct(mode)}"


@case("perm-0444", "set on a read-only (0444) ledger is refused")
def _(c: Ctx) -> str | None:
    os.chmod(c.ledger, 0o444)
    p = _save(c)
    os.chmod(c.ledger, 0o644)
    return refused(p, "ledger.yaml")


@case("symlink", "set through a symlinked ledger updates the target", must_keep_ledger=False)
def _(c: Ctx) -> str | None:
    (c.dir / "real").mkdir()
    c.ledger.rename(c.dir / "real" / "ledger.yaml")
    c.ledger.symlink_to(Path("real") / "ledger.yaml")
    p = _save(c)
    ok = c.ledger.is_symlink() and "checked" in (c.dir / "real" / "ledger.yaml").read_text(encoding="utf-8")
    return None if p.returncode == 0 and ok else "link replaced by a plain file"


@case("readonly-dir", "set when the ledger's folder is read-only")
def _(c: Ctx) -> str | None:
    if os.geteuid() == 0:
        return None  # root writes anywhere: nothing to try
    os.chmod(c.dir, 0o555)
    p = _save(c)
    os.chmod(c.dir, 0o755)
    return refused(p, "ledger.yaml")


# --- curation -----------------------------------------------------------------
GROUP = 'curation'

@case("show-hint-runs", "the `set … --evidence` hint printed by show runs", must_keep_ledger=False)
def _(c: Ctx) -> str | None:
    import shlex
    ids = [ln.split(":", 1)[1].strip() for ln in c.ledger_text().splitlines() if ln.startswith("- id: ")]
    for cid in ids[:60]:
        show = c.run("show", cid)
        hint = [ln for ln in show.stdout.splitlines() + show.stderr.splitlines() if "policy-tracker set" in ln]
        if hint:
            break
    else:
        return "no hint found in 60 commitments"
    line = hint[0][hint[0].index("policy-tracker set") + len("policy-tracker "):]
    cmd = [a for a in shlex.split(line.split("`")[0]) if not a.startswith("<")]
    p = c.run(*cmd)
    return None if p.returncode != 2 else f"hint `{line.split('`')[0]}` exits 2: {first(p)}"


@case("set-empty-title", "set ID title= (empty)")
def _(c: Ctx) -> str | None:
    return refused(c.run("set", c.a_commitment(), "title="), "title")


@case("set-bad-status", "set ID status=bogus")
def _(c: Ctx) -> str | None:
    return refused(c.run("set", c.a_commitment(), "status=bogus"), "status")


@case("set-unknown-field", "set ID colour=red")
def _(c: Ctx) -> str | None:
    return refused(c.run("set", c.a_commitment(), "colour=red"), "colour")


@case("set-unknown-id", "set on an id that does not exist")
def _(c: Ctx) -> str | None:
    return refused(c.run("set", "no-such-id", "notes=x"), "no-such-id")


@case("merge-self", "merge A A")
def _(c: Ctx) -> str | None:
    cid = c.a_commitment()
    return refused(c.run("merge", cid, cid), cid)


@case("merge-unknown", "merge A with an unknown id")
def _(c: Ctx) -> str | None:
    return refused(c.run("merge", c.a_commitment(), "no-such-id"), "no-such-id")


@case("show-rejected", "show a commitment after rejecting it says it was rejected", must_keep_ledger=False)
def _(c: Ctx) -> str | None:
    cid = c.a_commitment()
    c.run("reject", cid, "--reason", "not a pledge")
    p = c.run("show", cid)
    return None if p.returncode != 0 and "reject" in p.stderr.lower() else f"exit {p.returncode}: {first(p)}"


@case("pin-rejected-clash", "pin a mention that was rejected (clashing decisions)", must_keep_ledger=False)
def _(c: Ctx) -> str | None:
    import re as _re
    text = c.ledger_text()
    m = _re.search(r"\n  - source: (\S+)\n    start: (\d+)\n    end: (\d+)", text)
    if not m:
        return "could not find a mention id in the ledger"
    mid = f"{m.group(1)}@{m.group(2)}-{m.group(3)}"
    c.run("reject", mid, "--reason", "noise")
    p = c.run("pin", mid, c.a_commitment())
    return None if p.returncode != 0 and "reject" in p.stderr.lower() else f"exit {p.returncode}: {first(p)}"


@case("edits-survive-reingest", "an analyst's title and notes survive a re-ingest", must_keep_ledger=False)
def _(c: Ctx) -> str | None:
    cid = c.a_commitment()
    c.run("set", cid, "title=分析员标题", "notes=分析员笔记")
    c.run("ingest", "S", "--ledger", "ledger.yaml", "-q")
    t = c.ledger_text()
    return None if "分析员标题" in t and "分析员笔记" in t else "analyst edit lost"


# --- reports ------------------------------------------------------------------
GROUP = 'reports'

@case("diff-reversed", "diff B A with B earlier than A")
def _(c: Ctx) -> str | None:
    p = c.run("diff", "2023-07-19", "2023-04-20")
    return None if "earlier" in p.stderr.lower() or "before" in p.stderr.lower() or "reverse" in p.stderr.lower() else "no warning"


@case("diff-same", "diff A A")
def _(c: Ctx) -> str | None:
    p = c.run("diff", "2023-04-20", "2023-04-20")
    return None if "same" in p.stderr.lower() else "no warning"


@case("diff-unknown", "diff with an unknown briefing")
def _(c: Ctx) -> str | None:
    return refused(c.run("diff", "1999-01-01", "2023-04-20"), "1999-01-01")


@case("topic-hyphen", "timeline --topic growth-stabilisation (hyphen, as in ids)")
def _(c: Ctx) -> str | None:
    a = c.run("timeline", "--topic", "growth-stabilisation")
    b = c.run("timeline", "--topic", "growth_stabilisation")
    return None if a.returncode == 0 and a.stdout == b.stdout else f"exit {a.returncode}: {first(a)}"


@case("output-missing-dir", "report --output into a folder that does not exist")
def _(c: Ctx) -> str | None:
    return refused(c.run("report", "--format", "html", "--output", "no/such/dir/r.html"), "no/such/dir")


@case("eval-bad-gold", "eval with a gold file that is not YAML")
def _(c: Ctx) -> str | None:
    (c.dir / "gold.yaml").write_text("commitments: {a: [\n", encoding="utf-8")
    return refused(c.run("eval", "gold.yaml", "--docs", "S"), "gold.yaml")


@case("ingest-unchanged", "re-ingest of the same seeds says unchanged, not updated")
def _(c: Ctx) -> str | None:
    p = c.run("ingest", "S", "--ledger", "ledger.yaml")
    return None if "updated ledger" not in p.stdout + p.stderr else "says 'updated' for a byte-identical ledger"


@case("dry-run-missing", "ingest --dry-run for a ledger that does not exist says it would create it", must_keep_ledger=False)
def _(c: Ctx) -> str | None:
    p = c.run("ingest", "S", "--ledger", "new.yaml", "--dry-run")
    return None if "would create" in (p.stdout + p.stderr) and not (c.dir / "new.yaml").exists() else first(p)


@case("partial-failure-exit", "a partial document failure exits with a code other than a fatal error's", must_keep_ledger=False)
def _(c: Ctx) -> str | None:
    (c.dir / "S" / "bin.txt").write_bytes(b"\x00\x01\x02" * 100)
    p = c.run("ingest", "S", "--ledger", "new.yaml", "-q")
    fatal = c.run("ingest", "nowhere", "--ledger", "new2.yaml")
    return None if p.returncode != fatal.returncode and (c.dir / "new.yaml").exists() else f"both exit {p.returncode}"


@case("sigint", "Ctrl-C during ingest: no traceback, ledger intact")
def _(c: Ctx) -> str | None:
    import signal
    proc = subprocess.Popen([*c.exe, "ingest", "S", "--ledger", "ledger.yaml", "--no-incremental"], cwd=c.dir, env=c.env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(0.4)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    c.results.append(subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
    return None


# --- more kinds: odd encodings, hand edits that break invariants, interrupted and clashing commands ---
GROUP = 'more kinds'

def _mention_ids(c: Ctx, n: int = 2) -> list[str]:
    """Ids (SOURCE@START-END) of the first ``n`` mentions of the first commitment holding that many."""
    import yaml as _yaml
    data = _yaml.safe_load(c.ledger_text())
    for cm in data["commitments"]:
        if len(cm["mentions"]) >= n:
            return [f"{m['source']}@{m['start']}-{m['end']}" for m in cm["mentions"][:n]]
    raise SystemExit("no commitment with enough mentions")


def _commitments(c: Ctx, path: Path | None = None) -> list[dict]:
    import yaml as _yaml
    return _yaml.safe_load((path or c.ledger).read_text(encoding="utf-8-sig"))["commitments"]


def _write_ledger(c: Ctx, name: str, text: str) -> Path:
    path = c.dir / name
    path.write_text(text, encoding="utf-8")
    return path


@case("ledger-bom", "a ledger re-saved with a UTF-8 BOM (Notepad), then `set` on it", must_keep_ledger=False)
def _(c: Ctx) -> str | None:
    c.ledger.write_bytes(b"\xef\xbb\xbf" + c.ledger.read_bytes())
    v = c.run("validate", "ledger.yaml")
    if v.returncode != 0:
        return f"validate: {first(v)}"
    p = c.run("set", c.a_commitment(), "notes=bom ok")
    return None if p.returncode == 0 and "bom ok" in c.ledger.read_text(encoding="utf-8-sig") else f"exit {p.returncode}: {first(p)}"


@case("ledger-utf16", "a ledger re-saved as UTF-16 (Windows 'Unicode')")
def _(c: Ctx) -> str | None:
    (c.dir / "u16.yaml").write_bytes(c.ledger_text().encode("utf-16"))
    return refused(c.run("show", c.a_commitment(), "--ledger", "u16.yaml"), "u16.yaml", "UTF-8")


@case("ledger-gbk", "a ledger re-saved as GBK by a Chinese editor")
def _(c: Ctx) -> str | None:
    (c.dir / "gbk.yaml").write_bytes(c.ledger_text().encode("gb18030"))
    return refused(c.run("validate", "gbk.yaml"), "gbk.yaml", "UTF-8")


@case("ledger-nul", "a NUL byte pasted into a ledger's notes")
def _(c: Ctx) -> str | None:
    cid = c.a_commitment()
    _write_ledger(c, "nul.yaml", c.ledger_text().replace(f"- id: {cid}\n", f"- id: {cid}\n  notes: a\x00b\n", 1))
    return refused(c.run("validate", "nul.yaml"), "nul.yaml:")


@case("ledger-conflict-markers", "a ledger with git merge-conflict markers (<<<<<<< HEAD)")
def _(c: Ctx) -> str | None:
    cid = c.a_commitment()
    text = c.ledger_text().replace(f"- id: {cid}\n", f"<<<<<<< HEAD\n- id: {cid}\n=======\n- id: {cid}-x\n>>>>>>> branch\n", 1)
    _write_ledger(c, "conflict.yaml", text)
    p = c.run("show", cid, "--ledger", "conflict.yaml")
    return refused(p, "conflict.yaml:", "conflict")


@case("ledger-duplicate-key", "a hand edit that gives a commitment two `title:` keys")
def _(c: Ctx) -> str | None:
    cid = c.a_commitment()
    _write_ledger(c, "dupkey.yaml", c.ledger_text().replace(f"- id: {cid}\n", f"- id: {cid}\n  title: 第一个标题\n", 1))
    return refused(c.run("validate", "dupkey.yaml"), "dupkey.yaml:", "title")


@case("ledger-top-list", "a ledger whose top level is a list, not a mapping")
def _(c: Ctx) -> str | None:
    (c.dir / "list.yaml").write_text("- a\n- b\n", encoding="utf-8")
    return refused(c.run("validate", "list.yaml"), "list.yaml")


@case("ledger-unquoted-date", "a hand edit writing held: 2023-04-20 without quotes (YAML reads a date)")
def _(c: Ctx) -> str | None:
    text = c.ledger_text().replace("  held: '2023-04-20'\n", "  held: 2023-04-20\n", 1)
    _write_ledger(c, "date.yaml", text)
    p = c.run("validate", "date.yaml")
    return None if p.returncode == 0 else f"refused: {first(p)}"


@case("mention-negative-start", "a hand edit giving a mention a negative start")
def _(c: Ctx) -> str | None:
    import re as _re
    text = _re.sub(r"(\n    start: )(\d+)\n    end: (\d+)", r"\g<1>-5\n    end: \3", c.ledger_text(), count=1)
    _write_ledger(c, "neg.yaml", text)
    return refused(c.run("validate", "neg.yaml"), "neg.yaml:", "start")


@case("offset-past-end", "a hand edit moving a mention past the end of its document (validate --docs)")
def _(c: Ctx) -> str | None:
    import re as _re
    m = _re.search(r"\n    start: (\d+)\n    end: (\d+)\n    quote: (.*)\n", c.ledger_text())
    n = int(m.group(2)) - int(m.group(1))
    text = c.ledger_text().replace(m.group(0), f"\n    start: 900000\n    end: {900000 + n}\n    quote: {m.group(3)}\n", 1)
    _write_ledger(c, "past.yaml", text)
    return refused(c.run("validate", "past.yaml", "--docs", "S"), "past.yaml:")


@case("empty-mentions", "a hand edit leaving a commitment with `mentions: []`")
def _(c: Ctx) -> str | None:
    import re as _re
    cid = c.a_commitment()
    text = c.ledger_text()
    i = text.index(f"- id: {cid}\n")
    j = text.index("  mentions:\n", i)
    k = text.index("\n- id: ", j)
    _write_ledger(c, "nomen.yaml", text[:j] + "  mentions: []" + text[k:])
    return refused(c.run("validate", "nomen.yaml"), "nomen.yaml:", cid)


@case("briefing-missing", "a hand edit deleting a briefing that mentions still name")
def _(c: Ctx) -> str | None:
    text = c.ledger_text()
    i = text.index("- id: 2023-07-19-press-conference\n")
    j = text.index("\n- id: ", i + 1)
    _write_ledger(c, "nobrief.yaml", text[:i] + text[j + 1:])
    return refused(c.run("validate", "nobrief.yaml"), "nobrief.yaml", "2023-07-19-press-conference")


@case("document-missing", "a hand edit deleting a document entry that mentions still name")
def _(c: Ctx) -> str | None:
    text = c.ledger_text()
    i = text.index(f"- id: {DOC[:-4]}\n  briefing:")
    j = text.index("\n- id: ", i + 1)
    _write_ledger(c, "nodoc.yaml", text[:i] + text[j + 1:])
    return refused(c.run("validate", "nodoc.yaml"), "nodoc.yaml", DOC[:-4])


@case("decision-bad-action", "a hand-written decision with action: bogus")
def _(c: Ctx) -> str | None:
    text = c.ledger_text().replace("decisions: []\n", f"decisions:\n- action: bogus\n  ids: [{c.a_commitment()}]\n", 1)
    _write_ledger(c, "dec.yaml", text)
    return refused(c.run("validate", "dec.yaml"), "dec.yaml:", "action")


@case("decision-unknown-id", "a hand-written merge decision naming an unknown id", must_keep_ledger=False)
def _(c: Ctx) -> str | None:
    text = c.ledger_text().replace("decisions: []\n", f"decisions:\n- action: merge\n  into: {c.a_commitment()}\n  ids: [no-such-id-2023-01]\n", 1)
    c.ledger.write_text(text, encoding="utf-8")
    p = c.run("ingest", "S", "--ledger", "ledger.yaml")
    if p.returncode != 0:
        return f"exit {p.returncode}: {first(p)}"
    return None if "no-such-id-2023-01" in p.stderr else "unknown id in a decision not reported"


@case("clashing-pins", "pin one mention to A, then to B (clashing decisions)", must_keep_ledger=False)
def _(c: Ctx) -> str | None:
    mid = _mention_ids(c, 1)[0]
    ids = [cm["id"] for cm in _commitments(c)]
    a = next(i for i in ids if i != c.a_commitment())
    c.run("pin", mid, a)
    p = c.run("pin", mid, c.a_commitment())
    v = c.run("validate", "ledger.yaml")
    if v.returncode != 0:
        return f"ledger left invalid: {first(v)}"
    holder = next(cm["id"] for cm in _commitments(c) for m in cm["mentions"] if f"{m['source']}@{m['start']}-{m['end']}" == mid)
    if p.returncode == 0:
        return None if holder == c.a_commitment() else f"second pin reported done but mention is in {holder}"
    return None if "pin" in p.stderr.lower() else f"exit {p.returncode}: {first(p)}"


@case("merge-then-split-back", "merge A B, then split B's mentions out again (decisions that undo each other)", must_keep_ledger=False)
def _(c: Ctx) -> str | None:
    ids = [cm["id"] for cm in _commitments(c)]
    a, b = ids[0], ids[1]
    b_mentions = [f"{m['source']}@{m['start']}-{m['end']}" for m in _commitments(c)[1]["mentions"]]
    c.run("merge", a, b)
    args = [x for mid in b_mentions for x in ("--mention", mid)]
    p = c.run("split", a, *args)
    if p.returncode != 0:
        return f"exit {p.returncode}: {first(p)}"
    r = c.run("ingest", "S", "--ledger", "ledger.yaml", "-q")
    v = c.run("validate", "ledger.yaml")
    return None if r.returncode == 0 and v.returncode == 0 else f"re-ingest {r.returncode} / validate: {first(v) or first(r)}"


@case("evidence-unknown", "set ID --evidence with an evidence id that does not exist")
def _(c: Ctx) -> str | None:
    return refused(c.run("set", c.a_commitment(), "--evidence", "nosuch@1-2"), "nosuch@1-2")


@case("set-yaml-specials", "set notes/title with YAML-special text (': - [x] # \"q\"', newlines, leading spaces)", must_keep_ledger=False)
def _(c: Ctx) -> str | None:
    notes = ": - [x] # 'q' \"dq\" &a *b !tag {k: v} no\n第二行\t制表\n"
    title = "  前导空格的标题: yes"
    cid = c.a_commitment()
    p = c.run("set", cid, f"notes={notes}", f"title={title}")
    if p.returncode != 0:
        return f"exit {p.returncode}: {first(p)}"
    cm = next(x for x in _commitments(c) if x["id"] == cid)
    return None if cm.get("notes") == notes and cm.get("title") == title else f"round trip changed the text: {cm.get('notes')!r} {cm.get('title')!r}"


@case("set-control-chars", "set notes with control and invisible characters (ESC, U+2028, BOM, bidi)", must_keep_ledger=False)
def _(c: Ctx) -> str | None:
    notes = "a\x1bb\u2028c\ufeffd\u202ee\x7ff"
    cid = c.a_commitment()
    p = c.run("set", cid, f"notes={notes}")
    v = c.run("validate", "ledger.yaml")
    if p.returncode == 0 and v.returncode != 0:
        return f"set wrote a ledger validate refuses: {first(v)}"
    if p.returncode == 0:
        cm = next(x for x in _commitments(c) if x["id"] == cid)
        return None if cm.get("notes") == notes else f"round trip changed the text: {cm.get('notes')!r}"
    return None if "notes" in p.stderr else f"exit {p.returncode}: {first(p)}"


@case("huge-notes", "a 5 MB notes value pasted into the ledger", must_keep_ledger=False)
def _(c: Ctx) -> str | None:
    cid = c.a_commitment()
    c.ledger.write_text(c.ledger_text().replace(f"- id: {cid}\n", f"- id: {cid}\n  notes: {'长' * 1_700_000}\n", 1), encoding="utf-8")
    t = time.monotonic()
    p = c.run("set", cid, "title=新标题", timeout=60)
    dt = time.monotonic() - t
    if p.returncode != 0:
        return f"exit {p.returncode}: {first(p)}"
    return None if dt < 30 and "长" * 1000 in c.ledger_text() else f"took {dt:.0f}s or lost the notes"


@case("ledger-locked-live", "set while another live process holds the ledger's lock")
def _(c: Ctx) -> str | None:
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (c.dir / "ledger.yaml.lock").write_text(f"{holder.pid}\n")
        p = c.run("set", c.a_commitment(), "notes=x")
    finally:
        holder.kill()
        holder.wait()
        (c.dir / "ledger.yaml.lock").unlink(missing_ok=True)
    return refused(p, "ledger.yaml", str(holder.pid), "lock")


@case("ledger-path-chinese", "--ledger '分析 台账.yaml' (spaces and Chinese in the ledger path)", must_keep_ledger=False)
def _(c: Ctx) -> str | None:
    a = c.run("ingest", "S", "--ledger", "分析 台账.yaml", "-q")
    b = c.run("set", c.a_commitment(), "notes=ok", "--ledger", "分析 台账.yaml")
    v = c.run("validate", "分析 台账.yaml")
    return None if a.returncode == b.returncode == v.returncode == 0 else f"exit {a.returncode}/{b.returncode}/{v.returncode}: {first(v)}"


@case("stdin-dash", "ingest - (text on stdin, as Unix tools accept)")
def _(c: Ctx) -> str | None:
    text = (c.dir / "S" / DOC).read_text(encoding="utf-8")
    p = c.run("ingest", "-", "--ledger", "ledger.yaml", stdin=text)
    return refused(p, "-", "standard input")


@case("named-device", "ingest /dev/null (not a regular file)")
def _(c: Ctx) -> str | None:
    p = c.run("ingest", "/dev/null", "--ledger", "ledger.yaml")
    if "no such" in p.stderr.lower():
        return "says 'no such file' for a file that exists"
    return refused(p, "/dev/null")


@case("report-over-ledger", "report --output ledger.yaml (the report would replace the ledger)")
def _(c: Ctx) -> str | None:
    return refused(c.run("report", "--output", "ledger.yaml"), "ledger.yaml")


@case("diff-over-document", "diff A B --output S/<document>.txt (the report would replace an article)")
def _(c: Ctx) -> str | None:
    before = sha(c.dir / "S" / DOC)
    p = c.run("diff", "2023-04-20", "2023-07-19", "--output", f"S/{DOC}")
    if sha(c.dir / "S" / DOC) != before:
        return "document overwritten by the report"
    return refused(p, DOC)


@case("ledger-is-document", "ingest S --ledger S/<document>.txt (a document named as the ledger)")
def _(c: Ctx) -> str | None:
    before = sha(c.dir / "S" / DOC)
    p = c.run("ingest", "S", "--ledger", f"S/{DOC}")
    if sha(c.dir / "S" / DOC) != before:
        return "document overwritten by a ledger"
    return refused(p, DOC)


@case("doc-mixed-newlines", "ingest a document mixing CRLF, CR and LF line ends", must_keep_ledger=False)
def _(c: Ctx) -> str | None:
    lines = (c.dir / "S" / DOC).read_text(encoding="utf-8").split("\n")
    ends = ["\r\n", "\r", "\n"]
    (c.dir / "mixed").mkdir()
    (c.dir / "mixed" / DOC).write_bytes("".join(ln + ends[i % 3] for i, ln in enumerate(lines)).encode("utf-8"))
    p = c.run("ingest", "mixed", "--ledger", "new.yaml", "-q")
    if p.returncode != 0:
        return f"exit {p.returncode}: {first(p)}"
    v = c.run("validate", "new.yaml", "--docs", "mixed")
    return None if v.returncode == 0 else f"validate: {first(v)}"


@case("doc-nul-late", "ingest a document with a NUL byte after its first 4 KB")
def _(c: Ctx) -> str | None:
    data = (c.dir / "S" / DOC).read_bytes()
    i = data.index("。".encode(), 5000) + 3
    (c.dir / "nul.txt").write_bytes(data[:i] + b"\x00" + data[i:])
    p = c.run("ingest", "nul.txt", "--ledger", "ledger.yaml")
    return refused(p, "nul.txt", "offset")


@case("doc-utf8-damaged", "ingest a UTF-8 document with one damaged byte (it must not be read as GB18030 mojibake)", must_keep_ledger=False)
def _(c: Ctx) -> str | None:
    data = (c.dir / "S" / DOC).read_bytes()
    i = data.index("。".encode(), 3000)
    (c.dir / "bad.txt").write_bytes(data[:i] + b"\xff" + data[i + 1:])
    p = c.run("ingest", "bad.txt", "--ledger", "new.yaml", "-q")
    if p.returncode == 0:
        text = (c.dir / "new.yaml").read_text(encoding="utf-8")
        return None if "工业和信息化" in text or "推进" in text else "decoded as mojibake"
    return refused(p, "bad.txt", "byte")


@case("doc-changed-since-ingest", "re-ingest after an article was edited (same name, new text): offsets must not go stale", must_keep_ledger=False)
def _(c: Ctx) -> str | None:
    path = c.dir / "S" / DOC
    text = path.read_text(encoding="utf-8")
    path.write_text("【更正】" + text.replace("下一步", "今后", 1), encoding="utf-8")
    p = c.run("ingest", "S", "--ledger", "ledger.yaml", "-q")
    v = c.run("validate", "ledger.yaml", "--docs", "S")
    if p.returncode == 0 and v.returncode != 0:
        return f"ingest left quotes that no longer match: {first(v)}"
    return None if p.returncode == 0 or DOC[:-4] in p.stderr else f"exit {p.returncode}: {first(p)}"


def _limited(limit: int) -> Callable[[], None]:
    def pre() -> None:
        import resource
        import signal as _signal
        _signal.signal(_signal.SIGXFSZ, _signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return pre


@case("disk-full", "set when the disk fills up mid-save (file size limit 100 KB)")
def _(c: Ctx) -> str | None:
    proc = subprocess.run([*c.exe, "set", c.a_commitment(), "notes=x"], cwd=c.dir, env=c.env, capture_output=True, text=True,
                          preexec_fn=_limited(100_000), timeout=120)
    c.results.append(proc)
    left = [f.name for f in c.dir.iterdir() if f.name.startswith(".ledger.yaml") or f.name.startswith("ledger.yaml.")]
    if left:
        return f"left behind: {left}"
    return refused(proc, "ledger.yaml")


@case("sigterm-set", "SIGTERM during set (a shutdown): ledger old or new, no temp file once the next command ran", must_keep_ledger=False)
def _(c: Ctx) -> str | None:
    import signal as _signal
    cid = c.a_commitment()
    proc = subprocess.Popen([*c.exe, "set", cid, "notes=term"], cwd=c.dir, env=c.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.2)
    proc.send_signal(_signal.SIGTERM)
    out, err = proc.communicate(timeout=60)
    c.results.append(subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
    v = c.run("validate", "ledger.yaml")
    if v.returncode != 0:
        return f"ledger corrupt: {first(v)}"
    c.run("set", cid, "notes=after")
    left = [f.name for f in c.dir.iterdir() if f.name.startswith(".ledger.yaml") or f.name.startswith("ledger.yaml.")]
    return f"left behind: {left}" if left else None


# ------------------------------------------------------------------------------

def first(proc: subprocess.CompletedProcess[str]) -> str:
    lines = [ln for ln in (proc.stderr or proc.stdout or "").strip().splitlines() if ln.strip()]
    return lines[-1][:120] if lines else ""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--policy-tracker", default=None, help="the command to test (default: this interpreter's -m policy_tracker)")
    ap.add_argument("--only", action="append", help="run only the named case(s)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--markdown", metavar="FILE", help="also write the table as a Markdown page (docs/bad-inputs.md)")
    args = ap.parse_args()
    exe = [args.policy_tracker] if args.policy_tracker else [sys.executable, "-m", "policy_tracker"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLICY_TRACKER")}
    env["PYTHONUTF8"] = "1"
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base"
        base.mkdir()
        shutil.copytree(SEEDS, base / "S")
        subprocess.run([*exe, "ingest", "S", "--ledger", "ledger.yaml", "-q"], cwd=base, env=env, check=True, capture_output=True)
        for n, cs in enumerate(CASES, 1):
            if args.only and cs.name not in args.only:
                continue
            d = Path(tmp) / f"c{n}"
            shutil.copytree(base, d, symlinks=True)
            ctx = Ctx(d, exe, env)
            before = sha(ctx.ledger)
            try:
                problem = cs.act(ctx)
            except Exception as exc:  # the harness itself failed
                problem = f"harness: {type(exc).__name__}: {exc}"
            tb = any("Traceback (most recent call last)" in (r.stderr or "") for r in ctx.results)
            after = sha(d / "ledger.yaml") if not (d / "ledger.yaml").is_symlink() else sha((d / "ledger.yaml").resolve())
            lost = cs.must_keep_ledger and before != after
            last = ctx.results[-1] if ctx.results else None
            verdict = "ok" if problem is None and not tb and not lost else "DEFECT"
            rows.append({
                "n": n, "case": cs.name, "what": cs.what, "group": cs.group,
                "command": " ".join(str(a) for a in (last.args[len(exe):] if last else [])),
                "exit": last.returncode if last else None, "traceback": tb,
                "message": first(last) if last else "", "data_lost": lost,
                "verdict": verdict, "problem": problem or "",
            })
            os.chmod(d, 0o755)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    else:
        print(table(rows))
    if args.markdown:
        Path(args.markdown).write_text(page(rows), encoding="utf-8")
        print(f"wrote {args.markdown}", file=sys.stderr)
    return 0 if all(r["verdict"] == "ok" for r in rows) else 1


def _cell(text: str) -> str:
    text = re.sub(r"\bprocess \d+", "process <pid>", str(text))  # pids change from run to run
    return " ".join(text.split()).replace("|", "\\|")


def table(rows: list[dict]) -> str:
    lines = ["| # | group | case | command | exit | traceback | message | data lost | verdict |", "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        msg = r["message"] + (f" — {r['problem']}" if r["problem"] else "")
        lines.append(
            f"| {r['n']} | {r['group']} | {_cell(r['what'])} | `{_cell(r['command'])}` | {r['exit']} | {'YES' if r['traceback'] else 'no'} "
            f"| {_cell(msg)} | {'YES' if r['data_lost'] else 'no'} | {r['verdict']} |"
        )
    return "\n".join(lines) + "\n\n" + summary(rows)


def summary(rows: list[dict]) -> str:
    bad = sum(r["verdict"] != "ok" for r in rows)
    return (
        f"{len(rows)} cases, {len(rows) - bad} ok, {bad} defects, {sum(r['traceback'] for r in rows)} tracebacks, "
        f"{sum(r['data_lost'] for r in rows)} with data lost"
    )


def page(rows: list[dict]) -> str:
    """docs/bad-inputs.md: what each kind of bad input gives, as the harness saw it."""
    return (
        "# Bad input: what each kind gives\n\n"
        "Generated by `.venv/bin/python scripts/bad_inputs.py --markdown docs/bad-inputs.md` (issue 17). Each case runs\n"
        "in a fresh scratch folder holding a copy of the seeds (`S`) and a ledger built from them (`ledger.yaml`);\n"
        "the row shows the last command of the case, its exit status, whether a Python traceback was printed, the\n"
        "last line of its message (cut at 120 characters), whether data was lost (the ledger changed when it must\n"
        "not, an analyst edit or the file's permissions or link went missing) and whether the behaviour was the one\n"
        "the case expects (`ok`) or not (`DEFECT`, with what went wrong after the dash).  The groups `ingest` to\n"
        "`reports` are the kinds listed in issue 17 and the first tries; `more kinds` are those added after.\n"
        "What the choices are and why: docs/cli.md (top) and docs/ledger.md (Safety of the file).\n\n"
        + table(rows)
        + "\n"
    )


if __name__ == "__main__":
    sys.exit(main())
