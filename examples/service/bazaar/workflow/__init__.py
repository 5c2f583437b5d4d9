"""The async workflow engine that fulfils orders step by step."""

from bazaar.workflow.engine import EngineRunner, WorkflowEngine
from bazaar.workflow.scheduler import Scheduler
from bazaar.workflow.steps import (
    Step,
    StepFailed,
    UnknownWorkflow,
    Workflow,
    WorkflowTimeout,
)

__all__ = [
    "EngineRunner",
    "Scheduler",
    "Step",
    "StepFailed",
    "UnknownWorkflow",
    "Workflow",
    "WorkflowEngine",
    "WorkflowTimeout",
]
