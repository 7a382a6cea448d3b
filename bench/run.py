"""Run the benchmarks and write bench/results/latest.{json,md}."""

from __future__ import annotations

import importlib
import json
import os
import platform
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass
class Row:
    group: str
    name: str
    value: float
    unit: str
    peer: str = ""
    peer_value: float | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.peer_value in (None, 0):
            return None
        return self.value / self.peer_value


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)

    def add(self, group, name, value, unit, peer="", peer_value=None, note=""):
        row = Row(group, name, float(value), unit, peer, None if peer_value is None else float(peer_value), note)
        self.rows.append(row)
        ratio = f"  ratio {row.ratio:.2f} vs {peer}" if row.ratio is not None else ""
        print(f"  {group:10s} {name:55s} {value:12.1f} {unit}{ratio}", flush=True)
        return row


def timed(func, *, min_seconds=1.0, max_iterations=1_000_000):
    """Call func repeatedly for at least min_seconds; return calls per second."""
    func()  # warm-up
    n, start = 0, time.perf_counter()
    while True:
        func()
        n += 1
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds or n >= max_iterations:
            return n / elapsed


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyso.settings")
    os.environ.setdefault("KYSO_DATA_DIR", str(HERE / "results" / "data"))
    import django

    django.setup()


def fresh_demo(prefix: str) -> Path:
    """A throw-away data directory with a migrated SQLite database, the demo organisation and our CA."""
    import tempfile

    data_dir = Path(tempfile.mkdtemp(prefix=f"kyso-bench-{prefix}-"))
    os.environ["KYSO_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("KYSO_SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
    setup_django()
    from django.core.management import call_command
    from django.db import transaction

    from kyso.core.context import acting_as
    from kyso.core.testing import load_demo_org
    from kyso.pki.bootstrap import ensure_ca

    call_command("migrate", verbosity=0)
    load_demo_org()
    with acting_as(label="bench"), transaction.atomic():
        ensure_ca()
    return data_dir


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    only = os.environ.get("ONLY") or (argv[0] if argv else "")
    modules = sorted(p.stem for p in HERE.glob("bench_*.py"))
    if only:
        modules = [m for m in modules if m == f"bench_{only}"]
    started = time.time()
    all_rows, failed = [], []
    for name in modules:
        print(f"== {name}", flush=True)
        report = Report()
        t0 = time.time()
        try:
            importlib.import_module(f"bench.{name}").run(report)
        except Exception as exc:  # noqa: BLE001 - one broken module must not hide the others' figures
            failed.append(name)
            print(f"  {name} FAILED: {type(exc).__name__}: {exc}", flush=True)
        write(name.removeprefix("bench_"), report.rows, time.time() - t0)
        all_rows += report.rows
    print("\n".join(table(all_rows)))
    print("\n".join(["", "## Every ratio, beside its peer measured in the same run", *ratios(all_rows)]))
    print(f"\n{len(all_rows)} measures in {time.time() - started:.0f} s -> bench/results/<module>.md")
    if failed:
        print(f"FAILED: {', '.join(failed)}")
        sys.exit(1)


def ratios(rows: list[Row]) -> list[str]:
    """One line per measure that has a peer: value, peer value, ratio (the summary `make bench` ends with)."""
    lines = ["| group | measure | value | peer | peer value | ratio |", "|---|---|---:|---|---:|---:|"]
    for r in rows:
        if r.ratio is not None:
            note = f" ({r.note})" if r.note else ""
            lines.append(f"| {r.group} | {r.name}{note} | {r.value:.1f} {r.unit} | {r.peer} | {r.peer_value:.1f} | "
                         f"{r.ratio:.2f} |")
    return lines


def table(rows: list[Row]) -> list[str]:
    lines = ["| group | measure | value | unit | peer | peer value | ratio |", "|---|---|---:|---|---|---:|---:|"]
    for r in rows:
        ratio = f"{r.ratio:.2f}" if r.ratio is not None else ""
        peer_value = f"{r.peer_value:.1f}" if r.peer_value is not None else ""
        note = f" ({r.note})" if r.note else ""
        lines.append(f"| {r.group} | {r.name}{note} | {r.value:.1f} | {r.unit} | {r.peer} | {peer_value} | {ratio} |")
    return lines


def write(module: str, rows: list[Row], seconds: float) -> None:
    """bench/results/<module>.json and .md: one file per module, so modules can be re-run alone."""
    out = {"machine": {"python": sys.version.split()[0], "platform": platform.platform(), "cpus": os.cpu_count()},
           "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "seconds": round(seconds, 1),
           "rows": [{**asdict(r), "ratio": r.ratio} for r in rows]}
    folder = HERE / "results"
    folder.mkdir(exist_ok=True)
    (folder / f"{module}.json").write_text(json.dumps(out, indent=2, ensure_ascii=False))
    header = f"# {module} — {out['when']}, {out['machine']['cpus']} CPUs, {out['seconds']} s\n\n"
    (folder / f"{module}.md").write_text(header + "\n".join(table(rows)) + "\n")


if __name__ == "__main__":
    main()
