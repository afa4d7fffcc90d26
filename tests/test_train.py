"""train_functiongemma.py on tiny random Gemma 3 models: fit, reload, masks, refusals."""

import csv
import json

import pytest

import _data
import _format
import _inference
import _renderings
import stand_in
import train_functiongemma as train

FIT_TOOLS = ("get_ride_status", "find_nearby_poi")
FIT_REPLY = "I can't do that."  # not the default: evaluation must read it back from training_config.json


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
    """Two of the bundled tools (a short prompt keeps the run quick), 9 seed rows of them and 5
    out-of-scope seed rows (tool_calls []): the split keeps a dozen for training, one batch."""
    folder = tmp_path_factory.mktemp("fit-data")
    tools = [tool for tool in _data.load_tools() if tool["function"]["name"] in FIT_TOOLS]
    (folder / "tools.json").write_text(json.dumps(tools), encoding="utf-8")
    examples, _ = _data.load_examples(None, _data.load_tools())
    chosen = ([example for example in examples if example.call and example.call.name in FIT_TOOLS][::7][:9]
              + [example for example in examples if example.call is None][::19][:5])
    _data.write_examples_csv(str(folder / "rows.csv"), chosen)
    return folder


@pytest.fixture(scope="module")
def fitted(fit_model_dir, fit_data, tmp_path_factory):
    import os
    import subprocess
    import sys
    output = tmp_path_factory.mktemp("fitted") / "run"
    command = [sys.executable, str(train.__file__), "--model", fit_model_dir, "--tools", fit_data / "tools.json",
               "--dataset", fit_data / "rows.csv", "--epochs", "100", "--lr", "1e-2", "--lora-r", "32",
               "--lora-alpha", "64", "--batch-size", "12", "--no-call-reply", FIT_REPLY,
               "--save-steps", "1000",  # not a checkpoint per epoch: 100 of them would take longer than the fit
               "--output-dir", output]
    result = subprocess.run([str(part) for part in command], capture_output=True, text=True, timeout=1800,
                            env={**os.environ, "HF_HUB_OFFLINE": "1"})
    assert result.returncode == 0, result.stderr[-3000:]
    return output, result


def test_fits_its_training_rows_and_the_adapter_reloads(fitted, fit_data, fit_model_dir):
    output, result = fitted
    tools = _data.load_tools(str(fit_data / "tools.json"))
    rows, _ = _data.load_examples([str(output / "train.csv")], tools)
    assert len(rows) >= 10 and sum(row.call is None for row in rows) >= 3
    model, tokenizer = _inference.load_model(str(output))  # base + adapter, merged
    report = _inference.evaluate(model, tokenizer, tools, rows, batch_size=8, progress=False, no_call_reply=FIT_REPLY)
    assert report["combined_accuracy"] >= 0.9, report["worst_examples"]
    # the out-of-scope rows are answered in prose, with the trained reply, and never with a call
    assert (report["irrelevance_accuracy"], report["false_call_rate"]) == (1.0, 0.0), report["worst_examples"]
    assert report["no_call_reply_rate"] == 1.0 and report["call_accuracy"] >= 0.85

    from peft import PeftModel
    from transformers import AutoModelForCausalLM
    base = AutoModelForCausalLM.from_pretrained(fit_model_dir, attn_implementation="eager")
    unmerged = PeftModel.from_pretrained(base, str(output)).eval()
    messages = [row.message for row in rows]
    assert (_inference.generate_answers(unmerged, tokenizer, tools, messages, progress=False)
            == _inference.generate_answers(model, tokenizer, tools, messages, progress=False))


def test_evaluation_reads_the_reply_and_gates_on_false_calls(fitted, fit_data, run_script, tmp_path):
    """The evaluator on the fitted adapter: the reply comes from its training_config.json; the
    same messages relabelled as out of scope turn its calls into false calls, and CI fails.
    As written only: a dozen rows fitted in a minute do not make a model robust to the renderings
    (the gates judge robust accuracy and every rendering's false calls), and that is not the point here."""
    output, _ = fitted
    tools = str(fit_data / "tools.json")
    scored = run_script("evaluate_functiongemma.py", "--model", output, "--tools", tools, "--dataset",
                        output / "train.csv", "--split", "all", "--allow-train-rows", "--min-accuracy", "0.9", "--max-false-call-rate", "0",
                        "--renderings", "as_written", "--json", tmp_path / "r.json")
    assert scored.returncode == 0, scored.stderr[-3000:]
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["no_call_reply"] == FIT_REPLY and report["no_call_reply_rate"] == 1.0
    assert report["false_call_rate"] == 0 and "FALSE CALLS" in scored.stdout
    rows, _ = _data.load_examples([str(output / "train.csv")], _data.load_tools(tools))
    _data.write_examples_csv(str(tmp_path / "relabelled.csv"), [_data.Example(row.message, None) for row in rows])
    relabelled = run_script("evaluate_functiongemma.py", "--model", output, "--tools", tools, "--dataset",
                            tmp_path / "relabelled.csv", "--split", "all", "--allow-train-rows", "--max-false-call-rate", "0.2",
                            "--renderings", "as_written", "--json", tmp_path / "r2.json")
    report = json.loads((tmp_path / "r2.json").read_text())
    assert report["false_call_rate"] > 0.2 and relabelled.returncode == 1
    assert relabelled.stderr.strip().splitlines()[-1].startswith(
        f"false-call rate {report['false_call_rate'] * 100:.1f}% (as_written) is above --max-false-call-rate 20.0%")


