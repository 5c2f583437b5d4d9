"""`errkit migrate`: rewrite modules onto the standard, diff first.

Exit status: 0 nothing to change (or everything written), 1 `--diff` found changes
to make, 2 usage, config or safety refusal (old libcst, dirty files), 3 some files
were skipped (reported on stderr) and left untouched.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import click

from errkit.rewriting.kinds import KIND_NAMES, REWRITE_KINDS, parse_kinds

EXIT_CHANGES = 1
EXIT_USAGE = 2
EXIT_SKIPPED = 3


@click.command("migrate")
@click.argument("targets", nargs=-1)
@click.option(
    "--diff",
    "mode",
    flag_value="diff",
    default=True,
    help="Print a unified diff and write nothing (the default).",
)
@click.option(
    "--apply",
    "mode",
    flag_value="apply",
    help="Write the rewritten files and the allocated codes.",
)
@click.option(
    "--only",
    multiple=True,
    type=click.Choice(KIND_NAMES),
    help="Rewrite only this kind (repeatable).",
)
@click.option(
    "--skip",
    multiple=True,
    type=click.Choice(KIND_NAMES),
    help="Do not rewrite this kind (repeatable).",
)
@click.option(
    "--allow-dirty",
    is_flag=True,
    help="With --apply, write even over files with uncommitted git changes.",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    help="pyproject.toml or errkit.toml (default: found from the target).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes (default: one per core).",
)
def migrate_command(
    targets: tuple[str, ...],
    mode: str,
    only: tuple[str, ...],
    skip: tuple[str, ...],
    allow_dirty: bool,
    config_path: Path | None,
    jobs: int | None,
) -> None:
    """Rewrite MODULE names or PATHs onto errkit without changing behaviour."""
    from errkit.rewriting import (
        ConfigError,
        LibcstVersionError,
        MigrateOptions,
        Status,
        dirty_files,
        find_config,
        iter_diff_lines,
        load_migrate_config,
        migrate,
        python_files,
        require_libcst,
        scanner_view,
        write_atomic,
        write_codes,
    )

    try:
        require_libcst()
        config_file = config_path or find_config(
            Path(targets[0]) if targets and Path(targets[0]).exists() else Path.cwd()
        )
        config = load_migrate_config(config_file)
    except (LibcstVersionError, ConfigError) as exc:
        click.echo(f"errkit migrate: {exc}", err=True)
        sys.exit(EXIT_USAGE)

    roots: list[Path] = []
    for target in targets or tuple(m.name for m in config.modules):
        spec = config.module_named(target)
        if spec is not None:
            roots.extend(spec.paths)
        elif Path(target).exists():
            roots.append(Path(target))
        else:
            click.echo(
                f"errkit migrate: target must be a module in {config_file} or an "
                f"existing path; got {target!r}",
                err=True,
            )
            sys.exit(EXIT_USAGE)
    exclude = _exclude(config_file)
    files = python_files(roots, config_file.parent, exclude)
    options = MigrateOptions(kinds=parse_kinds(only, skip), jobs=jobs)
    try:
        sites, taken = scanner_view(config_file.parent, jobs)
        options = replace(options, sites=sites, taken=taken)
    except Exception as exc:  # noqa: BLE001 - the planner's own rules still work
        click.echo(
            f"errkit migrate: warning: scanner unavailable ({type(exc).__name__}: "
            f"{exc}); using the migration planner's own site rules",
            err=True,
        )
    run = migrate(files, config, options)

    changed = run.by_status(Status.CHANGED)
    skipped = run.by_status(Status.SKIPPED)
    if mode == "apply" and not allow_dirty:
        touched = [Path(o.path) for o in changed]
        if run.allocations:
            touched.append(config_file)
        dirty = dirty_files(touched)
        if dirty:
            click.echo(
                "errkit migrate: files to rewrite must have no uncommitted changes;"
                f" {len(dirty)} do: {', '.join(dirty[:5])} (commit them or pass"
                " --allow-dirty)",
                err=True,
            )
            sys.exit(EXIT_USAGE)

    if mode == "diff":
        for outcome in changed:
            sys.stdout.writelines(iter_diff_lines(outcome, config_file.parent))
    else:
        for outcome in changed:
            assert outcome.after is not None
            write_atomic(Path(outcome.path), outcome.after)
        write_codes(config_file, run.allocations)

    for outcome in skipped:
        where = f":{outcome.line}" if outcome.line else ""
        error = f" {outcome.error}: {outcome.detail}" if outcome.error else ""
        why = outcome.why.value if outcome.why else "skipped"
        _note(f"skipped {outcome.path}{where} [{why}]{error}\n")
    for outcome in run.outcomes:
        for declined in outcome.declined:
            _note(
                f"left {outcome.path}:{declined.line}:{declined.col} "
                f"[{declined.kind.value}] {declined.reason}\n"
            )
    counts = run.rewritten()
    kinds = ", ".join(f"{k} {counts[k]}" for k in KIND_NAMES if counts.get(k))
    verb = "rewrote" if mode == "apply" else "would rewrite"
    _note(
        f"{verb} {len(changed)} files ({sum(counts.values())} sites"
        f"{': ' + kinds if kinds else ''}); {len(skipped)} skipped, "
        f"{len(run.by_status(Status.UNCHANGED))} unchanged\n"
    )
    if skipped:
        sys.exit(EXIT_SKIPPED)
    if changed and mode == "diff":
        sys.exit(EXIT_CHANGES)


def _note(text: str) -> None:
    click.echo(text, err=True, nl=False)


def _exclude(config_file: Path) -> tuple[str, ...]:
    import tomllib

    document = tomllib.loads(config_file.read_text("utf-8"))
    section = (
        document.get("tool", {}).get("errkit", {})
        if config_file.name == "pyproject.toml"
        else document
    )
    return tuple(section.get("exclude", ()))


migrate_command.help = "\n\n".join(
    [
        "Rewrite MODULE names or PATHs onto errkit without changing behaviour.",
        (
            "With no target, every module in the config. Exit status: 0 nothing "
            "to change or all written, 1 --diff found changes, 2 usage, config or "
            "safety refusal, 3 some files skipped."
        ),
        "Kinds, and the most each may change:",
        *(
            f"{spec.kind.value}: {spec.effect.value} ({spec.changes})"
            for spec in REWRITE_KINDS.values()
        ),
    ]
)
