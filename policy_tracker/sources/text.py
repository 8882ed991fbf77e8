"""Document bytes to text: the size limit, the encodings (UTF-8, UTF-16, GB18030) and damaged files.

Text is decoded as UTF-8 (with or without BOM), UTF-16 (Windows "Unicode"),
then GB18030; line endings are normalised to ``\\n`` exactly as Python's text
mode does, so offsets agree with ``open(path, encoding=...).read()``.  A file
that is binary, damaged (a NUL byte, UTF-8 with a few bad bytes) or larger
than a briefing article could be is refused with its offset and what to do.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import DocumentError

# A briefing article is 5-50 KB (the longest seed is 21 KB).  A file many times
# larger is several articles pasted together or not an article at all, and
# costs minutes and gigabytes to match (30 MB: 112 s, 5 GB); it is refused
# unless the caller raises the limit (``max_bytes``, ``--max-size``; 0: none).
MAX_DOCUMENT_BYTES = 2 * 1024 * 1024


def decode(data: bytes, name: str = "<bytes>") -> str:
    """Decode a document's bytes: UTF-8 (BOM optional), else GB18030; newlines folded to ``\\n``."""
    if not data.strip():
        raise DocumentError(f"{name}: file is empty; remove it or add the article text")
    utf16 = _utf16_encoding(data)
    if utf16 is not None:
        try:
            text = data.decode(utf16)
        except UnicodeDecodeError:
            raise DocumentError(f"{name}: looks like UTF-16 text but does not decode as {utf16}; re-save the file as UTF-8") from None
        return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    nul = data.find(b"\x00")
    if 0 <= nul < 4096:
        raise DocumentError(f"{name}: looks binary (NUL bytes); only .txt/.md text files can be loaded")
    if nul >= 0:  # text with a NUL further on: a damaged file; offsets past it would not be the file's
        raise DocumentError(
            f"{name}: a NUL byte at byte offset {nul} (line {_line_at(data, nul)}) in otherwise text; "
            "the file is damaged: remove the NUL (or re-save the article as UTF-8) and ingest it again"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        _refuse_damaged_utf8(data, exc, name)
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise DocumentError(
                f"{name}: not UTF-8 text (byte {exc.start}, line {_line_at(data, exc.start)}) nor GB18030; "
                "re-save the file as UTF-8"
            ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _line_at(data: bytes, offset: int) -> int:
    """The 1-based line of byte ``offset``."""
    return data.count(b"\n", 0, offset) + 1


def _refuse_damaged_utf8(data: bytes, exc: UnicodeDecodeError, name: str) -> None:
    """Refuse UTF-8 text with a few bad bytes instead of decoding it all as GB18030 (mojibake that decodes without error).

    GB18030 text read as UTF-8 fails at nearly every Chinese character; UTF-8
    damaged by a bad copy fails at a handful of bytes among thousands of good
    multi-byte characters.
    """
    decoded = data.decode("utf-8", errors="replace")
    bad = decoded.count("\ufffd")
    good = sum(1 for ch in decoded if ch > "\x7f") - bad
    if good >= 20 and bad <= max(3, good // 200):
        line = _line_at(data, exc.start)
        raise DocumentError(
            f"{name}: UTF-8 text with {bad} undecodable byte(s), the first at byte offset {exc.start} (line {line}); "
            "not read (it would decode as nonsense). Repair those characters (or re-download the article) and save it as UTF-8"
        )


def _utf16_encoding(data: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` for UTF-16 text (Windows "Unicode"), with or without a byte-order mark.

    Without a BOM, the byte order is the one in which the text reads as ASCII,
    CJK and CJK punctuation; binary files with NUL bytes read as neither.
    """
    if data[:2] == b"\xff\xfe":
        return "utf-16-le"
    if data[:2] == b"\xfe\xff":
        return "utf-16-be"
    sample = data[:4096]
    if len(sample) % 2:
        sample = sample[:-1]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    # the reading in which (nearly) every character is ASCII, CJK or CJK punctuation
    best = max(("utf-16-le", "utf-16-be"), key=lambda enc: _plausible_share(sample, enc))
    return best if _plausible_share(sample, best) > 0.9 else None


def _plausible_share(sample: bytes, encoding: str) -> float:
    text = sample.decode(encoding, errors="replace")
    if not text:
        return 0.0
    good = sum(
        ch in "\n\r\t\ufeff"
        or " " <= ch <= "~"
        or "\u3000" <= ch <= "\u30ff"  # CJK punctuation, kana
        or "\u3400" <= ch <= "\u9fff"  # CJK ideographs
        or "\uff00" <= ch <= "\uffef"  # full-width forms
        or ch.isprintable() and ch.isalpha() and ch < "\u0250"  # Latin with accents
        for ch in text
    )
    return good / len(text)


def describe_size(n: int) -> str:
    """``2 MB``, ``31.5 MB``, ``700 KB``: sizes as analysts say them (binary units)."""
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.1f}".removesuffix(".0") + " MB"
    return f"{n / 1024:.1f}".removesuffix(".0") + " KB"


def read_text(path: str | os.PathLike[str], max_bytes: int | None = MAX_DOCUMENT_BYTES) -> str:
    """Read and decode one document file; one larger than ``max_bytes`` (unless 0/None) is refused unread."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if max_bytes and size > max_bytes:
            raise DocumentError(
                f"{p}: {describe_size(size)}, larger than the {describe_size(max_bytes)} a briefing article "
                "would be (several articles in one file, or not an article?); not read. Split it, or raise "
                f"the limit with --max-size {-(-size // (1024 * 1024))}MB to read it anyway"
            )
        data = p.read_bytes()
    except OSError as exc:
        raise DocumentError(f"{p}: cannot read ({exc.strerror}); check the path") from exc
    return decode(data, str(p))