def test_output_dir_holds_the_run(fitted, fit_data, fit_model_dir):
    output, result = fitted
    for name in ("adapter_model.safetensors", "adapter_config.json", "tokenizer.json", "training_config.json",
                 "metrics.json", "README.md", "train.csv", "validation.csv", "heldout.csv", "tools.json", "split.json"):
        assert (output / name).exists(), name
    metrics = json.loads((output / "metrics.json").read_text())
    assert metrics["train"]["steps"] > 0 and "combined_accuracy" in metrics["heldout"]
    config = json.loads((output / "training_config.json").read_text())
    source = config["datasets"][0]
    assert source["name"] == _data.public_name(str(fit_data / "rows.csv"), (fit_data / "rows.csv").read_bytes())
    assert source["kind"] == "file" and source["rows"] == 14 and config["rows"]["heldout"] >= 1
    assert config["base_model"] == fit_model_dir.name and str(fit_data) not in json.dumps(config)
    assert config["no_call_reply"] == FIT_REPLY and config["no_call_rows"]["train"] >= 3
    assert "irrelevance_accuracy" in metrics["heldout"] and "false_call_rate" in metrics["heldout"]
    card = (output / "README.md").read_text()
    assert "rows.csv (sha256 " in card and "Held-out accuracy" in card and str(fit_data) not in card
    assert f"the model answers `{FIT_REPLY}` and calls nothing" in card and "false calls" in card
    assert "evaluate_functiongemma.py" in card and "get_ride_status" in card


def test_training_chooses_the_call_margin_on_its_validation_rows(fitted, fit_data):
    """The margin is chosen on validation.csv (never the held-out rows), in every rendering, by the
    README's rule: the same choice as answering those rows again and applying the rule; it is in
    training_config.json, the card and the held-out metrics (the held-out rows scored with it)."""
    output, result = fitted
    config = json.loads((output / "training_config.json").read_text())
    record = config["call_margin"]
    tools = _data.load_tools(str(fit_data / "tools.json"))
    rows, _ = _data.load_examples([str(output / "validation.csv")], tools)
    assert rows and record["rows"] == len(rows) and record["renderings"] == list(_renderings.DEFAULT_RENDERINGS)
    assert not {row.message for row in rows} & set(read_messages(output / "heldout.csv"))
    model, tokenizer = _inference.load_model(str(output))
    again = _inference.choose_call_margin(_inference.evaluate(model, tokenizer, tools, rows, progress=False,
                                                              no_call_reply=FIT_REPLY))
    assert record["value"] == pytest.approx(again["value"], abs=1e-4) and record["rule"] == _inference.CALL_MARGIN_RULE
    assert (record["false_calls"], record["missed_calls"]) == (again["false_calls"], again["missed_calls"])
    assert [entry[0] for entry in record["validation_curve"]] == pytest.approx(
        [entry[0] for entry in again["validation_curve"]], abs=1e-4)
    assert f"call margin {record['value']:.4g} chosen on {len(rows)} validation rows" in result.stdout
    metrics = json.loads((output / "metrics.json").read_text())
    assert metrics["heldout"]["call_margin"] == record["value"] and "curve" in metrics["heldout"]["margins"]
    card = (output / "README.md").read_text()
    assert "## Call margin" in card and f"**M = {record['value']:.4g}**" in card and _inference.CALL_MARGIN_RULE in card


