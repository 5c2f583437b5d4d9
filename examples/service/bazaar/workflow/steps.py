"""Workflow definitions: named steps run in order, some stages in parallel."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Union

Context = dict[str, Any]
StepFn = Callable[[Context], Any | Awaitable[Any]]


class StepFailed(Exception):
    """A step raised; the message names the step and the original error."""

    def __init__(self, step: str, message: str) -> None:
        super().__init__(message)
        self.step = step


class WorkflowTimeout(TimeoutError):
    """A step or a whole workflow ran past its timeout."""


class UnknownWorkflow(KeyError):
    """No workflow is registered under this name."""


@dataclass(frozen=True)
class Step:
    name: str
    fn: StepFn
    timeout: float | None = None
    retries: int = 0

    def __post_init__(self) -> None:
        if not self.name.isidentifier():
            raise ValueError(f"step name must be an identifier: {self.name!r}")
        if self.retries < 0:
            raise ValueError(f"retries must not be negative: {self.retries}")
        if self.timeout is not None and self.timeout <= 0:
            raise ValueError(f"timeout must be positive: {self.timeout}")

    @property
    def is_async(self) -> bool:
        return inspect.iscoroutinefunction(self.fn)


Stage = Union[Step, tuple[Step, ...]]


@dataclass(frozen=True)
class Workflow:
    name: str
    stages: tuple[Stage, ...] = field(default_factory=tuple)
    timeout: float | None = None

    def __post_init__(self) -> None:
        if not self.stages:
            raise ValueError(f"workflow {self.name} has no steps")
        seen: set[str] = set()
        for step in self.steps():
            if step.name in seen:
                raise ValueError(f"workflow {self.name} has two steps named {step.name}")
            seen.add(step.name)

    def steps(self) -> list[Step]:
        flat: list[Step] = []
        for stage in self.stages:
            flat.extend(stage if isinstance(stage, tuple) else (stage,))
        return flat
