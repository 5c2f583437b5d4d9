"""`errkit status` in a terminal: readable at 80 columns, headings as in Markdown."""

from __future__ import annotations

from pathlib import Path

from errkit.analysis.config import load_config
from errkit.analysis.scanner import scan_tree
from errkit.analysis.status import build_status
from errkit.cli._status_output import to_terminal

SERVICE = Path(__file__).resolve().parents[2] / "examples" / "service"


def render(tmp_path: Path, width: int) -> list[str]:
    config = load_config(SERVICE)
    scans = scan_tree(SERVICE, config, jobs=1, cache=False)
    report = build_status(scans, config, project="bazaar", next_count=3)
    out = tmp_path / "status.txt"
    to_terminal(report, str(out), width=width)
    return out.read_text(encoding="utf-8").splitlines()


class TestEightyColumns:
    def test_nothing_cut_and_nothing_too_wide(self, tmp_path: Path) -> None:
        """No line passes 80 columns and no cell is cut short with an ellipsis."""
        lines = render(tmp_path, 80)
        assert max(len(line) for line in lines) == 80
        assert [line for line in lines if "…" in line] == []

    def test_progress_cells_stay_on_one_line(self, tmp_path: Path) -> None:
        """A module row is one line: a 10-mark bar and the percentage."""
        lines = render(tmp_path, 80)
        assert (
            "│    1 │ escrow        │ 500-599   │   1/3 │ 15/17 │ #########.  88.2% "
            "│    2 │"
        ) in lines

    def test_file_paths_are_relative_to_the_module_folder(self, tmp_path: Path) -> None:
        """escrow's files read `errors.py`, its folder shown once under its name."""
        lines = render(tmp_path, 80)
        start = next(i for i, line in enumerate(lines) if "│ escrow " in line and
                     "errors.py" in line)  # fmt: skip
        assert [line.split("│")[1:3] for line in lines[start : start + 3]] == [
            [" escrow           ", " errors.py     "],
            [" bazaar/escrow/   ", "               "],
            ["                  ", " holds.py      "],
        ]

    def test_sections_have_the_markdown_headings(self, tmp_path: Path) -> None:
        """The next files and the estimate follow their Markdown headings."""
        lines = render(tmp_path, 80)
        start = lines.index("Next files to migrate")
        assert [line.rstrip() for line in lines[start : start + 6]] == [
            "Next files to migrate",
            "1. bazaar/identity/verifier.py (identity, priority 1): 12 unmigrated",
            "   (spawn-executor 5, raise-generic 3, raise-unchained 2, error-class 1,",
            "   message-match 1)",
            "2. bazaar/market/orders.py (market, priority 1): 12 unmigrated "
            "(raise-generic 8,",
            "   raise-unchained 4)",
        ]
        start = lines.index("Estimate of remaining effort")
        assert [line.rstrip() for line in lines[start : start + 3]] == [
            "Estimate of remaining effort",
            "- Unmigrated sites: 150",
            "- Effort: about 50.0 hours at 20 minutes per site "
            "(effort_per_site_minutes)",
        ]
