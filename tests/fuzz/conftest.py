"""The fuzz run's per-role counts, printed once at the end of the session."""

import os

from tests.fuzz import report


def pytest_terminal_summary(terminalreporter):
    if not report.RUNS:
        return
    terminalreporter.section("schemathesis fuzz")
    terminalreporter.write_line(
        f"seed {report.SEED} (NEWSROOM_FUZZ_SEED), {report.EXAMPLES} examples"
    )
    for line in report.summary_lines():
        terminalreporter.write_line(line)
    if os.environ.get("NEWSROOM_FUZZ_VERBOSE", "1") != "0":
        terminalreporter.write_line("distinct failures (operation [check] -> status, roles):")
        for line in report.failure_lines():
            terminalreporter.write_line(line)