def test_evaluation_renders_the_tools_the_model_trained_with(fitted, fit_data, run_script, tmp_path):
    """This run trained with its own two-tool --tools: evaluation with no --tools renders those two
    (tools.json), not the bundled six."""
    output, _ = fitted
    result = run_script("evaluate_functiongemma.py", "--model", output, "--split", "all", "--allow-train-rows",
                        "--predictions", tmp_path / "p.csv", "--json", tmp_path / "r.json")
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["tools"] == f"{output} tools.json"
    assert report["training_overlap"] == report["examples"] - len(read_messages(output / "heldout.csv"))
    with open(tmp_path / "p.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    messages = [row["user_message"] for row in rows]
    model, tokenizer = _inference.load_model(str(output))
    two_tools = _inference.generate_answers(model, tokenizer, _data.load_tools(str(fit_data / "tools.json")), messages,
                                            progress=False)
    assert [row["output"] for row in rows] == two_tools
    assert two_tools != _inference.generate_answers(model, tokenizer, _data.load_tools(), messages, progress=False)


def test_heldout_rows_never_train(fitted, fit_data):
    output, _ = fitted
    train_rows = {_data.normalise_message(m) for m in read_messages(output / "train.csv")}
    validation = {_data.normalise_message(m) for m in read_messages(output / "validation.csv")}
    heldout = {_data.normalise_message(m) for m in read_messages(output / "heldout.csv")}
    assert heldout and not heldout & train_rows and not heldout & validation
    tools = _data.load_tools(str(fit_data / "tools.json"))
    examples, _ = _data.load_examples([str(fit_data / "rows.csv")], tools)
    _, expected = _data.split_examples(examples, tools, 0.1, 42)
    assert heldout == {_data.normalise_message(example.message) for example in expected}


def test_full_seed_split_is_disjoint(seed_examples):
    args = train.parse_args(["--max-examples", "50"])
    splits = train.split_rows(seed_examples, _data.load_tools(), args)
    keys = {name: {_data.normalise_message(e.message) for e in rows} for name, rows in splits.items()}
    assert keys["heldout"] and keys["validation"]
    assert not keys["heldout"] & (keys["train"] | keys["validation"]) and not keys["train"] & keys["validation"]


@pytest.fixture(scope="module")
def tiny_trainer(tiny_model_dir, tmp_path_factory):
    args = train.parse_args(["--model", str(tiny_model_dir), "--batch-size", "4", "--max-examples", "12",
                             "--output-dir", str(tmp_path_factory.mktemp("masks"))])
    tools = _data.load_tools()
    examples, _ = _data.load_examples(None, tools)
    splits = train.split_rows(examples, tools, args)
    tokenizer = train.load_tokenizer(args.model, tools, examples[0], False, args.no_call_reply)
    encoded = train.encode_rows(tokenizer, tools, splits, args.no_call_reply)
    max_length = train.checked_max_length(splits, encoded, None)
    model, _ = _inference.load_model(args.model)
    datasets = {name: train.training_dataset(encoded[name]) for name in ("train", "validation")}
    trainer = train.build_trainer(args, model, tokenizer, datasets, max_length, _inference.training_precision(), [])
    return trainer, encoded["train"], splits["train"]


def test_labels_cover_only_the_completion_and_one_bos(tiny_trainer, tokenizer):
    trainer, encoded, examples = tiny_trainer
    bos, eos = _format.CONTROL_TOKEN_IDS[_format.BOS], _format.CONTROL_TOKEN_IDS[_format.EOS]
    call_end = _format.CONTROL_TOKEN_IDS[_format.START_RESPONSE]
    prose_end = _format.CONTROL_TOKEN_IDS[_format.END_OF_TURN]
    reply = tokenizer(_format.DEFAULT_NO_CALL_REPLY, add_special_tokens=False)["input_ids"]
    prepared = trainer.train_dataset
    assert len(prepared) == len(encoded) and {example.call is None for example in examples} == {True, False}
    for row, (prompt, completion), example in zip(prepared, encoded, examples):
        # TRL added nothing: no second <bos>, no <eos> after <start_function_response> or <end_of_turn>
        assert row["input_ids"] == prompt + completion
        assert row["input_ids"].count(bos) == 1 and row["input_ids"][0] == bos and eos not in row["input_ids"]
        if example.call is None:  # the prose reply, then <end_of_turn>
            assert completion == reply + [prose_end]
        else:
            assert row["input_ids"][-1] == call_end
    # TRL turns the completion mask into labels in the dataset or in the collator, by version: check the batch.
    batch = trainer.data_collator([prepared[index] for index in range(len(prepared))])
    for (prompt, completion), labels, mask in zip(encoded, batch["labels"].tolist(), batch["attention_mask"].tolist()):
        length = sum(mask)
        assert length == len(prompt) + len(completion)
        assert labels[:length] == [-100] * len(prompt) + completion and all(label == -100 for label in labels[length:])


def trainable_weights(model) -> dict:
    return {name: parameter.detach().clone() for name, parameter in model.named_parameters() if parameter.requires_grad}


def recording(snapshots: list):
    """A callback that keeps the trainable weights after every optimizer step (it changes nothing)."""
    from transformers import TrainerCallback

    class Record(TrainerCallback):
        def on_step_end(self, args, state, control, model=None, **kwargs):
            snapshots.append(trainable_weights(model))

    return Record()


def relative_error(actual, expected) -> float:
    return float((actual - expected).norm() / expected.norm())


@pytest.mark.parametrize("flags", [[], ["--no-shared-prefix"], ["--method", "full"]],
                         ids=["default-shared-prefix-no-dropout", "no-shared-prefix-with-dropout", "full-shared-prefix"])
def test_shipped_trainer_steps_match_plain_trl(flags, tiny_model_dir, tmp_path):
    """Three AdamW steps of build_trainer() exactly as shipped (flags through parse_args) against plain
    TRL: SFTTrainer's own completion-only loss, no custom compute_loss, same rows, settings and seed.
    LoRA with and without the shared prefix, and a full fine-tune (every weight, no PEFT) with it.

    fp32 on CPU. The paths compute the same sums in other orders (the prefix once for the batch,
    only completion positions through the LM head), so they differ by float32 rounding (unit
    roundoff 6e-8, accumulated over sums of hundreds of terms): measured below 1e-6 relative on
    the losses and 1e-5 on the weight changes. The bounds leave a margin and stay far below any real
    difference: a wrong token, mask or normalisation moves the loss by percent."""
    import torch
    from peft import LoraConfig
    from trl import SFTConfig, SFTTrainer

    args = train.parse_args(["--model", str(tiny_model_dir), "--batch-size", "2", "--gradient-accumulation-steps",
                             "2", "--max-steps", "3", "--output-dir", str(tmp_path / "shipped"), *flags])
    full = args.method == "full"
    assert args.lora_dropout == (None if full else 0.05 if flags else 0.0)
    assert (args.lr, args.warmup) == ((5e-5, 0.1) if full else (2e-4, 0.03))  # the method's defaults
    # One declared tool keeps the prompt short: the plain path scores every position over the 262k vocabulary.
    tools = _data.load_tools()[:1]
    examples, _ = _data.load_examples(None, _data.load_tools())
    rows = {"train": examples[::7][:12]}
    tokenizer = train.load_tokenizer(args.model, tools, rows["train"][0], False, args.no_call_reply)
    encoded = train.encode_rows(tokenizer, tools, rows, args.no_call_reply)
    max_length = train.checked_max_length(rows, encoded, None)
    datasets = {"train": train.training_dataset(encoded["train"]), "validation": train.training_dataset([])}
    precision = _inference.training_precision()
    assert precision is torch.float32

    shipped_steps, plain_steps = [], []
    torch.manual_seed(args.seed)  # the LoRA initialisation draws from the global generator
    model, _ = _inference.load_model(args.model, dtype=precision)
    shipped = train.build_trainer(args, model, tokenizer, datasets, max_length, precision, [recording(shipped_steps)])
    torch.manual_seed(args.seed)
    model, _ = _inference.load_model(args.model, dtype=precision)
    plain = SFTTrainer(
        model=model, processing_class=tokenizer, train_dataset=datasets["train"],
        args=SFTConfig(output_dir=str(tmp_path / "plain"), max_steps=3, learning_rate=args.lr,
                       warmup_steps=0.1 if full else 0.03, per_device_train_batch_size=2, gradient_accumulation_steps=2,
                       max_length=max_length, completion_only_loss=True, bf16=False, logging_steps=1,
                       save_strategy="no", report_to="none", seed=args.seed),
        peft_config=None if full else LoraConfig(r=args.lora_r, lora_alpha=args.lora_alpha,
                                                 lora_dropout=args.lora_dropout, target_modules=args.lora_targets,
                                                 task_type="CAUSAL_LM"),
        callbacks=[recording(plain_steps)])
    initial = trainable_weights(plain.model)
    assert initial and trainable_weights(shipped.model).keys() == initial.keys()
    assert all(torch.equal(value, initial[name]) for name, value in trainable_weights(shipped.model).items())
    if full:  # every weight trains: the model as loaded, the embedding (tied to the output head) among them
        assert initial.keys() == {name for name, _ in model.named_parameters()}
        assert "model.embed_tokens.weight" in initial and "lm_head.weight" not in initial
    batch = shipped._prepare_inputs(next(iter(shipped.get_train_dataloader())))
    uses_shared_prefix = hasattr(shipped, "shared_prefix_for") and shipped.shared_prefix_for(shipped.model, batch, False)
    assert bool(uses_shared_prefix) == ("--no-shared-prefix" not in flags)

    results = []
    for trainer in (shipped, plain):
        torch.manual_seed(args.seed)  # the same dropout masks for both
        results.append(trainer.train())
    shipped_result, plain_result = results

    first_loss = [[entry["loss"] for entry in trainer.state.log_history if "loss" in entry][0]
                  for trainer in (shipped, plain)]
    assert first_loss[0] == pytest.approx(first_loss[1], rel=1e-5)
    assert shipped_result.training_loss == pytest.approx(plain_result.training_loss, rel=1e-5)  # mean of the 3 steps
    assert len(shipped_steps) == len(plain_steps) == 3
    worst = 0.0
    for step, (ours, theirs) in enumerate(zip(shipped_steps, plain_steps), start=1):
        for name, weight in theirs.items():
            change = weight - initial[name]
            if step == 3:  # by then every trained weight has moved (LoRA B starts at zero, A moves from step 3)
                assert change.norm() > 0, name
            if change.norm() > 0:
                worst = max(worst, relative_error(ours[name] - initial[name], change))
                assert worst < 1e-4, (step, name, worst)
            else:
                assert torch.equal(ours[name], weight), (step, name)
    print(f"relative differences: first loss {abs(first_loss[0] / first_loss[1] - 1):.1e}, mean loss "
          f"{abs(shipped_result.training_loss / plain_result.training_loss - 1):.1e}, weight changes {worst:.1e}")


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
    (["--lora-dropout", "0.1"], "--lora-dropout above 0 needs --no-shared-prefix"),
    (["--lora-dropout", "1", "--no-shared-prefix"], "--lora-dropout must be in [0, 1)"),
    (["--method", "full", "--lora-r", "8", "--lora-targets", "q_proj"],
     "--lora-r, --lora-targets: LoRA settings, but --method full trains every weight"),
    (["--method", "adapter"], "argument --method: invalid choice: 'adapter'"),
    (["--warmup", "1"], "--warmup must be in [0, 1)"),
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


def test_resume_takes_the_newest_complete_checkpoint(tmp_path):
    for step, complete in ((2, True), (4, True), (6, False)):  # checkpoint-6: killed while saving
        (tmp_path / f"checkpoint-{step}").mkdir()
        if complete:
            (tmp_path / f"checkpoint-{step}" / "trainer_state.json").write_text("{}")
    assert train.latest_checkpoint(str(tmp_path)) == str(tmp_path / "checkpoint-4")
    args = train.parse_args(["--resume-from-checkpoint", "--output-dir", str(tmp_path / "empty")])
    with pytest.raises(train.DataError, match="--resume-from-checkpoint: no checkpoint in .*empty$"):
        train.resolve_checkpoint(args, None)


def test_sigterm_saves_after_the_current_step_and_stops():
    """A Job being stopped gets SIGTERM: like Ctrl-C, the step finishes, a checkpoint is saved, training stops."""
    import os
    import signal
    import time
    from transformers import TrainerControl
    interrupt = train.StopOnInterrupt()
    callback = interrupt.callback()
    before = signal.getsignal(signal.SIGTERM)
    untouched, control = TrainerControl(), TrainerControl()
    with interrupt:
        callback.on_step_end(None, None, untouched)
        os.kill(os.getpid(), signal.SIGTERM)
        deadline = time.monotonic() + 10
        while not interrupt.requested and time.monotonic() < deadline:
            time.sleep(0.01)
        callback.on_step_end(None, None, control)
        assert signal.getsignal(signal.SIGTERM) is before  # a second SIGTERM is not caught: it stops the run
    assert not untouched.should_save and not untouched.should_training_stop
    assert interrupt.requested and control.should_save and control.should_training_stop


def forbidden_keys(heldout: list) -> set[str]:
    """Every held-out row in every rendering evaluation knows, as the de-duplication key."""
    return {_data.normalise_message(_renderings.render(example.message, rendering))
            for example in heldout for rendering in _renderings.RENDERINGS}


def test_no_held_out_row_nor_any_rendering_of_one_reaches_training(seed_examples, tools):
    args = train.parse_args([])
    splits = train.split_rows(seed_examples, tools, args)
    variants, renderings, guard = train.augment_rows(splits["train"], splits["heldout"], args.seed)
    assert renderings == 3 and len(variants) == 3 * len(splits["train"])
    assert not {_data.normalise_message(variant.message) for variant in variants} & forbidden_keys(splits["heldout"])
    # the split kept every meaning on one side: the guard had nothing to do
    assert guard == {"heldout_rows": len(splits["heldout"]), "rows_dropped": 0}
    # each variant keeps its row's label
    assert [variant.call for variant in variants] == [example.call for example in splits["train"] for _ in range(3)]
    # a held-out "Uh, where is the water?" is what a filler variant of the training row "Where is the water?"
    # can become (the split never puts them apart: the guard is the second line): such a row is dropped
    water = _data.Call.make("find_nearby_poi", {"query": "water"})
    trained = [_data.Example("Where is the water?", water)] * 300
    heldout = [_data.Example(f"{filler}, where is the water?", water) for filler in _renderings.FILLERS["en"]]
    unguarded, _, _ = train.augment_rows(trained, [], seed=1)
    assert {_data.normalise_message(variant.message) for variant in unguarded} & forbidden_keys(heldout)
    assert train.augment_rows(trained, heldout, seed=1) == ([], 3, {"heldout_rows": 8, "rows_dropped": 300})
    # the other direction (issue 31): the training row is itself a filler rendering of a held-out row; most of
    # its variants are renderings of it, and its plain form asks what it asks: dropped, every variant with it
    food = _data.Call.make("find_nearby_poi", {"query": "food"})
    rows = [_data.Example("So, where is the water?", water), _data.Example("Where can I get food?", food),
            _data.Example("What's on the next twenty kilometres?", _data.Call.make("get_segment_ahead", {"query": "20km"}))]
    kept, renderings, guard = train.augment_rows(rows, [_data.Example("Where is the water?", water),
                                                        _data.Example("What's on the next 20 km?", water)], seed=1)
    assert guard == {"heldout_rows": 2, "rows_dropped": 2} and renderings == 3
    assert [variant.call for variant in kept] == [food] * 3
    assert train.augment_rows(rows, [], seed=1)[0][3:6] == kept  # the kept row's variants are those it had


def test_augmented_trainer_shows_every_row_once_per_epoch_in_each_rendering_over_the_run(tiny_model_dir, tmp_path):
    """The trainer as shipped: its real data loader gives every training row once per epoch, and
    over three epochs each row in each of its three variants."""
    args = train.parse_args(["--model", str(tiny_model_dir), "--batch-size", "4", "--max-examples", "16",
                             "--output-dir", str(tmp_path)])
    tools = _data.load_tools()
    examples, _ = _data.load_examples(None, tools)
    splits = train.split_rows(examples, tools, args)
    variants, renderings, _ = train.augment_rows(splits["train"], splits["heldout"], args.seed)
    rows = {"train": variants, "validation": splits["validation"]}
    tokenizer = train.load_tokenizer(args.model, tools, examples[0], False, args.no_call_reply)
    encoded = train.encode_rows(tokenizer, tools, rows, args.no_call_reply)
    model, _ = _inference.load_model(args.model)
    datasets = {name: train.training_dataset(encoded[name]) for name in ("train", "validation")}
    trainer = train.build_trainer(args, model, tokenizer, datasets, train.checked_max_length(rows, encoded, None),
                                  _inference.training_precision(), [], renderings)
    row_of = {tuple(prompt + completion): index // renderings for index, (prompt, completion) in enumerate(encoded["train"])}
    loader = trainer.get_train_dataloader()
    seen = {index: set() for index in range(len(splits["train"]))}
    for epoch in range(3):
        loader.set_epoch(epoch)
        shown = [tuple(ids[:sum(mask)]) for batch in loader
                 for ids, mask in zip(batch["input_ids"].tolist(), batch["attention_mask"].tolist())]
        assert sorted(row_of[key] for key in shown) == list(range(len(splits["train"])))  # each row once
        for key in shown:
            seen[row_of[key]].add(key)
    assert seen == {index: {key for key, row in row_of.items() if row == index} for index in seen}
    assert any(len(keys) == 3 for keys in seen.values())  # rows whose three renderings differ were seen three ways
    assert trainer.num_examples(loader) == len(splits["train"])


# ----------------------------------------------------------------------------- --method full


@pytest.fixture(scope="module")
def full_run(tiny_model_dir, tmp_path_factory):
    """`--method full` as a user runs it: two steps on 41 seed rows (calls and no-call rows), a
    learning rate large enough to move every weight visibly, the end-of-run held-out evaluation."""
    import os
    import subprocess
    import sys
    folder = tmp_path_factory.mktemp("full")
    examples, _ = _data.load_examples(None, _data.load_tools())
    _data.write_examples_csv(str(folder / "rows.csv"), examples[::18])
    output = folder / "run"
    output.mkdir()  # holding an earlier LoRA run's adapter, which evaluation would load instead
    (output / "adapter_config.json").write_text('{"base_model_name_or_path": "elsewhere"}', encoding="utf-8")
    command = [sys.executable, train.__file__, "--model", tiny_model_dir, "--method", "full", "--dataset",
               folder / "rows.csv", "--max-steps", "2", "--batch-size", "4", "--lr", "1e-3", "--warmup", "0",
               "--output-dir", output]
    result = subprocess.run([str(part) for part in command], capture_output=True, text=True, timeout=1200,
                            env={**os.environ, "HF_HUB_OFFLINE": "1"})
    assert result.returncode == 0, result.stderr[-3000:]
    return output, result


def test_full_fine_tune_trains_every_weight_and_saves_the_model_tied_and_unresized(full_run, tiny_model_dir):
    import torch
    from transformers import AutoModelForCausalLM
    output, result = full_run
    assert "method full: 8,416,768 weights in the model, lr 0.001, 3 epochs, warmup 0 (method defaults: epochs)" \
        in result.stdout
    assert (output / "model.safetensors").exists() and (output / "config.json").exists()
    assert not (output / "adapter_config.json").exists() and not (output / "adapter_model.safetensors").exists()
    assert f"removed adapter_config.json of an earlier --method lora run from {output}" in result.stdout
    config = json.loads((output / "training_config.json").read_text())
    assert (config["method"], config["lr"], config["epochs"], config["warmup"]) == ("full", 1e-3, 3, 0)
    assert config["method_defaults"] == ["epochs"] and "Google's FunctionGemma full fine-tunes" in config["method_why"]
    assert (config["lora_r"], config["lora_alpha"], config["lora_dropout"], config["lora_targets"]) == (None,) * 4

    base = AutoModelForCausalLM.from_pretrained(tiny_model_dir)
    model, _ = _inference.load_model(str(output))  # as evaluation and export load it
    embeddings = model.get_input_embeddings().weight
    assert embeddings.shape == base.get_input_embeddings().weight.shape == (262144, 32)  # never resized
    assert model.config.tie_word_embeddings and model.get_output_embeddings().weight.data_ptr() == embeddings.data_ptr()
    before, after = dict(base.named_parameters()), dict(model.named_parameters())
    assert after.keys() == before.keys()
    assert [name for name in after if torch.equal(after[name], before[name])] == []  # every weight trained
    # the output head's gradient reaches every row of the tied embedding, not only the tokens of the rows
    changed_rows = (after["model.embed_tokens.weight"] != before["model.embed_tokens.weight"]).any(dim=1)
    assert bool(changed_rows.all())
    assert json.loads((output / "config.json").read_text())["use_cache"] is True  # the trainer's switch-off undone


def test_full_fine_tune_is_evaluated_like_an_adapter(full_run, run_script, tmp_path):
    """evaluate_functiongemma.py on the output dir: its held-out rows and tools, exit 0, and the same
    figures as training's own end-of-run evaluation of the model in memory (every rendering)."""
    output, result = full_run
    metrics = json.loads((output / "metrics.json").read_text())
    heldout = metrics["heldout"]
    assert metrics["train"]["steps"] == 2 and heldout["examples"] == len(read_messages(output / "heldout.csv")) >= 3
    assert list(heldout["renderings"]) == ["as_written", "spoken", "typed"] and "robust_accuracy" in heldout
    scored = run_script("evaluate_functiongemma.py", "--model", output, "--json", tmp_path / "r.json")
    assert scored.returncode == 0, scored.stderr[-3000:]
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["held_out_source"].startswith(f"{output} heldout.csv") and report["training_overlap"] == 0
    assert report["renderings"] == heldout["renderings"] and report["robust_accuracy"] == heldout["robust_accuracy"]


def test_full_fine_tune_card_and_uploads(full_run, tiny_model_dir):
    output, _ = full_run
    card = (output / "README.md").read_text()
    metadata = card.split("---")[1]
    assert "library_name: transformers" in metadata and "- lora" not in metadata and "- tool-calling" in metadata
    assert "A full fine-tune (every weight trained) of the local checkpoint" in card
    assert "Method `full` (`--method`): Every weight trained" in card and "| lora_r |" not in card
    assert "PeftModel" not in card and f'AutoModelForCausalLM.from_pretrained("{output}", attn_implementation="eager")' in card
    uploads = train.hub_files(str(output), train.method_files(train.RESULT_FILES, "full"), str(tiny_model_dir))
    assert {"model.safetensors", "config.json", "generation_config.json", "tokenizer.json",
            "training_config.json"} <= set(uploads) and not {"adapter_config.json", "adapter_model.safetensors"} & set(uploads)
    # no local path in what would be uploaded (the card is written anew, with the repo's name, for a push)
    for name in set(uploads) - {"model.safetensors", "tokenizer.json", "README.md"}:
        text = (output / name).read_text(encoding="utf-8")
        assert str(output.parent) not in text and str(tiny_model_dir) not in text, name


# ----------------------------------------------------------------------------- held out through every rendering


def renderings_of(message: str) -> set[str]:
    """Every form of `message` a run trains on or evaluation scores, as the de-duplication key:
    each rendering, and each of those after every filler or wake word, with numbers switched or not."""
    forms = {_renderings.render(message, rendering) for rendering in _renderings.RENDERINGS}
    for text in (message, _renderings.switch_numbers(message)):
        forms |= {_renderings.with_filler(text, filler, form) for fillers in _renderings.FILLERS.values()
                  for filler in fillers for form in ("spoken", "typed")}
    return {_data.normalise_message(form) for form in forms}


@pytest.fixture(scope="module")
def planted_run(tiny_model_dir, tmp_path_factory):
    """The shipped training path (the script, a user's flags) on a dataset of planted pairs: each
    seed row beside a filler, wake-word or number rendering of it, as a user's data may hold them.
    Half the rows held out: a split that placed rows one by one would part about half the pairs."""
    import os
    import subprocess
    import sys
    folder = tmp_path_factory.mktemp("planted")
    examples, _ = _data.load_examples(None, _data.load_tools())
    numbered = [example for example in examples if any(character.isdigit() for character in example.message)
                and _renderings.switch_numbers(example.message) != example.message]
    plain = [example for example in examples if example not in numbered]
    pairs = [(example, _data.Example(_renderings.switch_numbers(example.message), example.call))
             for example in numbered[:4]]
    pairs += [(example, _data.Example(f"{filler}, {example.message}", example.call))
              for example, filler in zip(plain[::40][:12], ["So", "Uh", "Hey copilot", "Ok so"] * 3)]
    pairs.append((_data.Example("Where is the water?", _data.Call.make("find_nearby_poi", {"query": "water"})),
                  _data.Example("So, where is the water?", _data.Call.make("find_nearby_poi", {"query": "water"}))))
    rows = [example for pair in pairs for example in pair]
    _data.write_examples_csv(str(folder / "planted.csv"), rows)
    output = folder / "run"
    command = [sys.executable, train.__file__, "--model", tiny_model_dir, "--dataset", folder / "planted.csv",
               "--test-split", "0.5", "--max-steps", "1", "--batch-size", "4", "--no-eval", "--output-dir", output]
    result = subprocess.run([str(part) for part in command], capture_output=True, text=True, timeout=1200,
                            env={**os.environ, "HF_HUB_OFFLINE": "1"})
    assert result.returncode == 0, result.stderr[-3000:]
    return output, pairs


def test_no_rendering_of_a_training_row_is_a_rendering_of_a_held_out_row(planted_run):
    output, pairs = planted_run
    heldout = read_messages(output / "heldout.csv")
    trained = read_messages(output / "train.csv") + read_messages(output / "validation.csv")
    assert len(heldout) + len(trained) == 2 * len(pairs) == 34
    # each pair on one side, and pairs on both sides (else nothing was tested)
    side = {message: "heldout" for message in heldout} | {message: "train" for message in trained}
    assert [(first.message, second.message) for first, second in pairs
            if side[first.message] != side[second.message]] == []
    assert {side[first.message] for first, _ in pairs} == {"heldout", "train"}
    held_out_forms = set().union(*map(renderings_of, heldout))
    crossing = [message for message in trained if renderings_of(message) & held_out_forms]
    assert crossing == []
    # the run gave augmentation's guard the held-out rows (it had nothing left to drop)
    config = json.loads((output / "training_config.json").read_text())
    assert config["augmentation"]["heldout_guard"] == {"heldout_rows": len(heldout), "rows_dropped": 0}


def test_evaluation_refuses_renderings_of_training_rows(planted_run, run_script, tmp_path):
    """A dataset of other renderings of rows the model trained on is refused like the training rows themselves."""
    import _heldout
    output, _ = planted_run
    tools = _data.load_tools()
    trained = _heldout.read_trained_split(str(output))
    training_rows = trained.parts["train"][:3]
    renderings = [_data.Example(_renderings.with_filler(row.message, "hey copilot", "typed"), row.call)
                  for row in training_rows]
    heldout = trained.parts["heldout"][:2]
    assert _heldout.check_overlap(renderings + heldout, trained, allow_train_rows=True) == 3
    with pytest.raises(_data.DataError, match=r"^3 of the 5 rows to score were training rows of .* or renderings of one"):
        _heldout.check_overlap(renderings + heldout, trained, allow_train_rows=False)
    assert _heldout.check_overlap(heldout, trained, allow_train_rows=False) == 0
    dataset = tmp_path / "renderings.csv"
    _data.write_examples_csv(str(dataset), renderings)
    result = run_script("evaluate_functiongemma.py", "--model", output, "--dataset", dataset, "--split", "all",
                        "--tools", tools_file(tmp_path, tools))
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert f"error: 3 of the 3 rows to score were training rows of {output} or renderings of one" in result.stderr


def tools_file(tmp_path, tools) -> str:
    path = tmp_path / "tools.json"
    path.write_text(json.dumps(tools), encoding="utf-8")
    return str(path)


# ----------------------------------------------------------------------------- a fine-tune of a fine-tune


@pytest.fixture(scope="module")
def first_adapter(tiny_model_dir, tmp_path_factory):
    """A LoRA adapter (random A and B: it really changes the model) with its tokenizer, like a training output."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer
    folder = tmp_path_factory.mktemp("adapters") / "first"
    torch.manual_seed(3)
    base = AutoModelForCausalLM.from_pretrained(tiny_model_dir, dtype=torch.float32, attn_implementation="eager")
    get_peft_model(base, LoraConfig(r=4, lora_alpha=32, target_modules=["q_proj", "v_proj", "down_proj"],
                                    init_lora_weights=False)).save_pretrained(folder)
    AutoTokenizer.from_pretrained(tiny_model_dir).save_pretrained(folder)
    return folder


def test_training_on_an_adapter_is_refused_and_the_merge_it_points_to_trains_the_model_evaluated(
        first_adapter, tiny_model_dir, run_script, tmp_path):
    """A LoRA on top of an adapter would name the adapter's base alone: refused in one line (exit 2,
    nothing created) that gives the merge. Run as given, the merged model trains, and evaluation's
    answers are those of the model trained: tiny base + first adapter + second adapter."""
    import re
    import shlex
    import subprocess
    import sys
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM
    rows = tmp_path / "rows.csv"
    examples, _ = _data.load_examples(None, _data.load_tools())
    _data.write_examples_csv(str(rows), examples[::40])
    refused = run_script("train_functiongemma.py", "--model", first_adapter, "--dataset", rows,
                         "--output-dir", tmp_path / "second")
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1, refused.stderr
    assert refused.stderr.startswith(f"error: --model {first_adapter} is a LoRA adapter: ")
    assert not (tmp_path / "second").exists()
    merge, merged = re.search(r": (python -c .*) ; then train with --model (\S+)", refused.stderr).groups()
    assert merged == f"{first_adapter}-merged"
    arguments = shlex.split(merge)
    subprocess.run([sys.executable, *arguments[1:]], check=True, capture_output=True, timeout=600)

    second = tmp_path / "second"
    trained = run_script("train_functiongemma.py", "--model", merged, "--dataset", rows, "--max-steps", "2",
                         "--lr", "1e-2", "--batch-size", "4", "--no-eval", "--output-dir", second)
    assert trained.returncode == 0, trained.stderr[-3000:]
    scored = run_script("evaluate_functiongemma.py", "--model", second, "--split", "all", "--allow-train-rows",
                        "--max-examples", "6", "--renderings", "as_written", "--predictions", tmp_path / "p.csv")
    assert scored.returncode == 0, scored.stderr[-3000:]
    with open(tmp_path / "p.csv", encoding="utf-8", newline="") as handle:
        predictions = list(csv.DictReader(handle))

    def on(model, adapter):
        return PeftModel.from_pretrained(model, str(adapter)).merge_and_unload().eval()

    def base():
        return AutoModelForCausalLM.from_pretrained(tiny_model_dir, dtype=torch.float32, attn_implementation="eager")

    model, tokenizer = _inference.load_model(str(second))  # as evaluation and export load it
    expected = on(on(base(), first_adapter), second)
    without_first = on(base(), second)
    ids = torch.tensor([_inference.prompt_ids(tokenizer, _data.load_tools(), [predictions[0]["user_message"]])[0]])
    with torch.no_grad():
        assert torch.allclose(model(ids).logits, expected(ids).logits, atol=1e-5)
        assert not torch.allclose(model(ids).logits, without_first(ids).logits, atol=1e-2)
    messages = [row["user_message"] for row in predictions]
    assert len(messages) == 6
    assert [row["output"] for row in predictions] == _inference.generate_answers(
        expected, tokenizer, _data.load_tools(), messages, progress=False)


def test_an_adapter_naming_another_base_than_training_started_from_is_refused(
        first_adapter, tiny_model_dir, run_script, tmp_path):
    """What an older train_functiongemma.py wrote for a LoRA trained on an adapter: adapter_config.json
    names the first adapter's base, training_config.json the adapter. Evaluation and export refuse it."""
    import shutil
    output = tmp_path / "older"
    shutil.copytree(first_adapter, output)
    (output / "training_config.json").write_text(json.dumps({"base_model": "first"}), encoding="utf-8")
    for script, flags in (("evaluate_functiongemma.py", ["--split", "all", "--max-examples", "1"]),
                          ("export_litertlm.py", ["--verify", "0", "--output-dir", tmp_path / "out"])):
        result = run_script(script, "--model", output, *flags)
        assert result.returncode == 2, result.stderr[-2000:]
        assert result.stderr.splitlines()[-1] == (
            f"error: {output}: adapter_config.json names the base {tiny_model_dir}, but training started from first "
            "(training_config.json): loaded on that base it is not the model that was trained; pass --base-model "
            "with the model training started from (first, merged if it is an adapter)")
    # the record matching the adapter's base loads
    (output / "training_config.json").write_text(json.dumps({"base_model": tiny_model_dir.name}), encoding="utf-8")
    model, _ = _inference.load_model(str(output))
    assert model.get_input_embeddings().weight.shape[0] == 262144


def test_a_full_fine_tune_of_an_adapter_keeps_the_adapter(first_adapter, tiny_model_dir, run_script, tmp_path):
    """The refusal's other way: --method full from an adapter starts from base + adapter, merged,
    and saves the whole model, so what loads is the adapter's fine-tune trained one step further."""
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM
    rows = tmp_path / "rows.csv"
    examples, _ = _data.load_examples(None, _data.load_tools())
    _data.write_examples_csv(str(rows), examples[::40])
    output = tmp_path / "full"
    result = run_script("train_functiongemma.py", "--model", first_adapter, "--method", "full", "--dataset", rows,
                        "--max-steps", "1", "--lr", "1e-5", "--warmup", "0", "--batch-size", "4", "--no-eval",
                        "--output-dir", output)
    assert result.returncode == 0, result.stderr[-3000:]
    base = AutoModelForCausalLM.from_pretrained(tiny_model_dir, dtype=torch.float32, attn_implementation="eager")
    merged = PeftModel.from_pretrained(
        AutoModelForCausalLM.from_pretrained(tiny_model_dir, dtype=torch.float32, attn_implementation="eager"),
        str(first_adapter)).merge_and_unload()
    model, _ = _inference.load_model(str(output))
    name = "model.layers.0.self_attn.q_proj.weight"
    trained, start, original = (dict(m.named_parameters())[name] for m in (model, merged, base))
    assert not torch.equal(trained, start)  # it trained
    assert torch.allclose(trained, start, atol=1e-4)  # one step of lr 1e-5 from the merged adapter
    assert not torch.allclose(trained, original, atol=1e-2)  # not from the base alone
