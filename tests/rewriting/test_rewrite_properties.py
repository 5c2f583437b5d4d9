"""Property tests on generated programs: output parses, rewriting is idempotent."""

from __future__ import annotations

import ast

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from errkit.rewriting import CodeAllocator, rewrite_source
from errkit.rewriting.raise_generic import RAISE_TABLE

NAMES = st.sampled_from(["exc", "err", "e", "error", "caught", "value", "item"])
BUILTINS = st.sampled_from(sorted(RAISE_TABLE))
MESSAGES = st.sampled_from(
    ["'bad'", '"bad {0}".format(x)', "f'bad {x}'", "'%s' % x", "x", "", "'q', x"]
)


@st.composite
def raise_stmt(draw: st.DrawFn) -> str:
    builtin = draw(BUILTINS)
    args = draw(MESSAGES)
    form = draw(st.sampled_from(["call", "bare", "custom"]))
    if form == "bare":
        return f"raise {builtin}"
    if form == "custom":
        return f"raise Custom({args})"
    tail = draw(st.sampled_from(["", "\n", ",\n"]))
    return f"raise {builtin}({args}{tail if args else ''})"


@st.composite
def block(draw: st.DrawFn, depth: int) -> list[str]:
    """Statements, each a list of lines indented relative to the block."""
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 3))):
        choice = draw(st.integers(0, 5 if depth < 3 else 1))
        if choice == 0:
            lines.append(draw(NAMES) + " = 1")
        elif choice == 1:
            lines.extend(draw(raise_stmt()).splitlines())
        elif choice == 2:
            named = draw(st.booleans())
            header = "except OSError" + (f" as {draw(NAMES)}" if named else "")
            lines += ["try:", "    pass", header + ":"]
            lines += ["    " + ln for ln in draw(block(depth + 1))]
        elif choice == 3:
            lines += ["if x:"] + ["    " + ln for ln in draw(block(depth + 1))]
        elif choice == 4:
            call = draw(
                st.sampled_from(
                    [
                        "asyncio.create_task(c())",
                        "loop.create_task(c()).cancel()",
                        "executor.submit(f, 1)",
                        "threading.Thread(target=f, daemon=True).start()",
                        "threading.Timer(1, f).start()",
                    ]
                )
            )
            lines.append(call)
        else:
            lines += [f"def {draw(NAMES)}_fn(x):"]
            lines += ["    " + ln for ln in draw(block(depth + 1))]
    return lines


@st.composite
def program(draw: st.DrawFn) -> str:
    header = draw(st.sampled_from(["", '"""Doc."""\n', "# comment\n"]))
    imports = "import asyncio\nimport threading\n"
    classes = draw(
        st.lists(
            st.sampled_from(
                [
                    "class OutOfStock(Exception):\n    pass\n",
                    "class Bad(Mixin, ValueError):\n    '''d'''\n",
                    "class Gone(KeyError, metaclass=Meta):\n    pass\n",
                    "class Pump(threading.Thread):\n    pass\n",
                ]
            ),
            max_size=2,
        )
    )
    body = "\n".join(draw(block(0)))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = header + imports + "".join(classes) + body + "\n"
    return text.replace("\n", newline)


def migrate_once(data: bytes, known: dict[int, str]) -> tuple[bytes, dict[int, str]]:
    allocator = CodeAllocator("inventory", 100, 1099, known)
    out = rewrite_source(data, allocator, path="inventory/gen.py")
    return out, {**known, **allocator.new}


class TestProperties:
    @settings(
        max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
    @given(program())
    def test_output_parses_and_second_run_changes_nothing(self, source: str) -> None:
        """Every rewritten program parses, and rewriting it again is a no-op."""
        data = source.encode("utf-8")
        ast.parse(data)  # the generator only makes valid programs
        once, known = migrate_once(data, {})
        ast.parse(once)
        twice, _ = migrate_once(once, known)
        assert twice == once
        assert once.count(b"\r\n") >= data.count(b"\r\n")
