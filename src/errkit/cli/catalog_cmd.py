"""`errkit catalog` and `errkit explain CODE`: the error catalog of a project.

`catalog` writes every code of the tree as Markdown (the committed
`CATALOG.md` of a project) or JSON; `explain inventory:120` prints one entry,
the way a compiler's error index explains one error number. Exit status 2
for a bad config or a code that is malformed or not in the tree.
"""

from __future__ import annotations

from pathlib import Path

import click

from errkit.analysis.catalog import CatalogEntry, build_catalog, parse_code
from errkit.analysis.catalog_format import render_explain, render_json, render_markdown
from errkit.cli._project import (
    fail,
    load,
    path_argument,
    project_name,
    scan,
    scan_options,
    write_output,
)


def project_catalog(
    path: str, *, jobs: int | None = None, no_cache: bool = False
) -> tuple[list[CatalogEntry], dict[str, str]]:
    """The catalog entries of the project at `path`, with module descriptions."""
    config, scans = scan(path, jobs=jobs, no_cache=no_cache)
    entries = build_catalog(scans, config.root, config.module_for)

    return entries, {m.name: m.description for m in config.modules}


@click.command("catalog")
@path_argument
@click.option(
    "--format", "fmt", type=click.Choice(["markdown", "json"]), default="markdown",
    show_default=True, help="Output format.",
)  # fmt: skip
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="Write to this file instead of stdout.",
)  # fmt: skip
@click.option(
    "--title", default=None,
    help="Markdown title.  [default: '<project name> error catalog']",
)  # fmt: skip
@scan_options
def catalog(
    path: str,
    fmt: str,
    output: Path | None,
    title: str | None,
    jobs: int | None,
    no_cache: bool,
) -> None:
    """Every error code of PATH: meaning, category, advice, where declared and raised.

    The Markdown title defaults to `<project> error catalog`, the project
    named as `errkit status` names it (`[project].name`, else the folder).
    """
    entries, modules = project_catalog(path, jobs=jobs, no_cache=no_cache)
    if fmt == "json":
        text = render_json(entries)
    else:
        if title is None:
            title = f"{project_name(Path(load(path).root))} error catalog"
        text = render_markdown(entries, title=title, modules=modules)
    write_output(text, output)
    click.echo(f"errkit catalog: {len(entries)} code(s)", err=True)


@click.command("explain")
@click.argument("code")
@click.option(
    "--path", "-p", "path", default=".", type=click.Path(),
    help="The project folder holding the config.", show_default=True,
)  # fmt: skip
@scan_options
def explain(code: str, path: str, jobs: int | None, no_cache: bool) -> None:
    """Explain one CODE such as inventory:120, the way an error index does."""
    load(path)  # a missing path or bad config first, worded as everywhere
    try:
        module, number = parse_code(code)
    except ValueError as exc:
        fail(f"CODE: {exc}")
    entries, _ = project_catalog(path, jobs=jobs, no_cache=no_cache)
    entry = next((e for e in entries if (e.module, e.code) == (module, number)), None)
    if entry is None:
        known = ", ".join(e.code_str for e in entries if e.module == module)
        hint = f"; codes of {module}: {known}" if known else ""
        fail(f"CODE: {code!r} is not declared or raised in {path}{hint}")
    click.echo(render_explain(entry), nl=False)
