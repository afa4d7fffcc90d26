"""bench/recipes.py on a tiny model: one recipe trained in its own process, its line appended, then skipped."""

import importlib.util
import json
import subprocess
import sys

import pytest

import _data
from conftest import ROOT

BENCH = ROOT / "bench" / "recipes.py"
LINE_KEYS = {"recipe", "flags", "max_steps", "model", "data", "data_sha256", "code", "code_sha256", "device",
             "device_kind", "method", "robust_accuracy", "as_written_accuracy", "accuracy", "false_call_rate",
             "missed_call_rate", "rendering_sensitive_rows", "heldout_rows", "heldout_sha256", "train_minutes",
             "run_minutes", "peak_rss_mb", "date"}


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
    # the training process's own peak memory: the tiny model's weights and AdamW state and torch itself
    assert 200 < line["peak_rss_mb"] < 16000 and 0 < line["train_minutes"] <= line["run_minutes"]
    assert (run / "model.safetensors").exists() and not list(run.glob("checkpoint-*"))  # checkpoints deleted


def test_a_recorded_recipe_is_skipped_without_training(benched):
    folder, flags, first = benched
    assert first.returncode == 0, first.stderr[-3000:]
    before = (folder / "recipes.jsonl").read_text()
    run = folder / "runs" / "full-5e-5"
    (run / "metrics.json").unlink()  # a new run would write it again
    again = bench("--recipes", "full-5e-5", *flags)
    assert again.returncode == 0, again.stderr[-3000:]
    assert "full-5e-5: already recorded" in again.stdout and "skipped" in again.stdout
    assert (folder / "recipes.jsonl").read_text() == before and not (run / "metrics.json").exists()
    listed = bench("--list", *flags).stdout.splitlines()
    assert len(listed) == 6 and listed[4].startswith("full-5e-5") and "[recorded " in listed[4]
    assert all("[not recorded" in row for index, row in enumerate(listed) if index != 4)
    # another step budget is another measurement
    other_budget = bench("--list", *flags[:-6], "--max-steps", "3", *flags[-4:]).stdout.splitlines()
    assert "[not recorded" in other_budget[4]


def test_table_is_generated_from_the_results(benched, recipes):
    folder, flags, _ = benched
    printed = bench("--table", "--results", folder / "recipes.jsonl")
    assert printed.returncode == 0
    line = json.loads((folder / "recipes.jsonl").read_text())
    rows = printed.stdout.splitlines()
    assert rows[0].startswith("| recipe | settings | budget | **robust** |") and len(rows) == 3
    assert rows[2].startswith(f"| `full-5e-5` | full, lr 5e-5, 3 ep, warmup 0.1, batch 8 | 2 steps | "
                              f"**{line['robust_accuracy'] * 100:.1f}%** |")
    assert printed.stdout == recipes.table([line])


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
