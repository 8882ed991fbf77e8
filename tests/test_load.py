"""Document loading: decoding, manifests, front matter, folders and bad files."""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path

import pytest

from policy_tracker import DocumentError, ManifestError, load_documents
from policy_tracker.sources.load import briefings_from, decode, load_document, read_manifest, split_front_matter

ARTICLE = "4月20日，国新办举行新闻发布会，介绍2023年一季度工业和信息化发展情况。\n下一步，工信部将推动工业稳增长。\n"


def _quiet_load(*args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_documents(*args, **kwargs)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("工信部将推动".encode(), "工信部将推动"),
        ("\ufeff工信部将推动".encode(), "工信部将推动"),  # BOM dropped
        ("工信部將推動".encode("gb18030"), "工信部將推動"),  # GB18030 fallback
        ("第一行\r\n第二行\r第三行".encode(), "第一行\n第二行\n第三行"),  # newlines as in text mode
    ],
)
def test_decode_utf8_bom_gb18030_and_newlines(data: bytes, expected: str) -> None:
    """UTF-8 with or without BOM and GB18030 decode; newlines fold like Python's text mode."""
    assert decode(data) == expected


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_decode_utf16_with_or_without_bom(encoding: str) -> None:
    """Windows "Unicode" (UTF-16, BOM or not, either byte order) decodes instead of being called binary."""
    text = ARTICLE * 3 + "工业和信息化部表示，下一步，将加快推进5G网络建设。\r\n"
    assert decode(text.encode(encoding), "u16.txt") == (ARTICLE * 3 + "工业和信息化部表示，下一步，将加快推进5G网络建设。\n")


def test_binary_with_nul_bytes_is_not_mistaken_for_utf16() -> None:
    """Random bytes with NULs stay "binary": the UTF-16 guess needs text that reads as ASCII or CJK."""
    data = bytes((i * 151 + 7) % 256 for i in range(4096))  # every byte value, NULs at both parities
    with pytest.raises(DocumentError, match="binary"):
        decode(data, "blob.txt")


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"", "empty"), (b"  \n", "empty"), (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"), (b"\xff\xfe\xfa\x81\x30", "UTF-8")],
)
def test_decode_rejects_empty_binary_and_undecodable(data: bytes, message: str) -> None:
    """Empty, binary and undecodable files are errors that name the file."""
    with pytest.raises(DocumentError, match=message) as info:
        decode(data, "bad.txt")
    assert str(info.value).startswith("bad.txt:")


def test_bad_file_in_folder_does_not_stop_the_others(tmp_path: Path) -> None:
    """One unreadable file is reported and the rest of the folder still loads."""
    (tmp_path / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "notes.csv").write_text("ignored", encoding="utf-8")
    result = _quiet_load([tmp_path], manifest={})
    assert [d.id for d in result.documents] == ["good"]
    assert len(result.errors) == 1 and "empty.txt" in result.errors[0]


def test_strict_raises_on_first_bad_file(tmp_path: Path) -> None:
    """With strict=True the first bad file raises instead of being skipped."""
    (tmp_path / "a.txt").write_bytes(b"")
    with pytest.raises(DocumentError, match="a.txt"):
        _quiet_load([tmp_path], manifest={}, strict=True)


def test_missing_path_is_reported(tmp_path: Path) -> None:
    """A path that does not exist is an error naming it."""
    result = _quiet_load([tmp_path / "nope.txt"], manifest={})
    assert result.documents == () and "nope.txt" in result.errors[0]


def test_manifest_beats_front_matter_beats_text(tmp_path: Path) -> None:
    """Manifest values override front matter, which overrides detection from the text."""
    body = "---\nheld: 2023-04-19\noutlet: 某报\nperiod: 2023Q1\n---\n" + ARTICLE
    path = tmp_path / "doc.md"
    path.write_text(body, encoding="utf-8")
    doc = load_document(path, {})
    assert doc.held == dt.date(2023, 4, 19) and doc.outlet == "某报"
    assert dict(doc.provenance)["held"] == "front matter" and doc.date_source == "front matter"
    doc = load_document(path, {"doc": {"held": dt.date(2023, 4, 20), "kind": "press_conference"}})
    assert doc.held == dt.date(2023, 4, 20) and dict(doc.provenance)["held"] == "manifest"
    assert doc.date_source == "manifest"


