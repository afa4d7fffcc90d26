"""A training output is the source of truth for its data: evaluation scores exactly its held-out
rows with its tools, refuses rows it was trained on, and reads the same from a Hub repo; a Hub
dataset's own test split is the held-out set unless --resplit. Real runs on tiny models."""

import csv
import json
import shutil

import pytest
from fake_hub import fake_hub_fixture  # noqa: F401  (registers the `fake_hub` fixture)

import _data
import _heldout
from conftest import ROOT

SEEDS = ROOT / "cycling-copilot-seeds.csv"


def read_messages(path) -> list[str]:
    with open(path, encoding="utf-8", newline="") as handle:
        return [row["user_message"] for row in csv.DictReader(handle)]


def training_messages(output) -> set[str]:
    return {_data.normalise_message(message) for name in ("train.csv", "validation.csv")
            for message in read_messages(output / name)}


def one_line_error(result, *fragments):
    assert result.returncode == 2, (result.stdout[-2000:], result.stderr[-2000:])
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: "), result.stderr[-2000:]
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


def test_training_records_its_split(trained_run):
    output, public, stdout = trained_run
    record = json.loads((output / "split.json").read_text())
    tools = _data.load_tools()
    assert json.loads((output / "tools.json").read_text()) == tools
    expected_sources = [_data.describe_source(str(path), _data.read_dataset_rows(str(path))) for path in (public, SEEDS)]
    assert record["sources"] == expected_sources
    names = [source["name"] for source in record["sources"]]
    assert [name.split(" (sha256 ")[0] for name in names] == ["public.csv", "cycling-copilot-seeds.csv"]
    assert str(output.parent) not in (output / "split.json").read_text()  # base names, never a local path
    assert (record["seed"], record["test_fraction"], record["resplit"]) == (42, 0.1, False)
    examples, _ = _data.load_examples([str(public), str(SEEDS)], tools)
    _, heldout = _data.split_examples(examples, tools, 0.1, 42)
    assert read_messages(output / "heldout.csv") == [example.message for example in heldout]
    assert record["parts"]["heldout"] == {"file": "heldout.csv", "rows": len(heldout),
                                          "sha256": _heldout.examples_sha256(heldout),
                                          "suspect": _data.count_suspect(heldout, tools)}
    assert record["parts"]["train"]["rows"] + record["parts"]["validation"]["rows"] + len(heldout) == len(examples)
    # the stand-in's 29 generator artefacts, counted per part and printed by the run
    suspect = {name: sum(_data.suspect_reason(message, tools) is not None for message in read_messages(output / file))
               for name, file in _heldout.PART_FILES.items()}
    assert sum(suspect.values()) == 29 and suspect["heldout"] >= 1
    assert {name: part["suspect"] for name, part in record["parts"].items()} == suspect
    assert (f"suspect rows (name a tool or an identifier-like value, or read like a generation prompt): "
            f"train {suspect['train']}, validation {suspect['validation']}, heldout {suspect['heldout']}") in stdout
    assert record["heldout_from"] == f"a split of {names[0]} + {names[1]} by seed 42, test fraction 0.1"


def test_evaluate_without_data_flags_scores_exactly_the_heldout_rows(run_script, trained_run, tmp_path):
    output = trained_run[0]
    result = run_script("evaluate_functiongemma.py", "--model", output, "--json", tmp_path / "r.json",
                        "--predictions", tmp_path / "p.csv")
    assert result.returncode == 0, result.stderr[-3000:]
    assert read_messages(tmp_path / "p.csv") == read_messages(output / "heldout.csv")
    report = json.loads((tmp_path / "r.json").read_text())
    record = json.loads((output / "split.json").read_text())
    assert report["scored_rows"] == report["examples"] == record["parts"]["heldout"]["rows"]
    assert report["scored_rows_sha256"] == record["parts"]["heldout"]["sha256"]
    assert report["held_out_source"].startswith(f"{output} heldout.csv: the rows its training held out")
    assert record["parts"]["heldout"]["sha256"][:12] in report["held_out_source"]
    assert report["training_overlap"] == 0 and report["tools"] == f"{output} tools.json"
    assert report["sources"] == record["sources"]
    assert f"rows scored, tools from {output} tools.json: {output} heldout.csv" in result.stdout
    suspect = record["parts"]["heldout"]["suspect"]
    assert report["suspect_rows"] == suspect >= 1 and report["without_suspect"]["examples"] == report["examples"] - suspect
    assert f"without the {suspect} suspect rows: combined" in result.stdout


def test_another_dataset_with_training_rows_is_refused_naming_the_count(run_script, trained_run):
    """The issue's case: trained on public + seeds, evaluated on the seeds alone (re-split)."""
    output = trained_run[0]
    tools = _data.load_tools()
    examples, _ = _data.load_examples([str(SEEDS)], tools)
    _, test = _data.split_examples(examples, tools, 0.1, 42)
    overlap = [example for example in test if _data.normalise_message(example.message) in training_messages(output)]
    assert overlap  # the seeds' own split puts rows training used in its test part
    for script in ("evaluate_functiongemma.py", "export_litertlm.py"):
        result = run_script(script, "--model", output, "--dataset", SEEDS)
        one_line_error(result, f"{len(overlap)} of the {len(test)} rows to score were training rows of {output}",
                       "--allow-train-rows")


