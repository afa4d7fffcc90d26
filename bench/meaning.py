"""Robust accuracy of trained models on the rows they held out and on the three probe sets.

    uv run python bench/meaning.py --model before=runs/old --model after=runs/new

For every model and every row set (the model's own heldout.csv, bench/out-of-scope.csv,
bench/spoken-in-scope.csv, bench/boundary.csv; see bench/probes.md) it runs
evaluate_functiongemma.py in its own process with the default renderings (as written, spoken,
typed), appends one JSON line per (model, rows) to bench/results/meaning.jsonl as soon as it is
measured (the command, the rows' sha256, the call margin applied (the model's stored one unless
--call-margin M sets it; --call-margin 0 is plain greedy) and where it came from, robust accuracy,
the evaluation report's renderings whole:
accuracy, false-call and missed-call rates per rendering, and any per-boundary false calls it
gives for boundary.csv; the rows whose answer changes with the rendering alone), and prints the
table. Pairs already recorded for the same model files and rows are skipped, so an interrupted run
resumes.
"""

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "meaning.jsonl"
PROBES = {"out-of-scope": ROOT / "bench" / "out-of-scope.csv", "spoken-in-scope": ROOT / "bench" / "spoken-in-scope.csv",
          "boundary": ROOT / "bench" / "boundary.csv"}
MODEL_FILES = ("adapter_model.safetensors", "model.safetensors", "training_config.json")


def sha256(*paths: Path) -> str:
    digest = hashlib.sha256()
    for path in paths:
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def recorded() -> set[tuple[str, str, float | None]]:
    """(model, rows, --call-margin given or None) of every line measured."""
    if not RESULTS.exists():
        return set()
    lines = [json.loads(line) for line in RESULTS.read_text().splitlines() if line.strip()]
    return {(line["model_sha256"], line["rows_sha256"], line.get("call_margin_flag")) for line in lines}


def evaluation_report(model: Path, rows_file: Path | None, *flags: str, **run) -> tuple[list[str], dict]:
    """(command, its --json report): evaluate_functiongemma.py on `model` in its own process, on every
    row of `rows_file` (a probe set), or on the model's own held-out rows (None);
    `flags` go to the script (e.g. --call-margin 0), `run` to subprocess.run (env, stdout).
    CalledProcessError when the evaluation fails."""
    command = [sys.executable, "evaluate_functiongemma.py", "--model", str(model)]
    if rows_file is not None:
        command += ["--dataset", str(rows_file.relative_to(ROOT) if rows_file.is_relative_to(ROOT) else rows_file),
                    "--split", "all"]
    command += flags
    with tempfile.TemporaryDirectory() as folder:
        report_path = Path(folder) / "report.json"
        subprocess.run(command + ["--json", str(report_path)], cwd=ROOT, check=True, **run)
        return command, json.loads(report_path.read_text())


def measure(label: str, model: Path, rows: str, rows_file: Path, call_margin: float | None = None) -> dict:
    flags = [] if call_margin is None else ["--call-margin", f"{call_margin:g}"]
    command, report = evaluation_report(model, None if rows == "heldout" else rows_file, *flags)
    return {
        "model": label, "model_dir": model.name, "model_sha256": sha256(*(model / name for name in MODEL_FILES)),
        "rows": rows, "rows_sha256": sha256(rows_file), "examples": report["examples"],
        "call_margin_flag": call_margin, "call_margin": report["call_margin"],
        "call_margin_source": report["call_margin_source"],
        "call_rows": report["call_rows"], "no_call_rows": report["no_call_rows"],
        "command": "uv run " + " ".join(command[1:]).replace(str(model), f"<{label}>"),
        "robust_accuracy": report["robust_accuracy"], "rendering_sensitive_rows": report["rendering_sensitive_rows"],
        "renderings": report["renderings"], "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


def percent(value) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def model_label(line: dict) -> str:
    """The line's label, with the call margin it was scored at when that was not plain greedy."""
    return line["model"] + (f" (M={line['call_margin']:.3g})" if line.get("call_margin") else "")


def print_table(lines: list[dict]) -> None:
    print("| model | rows | robust | as written | spoken | typed | false calls (w/s/t) | missed calls (w/s/t) | flips |")
    print("|---|---|---|---|---|---|---|---|---|")
    for line in lines:
        values = line["renderings"]
        names = [name for name in ("as_written", "spoken", "typed") if name in values]
        print(f"| {model_label(line)} | {line['rows']} ({line['examples']}) | **{percent(line['robust_accuracy'])}** | "
              + " | ".join(percent(values[name]["combined_accuracy"]) for name in names) + " | "
              + " / ".join(percent(values[name]["false_call_rate"]) for name in names) + " | "
              + " / ".join(percent(values[name]["missed_call_rate"]) for name in names)
              + f" | {line['rendering_sensitive_rows']} |")
    by_boundary = [line for line in lines if "by_boundary" in next(iter(line["renderings"].values()))]
    if by_boundary:
        print("\n| model | rows | boundary | false calls (w/s/t) | in scope right (w/s/t) |")
        print("|---|---|---|---|---|")
    for line in by_boundary:
        values = line["renderings"]
        names = [name for name in ("as_written", "spoken", "typed") if name in values]
        for boundary, counts in next(iter(values.values()))["by_boundary"].items():
            print(f"| {model_label(line)} | {line['rows']} | {boundary} ({counts['no_call_rows']} + {counts['call_rows']}) | "
                  + " / ".join(percent(values[name]["by_boundary"][boundary]["false_call_rate"]) for name in names)
                  + " | " + " / ".join(percent(values[name]["by_boundary"][boundary]["call_accuracy"]) for name in names)
                  + " |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", action="append", required=True, metavar="LABEL=DIR",
                        help="a training output directory, with the label the table gives it (repeat)")
    parser.add_argument("--call-margin", type=float, metavar="M",
                        help="score with this call margin (0: plain greedy) instead of each model's stored one")
    args = parser.parse_args()
    done = recorded()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    for entry in args.model:
        label, _, folder = entry.partition("=")
        model = Path(folder).resolve()
        for rows, rows_file in [("heldout", model / "heldout.csv"), *PROBES.items()]:
            key = (sha256(*(model / name for name in MODEL_FILES)), sha256(rows_file), args.call_margin)
            if key in done:
                print(f"{label} on {rows}: already recorded, skipped", file=sys.stderr)
                continue
            line = measure(label, model, rows, rows_file, args.call_margin)
            with RESULTS.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(line) + "\n")
    print_table([json.loads(line) for line in RESULTS.read_text().splitlines() if line.strip()])
    return 0


if __name__ == "__main__":
    sys.exit(main())