@pytest.mark.parametrize(
    ("name", "text", "held", "source"),
    [
        # the file name is the last resort, recorded as such
        ("2025-07-18_发布会", "工信部表示，下一步将推动工业稳增长。", dt.date(2025, 7, 18), "file name"),
        # the text wins over the file name
        ("2025-07-18_发布会", "2023-04-21 08:00\n4月20日，国新办举行新闻发布会。", dt.date(2023, 4, 20), "text: "),
        # a name that is not an ISO date at the start gives nothing
        ("发布会_2025-07-18", "工信部表示，下一步将推动工业稳增长。", None, None),
        ("2025-13-40_x", "工信部表示，下一步将推动工业稳增长。", None, None),
        # a file name that agrees with the month-day the text gives (without a year) dates it
        ("2025-07-18_发布会", "7月18日，工信部召开座谈会。", dt.date(2025, 7, 18), "file name"),
        # never against the text: another day, a year clue of another year, or a date after the publication date
        ("2025-07-18_发布会", "7月17日，工信部召开座谈会。", None, None),
        ("2025-01-18_发布会", "在18日举行的国新办新闻发布会上，发言人介绍了2023年工业和信息化发展情况。", None, None),
        ("2025-07-18_发布会", "2025-07-10 08:00\n近日，国新办举行新闻发布会。", None, None),
        # a day whose month is the dateline's (新华社北京3月8日电 … 8日举行): the file name's April does not fit
        ("2025-04-08_部长通道", "新华社北京3月8日电\n8日举行的全国两会“部长通道”上，部长表示将推动设备更新。", None, None),
        ("2025-03-08_部长通道", "新华社北京3月8日电\n8日举行的全国两会“部长通道”上，部长表示将推动设备更新。", dt.date(2025, 3, 8), "file name"),
    ],
)
def test_file_name_date_is_the_last_resort(tmp_path: Path, name: str, text: str, held: dt.date | None, source: str | None) -> None:
    """An ISO date at the start of the file name dates a document only when nothing else does and no clue disagrees ('file name')."""
    path = tmp_path / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        doc = load_documents([path], manifest={}).documents[0]
    assert doc.held == held
    if source is None:
        assert doc.date_source is None
    else:
        assert doc.date_source is not None and doc.date_source.startswith(source)


def test_unknown_date_stays_none_with_warning(tmp_path: Path) -> None:
    """A document with no date keeps held=None and warns instead of guessing."""
    path = tmp_path / "x.txt"
    path.write_text("近日，国务院新闻办公室举行新闻发布会。下一步将推动工业稳增长。", encoding="utf-8")
    with pytest.warns(UserWarning) as caught:
        result = load_documents([path], manifest={})
    assert any("date held unknown" in str(w.message) for w in caught)
    assert result.documents[0].held is None
    assert result.documents[0].briefing_id == "undated-x"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("documents: [1, 2]", "documents"),
        ("documents:\n  a: {held: yesterday}", "held: expected YYYY-MM-DD"),
        ("documents:\n  a: {kind: podcast}", "kind: expected one of"),
        ("documents:\n  a: {colour: red}", "unknown field"),
        ("documents:\n  a: [\n", "m.yaml:3"),
    ],
)
def test_manifest_errors_name_file_and_field(text: str, message: str) -> None:
    """Malformed manifests raise ManifestError naming the file, entry and field."""
    with pytest.raises(ManifestError, match=message):
        read_manifest(text, "m.yaml")


def test_front_matter_absent_is_empty() -> None:
    """A document without front matter yields no front-matter values."""
    assert split_front_matter(ARTICLE) == {}


def test_seeds_load_with_shipped_manifest(seeds_dir: Path) -> None:
    """The five seeds load with the briefing dates, kinds and periods of the shipped manifest."""
    result = _quiet_load([seeds_dir])
    briefings = briefings_from(result.documents)
    assert [(b.held.isoformat(), b.kind, b.period) for b in briefings if b.held] == [
        ("2023-04-20", "press_conference", "2023Q1"),
        ("2023-07-19", "press_conference", "2023H1"),
        ("2023-10-20", "press_conference", "2023Q1-Q3"),
        ("2023-11-04", "interview", "2023Q1-Q3"),
        ("2024-01-19", "press_conference", "2023"),
    ]


