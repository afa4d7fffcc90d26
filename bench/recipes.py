"""Benchmark: training recipes side by side, one at a time, every finished one kept.

    uv run python bench/recipes.py --list                       # the recipes, and which are recorded
    uv run python bench/recipes.py --recipes lora-default       # train and score one (about an hour on 2 CPU cores)
    uv run python bench/recipes.py                              # every recipe not recorded yet, one after the other
    uv run python bench/recipes.py --table                      # the Markdown table of bench/results/recipes.jsonl
    uv run python bench/recipes.py --readme [--check]           # write README's table (--check: exit 1 if stale)

Each recipe runs `train_functiongemma.py` in a process of its own (so its peak memory is its own,
and one recipe's state never leaks into the next) on the real Gemma 3 270M weights (the offline
stand-in, `dev/stand_in.py`; `--model DIR` for another base) with the public 942-row dataset
(`../shared/data/cycling-copilot-dataset-merged.csv` beside the checkout, never committed) and the
bundled seeds, split as always (seed 42, 10% held out): every recipe is scored on the same held-out
rows. Training's end-of-run evaluation already scores them as written, spoken and typed; the bench
reads them from the run's `metrics.json` and appends one JSON line per finished recipe to
`bench/results/recipes.jsonl`: the recipe and its flags, sha256 of each data file and of the
training script (self-contained: its vendored modules are in it), held-out robust accuracy (the
headline: a row counts only when right in every rendering), accuracy as written and per rendering,
false-call and missed-call rates per rendering, the rows whose answer changes with the rendering
alone, the held-out row count and hash, train and run minutes, the child's peak RSS, the device
and the date. Then the trained run is scored on two probe sets it never trained on
(`bench/probes.md`): `bench/out-of-scope.csv` (no-call rows only) and `bench/boundary.csv` (minimal
pairs of no-call and call rows), each by `evaluate_functiongemma.py --split all` in a process of
its own (`bench/meaning.py`'s `evaluation_report`), once with the call margin training stored in
the run's `training_config.json` (evaluation's default) and once with `--call-margin 0`. The line
records that margin (`call_margin`, and `call_margin_source`: `training_config.json`, or `none`
when training stored none and both settings score the same greedy answers) and, under `probes`,
per probe set its row count, no-call row count and sha256, and per setting (`stored_margin`,
`margin_0`) the false-call rate per rendering, with robust accuracy where the set holds call rows
(the boundary pairs: a margin that silences false calls there also costs right calls). A recipe already recorded for the same flags, step budget, base model, data, code
and device kind (cpu or cuda) is skipped, and one trained but not scored (its probe evaluation
failed or was interrupted; `bench_run.json` in its folder keeps its time and peak memory) is scored
without training it again, so the table fills across sessions: commit the file
each time a line lands. A recipe that fails (training or a probe evaluation) appends nothing and stops the bench (exit 1).

Recipes pin every setting they depend on (never the script's defaults, which this table is meant
to set). `--max-steps N` gives every recipe the same fixed step budget (recorded in its line, and
shown in the table). Each recipe's run goes to `--output-root/NAME` (default `runs/recipes`, which
git ignores), replaced when it is run again; its checkpoints are deleted once it finished (a full
fine-tune's are about 3 GB each), the trained model stays for evaluate and export.
"""

import argparse
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "dev"), str(ROOT / "bench")]

import meaning  # noqa: E402
import stand_in  # noqa: E402

