"""bench/recipes.py on a tiny model: one recipe trained in its own process, its line appended, then skipped."""

import csv
import hashlib
import importlib.util
import json
import shutil
import subprocess
import sys

import pytest

import _data
from conftest import ROOT

BENCH = ROOT / "bench" / "recipes.py"
LINE_KEYS = {"recipe", "flags", "max_steps", "model", "data", "data_sha256", "code", "code_sha256", "device",
             "device_kind", "method", "robust_accuracy", "as_written_accuracy", "accuracy", "false_call_rate",
             "missed_call_rate", "rendering_sensitive_rows", "heldout_rows", "heldout_sha256", "train_minutes",
             "run_minutes", "peak_rss_mb", "date", "call_margin", "call_margin_source", "probes"}
RENDERINGS = ("as_written", "spoken", "typed")


def bench(*args, timeout=600):
    return subprocess.run([sys.executable, str(BENCH), *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT)


@pytest.fixture(scope="module")
def recipes():
    spec = importlib.util.spec_from_file_location("bench_recipes", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def benched(tiny_model_dir, tmp_path_factory):
    """`full-5e-5` with a 2-step budget on 41 seed rows: one line appended to a results file of its own."""
    folder = tmp_path_factory.mktemp("recipes")
    examples, _ = _data.load_examples(None, _data.load_tools())
    _data.write_examples_csv(str(folder / "rows.csv"), examples[::18])
    flags = ["--model", tiny_model_dir, "--dataset", folder / "rows.csv", "--max-steps", "2",
             "--output-root", folder / "runs", "--results", folder / "recipes.jsonl"]
    first = bench("--recipes", "full-5e-5", *flags)
    return folder, flags, first


def test_a_finished_recipe_appends_one_line_with_every_figure(benched, tiny_model_dir):
    folder, _, first = benched
    assert first.returncode == 0, first.stderr[-3000:]
    lines = (folder / "recipes.jsonl").read_text().splitlines()
    assert len(lines) == 1
    line = json.loads(lines[0])
    assert LINE_KEYS <= set(line), LINE_KEYS - set(line)
    assert (line["recipe"], line["method"], line["max_steps"], line["steps"]) == ("full-5e-5", "full", 2, 2)
    assert line["flags"] == ["--method", "full", "--warmup", "0.1", "--batch-size", "8", "--lr", "5e-5", "--epochs", "3"]
    assert line["model"] == tiny_model_dir.name and line["device_kind"] == "cpu" and line["device"].startswith("cpu")
    import hashlib
    assert line["data"] == [{"file": "rows.csv", "sha256": hashlib.sha256((folder / "rows.csv").read_bytes()).hexdigest()}]
    assert line["code"] == "train_functiongemma.py"
    assert line["code_sha256"] == hashlib.sha256((ROOT / "train_functiongemma.py").read_bytes()).hexdigest()
    # the figures are the run's own held-out evaluation, every rendering
    run = folder / "runs" / "full-5e-5"
    heldout = json.loads((run / "metrics.json").read_text())["heldout"]
    assert line["robust_accuracy"] == heldout["robust_accuracy"] and line["heldout_rows"] == heldout["examples"] >= 3
    assert set(line["accuracy"]) == set(line["false_call_rate"]) == set(line["missed_call_rate"]) == {
        "as_written", "spoken", "typed"}
    assert line["as_written_accuracy"] == heldout["renderings"]["as_written"]["combined_accuracy"]
    assert line["false_call_rate"]["spoken"] == heldout["renderings"]["spoken"]["false_call_rate"]
    # the training process's own peak memory (measured by run_recipe: test_peak_memory_is_the_child_process_own)
    assert isinstance(line["peak_rss_mb"], int) and 0 < line["train_minutes"] <= line["run_minutes"]
    assert (run / "model.safetensors").exists() and not list(run.glob("checkpoint-*"))  # checkpoints deleted


def probe_rows(path):
    """(rows, no-call rows) of a probe file, read here with the csv module alone."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return len(rows), sum(json.loads(row["tool_calls"]) == [] for row in rows)


def test_a_finished_recipe_is_scored_on_the_probe_sets_at_the_stored_margin_and_at_0(benched):
    """The tiny random model answers every row in prose: no false call on any probe row, in any
    rendering, at either margin; on the boundary pairs every no-call row is right and every call row
    wrong, so robust accuracy is the no-call share. The margin is the one training stored."""
    folder, _, first = benched
    assert first.returncode == 0, first.stderr[-3000:]
    line = json.loads((folder / "recipes.jsonl").read_text().splitlines()[0])
    config = json.loads((folder / "runs" / "full-5e-5" / "training_config.json").read_text())
    assert (line["call_margin"], line["call_margin_source"]) == (config["call_margin"]["value"], "training_config.json")
    expected = {}
    for probe, name in (("out_of_scope", "out-of-scope.csv"), ("boundary", "boundary.csv")):
        path = ROOT / "bench" / name
        rows, no_call = probe_rows(path)
        setting = {"false_call_rate": dict.fromkeys(RENDERINGS, 0.0),
                   **({"robust_accuracy": no_call / rows} if probe == "boundary" else {})}
        expected[probe] = {"rows": rows, "no_call_rows": no_call, "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                           "stored_margin": setting, "margin_0": setting}
    assert line["probes"] == expected
    assert expected["out_of_scope"]["rows"] == expected["out_of_scope"]["no_call_rows"] >= 50
    assert 0 < expected["boundary"]["no_call_rows"] < expected["boundary"]["rows"]
    assert "boundary false calls 0.0% / 0.0% / 0.0% (at 0: 0.0% / 0.0% / 0.0%)" in first.stdout


def test_probe_figures_apply_the_stored_margin_then_none(benched, recipes, tmp_path, monkeypatch):
    """A margin planted in a copy of the run is the one the stored setting applies and the line records;
    without one the source is "none" (0). Two pairs of boundary rows stand in for the probe sets."""
    folder, _, first = benched
    assert first.returncode == 0, first.stderr[-3000:]
    run = tmp_path / "run"
    shutil.copytree(folder / "runs" / "full-5e-5", run)
    pairs = tmp_path / "pairs.csv"
    with open(ROOT / "bench" / "boundary.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with open(pairs, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows([row for row in rows if json.loads(row["tool_calls"]) == []][:3]
                         + [row for row in rows if json.loads(row["tool_calls"]) != []][:1])
    monkeypatch.setattr(recipes, "PROBES", {"boundary": pairs})
    config = json.loads((run / "training_config.json").read_text())
    setting = {"false_call_rate": dict.fromkeys(RENDERINGS, 0.0), "robust_accuracy": 0.75}
    figures = {"boundary": {"rows": 4, "no_call_rows": 3, "sha256": hashlib.sha256(pairs.read_bytes()).hexdigest(),
                            "stored_margin": setting, "margin_0": setting}}
    config["call_margin"]["value"] = 7.5
    (run / "training_config.json").write_text(json.dumps(config))
    assert recipes.probe_figures(run) == {"call_margin": 7.5, "call_margin_source": "training_config.json",
                                          "probes": figures}
    del config["call_margin"]
    (run / "training_config.json").write_text(json.dumps(config))
    assert recipes.probe_figures(run) == {"call_margin": 0.0, "call_margin_source": "none", "probes": figures}


def test_a_recorded_recipe_is_skipped_without_training(benched):
    folder, flags, first = benched
    assert first.returncode == 0, first.stderr[-3000:]
    before = (folder / "recipes.jsonl").read_text()
    run = folder / "runs" / "full-5e-5"
    marker = run / "not-a-run-file"  # a new run would replace the folder, and so remove it
    marker.write_text("kept")
    try:
        again = bench("--recipes", "full-5e-5", *flags)
        assert again.returncode == 0, again.stderr[-3000:]
        assert "full-5e-5: already recorded" in again.stdout and "skipped" in again.stdout
        assert (folder / "recipes.jsonl").read_text() == before and marker.read_text() == "kept"
    finally:  # the run folder stays as the recipe left it, for the other tests of this file
        marker.unlink(missing_ok=True)
    listed = bench("--list", *flags).stdout.splitlines()
    assert len(listed) == 6 and listed[4].startswith("full-5e-5") and "[recorded " in listed[4]
    assert all("[not recorded" in row for index, row in enumerate(listed) if index != 4)
    # another step budget is another measurement
    other_budget = bench("--list", *flags[:-6], "--max-steps", "3", *flags[-4:]).stdout.splitlines()
    assert "[not recorded" in other_budget[4]


def test_table_is_generated_from_the_results(tmp_path):
    """Three recorded lines: best robust accuracy first, then the cheaper; every figure in its column
    (a line recorded before the probe sets shows "–" for them)."""
    def probes(out_of_scope, boundary):
        def setting(rates, robust=None):
            return {"false_call_rate": dict(zip(RENDERINGS, rates)),
                    **({"robust_accuracy": robust} if robust is not None else {})}
        return {"out_of_scope": {"rows": 80, "no_call_rows": 80, "sha256": "0" * 64,
                                 "stored_margin": setting(out_of_scope[0]), "margin_0": setting(out_of_scope[1])},
                "boundary": {"rows": 138, "no_call_rows": 69, "sha256": "1" * 64,
                             "stored_margin": setting(*boundary[0]), "margin_0": setting(*boundary[1])}}

    common = {"heldout_rows": 40, "heldout_no_call_rows": 12, "model": "m", "device_kind": "cpu"}
    lines = [
        {"recipe": "lora-a", "flags": ["--method", "lora", "--lora-r", "16", "--lora-alpha", "32", "--lr", "2e-4",
                                       "--epochs", "3", "--warmup", "0.03", "--batch-size", "8"],
         "max_steps": None, "steps": 120, "robust_accuracy": 0.625,
         "accuracy": {"as_written": 0.75, "spoken": 0.7, "typed": 0.65},
         "false_call_rate": {"as_written": 0.1, "spoken": 0.2, "typed": 0.0},
         "missed_call_rate": {"as_written": 0.05, "spoken": 0.125}, "rendering_sensitive_rows": 3,
         "train_minutes": 12.4, "peak_rss_mb": 3072, "device": "cuda (NVIDIA T4 | 16 GB)",
         "call_margin": 0.0, "call_margin_source": "none",
         "probes": probes([(0, 0, 0), (0, 0, 0)], [((0.5, 0.5, 0.5), 0.4), ((0.5, 0.5, 0.5), 0.4)]),
         "data_sha256": "ab" * 32, "code_sha256": "cd" * 32, "date": "2026-02-03T04:05:06+00:00", **common},
        {"recipe": "full-5e-5", "flags": ["--method", "full", "--warmup", "0.1", "--batch-size", "8", "--lr", "5e-5",
                                          "--epochs", "3"],
         "max_steps": 200, "steps": 200, "robust_accuracy": 0.7,
         "accuracy": {"as_written": 0.8, "spoken": 0.75, "typed": 0.7},
         "false_call_rate": {"as_written": 0.0, "spoken": 0.0, "typed": 0.0},
         "missed_call_rate": {"as_written": 0.1, "spoken": 0.1, "typed": 0.1}, "rendering_sensitive_rows": 5,
         "train_minutes": 30.0, "peak_rss_mb": 10240, "device": "cpu (16 cores)",
         "call_margin": 1.2345, "call_margin_source": "training_config.json",
         "probes": probes([(0.025, 0.05, 0.0), (0.1, 0.125, 0.2)], [((0.1, 0.2, 0.15), 0.6), ((0.3, 0.35, 0.4), 0.65)]),
         "data_sha256": "01" * 32, "code_sha256": "23" * 32, "date": "2026-01-01T00:00:00+00:00", **common},
        {"recipe": "lora-b", "flags": ["--method", "lora", "--lora-r", "8", "--lora-alpha", "16"],
         "max_steps": None, "steps": 60, "robust_accuracy": 0.625,
         "accuracy": {"as_written": 0.625, "spoken": 0.625, "typed": 0.625},
         "false_call_rate": {"as_written": 0.5, "spoken": 0.5, "typed": 0.5},
         "missed_call_rate": {"as_written": 0.0, "spoken": 0.0, "typed": 0.0}, "rendering_sensitive_rows": 0,
         "train_minutes": 9.6, "peak_rss_mb": 1536, "device": "cpu (2 cores)",
         "data_sha256": "ef" * 32, "code_sha256": "01" * 32, "date": "2026-03-04T00:00:00+00:00", **common},
    ]
    results = tmp_path / "recipes.jsonl"
    results.write_text("".join(json.dumps(line) + "\n" for line in lines))
    printed = bench("--table", "--results", results)
    assert printed.returncode == 0, printed.stderr
    assert printed.stdout == (
        "| recipe | settings | budget | **robust** | as written / spoken / typed | false calls (a / s / t) | "
        "missed calls (a / s / t) | answer changes with rendering | held-out rows (no-call) | call margin | "
        "out-of-scope false calls (a / s / t) | boundary false calls (a / s / t) | boundary robust | train min | "
        "peak RSS | device | data / code | date |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
        "| `full-5e-5` | full, lr 5e-5, 3 ep, warmup 0.1, batch 8 | 200 steps | **70.0%** | 80.0% / 75.0% / 70.0% | "
        "0.0% / 0.0% / 0.0% | 10.0% / 10.0% / 10.0% | 5 | 40 (12) | 1.23 | "
        "2.5% / 5.0% / 0.0% (at 0: 10.0% / 12.5% / 20.0%) | 10.0% / 20.0% / 15.0% (at 0: 30.0% / 35.0% / 40.0%) | "
        "60.0% (at 0: 65.0%) | 30 | 10.0 GB | cpu (16 cores) | `01010101` / `23232323` | 2026-01-01 |\n"
        "| `lora-b` | LoRA r8/16 | 60 steps (epochs) | **62.5%** | 62.5% / 62.5% / 62.5% | 50.0% / 50.0% / 50.0% | "
        "0.0% / 0.0% / 0.0% | 0 | 40 (12) | – | – | – | – | 10 | 1.5 GB | cpu (2 cores) | "
        "`efefefef` / `01010101` | 2026-03-04 |\n"
        "| `lora-a` | LoRA r16/32, lr 2e-4, 3 ep, warmup 0.03, batch 8 | 120 steps (epochs) | **62.5%** | "
        "75.0% / 70.0% / 65.0% | 10.0% / 20.0% / 0.0% | 5.0% / 12.5% / – | 3 | 40 (12) | 0 | "
        "0.0% / 0.0% / 0.0% (at 0: 0.0% / 0.0% / 0.0%) | 50.0% / 50.0% / 50.0% (at 0: 50.0% / 50.0% / 50.0%) | "
        "40.0% (at 0: 40.0%) | 12 | 3.0 GB | cuda (NVIDIA T4 / 16 GB) | `abababab` / `cdcdcdcd` | 2026-02-03 |\n")


def test_peak_memory_is_the_child_process_own(recipes):
    """run_recipe reads the training process's own peak RSS, not the bench's (this test process holds
    a tiny model and far more than 100 MB): a child that holds 100 MB, then one that holds 300 MB,
    for a second each, measure those plus an interpreter's few MB."""
    import sys as system
    peaks = {}
    for megabytes in (100, 300):
        code, seconds, peak = recipes.run_recipe(
            [system.executable, "-c", f"import time; block = b'\\x01' * ({megabytes} * 2 ** 20); time.sleep(1); raise SystemExit(3)"], env=None)
        assert code == 3 and seconds > 0
        peaks[megabytes] = peak
    assert 100 <= peaks[100] < 140 and 300 <= peaks[300] < 340, peaks
    assert 190 < peaks[300] - peaks[100] < 210, peaks


def test_readme_table_is_the_committed_results(recipes):
    """README's recipes table is generated from bench/results/recipes.jsonl; a stale one is caught."""
    assert bench("--readme", "--check").returncode == 0
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    results = recipes.read_results(recipes.RESULTS)
    fresh, stale = recipes.updated_readme(text, results)
    assert fresh == text and not stale
    line = {"recipe": "lora-x", "flags": ["--method", "lora", "--lora-r", "4", "--lora-alpha", "8"], "max_steps": None,
            "steps": 30, "robust_accuracy": 0.5, "accuracy": {}, "false_call_rate": {}, "missed_call_rate": {},
            "rendering_sensitive_rows": 0, "heldout_rows": 10, "heldout_no_call_rows": 2, "train_minutes": 1.0,
            "peak_rss_mb": 2048, "device": "cpu", "data_sha256": "0" * 64, "code_sha256": "1" * 64,
            "date": "2026-01-01T00:00:00+00:00"}
    changed, stale = recipes.updated_readme(text, results + [line])
    assert stale and "| `lora-x` | LoRA r4/8 | 30 steps (epochs) | **50.0%** |" in changed


def test_unknown_recipe_is_refused(tmp_path):
    result = bench("--recipes", "lora-huge", "--results", tmp_path / "r.jsonl")
    assert result.returncode == 2 and "unknown recipe lora-huge" in result.stderr
    assert not (tmp_path / "r.jsonl").exists()


def test_shuffled_order_keeps_each_file_together(tmp_path):
    """CI runs the suite once in a shuffled order (--shuffle SEED, tests/conftest.py): every test,
    each file's tests together (its module fixtures are built once), in another order than the files'."""
    def collected(*flags):
        result = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
                                 "tests/test_recipes.py", "tests/test_renderings.py", *flags],
                                capture_output=True, text=True, cwd=ROOT, timeout=300)
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
        return [line for line in result.stdout.splitlines() if "::" in line]

    plain, shuffled = collected(), collected("--shuffle", "5")
    assert sorted(shuffled) == sorted(plain) and shuffled != plain and len(plain) > 20
    files = [test.split("::")[0] for test in shuffled]
    assert sorted(dict.fromkeys(files)) == ["tests/test_recipes.py", "tests/test_renderings.py"]
    assert [files[0]] * files.count(files[0]) == files[:files.count(files[0])]  # one file, then the other
    assert collected("--shuffle", "5") == shuffled  # the seed repeats it


def test_a_run_trained_but_not_scored_is_scored_without_training_again(recipes, tmp_path):
    """finished_run: the record of a run the bench trained for exactly this key and that holds its
    metrics; another key, a missing metrics.json or no record means training it (again)."""
    key = {"recipe": "lora-x", "flags": ["--lora-r", "4"], "data_sha256": "0" * 64}
    run_dir = tmp_path / "lora-x"
    run_dir.mkdir()
    (run_dir / recipes.FINISHED).write_text(json.dumps({"key": key, "seconds": 61.5, "peak_rss_mb": 900.0}))
    assert recipes.finished_run(run_dir, key) is None  # no metrics.json: the training did not finish
    (run_dir / "metrics.json").write_text("{}")
    assert recipes.finished_run(run_dir, key) == {"key": key, "seconds": 61.5, "peak_rss_mb": 900.0}
    assert recipes.finished_run(run_dir, {**key, "data_sha256": "1" * 64}) is None
    assert recipes.finished_run(tmp_path / "other", key) is None