def test_a_compared_model_is_held_to_the_same_rule(run_script, trained_run, tiny_model_dir):
    """--compare with a training output: the rows (here the seeds' split, for a model without a
    record) must not be its training rows either."""
    output = trained_run[0]
    one_line_error(run_script("evaluate_functiongemma.py", "--model", tiny_model_dir, "--compare", output),
                   f"rows to score were training rows of {output}")


def test_allowed_training_rows_are_scored_and_reported(run_script, trained_run, tmp_path):
    output = trained_run[0]
    # the seeds file's own test part, split alone, is mostly rows the run trained on (its split was of public + seeds)
    result = run_script("evaluate_functiongemma.py", "--model", output, "--dataset", SEEDS, "--allow-train-rows",
                        "--renderings", "as_written", "--json", tmp_path / "r.json", "--predictions", tmp_path / "p.csv")
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads((tmp_path / "r.json").read_text())
    # the rows scored and how many of them trained, from the seeds' own split and the run's row files
    tools = _data.load_tools()
    _, test = _data.split_examples(_data.load_examples([str(SEEDS)], tools)[0], tools, 0.1, 42)
    overlap = sum(_data.normalise_message(example.message) in training_messages(output) for example in test)
    assert read_messages(tmp_path / "p.csv") == [example.message for example in test]
    assert report["training_overlap"] == overlap > 0 and report["examples"] == len(test)
    assert report["held_out_source"].startswith("the test part of a split of cycling-copilot-seeds.csv (sha256 ")
    assert ") by seed 42" in report["held_out_source"]
    assert f"{overlap} of them training rows (--allow-train-rows)" in report["held_out_source"]


def test_the_training_datasets_again_select_the_heldout_rows(trained_run):
    """Given the very datasets training used, the model's seed and fraction reproduce its split."""
    output, public, _ = trained_run
    trained = _heldout.read_trained_split(str(output))
    selection = _heldout.choose_rows(trained, trained.tools, [str(public), str(SEEDS)], "test", None, None, False,
                                     None, False)
    assert [row.message for row in selection.rows] == read_messages(output / "heldout.csv")
    assert selection.training_overlap == 0 and "none among its" in selection.held_out_source
    with pytest.raises(_data.DataError, match=r"rows to score were training rows"):
        _heldout.choose_rows(trained, trained.tools, None, "train", None, None, False, None, False)


def test_other_tools_are_used_when_given_but_flagged(trained_run, tmp_path, capsys):
    output = trained_run[0]
    trained = _heldout.read_trained_split(str(output))
    assert _heldout.choose_tools(None, trained) == (trained.tools, f"{output} tools.json")
    fewer = tmp_path / "fewer.json"
    fewer.write_text(json.dumps(trained.tools[:2]), encoding="utf-8")
    assert _heldout.choose_tools(str(fewer), trained) == (trained.tools[:2], str(fewer))
    assert f"warning: --tools {fewer} differs from the tools {output} was trained with" in capsys.readouterr().err
    assert _heldout.choose_tools(None, None) == (_data.load_tools(), _data.BUNDLED)