TRAIN_SCRIPT = ROOT / "train_functiongemma.py"
SEEDS = ROOT / "cycling-copilot-seeds.csv"
RESULTS = ROOT / "bench" / "results" / "recipes.jsonl"
README = ROOT / "README.md"
PEAK_POLL_SECONDS = 0.1
FINISHED = "bench_run.json"  # in a run folder: trained by the bench, with its time and peak memory
BLOCK = re.compile(r"(<!-- recipes: bench/results/recipes.jsonl -->\n)(?P<table>.*?)(<!-- end recipes -->)", re.S)
RENDERINGS = ("as_written", "spoken", "typed")
LORA = ["--method", "lora", "--warmup", "0.03", "--batch-size", "8"]
FULL = ["--method", "full", "--warmup", "0.1", "--batch-size", "8"]
RECIPES = {
    "lora-default": ("the script's defaults before this table: LoRA r16 on every projection, lr 2e-4, 3 epochs",
                     LORA + ["--lora-r", "16", "--lora-alpha", "32", "--lr", "2e-4", "--epochs", "3"]),
    "lora-google": ("Google's FunctionGemma LoRA notebook: r8, lr 1e-4, one epoch (each row seen in one rendering)",
                    LORA + ["--lora-r", "8", "--lora-alpha", "16", "--lr", "1e-4", "--epochs", "1"]),
    "lora-r32": ("more LoRA capacity: r32, alpha 64, otherwise the defaults",
                 LORA + ["--lora-r", "32", "--lora-alpha", "64", "--lr", "2e-4", "--epochs", "3"]),
    "lora-5ep": ("more LoRA steps: 5 epochs, otherwise the defaults",
                 LORA + ["--lora-r", "16", "--lora-alpha", "32", "--lr", "2e-4", "--epochs", "5"]),
    "full-5e-5": ("full fine-tune at the top of Google's FunctionGemma range (lr 1e-5 to 5e-5), 3 epochs",
                  FULL + ["--lr", "5e-5", "--epochs", "3"]),
    "full-1e-5": ("full fine-tune at the bottom of Google's range, 3 epochs",
                  FULL + ["--lr", "1e-5", "--epochs", "3"]),
}
# The probe sets every finished recipe is scored on (line key: file), and the call-margin settings:
# the margin training stored (evaluation's default), and none.
PROBES = {"out_of_scope": meaning.PROBES["out-of-scope"], "boundary": meaning.PROBES["boundary"]}
MARGINS = {"stored_margin": (), "margin_0": ("--call-margin", "0")}
# What makes two lines the same measurement: a recipe recorded with all of these is skipped.
KEY = ("recipe", "flags", "max_steps", "model", "data_sha256", "code_sha256", "device_kind")


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def data_record(paths: list[Path]) -> tuple[list[dict], str]:
    """Each data file by base name and content hash, and one hash of them all (in order)."""
    files = [{"file": path.name, "sha256": sha256_file(path)} for path in paths]
    return files, hashlib.sha256("\n".join(entry["sha256"] for entry in files).encode()).hexdigest()


