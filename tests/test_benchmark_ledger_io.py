"""The ledger I/O benchmark script runs (tiny sizes; real figures come from running it by hand)."""

from __future__ import annotations

from policy_tracker.ledger import Ledger

from .benchmarks import ledger_io


def test_synthetic_ledger_is_valid_and_sized() -> None:
    """The synthetic ledger has the requested mentions and survives a round trip."""
    ledger = Ledger(ledger_io.synthetic_parts(42))
    assert len(ledger.mentions) == 42
    assert Ledger.loads(ledger.dumps()).dumps() == ledger.dumps()


def test_measure_reports_each_backend(capsys) -> None:
    """main() prints a Markdown row per size and backend."""
    assert ledger_io.main(["30"]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if line.startswith("| 30 |")]
    assert len(rows) == (3 if ledger_io.serialize.HAVE_LIBYAML else 2)