def test_edited_row_files_are_refused(run_script, trained_run, tmp_path):
    output = trained_run[0]
    copy = tmp_path / "run"
    shutil.copytree(output, copy, ignore=shutil.ignore_patterns("checkpoint-*"))
    heldout = (copy / "heldout.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (copy / "heldout.csv").write_text("".join(heldout[:-1]), encoding="utf-8")  # a row removed
    one_line_error(run_script("evaluate_functiongemma.py", "--model", copy),
                   f"{copy}/heldout.csv does not match split.json")
    (copy / "tools.json").write_text((output / "tools.json").read_text().replace("Current ride", "Ride"))
    one_line_error(run_script("export_litertlm.py", "--model", copy), f"{copy}/tools.json does not match split.json")


def test_a_model_repo_on_the_hub_is_read_the_same_way(run_script, trained_run, fake_hub, tmp_path):
    output = trained_run[0]
    files = {str(path.relative_to(output)): path.read_bytes() for path in output.rglob("*")
             if path.is_file() and not path.relative_to(output).parts[0].startswith("checkpoint-")}
    fake_hub.add_repo("alice/router", files)
    result = run_script("evaluate_functiongemma.py", "--model", "alice/router", "--max-examples", "2",
                        "--json", tmp_path / "r.json", "--predictions", tmp_path / "p.csv", env=fake_hub.env(tmp_path))
    assert result.returncode == 0, result.stderr[-3000:]
    assert read_messages(tmp_path / "p.csv") == read_messages(output / "heldout.csv")[:2]
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["held_out_source"].startswith("alice/router heldout.csv") and report["tools"] == "alice/router tools.json"
    downloaded = {request["path"] for request in fake_hub.requests if request["method"] == "GET"}
    assert {"/alice/router/resolve/main/split.json", "/alice/router/resolve/main/heldout.csv"} <= downloaded


def test_a_hub_repo_without_row_files_rebuilds_its_heldout_rows_from_the_training_datasets(
        run_script, trained_run, fake_hub, tmp_path):
    """Training without --push-data uploads split.json and tools.json but no row files: evaluation
    asks for the training datasets, proves them by split.json's hashes and scores the same rows."""
    from conftest import load_script
    output, public, _ = trained_run
    uploaded = load_script("train_functiongemma.py").RESULT_FILES
    fake_hub.add_repo("alice/router-no-rows", {name: (output / name).read_bytes() for name in uploaded
                                               if (output / name).exists()})
    env = fake_hub.env(tmp_path)
    record = json.loads((output / "split.json").read_text())
    names = " + ".join(source["name"] for source in record["sources"])
    one_line_error(run_script("evaluate_functiongemma.py", "--model", "alice/router-no-rows", env=env),
                   "alice/router-no-rows has no row files (pushed without --push-data)", f"trained on ({names})")
    one_line_error(run_script("evaluate_functiongemma.py", "--model", "alice/router-no-rows", "--dataset", SEEDS,
                              env=env), "are not the datasets it was trained on", "sha256 differs")
    result = run_script("evaluate_functiongemma.py", "--model", "alice/router-no-rows", "--dataset", public,
                        "--dataset", SEEDS, "--json", tmp_path / "r.json", "--predictions", tmp_path / "p.csv",
                        env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    assert read_messages(tmp_path / "p.csv") == read_messages(output / "heldout.csv")
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["scored_rows_sha256"] == record["parts"]["heldout"]["sha256"] and report["training_overlap"] == 0
    assert report["held_out_source"].startswith("alice/router-no-rows's held-out rows rebuilt from its training datasets")
    downloaded = {request["path"] for request in fake_hub.requests if request["method"] == "GET"}
    assert "/alice/router-no-rows/resolve/main/split.json" in downloaded


@pytest.fixture
def hub_dataset(fake_hub, seed_examples, tmp_path):
    """A Hub dataset with its own train and test splits: the seeds of five (tool, value) pairs,
    four rows of each in train, two in test."""
    by_label = {}
    for example in seed_examples:
        by_label.setdefault(example.call, []).append(example)
    groups = list(by_label.values())[:5]
    train_rows = [example for group in groups for example in group[:4]]
    test_rows = [example for group in groups for example in group[4:6]]
    files = {}
    for name, rows in (("train.csv", train_rows), ("test.csv", test_rows)):
        _data.write_examples_csv(str(tmp_path / name), rows)
        files[name] = (tmp_path / name).read_bytes()
    fake_hub.add_repo("alice/rides", files, kind="dataset")
    return train_rows, test_rows


def test_a_hub_datasets_own_test_split_is_scored_unless_resplit(run_script, tiny_model_dir, fake_hub, hub_dataset,
                                                                 tmp_path, tools):
    train_rows, test_rows = hub_dataset
    env = {**fake_hub.env(tmp_path), "HF_DATASETS_OFFLINE": "0"}
    result = run_script("evaluate_functiongemma.py", "--model", tiny_model_dir, "--dataset", "alice/rides",
                        "--json", tmp_path / "r.json", "--predictions", tmp_path / "p.csv", env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    assert read_messages(tmp_path / "p.csv") == [example.message for example in test_rows]
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["held_out_source"].startswith("the test part of the own test split of alice/rides")
    result = run_script("evaluate_functiongemma.py", "--model", tiny_model_dir, "--dataset", "alice/rides",
                        "--resplit", "--predictions", tmp_path / "p.csv", env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    _, resplit = _data.split_examples(train_rows + test_rows, tools, 0.1, 42)
    assert read_messages(tmp_path / "p.csv") == [example.message for example in resplit]
    assert set(read_messages(tmp_path / "p.csv")) != {example.message for example in test_rows}


def test_training_holds_out_a_hub_datasets_own_test_split(run_script, tiny_model_dir, fake_hub, hub_dataset, tmp_path):
    train_rows, test_rows = hub_dataset
    result = run_script("train_functiongemma.py", "--model", tiny_model_dir, "--dataset", "alice/rides",
                        "--max-steps", "1", "--no-eval", "--output-dir", tmp_path / "run",
                        env={**fake_hub.env(tmp_path), "HF_DATASETS_OFFLINE": "0"})
    assert result.returncode == 0, result.stderr[-3000:]
    assert read_messages(tmp_path / "run" / "heldout.csv") == [example.message for example in test_rows]
    assert set(read_messages(tmp_path / "run" / "train.csv")) == {example.message for example in train_rows}
    record = json.loads((tmp_path / "run" / "split.json").read_text())
    assert record["heldout_from"] == "the own test split of alice/rides"
    assert record["sources"][0]["name"] == "alice/rides" and record["sources"][0]["rows"] == 30
