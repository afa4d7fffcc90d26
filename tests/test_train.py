"""train_functiongemma.py on tiny random Gemma 3 models: fit, reload, masks, refusals."""

import csv
import json

import pytest

import _common
import _inference
import stand_in
import train_functiongemma as train

FIT_TOOLS = ("get_ride_status", "find_nearby_poi")


def no_token_env(tmp_path) -> dict:
    """An environment in which huggingface_hub finds no token (neither variable nor cached login)."""
    return {"HF_TOKEN": "", "HF_HOME": str(tmp_path / "hf-home"), "HF_TOKEN_PATH": str(tmp_path / "no-token")}


def read_messages(path) -> list[str]:
    with open(path, encoding="utf-8", newline="") as handle:
        return [row["user_message"] for row in csv.DictReader(handle)]


@pytest.fixture(scope="module")
def fit_model_dir(tmp_path_factory):
    """The shared tiny model has 32 hidden units: too few for a frozen, randomly initialised
    262k-row output embedding to single out one token, and two heads of 16 too few to route the
    message to the answer. This one is wide enough for LoRA to fit a dozen rows in a minute or two."""
    return stand_in.tiny_gemma3(tmp_path_factory.mktemp("tiny-fit"), hidden_size=128, intermediate_size=512,
                                num_attention_heads=4, head_dim=32, query_pre_attn_scalar=32, num_hidden_layers=4,
                                layer_types=["sliding_attention", "full_attention"] * 2, sliding_window=512,
                                initializer_range=0.3)


@pytest.fixture(scope="module")
def fit_data(tmp_path_factory):
    """Two of the bundled tools (a short prompt keeps the run quick) and 14 seed rows of them."""
    folder = tmp_path_factory.mktemp("fit-data")
    tools = [tool for tool in _common.load_tools() if tool["function"]["name"] in FIT_TOOLS]
    (folder / "tools.json").write_text(json.dumps(tools), encoding="utf-8")
    examples, _ = _common.load_examples(None, _common.load_tools())
    chosen = [example for example in examples if example.call.name in FIT_TOOLS][::5][:14]
    with open(folder / "rows.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["user_message", "tool_calls"])
        for example in chosen:
            writer.writerow([example.message, example.call.to_json()])
    return folder


@pytest.fixture(scope="module")
def fitted(fit_model_dir, fit_data, tmp_path_factory):
    import os
    import subprocess
    import sys
    output = tmp_path_factory.mktemp("fitted") / "run"
    command = [sys.executable, str(train.__file__), "--model", fit_model_dir, "--tools", fit_data / "tools.json",
               "--dataset", fit_data / "rows.csv", "--epochs", "100", "--lr", "1e-2", "--lora-r", "32",
               "--lora-alpha", "64", "--batch-size", "12",
               "--output-dir", output]
    result = subprocess.run([str(part) for part in command], capture_output=True, text=True, timeout=900,
                            env={**os.environ, "HF_HUB_OFFLINE": "1"})
    assert result.returncode == 0, result.stderr[-3000:]
    return output, result


def test_fits_its_training_rows_and_the_adapter_reloads(fitted, fit_data, fit_model_dir):
    output, result = fitted
    tools = _common.load_tools(str(fit_data / "tools.json"))
    rows, _ = _common.load_examples([str(output / "train.csv")], tools)
    assert len(rows) >= 10
    model, tokenizer = _inference.load_model(str(output))  # base + adapter, merged
    report = _inference.evaluate(model, tokenizer, tools, rows, batch_size=8, progress=False)
    assert report["combined_accuracy"] >= 0.9, report["worst_examples"]

    from peft import PeftModel
    from transformers import AutoModelForCausalLM
    base = AutoModelForCausalLM.from_pretrained(fit_model_dir, attn_implementation="eager")
    unmerged = PeftModel.from_pretrained(base, str(output)).eval()
    messages = [row.message for row in rows]
    assert (_inference.generate_answers(unmerged, tokenizer, tools, messages, progress=False)
            == _inference.generate_answers(model, tokenizer, tools, messages, progress=False))


def test_output_dir_holds_the_run(fitted, fit_data):
    output, result = fitted
    for name in ("adapter_model.safetensors", "adapter_config.json", "tokenizer.json", "training_config.json",
                 "metrics.json", "README.md", "train.csv", "validation.csv", "heldout.csv"):
        assert (output / name).exists(), name
    metrics = json.loads((output / "metrics.json").read_text())
    assert metrics["train"]["steps"] > 0 and "combined_accuracy" in metrics["heldout"]
    config = json.loads((output / "training_config.json").read_text())
    assert config["datasets"] == [str(fit_data / "rows.csv")] and config["rows"]["heldout"] >= 1
    card = (output / "README.md").read_text()
    assert "base_model:" in card and "rows.csv" in card and "Held-out accuracy" in card
    assert "evaluate_functiongemma.py" in card and "get_ride_status" in card


def test_heldout_rows_never_train(fitted, fit_data):
    output, _ = fitted
    train_rows = {_common.normalise_message(m) for m in read_messages(output / "train.csv")}
    validation = {_common.normalise_message(m) for m in read_messages(output / "validation.csv")}
    heldout = {_common.normalise_message(m) for m in read_messages(output / "heldout.csv")}
    assert heldout and not heldout & train_rows and not heldout & validation
    tools = _common.load_tools(str(fit_data / "tools.json"))
    examples, _ = _common.load_examples([str(fit_data / "rows.csv")], tools)
    _, expected = _common.split_examples(examples, 0.1, 42)
    assert heldout == {_common.normalise_message(example.message) for example in expected}


def test_full_seed_split_is_disjoint(seed_examples):
    args = train.parse_args(["--max-examples", "50"])
    splits = train.split_rows(seed_examples, args)
    keys = {name: {_common.normalise_message(e.message) for e in rows} for name, rows in splits.items()}
    assert keys["heldout"] and keys["validation"]
    assert not keys["heldout"] & (keys["train"] | keys["validation"]) and not keys["train"] & keys["validation"]


@pytest.fixture(scope="module")
def tiny_trainer(tiny_model_dir, tmp_path_factory):
    args = train.parse_args(["--model", str(tiny_model_dir), "--batch-size", "4", "--max-examples", "12",
                             "--output-dir", str(tmp_path_factory.mktemp("masks"))])
    tools = _common.load_tools()
    examples, _ = _common.load_examples(None, tools)
    splits = train.split_rows(examples, args)
    tokenizer = train.load_tokenizer(args.model, tools, examples[0], False)
    encoded = train.encode_rows(tokenizer, tools, splits)
    max_length = train.checked_max_length(splits, encoded, None)
    model, _ = _inference.load_model(args.model)
    datasets = {name: train.training_dataset(encoded[name]) for name in ("train", "validation")}
    trainer = train.build_trainer(args, model, tokenizer, datasets, max_length, _inference.training_precision(), [])
    return trainer, encoded["train"]


def test_labels_cover_only_the_completion_and_one_bos(tiny_trainer):
    trainer, encoded = tiny_trainer
    bos, eos = _common.CONTROL_TOKEN_IDS[_common.BOS], _common.CONTROL_TOKEN_IDS[_common.EOS]
    end = _common.CONTROL_TOKEN_IDS[_common.START_RESPONSE]
    prepared = trainer.train_dataset
    assert len(prepared) == len(encoded)
    for row, (prompt, completion) in zip(prepared, encoded):
        # TRL added nothing: no second <bos>, no <eos> after <start_function_response>
        assert row["input_ids"] == prompt + completion
        assert row["input_ids"].count(bos) == 1 and row["input_ids"][0] == bos and eos not in row["input_ids"]
        assert row["input_ids"][-1] == end
        assert row["labels"] == [-100] * len(prompt) + completion
    batch = next(iter(trainer.get_train_dataloader()))
    for ids, labels, mask in zip(batch["input_ids"].tolist(), batch["labels"].tolist(),
                                 batch["attention_mask"].tolist()):
        length = sum(mask)
        assert ids[:length].count(bos) == 1 and all(label == -100 for label in labels[length:])


def test_completion_only_loss_equals_trls_fused_loss(tiny_trainer):
    import torch
    trainer, _ = tiny_trainer
    batch = trainer._prepare_inputs(next(iter(trainer.get_train_dataloader())))
    count = (batch["labels"][:, 1:] != -100).sum()
    with torch.no_grad():
        ours = trainer.compute_loss(trainer.model, dict(batch), num_items_in_batch=count)
        trls = super(type(trainer), trainer).compute_loss(trainer.model, dict(batch), num_items_in_batch=count)
    assert torch.allclose(ours, trls, rtol=1e-4), (ours, trls)


def test_rows_too_long_are_refused_before_training(run_script, tiny_model_dir, tmp_path):
    result = run_script("train_functiongemma.py", "--model", tiny_model_dir, "--max-length", "100",
                        "--output-dir", tmp_path / "run")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]  # after the tokenize progress bar
    assert last.startswith("error:") and "--max-length 100 would be truncated" in last
    assert "bundled seeds line" in last
    assert not (tmp_path / "run" / "adapter_model.safetensors").exists()