def test_two_outlets_of_one_briefing_are_one_briefing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two reports of the same press conference form one briefing; an undated one joins by period (one the event calendar does not list)."""
    from policy_tracker.sources import recurring

    monkeypatch.setattr(recurring, "calendar_entry", lambda event, key: None)
    (tmp_path / "a.txt").write_text("2023-04-21 08:00\n" + ARTICLE, encoding="utf-8")
    (tmp_path / "b.txt").write_text("2023年04月20日 18:00\n" + ARTICLE, encoding="utf-8")
    (tmp_path / "c.txt").write_text("近日，国新办举行新闻发布会，介绍2023年一季度工业和信息化发展情况。", encoding="utf-8")
    result = _quiet_load([tmp_path], manifest={})
    briefings = briefings_from(result.documents)
    assert len(briefings) == 1
    assert briefings[0].documents == ("a", "b", "c")
    c = next(d for d in result.documents if d.id == "c")
    assert "inferred" in dict(c.provenance)["held"]


@pytest.mark.parametrize(
    ("manifest", "warned"),
    [
        ({}, True),
        ({"published": "unknown"}, False),
        ({"published": "2023-04-21"}, False),
    ],
    ids=["not stated", "stated unknown", "stated"],
)
def test_publication_date_stated_unknown_is_not_warned(tmp_path: Path, manifest: dict[str, str], warned: bool) -> None:
    """A manifest that says `published: unknown` silences the 'publication date unknown' warning; silence alone does not."""
    (tmp_path / "a.txt").write_text("近日，" + ARTICLE, encoding="utf-8")
    (tmp_path / "briefings.yaml").write_text(
        "documents:\n  a:\n    held: '2023-04-20'\n" + "".join(f"    {k}: {v}\n" for k, v in manifest.items()), encoding="utf-8"
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        load_documents([tmp_path / "a.txt"], manifest=tmp_path / "briefings.yaml")
    assert any("publication date unknown" in str(w.message) for w in caught) is warned


def test_manifest_with_unknown_top_level_key_is_refused() -> None:
    """A manifest in a guessed shape (``briefings:`` list) is refused, not read as empty."""
    with pytest.raises(ManifestError, match=r"m.yaml: unknown top-level key\(s\) 'briefings'"):
        read_manifest("briefings:\n  - held: '2023-13-45'\n    documents: [a.txt]\n", "m.yaml")


def test_manifest_path_adds_to_the_shipped_manifest_field_by_field(seeds_dir: Path, tmp_path: Path) -> None:
    """--manifest overlays the shipped manifest: one field given keeps the document's other shipped facts."""
    m = tmp_path / "m.yaml"
    m.write_text("documents:\n  001_d101504f9048af62:\n    outlet: 某某日报\n", encoding="utf-8")
    docs = {d.id: d for d in _quiet_load([seeds_dir], m).documents}
    first = docs["001_d101504f9048af62"]
    assert (first.outlet, first.held, first.period) == ("某某日报", dt.date(2023, 4, 20), "2023Q1")
    assert docs["004_56263bf06908ad58"].held == dt.date(2023, 11, 4)  # other documents keep the shipped entry


def test_manifest_entry_for_an_unknown_document_is_warned(seeds_dir: Path, tmp_path: Path) -> None:
    """An entry naming no document read (a typo in the id) is a warning naming the manifest and the id."""
    m = tmp_path / "m.yaml"
    m.write_text("documents:\n  001_d101504f9048af6:\n    held: '2023-05-01'\n", encoding="utf-8")
    with pytest.warns(UserWarning) as caught:
        load_documents([seeds_dir], m)
    assert any(f"{m}: entry '001_d101504f9048af6' is not used" in str(w.message) for w in caught)


