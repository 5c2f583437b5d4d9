"""`errkit migrate`: rewrite modules onto the standard, diff first.

Exit status: 0 nothing to change (or everything written), 1 `--diff` found changes
to make, 2 usage, config or safety refusal (old libcst, dirty files), 3 some files
could not be read or parsed (reported on stderr, like `errkit scan` does) and were
left untouched. Files no module owns are out of scope: counted, never an error.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import click

from errkit.rewriting.kinds import KIND_NAMES, REWRITE_KINDS, parse_kinds

EXIT_CHANGES = 1
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
    from errkit.cli.app import fail, load_target, skipped_line
    from errkit.rewriting import (
        ConfigError,
        LibcstVersionError,
        MigrateOptions,
        Status,
        dirty_files,
        iter_diff_lines,
        load_migrate_config,
        migrate,
        migrate_config,
        python_files,
        require_libcst,
        scanner_view,
        write_atomic,
        write_codes,
    )
    from errkit.rewriting.layout import project_line_length
    from errkit.rewriting.safety import outside_git

    try:
        require_libcst()
    except LibcstVersionError as exc:
        fail(str(exc))
    try:
        if config_path is not None:
            config = load_migrate_config(config_path)
        else:
            start = targets[0] if targets and Path(targets[0]).exists() else "."
            tool, _ = load_target(start)  # a bad config exits 2 here
            if tool.source is None:
                fail(f"no [tool.errkit] config found at or above {start!r}")
            config = migrate_config(tool, Path(tool.source))
    except ConfigError as exc:
        fail(str(exc))
    config_file = config.path

    roots: list[Path] = []
    for target in targets or tuple(m.name for m in config.modules):
        spec = config.module_named(target)
        if spec is not None:
            roots.extend(spec.paths)
        elif Path(target).exists():
            roots.append(Path(target))
        else:
            fail(
                f"target must be a module in {config_file} or an existing path; "
                f"got {target!r}"
            )
    files = python_files(roots, config_file.parent, config.exclude)
    options = MigrateOptions(
        kinds=parse_kinds(only, skip),
        jobs=jobs,
        line_length=project_line_length(config_file.parent),
    )
    try:
        sites, taken, skips = scanner_view(config_file.parent, jobs, config.tool)
        options = replace(options, sites=sites, taken=taken, skips=skips)
    except Exception as exc:  # noqa: BLE001 - the planner's own rules still work
        click.echo(
            f"errkit: warning: scanner unavailable ({type(exc).__name__}: "
            f"{exc}); using the migration planner's own site rules",
            err=True,
        )
    run = migrate(files, config, options)

    changed = run.by_status(Status.CHANGED)
    skipped = run.by_status(Status.SKIPPED)
    touched = [Path(o.path) for o in changed]
    if run.allocations:
        touched.append(config_file)
    if mode == "apply" and not allow_dirty:
        dirty = dirty_files(touched)
        if dirty:
            fail(
                "files to rewrite must have no uncommitted changes;"
                f" {len(dirty)} do: {', '.join(_shown(p) for p in dirty[:5])}"
                " (commit them or pass --allow-dirty)"
            )
    if mode == "apply" and touched and outside_git(touched):
        _note(
            f"errkit: warning: {config_file.parent.resolve()} is not in a "
            "git work tree, so this rewrite cannot be undone with git\n"
        )

    if mode == "diff":
        for outcome in changed:
            sys.stdout.writelines(iter_diff_lines(outcome, config_file.parent))
    else:
        for outcome in changed:
            assert outcome.after is not None
            write_atomic(Path(outcome.path), outcome.after)
        write_codes(config_file, run.allocations)

    for outcome in skipped:
        # The wording and tags of `errkit scan`'s skipped-file lines.
        why = outcome.why.value if outcome.why else "skipped"
        if outcome.error is not None:
            text = skipped_line(
                _shown(outcome.path),
                why,
                outcome.error,
                outcome.detail or "",
                outcome.line,
            )
        else:  # nothing raised: the file changed on disk during the run
            text = f"{_shown(outcome.path)}: skipped ({why})"
        _note(text + "\n")
    for outcome in run.outcomes:
        for declined in outcome.declined:
            _note(
                f"left {_shown(outcome.path)}:{declined.line}:{declined.col} "
                f"[{declined.kind.value}] {declined.reason}\n"
            )
    counts = run.rewritten()
    kinds = ", ".join(f"{k} {counts[k]}" for k in KIND_NAMES if counts.get(k))
    verb = "rewrote" if mode == "apply" else "would rewrite"
    _note(
        f"{verb} {len(changed)} files ({sum(counts.values())} sites"
        f"{': ' + kinds if kinds else ''}); {len(skipped)} skipped, "
        f"{len(run.by_status(Status.UNCHANGED))} unchanged, "
        f"{len(run.by_status(Status.NOT_IN_MODULE))} not in any module\n"
    )
    if skipped:
        sys.exit(EXIT_SKIPPED)
    if changed and mode == "diff":
        sys.exit(EXIT_CHANGES)


def _note(text: str) -> None:
    click.echo(text, err=True, nl=False)


def _shown(path: str) -> str:
    """`path` relative to the working folder when it is below it, else as given."""
    import os

    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


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
