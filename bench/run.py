"""Run the benchmarks: `make bench`, or `make bench BENCH_ARGS="--only articles"`.

Each section is a module `bench/<name>.py` exposing `run() -> dict` that prints its own figures,
and optionally `table(figures) -> list[dict]`: its headline figures as rows of the final table
(`figure`, `value`, `target`, `verdict`). A section that cannot run here returns
`{"skipped": "<why>"}`. Sections run one after another, each in its own Python process, so that
each can set up Django with its own database and environment. A section whose module is not
there is skipped with a message; a section that fails is reported and the others still run
(exit status 1 at the end). `--json FILE` writes every section's figures, status and table rows
as one JSON document: `{"sections": {name: {"status", "seconds", "figures", "table"}}}`.

Knobs shared by the sections are environment variables (see each module's docstring), e.g.
`BENCH_DATABASE_URL`, `BENCH_ROUND_SECONDS`, `BENCH_ROUNDS`, `BENCH_PROFILE=1`.
"""

import argparse
import importlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, bench/ comes first on sys.path, where bench/articles.py would shadow the
# articles app: import the sections as bench.<name> from the project root instead.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))
SECTIONS = ["articles", "search", "cache", "reminders", "renditions"]


def section_available(name: str) -> bool:
    return (ROOT / "bench" / f"{name}.py").is_file()


def run_child(name: str, result_path: str) -> int:
    """Inside the section's own process: import it, run it, write its figures as JSON."""
    module = importlib.import_module(f"bench.{name}")
    figures = module.run()
    rows = []
    if "skipped" not in figures:
        # Sections that do not print as they go print their figures here.
        if hasattr(module, "summary"):
            module.summary(figures)
        if hasattr(module, "table"):
            rows = module.table(figures)
    result = {"figures": figures, "table": rows}
    Path(result_path).write_text(json.dumps(result, default=str, indent=2))
    return 0


def section_document(status: str, seconds: float | None, result: dict | None) -> dict:
    """One section's entry of the JSON document."""
    result = result or {}
    return {
        "status": status,
        "seconds": None if seconds is None else round(seconds, 1),
        "figures": result.get("figures"),
        "table": result.get("table", []),
    }


def print_table(sections: dict[str, dict]) -> None:
    """Every section's status and headline figures, as one table."""
    print(f"  {'section':<11} {'figure':<44} {'value':>14} {'target':>12} {'':<6}")
    for name, section in sections.items():
        print(f"  {name:<11} {section['status']}")
        for row in section["table"]:
            print(
                f"  {'':<11} {row['figure']:<44} {row['value']:>14} "
                f"{row.get('target') or '-':>12} {row.get('verdict') or '':<6}"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only",
        default=",".join(SECTIONS),
        help=f"comma-separated sections to run (default: all of {', '.join(SECTIONS)})",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also profile the code under test in-process where a section supports it "
        "(sets BENCH_PROFILE=1)",
    )
    parser.add_argument("--json", metavar="FILE", help="write every section's figures to FILE")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        return run_child(args.child, args.result)

    wanted = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = [s for s in wanted if s not in SECTIONS and not section_available(s)]
    if unknown:
        parser.error(f"unknown section(s): {', '.join(unknown)}; known: {', '.join(SECTIONS)}")

    env = os.environ.copy()
    if args.profile:
        env["BENCH_PROFILE"] = "1"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))

    sections: dict[str, dict] = {}
    for name in wanted:
        print(f"\n=== bench: {name} ===", flush=True)
        if not section_available(name):
            print(f"bench: skipping {name}: bench/{name}.py is not there (not written yet).")
            sections[name] = section_document("skipped (module missing)", None, None)
            continue
        started = time.monotonic()
        with tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as tmp:
            result_path = str(Path(tmp) / "result.json")
            code = subprocess.call(
                [
                    sys.executable,
                    str(Path(__file__).resolve()),
                    "--child",
                    name,
                    "--result",
                    result_path,
                ],
                cwd=ROOT,
                env=env,
            )
            elapsed = time.monotonic() - started
            if code == 0 and Path(result_path).is_file():
                result = json.loads(Path(result_path).read_text())
                skipped = result["figures"].get("skipped")
                if skipped:
                    print(f"bench: {name} skipped: {skipped}")
                    status = f"skipped ({skipped})"
                else:
                    status = f"ok in {elapsed:.0f} s"
                sections[name] = section_document(status, elapsed, result)
            else:
                status = f"FAILED (exit code {code}) after {elapsed:.0f} s"
                sections[name] = section_document(status, elapsed, None)

    print("\n=== bench: summary ===")
    print_table(sections)
    if args.json:
        Path(args.json).write_text(json.dumps({"sections": sections}, indent=2, default=str))
        print(f"figures written to {args.json}")
    return 1 if any(s["status"].startswith("FAILED") for s in sections.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