def test_manifest_beside_documents_warns_about_entries_with_no_file(tmp_path: Path) -> None:
    """A briefings.yaml in the folder naming a file that is not there is a warning; named files are used."""
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "briefings.yaml").write_text("documents:\n  a: {kind: interview}\n  gone: {kind: interview}\n", encoding="utf-8")
    with pytest.warns(UserWarning) as caught:
        result = load_documents([tmp_path])
    assert result.documents[0].kind == "interview"
    messages = [str(w.message) for w in caught]
    assert any("entry 'gone' is not used" in m for m in messages)
    assert not any("entry 'a'" in m for m in messages)


def test_document_above_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    """A file larger than MAX_DOCUMENT_BYTES is an error naming it, its size and --max-size; the others load."""
    from policy_tracker.sources.text import MAX_DOCUMENT_BYTES

    (tmp_path / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "huge.txt").write_text(ARTICLE * (MAX_DOCUMENT_BYTES // len(ARTICLE.encode()) + 1), encoding="utf-8")
    result = _quiet_load([tmp_path], manifest={})
    assert [d.id for d in result.documents] == ["good"]
    assert len(result.errors) == 1 and "huge.txt: 2 MB, larger than the 2 MB" in result.errors[0]
    assert "--max-size 3MB" in result.errors[0]


def test_size_limit_can_be_raised_or_lifted(tmp_path: Path) -> None:
    """max_bytes sets the limit; 0 or None lifts it."""
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE * 20, encoding="utf-8")
    assert _quiet_load([path], manifest={}, max_bytes=1024).errors
    for limit in (0, None, 1024 * 1024):
        assert [d.id for d in _quiet_load([path], manifest={}, max_bytes=limit).documents] == ["a"]


def test_nul_byte_after_the_first_4kb_is_refused_at_its_offset() -> None:
    """A NUL further into a text file is a damaged file: refused naming its byte offset and line, not read."""
    data = (ARTICLE * 200).encode()
    at = data.index("。".encode(), 5000) + 3
    line = data[:at].count(b"\n") + 1
    with pytest.raises(DocumentError, match=rf"x.txt: a NUL byte at byte offset {at} \(line {line}\)"):
        decode(data[:at] + b"\x00" + data[at:], "x.txt")


@pytest.mark.parametrize("damage", [b"\xff", b"\x81", b"\xe5"])
def test_damaged_utf8_is_refused_instead_of_read_as_gb18030(damage: bytes) -> None:
    """UTF-8 text with a bad byte is refused naming the offset; it is never decoded as GB18030 mojibake."""
    data = (ARTICLE * 20).encode()
    at = data.index("。".encode(), 300)
    with pytest.raises(DocumentError, match=rf"x.txt: UTF-8 text with \d+ undecodable byte\(s\), the first at byte offset {at} \(line \d+\)"):
        decode(data[:at] + damage + data[at:], "x.txt")


def test_stdin_dash_and_devices_get_their_own_message(tmp_path: Path) -> None:
    """`-` says documents are not read from standard input; /dev/null is 'not a regular file', not 'no such file'."""
    result = _quiet_load(["-", "/dev/null"], manifest={})
    assert result.errors[0].startswith("-: documents are not read from standard input")
    assert result.errors[1].startswith("/dev/null: not a regular file")


def test_an_undated_report_does_not_join_a_conference_held_after_its_publication() -> None:
    """link_undated joins the one dated conference of the period only if it was held by the report's publication date."""

    from policy_tracker.models import Document
    from policy_tracker.sources.load import link_undated

    dated = Document("d", "x", held=dt.date(2023, 4, 20), kind="press_conference", period="2023Q1", briefing_id="2023-04-20-press-conference")
    early = Document("e", "x", published=dt.date(2023, 4, 18), kind="press_conference", period="2023Q1", briefing_id="undated-e")
    late = Document("l", "x", published=dt.date(2023, 5, 6), kind="press_conference", period="2023Q1", briefing_id="undated-l")
    linked = {d.id: d for d in link_undated([dated, early, late])}
    assert linked["e"].held is None and linked["e"].briefing_id == "undated-e"
    assert linked["l"].held == dt.date(2023, 4, 20) and linked["l"].briefing_id == "2023-04-20-press-conference"
