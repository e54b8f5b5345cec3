"""What the fuzz run did, per role: cases sent, time taken, distinct failures found.

The seed changes every day (so CI explores new inputs) and is printed, with the example count,
so a failure reproduces: ``NEWSROOM_FUZZ_SEED=<seed> make fuzz``.
"""

import datetime
import os
from dataclasses import dataclass, field

TODAY = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d")
SEED = int(os.environ.get("NEWSROOM_FUZZ_SEED") or TODAY)
# Examples per operation and generation mode (positive, negative) for each role.
EXAMPLES = int(os.environ.get("NEWSROOM_FUZZ_EXAMPLES") or 25)
# Stateful scenarios (chains of requests that follow links inferred from the schema) per role.
SCENARIOS = int(os.environ.get("NEWSROOM_FUZZ_SCENARIOS") or 10)


@dataclass
class Failure:
    operation: str
    check: str
    status: int
    message: str
    reproduction: str
    count: int = 1


@dataclass
class RoleRun:
    role: str
    cases: int = 0
    stateful_steps: int = 0
    seconds: float = 0.0
    failures: dict[tuple, Failure] = field(default_factory=dict)
    unsatisfiable: list[str] = field(default_factory=list)

    def record(self, *, operation, check, status, message, reproduction) -> None:
        key = (operation, check, status, message.splitlines()[0] if message else "")
        if key in self.failures:
            self.failures[key].count += 1
        else:
            # The curl command is built only for the first case of each failure (it costs).
            self.failures[key] = Failure(operation, check, status, message, reproduction())


RUNS: dict[str, RoleRun] = {}


def summary_lines() -> list[str]:
    lines = []
    total = 0
    for run in RUNS.values():
        total += run.cases + run.stateful_steps
        lines.append(
            f"{run.role:<11} {run.cases:>6} cases + {run.stateful_steps:>4} stateful steps "
            f"in {run.seconds:6.1f}s, {len(run.failures)} distinct failures"
        )
    lines.append(f"total       {total:>6} requests")
    return lines


def failure_lines() -> list[str]:
    """Distinct failures across roles: which roles hit each, and one reproduction."""
    merged: dict[tuple, tuple[Failure, list[str]]] = {}
    for run in RUNS.values():
        for key, failure in run.failures.items():
            if key in merged:
                merged[key][1].append(run.role)
            else:
                merged[key] = (failure, [run.role])
    lines = []
    for (operation, check, status, first_line), (failure, roles) in sorted(
        merged.items(), key=lambda item: (item[0][0], item[0][1], item[0][2])
    ):
        lines.append(f"{operation} [{check}] -> {status} {first_line!r} as {','.join(roles)}")
        lines.append(f"    {failure.reproduction}")
        lines.extend(f"    {line.strip()}" for line in failure.message.splitlines()[1:])
    return lines
