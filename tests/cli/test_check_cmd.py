"""`errkit check`: registry findings, the baseline ratchet and exit statuses."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from errkit.cli.check_cmd import check

CONFIG = """\
[tool.errkit]
reserved = [[900, 999]]

[tool.errkit.modules.inventory]
paths = ["shop/inventory"]
range = [100, 199]
owner = "team-stock"

[tool.errkit.modules.orders]
paths = ["shop/orders"]
range = [200, 299]

[tool.errkit.codes.inventory]
110 = "LookupError: no such sku"
"""
FILES = {
    "shop/inventory/errors.py": '''\
        import errkit


        class OutOfStock(errkit.ConflictError, module="inventory", code=120):
            """Not enough free units to reserve."""
        ''',
    "shop/inventory/stock.py": """\
        import errkit

        from shop.inventory.errors import OutOfStock


        def reserve(n):
            if n < 0:
                raise ValueError("negative quantity")
            if n > 5:
                raise OutOfStock(f"only {n} left")
            raise errkit.NotFoundError("no such sku", module="inventory", code=110)
        """,
    "shop/orders/api.py": """\
        import threading


        def start(work):
            threading.Thread(target=work).start()
        """,
}
BASELINE_HEAD = (
    "# errkit baseline: unmigrated sites allowed per module and site kind.\n"
    "# `errkit check --baseline` fails when a count grows; "
    "`--update-baseline` lowers counts.\n"
    "# Keyed without lines or files so moving code does not change it; "
    "keep it sorted.\n"
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A two-module project, the current folder: one unmigrated raise and thread."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text(CONFIG)
    for rel, text in FILES.items():
        write(tmp_path, rel, text)
    return tmp_path


def write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))


def run(project: Path, *args: str) -> Result:
    """Run `errkit check` on the project from its own folder."""
    assert Path.cwd() == project
    return CliRunner().invoke(check, [".", "--no-cache", *args])


class TestRegistryRules:
    def test_clean_tree_exits_zero(self, project: Path) -> None:
        """No findings: nothing on stdout, a zero summary on stderr, status 0."""
        result = run(project)

        assert (result.exit_code, result.stdout) == (0, "")
        assert result.stderr == (
            "errkit check: 0 error(s), 0 warning(s), 0 baseline count(s) grown\n"
        )

    def test_each_rule_is_reported_with_its_place(self, project: Path) -> None:
        """Out of range, duplicate, undeclared, overlap and block findings, exactly."""
        with (project / "pyproject.toml").open("a") as config:
            config.write("\n[tool.errkit.modules.billing]\nrange = [250, 349]\n")
        write(
            project,
            "shop/inventory/more.py",
            '''\
            import errkit


            class Gone(errkit.NotFoundError, module="inventory", code=250):
                """Out of range."""


            class Taken(errkit.ConflictError, module="inventory", code=120):
                """Same code as OutOfStock."""


            class Late(errkit.ConflictError, module="inventory", code=115):
                """Conflict in the not-found block."""


            def f():
                raise errkit.ValidationError("bad", module="orders", code=201)
            ''',
        )

        result = run(project)

        assert result.exit_code == 1
        assert result.stdout.splitlines() == [
            (
                "pyproject.toml: error [range-overlap] range of orders (200-299) "
                "overlaps range of billing (250-349)"
            ),
            (
                "shop/inventory/more.py:4: error [code-out-of-range] inventory:250 "
                "(Gone) is outside the range of inventory (100-199)"
            ),
            (
                "shop/inventory/more.py:8: error [duplicate-code] inventory:120 is used "
                "for two kinds: class Taken here and class OutOfStock at "
                "shop/inventory/errors.py:4"
            ),
            (
                "shop/inventory/more.py:12: warning [category-block] inventory:115 "
                "(Late) has category conflict but sits in the not_found block "
                "(110-119) of inventory"
            ),
            (
                "shop/inventory/more.py:17: error [undeclared-code] orders:201 "
                "(ValidationError) is raised but not declared: declare a class for it "
                "or list it under [tool.errkit.codes.orders]"
            ),
        ]
        assert result.stderr.endswith(
            "errkit check: 4 error(s), 1 warning(s), 0 baseline count(s) grown\n"
        )

    @pytest.mark.parametrize(
        ("strict", "status"),
        [pytest.param(False, 0, id="lenient"), pytest.param(True, 1, id="strict")],
    )
    def test_warnings_fail_only_with_strict(
        self, project: Path, strict: bool, status: int
    ) -> None:
        """A category-block warning is printed; it fails the gate only with --strict."""
        write(
            project,
            "shop/inventory/late.py",
            """\
            import errkit


            class Late(errkit.ConflictError, module="inventory", code=115):
                pass
            """,
        )

        result = run(project, *(["--strict"] if strict else []))

        assert result.exit_code == status
        assert result.stdout.startswith("shop/inventory/late.py:4: warning ")

    def test_json_output(self, project: Path) -> None:
        """`--format json` lists findings, growth and the unmigrated counts."""
        result = run(project, "--format", "json")

        assert json.loads(result.stdout) == {
            "findings": [],
            "grown": [],
            "unmigrated": [
                {"module": "inventory", "kind": "raise-generic", "count": 1},
                {"module": "orders", "kind": "spawn-thread", "count": 1},
            ],
        }


class TestBaseline:
    def test_update_creates_the_baseline_from_the_tree(self, project: Path) -> None:
        """The first --update-baseline writes today's counts, sorted per module."""
        baseline = project / "errkit-baseline.toml"

        result = run(project, "--baseline", str(baseline), "--update-baseline")

        assert result.exit_code == 0
        assert baseline.read_text() == BASELINE_HEAD + (
            "\n[inventory]\nraise-generic = 1\n\n[orders]\nspawn-thread = 1\n"
        )
        assert f"errkit: wrote baseline {baseline} (2 unmigrated sites)\n" in (
            result.stderr
        )

    def test_holds_when_nothing_grew(self, project: Path) -> None:
        """The tree at its baseline passes, even after code moved between files."""
        baseline = project / "errkit-baseline.toml"
        run(project, "--baseline", str(baseline), "--update-baseline")
        stock = project / "shop/inventory/stock.py"
        (project / "shop/inventory/moved.py").write_text("\n\n" + stock.read_text())
        stock.unlink()

        result = run(project, "--baseline", str(baseline))

        assert (result.exit_code, result.stdout) == (0, "")

    def test_growth_fails_saying_what_grew_where(self, project: Path) -> None:
        """A new unmigrated site fails with module, kind, counts and files."""
        baseline = project / "errkit-baseline.toml"
        run(project, "--baseline", str(baseline), "--update-baseline")
        write(
            project,
            "shop/inventory/sync.py",
            """\
            def sync(items):
                for item in items:
                    if not item:
                        raise RuntimeError("empty item")
                try:
                    items.flush()
                except Exception:
                    pass
            """,
        )

        result = run(project, "--baseline", str(baseline))

        assert result.exit_code == 1
        assert result.stdout.splitlines() == [
            "baseline: inventory raise-generic: 2 unmigrated, baseline allows 1 (+1)",
            "    shop/inventory/stock.py: 1",
            "    shop/inventory/sync.py: 1",
            "baseline: inventory swallow: 1 unmigrated, baseline allows 0 (+1)",
            "    shop/inventory/sync.py: 1",
        ]
        assert result.stderr.endswith("0 warning(s), 2 baseline count(s) grown\n")

    def test_update_tightens_and_never_loosens(self, project: Path) -> None:
        """After a fix the counts fall; growth elsewhere is not written down."""
        baseline = project / "errkit-baseline.toml"
        run(project, "--baseline", str(baseline), "--update-baseline")
        (project / "shop/orders/api.py").write_text("def start(work):\n    work()\n")
        write(project, "shop/inventory/new.py", "def f():\n    raise KeyError('k')\n")

        result = run(project, "--baseline", str(baseline), "--update-baseline")

        assert result.exit_code == 1  # inventory grew: still a failure
        assert (
            baseline.read_text() == BASELINE_HEAD + "\n[inventory]\nraise-generic = 1\n"
        )
        assert f"errkit: baseline {baseline} lowered by 1 site(s)\n" in result.stderr