def device() -> tuple[str, str]:
    """(kind, name): "cuda" and the GPU's name, or "cpu" and the processor's."""
    import torch
    if torch.cuda.is_available():
        return "cuda", torch.cuda.get_device_name(0)
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            model = next((line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")), "")
    except OSError:
        model = ""
    return "cpu", f"cpu ({os.cpu_count()} cores{', ' + model if model else ''})"


def read_results(path: Path) -> list[dict]:
    if not path.exists():
        return []
    lines = []
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if text.strip():
            try:
                lines.append(json.loads(text))
            except json.JSONDecodeError as error:
                sys.exit(f"error: {path} line {number}: not JSON ({error.msg})")
    return lines


def recorded(results: list[dict], key: dict) -> dict | None:
    return next((line for line in results if all(line.get(name) == key[name] for name in KEY)), None)


def prepare_run_dir(folder: Path) -> None:
    """An empty folder for the recipe's run: a previous run of it is replaced, anything else refused."""
    if folder.exists() and any(folder.iterdir()):
        if not (folder / "split.json").exists() and not (folder / "training_config.json").exists():
            sys.exit(f"error: {folder} exists and is not a training run: choose another --output-root")
        shutil.rmtree(folder)


def finished_run(run_dir: Path, key: dict) -> dict | None:
    """The FINISHED record ({"key", "seconds", "peak_rss_mb"}) of a run trained for `key` whose
    scoring did not end in a line (a probe evaluation failed or was interrupted), else None: the
    bench scores it again instead of training it again."""
    try:
        record = json.loads((run_dir / FINISHED).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if record.get("key") == key and (run_dir / "metrics.json").exists() else None


def run_recipe(command: list[str], env: dict) -> tuple[int, float, float]:
    """(exit code, wall seconds, peak RSS in MB) of the training process alone. Its rusage (wait4)
    would not do: Linux hands a child the high-water mark of the process that started it at exec, so
    a big bench (or test) process would be measured instead; the child's own VmHWM, read while it
    runs, is its own."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, cwd=ROOT)
    peak_kb = 0
    while True:
        try:
            process.wait(timeout=PEAK_POLL_SECONDS)
            break
        except subprocess.TimeoutExpired:
            peak_kb = max(peak_kb, high_water_kb(process.pid))
        except KeyboardInterrupt:  # the child got the Ctrl-C too: let it save and stop
            process.wait()
            break
    return process.returncode, time.perf_counter() - started, peak_kb / 1024


def high_water_kb(pid: int) -> int:
    """The peak resident memory of a live process so far (VmHWM, Linux), 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return 0


def probe_figures(run_dir: Path, env: dict | None = None) -> dict:
    """The trained run on every PROBES set at every MARGINS setting, each evaluation in its own process:
    {"call_margin", "call_margin_source", "probes": {probe: {"rows", "no_call_rows", "sha256",
    setting: {"false_call_rate": {rendering: rate}, "robust_accuracy" (sets with call rows)}}}}.
    CalledProcessError when an evaluation fails."""
    stored, probes = None, {}
    for probe, rows_file in PROBES.items():
        figures = {}
        for setting, flags in MARGINS.items():
            _, report = meaning.evaluation_report(run_dir.resolve(), rows_file, *flags, env=env,
                                                  stdout=subprocess.DEVNULL)
            applied = (report["call_margin"], report["call_margin_source"])
            if setting == "margin_0" and applied[0] != 0:
                raise RuntimeError(f"{probe}: --call-margin 0 applied the margin {applied[0]}")
            if setting == "stored_margin":
                if stored not in (None, applied):
                    raise RuntimeError(f"{probe}: the stored margin read {applied}, before {stored}")
                stored = applied
            figures.update(rows=report["examples"], no_call_rows=report["no_call_rows"], sha256=sha256_file(rows_file))
            figures[setting] = {"false_call_rate": {rendering: values["false_call_rate"]
                                                    for rendering, values in report["renderings"].items()}}
            if report["call_rows"]:
                figures[setting]["robust_accuracy"] = report["robust_accuracy"]
        probes[probe] = figures
    return {"call_margin": stored[0], "call_margin_source": stored[1], "probes": probes}


def result_line(name: str, flags: list[str], key: dict, run_dir: Path, seconds: float, peak_mb: float,
                extra: dict, probes: dict) -> dict:
    metrics = json.loads((run_dir / "metrics.json").read_text(encoding="utf-8"))
    heldout = metrics.get("heldout")
    if not heldout:
        sys.exit(f"error: {run_dir}/metrics.json has no held-out evaluation")
    split = json.loads((run_dir / "split.json").read_text(encoding="utf-8"))
    config = json.loads((run_dir / "training_config.json").read_text(encoding="utf-8"))
    renderings = heldout["renderings"]
    return {
        **key, "description": RECIPES[name][0], "method": config["method"],
        **extra,
        "robust_accuracy": heldout["robust_accuracy"],
        "as_written_accuracy": renderings["as_written"]["combined_accuracy"],
        "accuracy": {rendering: values["combined_accuracy"] for rendering, values in renderings.items()},
        "false_call_rate": {rendering: values["false_call_rate"] for rendering, values in renderings.items()},
        "missed_call_rate": {rendering: values["missed_call_rate"] for rendering, values in renderings.items()},
        "rendering_sensitive_rows": heldout["rendering_sensitive_rows"],
        "heldout_rows": heldout["examples"], "heldout_call_rows": heldout["call_rows"],
        "heldout_no_call_rows": heldout["no_call_rows"], "heldout_sha256": split["parts"]["heldout"]["sha256"],
        **probes,
        "train_rows": config["rows"]["train"], "steps": metrics["train"]["steps"],
        "train_loss": metrics["train"].get("train_loss"),
        "train_minutes": round(metrics["train"]["train_runtime"] / 60, 2),
        "run_minutes": None if seconds is None else round(seconds / 60, 2),
        "peak_rss_mb": None if peak_mb is None else round(peak_mb),
        "precision": config["precision"],
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


def append_line(path: Path, line: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(line, ensure_ascii=False) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


# ----------------------------------------------------------------------------- the table


def settings(flags: list[str]) -> str:
    """A recipe's flags in a few words: "LoRA r16/32, lr 2e-4, 3 ep, warmup 0.03, batch 8"."""
    values = dict(zip(flags[::2], flags[1::2]))
    method = values.get("--method", "lora")
    parts = ["full" if method == "full" else f"LoRA r{values.get('--lora-r', '?')}/{values.get('--lora-alpha', '?')}"]
    parts += [f"lr {values['--lr']}" if "--lr" in values else None,
              f"{values['--epochs']} ep" if "--epochs" in values else None,
              f"warmup {values['--warmup']}" if "--warmup" in values else None,
              f"batch {values['--batch-size']}" if "--batch-size" in values else None]
    return ", ".join(part for part in parts if part)


def percent(value) -> str:
    return "–" if value is None else f"{value * 100:.1f}%"


def per_rendering(values: dict) -> str:
    return " / ".join(percent(values.get(rendering)) for rendering in RENDERINGS)


def probe_rates(line: dict, probe: str) -> str:
    """A probe set's false-call rates (a / s / t) at the stored margin, then at margin 0; "–" for a
    line recorded before the probes were."""
    figures = line.get("probes", {}).get(probe)
    if not figures:
        return "–"
    return (f"{per_rendering(figures['stored_margin']['false_call_rate'])} "
            f"(at 0: {per_rendering(figures['margin_0']['false_call_rate'])})")


def probe_robust(line: dict, probe: str) -> str:
    figures = line.get("probes", {}).get(probe)
    if not figures:
        return "–"
    return (f"{percent(figures['stored_margin'].get('robust_accuracy'))} "
            f"(at 0: {percent(figures['margin_0'].get('robust_accuracy'))})")


def table(results: list[dict]) -> str:
    """The Markdown table of the recorded recipes, best robust accuracy first (then the cheaper)."""
    if not results:
        return ("No recipe is recorded yet: `uv run python bench/recipes.py --recipes lora-default` adds the first "
                "line to `bench/results/recipes.jsonl`, then `uv run python bench/recipes.py --readme` writes it "
                "here.\n")
    ordered = sorted(results, key=lambda line: (-line["robust_accuracy"], line["train_minutes"]))
    rows = ["| recipe | settings | budget | **robust** | as written / spoken / typed | false calls (a / s / t) | "
            "missed calls (a / s / t) | answer changes with rendering | held-out rows (no-call) | call margin | "
            "out-of-scope false calls (a / s / t) | boundary false calls (a / s / t) | boundary robust | train min | "
            "peak RSS | device | data / code | date |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for line in ordered:
        budget = f"{line['max_steps']} steps" if line.get("max_steps") else f"{line['steps']} steps (epochs)"
        rows.append(" | ".join([
            f"| `{line['recipe']}`", settings(line["flags"]), budget, f"**{percent(line['robust_accuracy'])}**",
            per_rendering(line["accuracy"]), per_rendering(line["false_call_rate"]),
            per_rendering(line["missed_call_rate"]), str(line["rendering_sensitive_rows"]),
            f"{line['heldout_rows']} ({line['heldout_no_call_rows']})",
            "–" if line.get("call_margin") is None else f"{line['call_margin']:.3g}",
            probe_rates(line, "out_of_scope"), probe_rates(line, "boundary"), probe_robust(line, "boundary"),
            f"{line['train_minutes']:.0f}",
            "–" if line["peak_rss_mb"] is None else f"{line['peak_rss_mb'] / 1024:.1f} GB", line["device"].replace("|", "/"),
            f"`{line['data_sha256'][:8]}` / `{line['code_sha256'][:8]}`", line["date"][:10]]) + " |")
    return "\n".join(rows) + "\n"


def updated_readme(text: str, results: list[dict]) -> tuple[str, bool]:
    """README text with the recipes table regenerated, and whether it changed."""
    match = BLOCK.search(text)
    if not match:
        sys.exit("error: README.md has no <!-- recipes: bench/results/recipes.jsonl --> ... <!-- end recipes --> block")
    fresh = table(results)
    return text[:match.start("table")] + fresh + text[match.end("table"):], fresh != match["table"]


# ----------------------------------------------------------------------------- command line


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0], allow_abbrev=False)
    parser.add_argument("--recipes", nargs="+", metavar="NAME", help=f"recipes to run (default: all: {', '.join(RECIPES)})")
    parser.add_argument("--list", action="store_true", help="print the recipes and whether each is recorded, then stop")
    parser.add_argument("--table", action="store_true", help="print the Markdown table of the results, then stop")
    parser.add_argument("--readme", action="store_true", help="write the table into README.md, then stop")
    parser.add_argument("--check", action="store_true", help="with --readme: only check README's table (exit 1 if stale)")
    parser.add_argument("--max-steps", type=int, metavar="N", help="the same fixed optimizer-step budget for every recipe")
    parser.add_argument("--model", help="base model dir (default: the real Gemma 3 270M stand-in, built once)")
    parser.add_argument("--dataset", action="append", metavar="CSV",
                        help="data files, repeatable (default: the public dataset beside the checkout and the bundled seeds)")
    parser.add_argument("--threads", type=int, metavar="N", help="CPU threads for training (default: torch's own)")
    parser.add_argument("--output-root", default=str(ROOT / "runs" / "recipes"), metavar="DIR",
                        help="folder of the runs, one per recipe (default runs/recipes)")
    parser.add_argument("--results", default=str(RESULTS), metavar="JSONL",
                        help="the results file to read and append to (default bench/results/recipes.jsonl)")
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    unknown = [name for name in args.recipes or [] if name not in RECIPES]
    if unknown:
        parser.error(f"unknown recipe {', '.join(unknown)} (known: {', '.join(RECIPES)})")
    if args.max_steps is not None and args.max_steps <= 0:
        parser.error("--max-steps must be positive")
    results_path = Path(args.results)
    results = read_results(results_path)
    if args.table:
        print(table(results), end="")
        return 0
    if args.readme or args.check:
        text = README.read_text(encoding="utf-8")
        fresh, stale = updated_readme(text, results)
        if args.check:
            if stale:
                print("README.md: the recipes table differs from bench/results/recipes.jsonl "
                      "(run uv run python bench/recipes.py --readme)")
            return 1 if stale else 0
        if stale:
            README.write_text(fresh, encoding="utf-8")
            print("updated README.md's recipes table")
        return 0

    datasets = [Path(path) for path in args.dataset] if args.dataset else [stand_in.PUBLIC_DATASET, SEEDS]
    missing = [str(path) for path in datasets if not path.is_file()]
    if missing:
        parser.error(f"no such data file: {', '.join(missing)} (the public dataset is not committed: "
                     "put it there, or pass --dataset)")
    data_files, data_sha = data_record(datasets)
    code_sha = sha256_file(TRAIN_SCRIPT)
    kind, device_name = device()
    names = args.recipes or list(RECIPES)
    model = args.model

    def key_of(name: str, model_name: str) -> dict:
        return {"recipe": name, "flags": RECIPES[name][1], "max_steps": args.max_steps, "model": model_name,
                "data_sha256": data_sha, "code_sha256": code_sha, "device_kind": kind}

    model_name = os.path.basename(os.path.abspath(model)) if model else stand_in.REAL_270M.name  # built when needed
    if args.list:
        for name in RECIPES:
            line = recorded(results, key_of(name, model_name))
            state = (f"recorded {line['date'][:10]}: robust {percent(line['robust_accuracy'])}" if line
                     else "not recorded for this data, code and device")
            print(f"{name:13} {settings(RECIPES[name][1])} — {RECIPES[name][0]} [{state}]")
        return 0

    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    if args.threads:
        env.update(OMP_NUM_THREADS=str(args.threads), MKL_NUM_THREADS=str(args.threads))
    for name in names:
        key = key_of(name, model_name)
        line = recorded(results, key)
        if line:
            print(f"{name}: already recorded {line['date']} for this data, code and device "
                  f"(robust {percent(line['robust_accuracy'])}): skipped", flush=True)
            continue
        run_dir = Path(args.output_root) / name
        trained = finished_run(run_dir, key)
        if trained:
            seconds, peak_mb = trained["seconds"], trained["peak_rss_mb"]
            print(f"{name}: already trained in {run_dir} for this data, code and device, not scored: scoring it",
                  flush=True)
        else:
            model = model or str(stand_in.real_gemma3_270m())
            prepare_run_dir(run_dir)
            command = [sys.executable, str(TRAIN_SCRIPT), "--model", model,
                       *[part for path in datasets for part in ("--dataset", str(path))], *RECIPES[name][1],
                       *(["--max-steps", str(args.max_steps)] if args.max_steps else []), "--output-dir", str(run_dir)]
            print(f"{name}: {settings(RECIPES[name][1])}"
                  + (f", {args.max_steps} steps" if args.max_steps else "") + f" -> {run_dir}", flush=True)
            code, seconds, peak_mb = run_recipe(command, env)
            if code != 0:
                print(f"{name}: training failed (exit {code}) after {seconds / 60:.1f} min: nothing recorded",
                      file=sys.stderr)
                return 130 if code in (130, -signal.SIGINT) else 1
            for checkpoint in run_dir.glob("checkpoint-*"):
                shutil.rmtree(checkpoint)
            (run_dir / FINISHED).write_text(json.dumps({"key": key, "seconds": seconds, "peak_rss_mb": peak_mb}),
                                            encoding="utf-8")
        print(f"{name}: trained; scoring the probe sets {', '.join(path.name for path in PROBES.values())} "
              "at the stored call margin and at 0", flush=True)
        try:
            probes = probe_figures(run_dir, env)
        except (subprocess.CalledProcessError, RuntimeError, KeyboardInterrupt) as error:
            why = (f"exit {error.returncode}" if isinstance(error, subprocess.CalledProcessError)
                   else "interrupted" if isinstance(error, KeyboardInterrupt) else str(error))
            print(f"{name}: probe evaluation failed ({why}): nothing recorded", file=sys.stderr)
            return 130 if isinstance(error, KeyboardInterrupt) else 1
        line = result_line(name, RECIPES[name][1], key, run_dir, seconds, peak_mb,
                           {"data": data_files, "code": TRAIN_SCRIPT.name, "device": device_name,
                            "threads": args.threads, "cpus": os.cpu_count()}, probes)
        append_line(results_path, line)
        results.append(line)
        print(f"{name}: robust {percent(line['robust_accuracy'])}, as written {percent(line['as_written_accuracy'])}, "
              f"false calls {per_rendering(line['false_call_rate'])}, call margin {line['call_margin']:.3g}, "
              f"out-of-scope false calls {probe_rates(line, 'out_of_scope')}, "
              f"boundary false calls {probe_rates(line, 'boundary')}, {line['train_minutes']:.1f} train min"
              + ("" if peak_mb is None else f", peak RSS {peak_mb / 1024:.1f} GB") + f": appended to {results_path}",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