@pytest.mark.parametrize("args, message", [
    (["--no-such-flag"], "unrecognized arguments"),
    (["--dataset", "missing.csv"], "missing.csv: cannot read"),
    (["--epochs", "0"], "--epochs must be positive"),
    (["--test-split", "1.5"], "--test-split must be in"),
    (["--output-repo", "someone/model"], "--output-repo needs a Hugging Face token"),
    (["--trackio-project", "p"], "trackio"),
])
def test_bad_input_is_one_line_and_exit_2(run_script, tmp_path, args, message):
    result = run_script("train_functiongemma.py", "--model", tmp_path / "never-loaded", *args,
                        "--output-dir", tmp_path / "run", env=no_token_env(tmp_path))
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr
    assert not (tmp_path / "run").exists()


def test_invalid_dataset_row_is_refused(run_script, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text('user_message,tool_calls\nhi,"[{""name"": ""nope"", ""args"": {}}]"\n', encoding="utf-8")
    result = run_script("train_functiongemma.py", "--dataset", bad, "--output-dir", tmp_path / "run")
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "unknown tool 'nope'" in result.stderr


def test_hf_job_without_token_is_refused_before_loading(run_script, tmp_path):
    result = run_script("train_functiongemma.py", "--model", tmp_path / "never-loaded",
                        "--output-dir", tmp_path / "run", env={**no_token_env(tmp_path), "JOB_ID": "123"})
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "Hugging Face Job" in result.stderr and "HF_TOKEN" in result.stderr


def test_hf_jobs_header_is_read_by_the_hf_cli():
    from huggingface_hub.cli._uv_script_header import parse_uv_script_header
    header = parse_uv_script_header(open(train.__file__, encoding="utf-8").read())
    assert header.flavor == "t4-small" and header.secrets == ["HF_TOKEN"] and header.timeout