class TestUsageErrors:
    def test_update_on_part_of_the_project_is_refused(self, project: Path) -> None:
        """Updating from a sub-folder would drop every other module's counts."""
        baseline = project / "errkit-baseline.toml"
        run(project, "--baseline", str(baseline), "--update-baseline")
        before = baseline.read_text()

        result = CliRunner().invoke(
            check,
            ["shop/orders", "--no-cache", "--baseline", str(baseline),
             "--update-baseline"],
        )  # fmt: skip

        assert result.exit_code == 2
        assert result.stderr == (
            "errkit: error: --update-baseline needs the whole project: run it on "
            "'.', not 'shop/orders'\n"
        )
        assert baseline.read_text() == before

    def test_missing_baseline_is_a_usage_error(self, project: Path) -> None:
        """Without --update-baseline a missing file exits 2 saying how to create it."""
        result = run(project, "--baseline", str(project / "nope.toml"))

        assert result.exit_code == 2
        assert result.stderr == (
            f"errkit: error: --baseline: {project / 'nope.toml'} does not exist; create it "
            "with --update-baseline\n"
        )

    def test_malformed_baseline_is_a_usage_error(self, project: Path) -> None:
        """A baseline with a bad count exits 2 naming file, key and value."""
        bad = project / "b.toml"
        bad.write_text("[inventory]\nswallow = -3\n")

        result = run(project, "--baseline", str(bad))

        assert result.exit_code == 2
        assert result.stderr == (
            f"errkit: error: {bad}: [inventory] swallow must be a count (int >= 0), got -3\n"
        )

    def test_bad_config_is_a_usage_error(self, project: Path) -> None:
        """A config error exits 2 with the config loader's message."""
        (project / "pyproject.toml").write_text(
            "[tool.errkit.modules.inventory]\nrange = [5, 1]\n"
        )

        result = run(project)

        assert result.exit_code == 2
        assert result.stderr.startswith("errkit: error: ")
        assert "tool.errkit.modules.inventory.range" in result.stderr

    def test_update_without_baseline_is_a_usage_error(self, project: Path) -> None:
        """--update-baseline needs the file to update."""
        result = run(project, "--update-baseline")

        assert (result.exit_code, result.stderr) == (
            2,
            "errkit: error: --update-baseline needs --baseline FILE\n",
        )


class TestCommandLine:
    def test_errkit_check_as_a_process_from_another_folder(self, project: Path) -> None:
        """The installed command gates growth; paths are shown from where it ran."""
        command = [sys.executable, "-c", "from errkit.cli import main; main()", "check"]
        baseline = f"{project.name}/base.toml"
        where = [project.name, "--no-cache", "--baseline", baseline]

        def errkit_check(*extra: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                [*command, *where, *extra], cwd=project.parent, capture_output=True,
                text=True, timeout=60, check=False,
            )  # fmt: skip

        created = errkit_check("--update-baseline")
        write(project, "shop/orders/more.py", "def f():\n    raise TypeError('t')\n")
        grown = errkit_check()

        assert created.returncode == 0, created.stderr
        assert (grown.returncode, grown.stdout) == (
            1,
            (
                "baseline: orders raise-generic: 1 unmigrated, baseline allows 0 (+1)\n"
                f"    {project.name}/shop/orders/more.py: 1\n"
            ),
        )
