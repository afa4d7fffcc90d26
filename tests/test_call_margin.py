"""The call margin: each answer's margin at its first token, the threshold it sets (a bias on
<start_function_call>'s logit), the rule that chooses it on validation rows, and where it is stored
and read back. The tiny random Gemma 3 gets planted margins: the row of <start_function_call> in its
(tied) output embedding is solved so that each prompt of MESSAGES has the margin of TARGETS (the
token is in no prompt, so only its logit at the first answer position moves there). The planted
row also makes the prose of some rows turn into a call a few tokens later (-0.02 after 5 tokens,
-3.0 after 1, -1.0 after 10; -0.3 stays prose): rows with a negative margin are labelled as calls
where they call, so the figures below count the withdrawn calls alone."""

import csv
import json
import re
import shutil

import pytest
import torch

import _data
import _format
import _heldout
import _inference
import evaluate_functiongemma as evaluate
from _data import Call, Example

CALL = _format.CONTROL_TOKEN_IDS[_format.START_CALL]
MESSAGES = ["speed?", "where can I get water", "thanks", "play some music", "how far to the top", "is it going to rain",
            "nice view", "battery", "how windy is it", "ok cool", "next climb", "call Ana", "my profile", "coffee stop",
            "rain later?", "uh"]
TARGETS = [6.0, 0.02, -0.02, 2.5, 1.0, -3.0, 0.4, 1.6, 3.0, 0.7, -1.0, 0.05, 2.0, -0.3, 1.2, 0.9]
WATER = Call.make("find_nearby_poi", {"query": "water"})


def first_position_logits(model, tokenizer, tools, messages) -> torch.Tensor:
    """Plain forward pass of each whole prompt, alone: the logits at its last position."""
    with torch.inference_mode():
        return torch.stack([model(torch.tensor([ids])).logits[0, -1]
                            for ids in _inference.prompt_ids(tokenizer, tools, messages)])


def direct_margins(logits: torch.Tensor) -> list[float]:
    """The logit of <start_function_call> minus the largest other logit (no soft-capping here)."""
    others = logits.clone()
    others[:, CALL] = float("-inf")
    return (logits[:, CALL] - others.max(dim=-1).values).tolist()


def plant(model, tokenizer, tools, messages=MESSAGES, targets=TARGETS) -> None:
    with torch.inference_mode():
        hidden = torch.stack([model.model(torch.tensor([ids])).last_hidden_state[0, -1]
                              for ids in _inference.prompt_ids(tokenizer, tools, messages)])
    logits = first_position_logits(model, tokenizer, tools, messages)
    others = logits.clone()
    others[:, CALL] = float("-inf")
    wanted = others.max(dim=-1).values + torch.tensor(targets)
    row = torch.linalg.lstsq(hidden.double(), wanted.double()[:, None]).solution[:, 0]
    with torch.no_grad():
        model.get_output_embeddings().weight[CALL] = row.float()


@pytest.fixture(scope="module")
def planted(tiny_model_dir, tools, tmp_path_factory):
    """(model, tokenizer, directory of the same model saved)."""
    model, tokenizer = _inference.load_model(str(tiny_model_dir))
    plant(model, tokenizer, tools)
    folder = tmp_path_factory.mktemp("planted")
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return model, tokenizer, folder


@pytest.fixture
def margin_of(planted):
    """Applies a call margin to the shared planted model for one test, and removes it afterwards."""
    model, tokenizer, _ = planted
    yield lambda margin: _inference.apply_call_margin(model, tokenizer, margin)
    _inference.apply_call_margin(model, tokenizer, 0)


def starts_with_call(answers) -> list[bool]:
    return [answer.startswith(_format.START_CALL) for answer in answers]


@pytest.mark.parametrize("mode", ["none", "calls_or_text", "calls"])
def test_every_policy_records_the_first_token_margin_of_a_plain_forward_pass(planted, tools, mode):
    """A sure call (6.0) and near ties on either side (0.02, -0.02): the margin generate_answers
    records is the logit difference of a plain forward pass of the prompt alone, whatever the policy
    (`calls` forces <start_function_call> there, so it is read before the forced token)."""
    from _constrained import constrained_policy

    model, tokenizer, _ = planted
    direct = direct_margins(first_position_logits(model, tokenizer, tools, MESSAGES))
    assert direct == pytest.approx(TARGETS, abs=1e-4)
    answers = _inference.generate_answers(model, tokenizer, tools, MESSAGES, batch_size=5, max_new_tokens=32,
                                          progress=False, policy=constrained_policy(model, tokenizer, tools, mode))
    assert answers.margins == pytest.approx(direct, abs=1e-4)
    if mode == "calls":
        assert all(starts_with_call(answers))
    else:  # greedy calls exactly where the margin is positive, the near ties included
        assert starts_with_call(answers) == [target > 0 for target in TARGETS]


@pytest.mark.parametrize("mode", ["none", "calls_or_text"])
def test_a_threshold_withdraws_exactly_the_calls_below_it(planted, tools, margin_of, mode):
    """At M = 1.1 the calls of margin 0.02, 0.05, 0.4, 0.7, 0.9 and 1.0 become the model's prose
    (first token: the best other token), every other answer stays token for token, the recorded
    margins are still the model's own, and the fast path equals plain `generate` with the bias."""
    from _constrained import constrained_policy

    model, tokenizer, _ = planted
    logits = first_position_logits(model, tokenizer, tools, MESSAGES)

    def answer():
        return _inference.generate_answers(model, tokenizer, tools, MESSAGES, batch_size=3, max_new_tokens=32,
                                           progress=False, policy=constrained_policy(model, tokenizer, tools, mode))

    before = answer()
    margin_of(1.1)
    assert _inference.call_margin(model) == 1.1
    after = answer()
    assert after.margins == pytest.approx(before.margins, abs=1e-4)
    withdrawn = [index for index, (was, now) in enumerate(zip(starts_with_call(before), starts_with_call(after)))
                 if was and not now]
    assert withdrawn == [index for index, target in enumerate(TARGETS) if 0 < target < 1.1] == [1, 4, 6, 9, 11, 15]
    assert starts_with_call(after) == [target >= 1.1 for target in TARGETS]
    for index, (was, now) in enumerate(zip(before, after)):
        if index not in withdrawn:
            assert now == was, index
        else:
            others = logits[index].clone()
            others[CALL] = float("-inf")
            assert tokenizer(now, add_special_tokens=False)["input_ids"][0] == int(others.argmax())
    if mode == "none":
        assert list(after) == _inference.generate_per_row(model, tokenizer, tools, MESSAGES, progress=False)


def test_no_margin_leaves_the_model_and_its_answers_as_they_were(planted, tools, margin_of):
    model, tokenizer, _ = planted
    before = _inference.generate_answers(model, tokenizer, tools, MESSAGES, batch_size=4, max_new_tokens=6,
                                         progress=False)
    margin_of(0.5)
    margin_of(0)
    assert model.get_output_embeddings().bias is None and _inference.call_margin(model) is None
    again = _inference.generate_answers(model, tokenizer, tools, MESSAGES, batch_size=4, max_new_tokens=6,
                                        progress=False)
    assert again == before and again.margins == before.margins
    assert list(before) == _inference.generate_per_row(model, tokenizer, tools, MESSAGES, max_new_tokens=6,
                                                       progress=False)


def test_a_foreign_output_bias_or_soft_capping_is_refused(tiny_model_dir):
    model, tokenizer = _inference.load_model(str(tiny_model_dir))
    head = model.get_output_embeddings()
    head.bias = torch.nn.Parameter(torch.zeros(head.weight.shape[0]))
    with pytest.raises(_inference.DataError, match="output layer has a bias of its own"):
        _inference.apply_call_margin(model, tokenizer, 1.0)
    head.bias = None
    model.config.final_logit_softcapping = 30.0
    with pytest.raises(_inference.DataError, match="soft-caps its final logits"):
        _inference.apply_call_margin(model, tokenizer, 1.0)
    _inference.apply_call_margin(model, tokenizer, 0)  # nothing to do without a margin


def synthetic_report(renderings: dict[str, list[tuple[Call | None, str, float]]]) -> dict:
    """An `evaluate`-like report of planted answers: (expected call, answer kind, margin) per row and
    rendering; kinds: "call" (the right call), "wrong" (another valid call), "prose"."""
    other = Call.make("get_ride_status", {"query": "speed"})
    scored = {}
    for rendering, rows in renderings.items():
        predictions = []
        for expected, kind, margin in rows:
            answered = {"call": expected or other, "wrong": other, "prose": None}[kind]
            output = _format.render_completion(answered)
            parsed = _format.parse_output(output, _data.load_tools())
            predictions.append({"expected": _data.tool_calls_json(expected),
                                "predicted": parsed.call.to_json() if parsed.call else "", "output": output,
                                "failure": parsed.failure or "", "margin": margin,
                                "correct": parsed.call == expected if expected else parsed.call is None})
        scored[rendering] = predictions
    return {"examples": len(next(iter(renderings.values()))), "predictions_by_rendering": scored, "call_margin": 0.0}


def test_the_rule_chooses_the_fewest_false_calls_within_the_missed_call_budget():
    """Six call answers (budget: 1 more missed call) and six no-call answers over two renderings.
    Margins of the answers that start with a call: calls 0.2, 0.5, 3, 4, 5; false calls 0.3, 0.6, 2.
    Thresholds 0, 0.25, 0.4, 0.55, 1.3, 2.5, 3.5, 4.5, 6: at 0.4 the false call of 0.3 goes at the
    price of the call of 0.2 (one more missed call); 0.55 would miss a second one, over the budget."""
    report = synthetic_report({
        "as_written": [(WATER, "call", 5.0), (WATER, "call", 0.2), (WATER, "prose", -1.0), (None, "wrong", 0.3),
                       (None, "prose", -2.0), (None, "wrong", 2.0)],
        "spoken": [(WATER, "call", 4.0), (WATER, "wrong", 0.5), (WATER, "call", 3.0), (None, "wrong", 0.6),
                   (None, "prose", -0.5), (None, "prose", -0.1)]})
    record = _inference.choose_call_margin(report)
    assert record["value"] == (0.3 + 0.5) / 2
    assert [entry[0] for entry in record["validation_curve"]] == pytest.approx([0, 0.25, 0.4, 0.55, 1.3, 2.5, 3.5, 4.5, 6])
    assert record["validation_curve"][:3] == [[0.0, 3 / 6, 1 / 6], [0.25, 3 / 6, 2 / 6], [record["value"], 2 / 6, 2 / 6]]
    assert record["validation_curve"][-1][1:] == [0.0, 1.0]  # every call withdrawn
    assert (record["false_calls"], record["missed_calls"]) == (
        {"at_0": 3, "chosen": 2}, {"at_0": 1, "chosen": 2, "allowed_rise": 1.0})
    assert (record["rows"], record["answers"], record["call_answers"], record["no_call_answers"]) == (6, 12, 6, 6)
    assert record["renderings"] == ["as_written", "spoken"] and record["rule"] == _inference.CALL_MARGIN_RULE
    # no false call to remove: every threshold ties on false calls and the smallest, 0, wins
    clean = synthetic_report({"as_written": [(WATER, "call", 0.1), (None, "prose", -0.2), (WATER, "call", 2.0)]})
    assert _inference.choose_call_margin(clean)["value"] == 0.0
    # no call answers: nothing shows what a margin costs, so none is chosen despite the false calls
    no_calls = synthetic_report({"as_written": [(None, "wrong", 0.3), (None, "wrong", 2.0), (None, "prose", -1.0)]})
    record = _inference.choose_call_margin(no_calls)
    assert record["value"] == 0.0 and record["false_calls"] == {"at_0": 2, "chosen": 2}
    assert record["validation_curve"][-1] == [3.0, 0.0, None]
    # 200 call answers allow 2 more missed calls: the false call of margin 0.9 goes with two calls
    many = synthetic_report({"as_written": [(WATER, "call", 0.3), (WATER, "call", 0.5), (None, "wrong", 0.9)]
                            + [(WATER, "call", 5.0)] * 198})
    assert _inference.choose_call_margin(many)["value"] == (0.9 + 5.0) / 2


def test_the_summary_says_how_sure_right_and_wrong_answers_were(planted, tools, margin_of, capsys, tmp_path):
    """evaluate() on the planted rows, constrained to calls or text so every call parses: the rows of
    margin 0.02, 0.05, 0.4 and -0.3 (prose) are no-call rows, the others call rows."""
    from _constrained import constrained_policy

    model, tokenizer, _ = planted
    no_call = {index for index, target in enumerate(TARGETS) if target in (0.02, 0.05, 0.4, -0.3)}
    rows = [Example(message, None if index in no_call else WATER) for index, message in enumerate(MESSAGES)]
    report = _inference.evaluate(model, tokenizer, tools, rows, batch_size=8, progress=False, renderings=["as_written"],
                                 policy=constrained_policy(model, tokenizer, tools, "calls_or_text"))
    margins = report["margins"]
    assert report["call_margin"] == 0.0 == margins["applied"]
    assert [p["margin"] for p in report["predictions"]] == pytest.approx(TARGETS, abs=1e-4)
    wrong = sorted(target for target, p in zip(TARGETS, report["predictions"]) if not p["correct"])
    assert margins["wrong"]["n"] == len(wrong) and margins["wrong"]["median"] == pytest.approx(
        (wrong[len(wrong) // 2] + wrong[(len(wrong) - 1) // 2]) / 2, abs=1e-4)
    least = margins["least_sure"]  # 2 of 16: |margin| 0.02, a false call, and 0.02 of the row "thanks"
    assert least["answers"] == 2 and least["below"] == pytest.approx(0.02, abs=1e-4)
    assert least["wrong"] == 1 + (not report["predictions"][2]["correct"])
    # the curve from the margins: thresholds between the calls' margins; the false calls of 0.02, 0.05
    # and 0.4 go as it passes them, then the 9 calls that start the answer one by one
    thresholds, false_rates, missed_rates = zip(*margins["curve"])
    assert thresholds == pytest.approx([0, 0.035, 0.225, 0.55, 0.8, 0.95, 1.1, 1.4, 1.8, 2.25, 2.75, 4.5, 7.0], abs=1e-4)
    assert false_rates == (3 / 4, 2 / 4, 1 / 4) + (0.0,) * 10
    assert missed_rates == (0.0,) * 4 + tuple(count / 12 for count in range(1, 10))
    report.update(model="planted", no_call_reply=_format.DEFAULT_NO_CALL_REPLY, call_margin_source="none")
    evaluate.print_report(report)
    printed = capsys.readouterr().out
    assert "call margin 0 (plain greedy" in printed and "margins of right answers: median" in printed
    assert "least sure 10% (|margin| <= 0.02, 2 answers): " in printed
    assert re.search(r"^ +0\.225 +25\.0% +0\.0%$", printed, re.M)
    evaluate.plot_confusion(str(tmp_path / "plot.png"), report)
    assert (tmp_path / "plot.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # with a margin applied the curve starts there, at the rates of the answers themselves (the planted
    # prose of 0.02 and 0.05 turns into a call one token later, so those stay false calls)
    margin_of(0.3)
    applied = _inference.evaluate(model, tokenizer, tools, rows, batch_size=8, progress=False,
                                  renderings=["as_written"],
                                  policy=constrained_policy(model, tokenizer, tools, "calls_or_text"))
    assert applied["call_margin"] == 0.3 == applied["margins"]["applied"]
    assert [p["output"].startswith(_format.START_CALL) for p in applied["predictions"]] == [t >= 0.3 for t in TARGETS]
    assert applied["margins"]["curve"][0] == [0.3, applied["false_call_rate"], applied["missed_call_rate"]]
    assert [entry[0] for entry in applied["margins"]["curve"]] == pytest.approx([0.3, *thresholds[3:]], abs=1e-4)


def training_output(planted_dir, folder, tools):
    """A training output of the planted model without training: its validation rows are the first
    eight MESSAGES (labelled so the rule has a false call worth withdrawing), its held-out rows the
    other eight."""
    shutil.copytree(planted_dir, folder)
    labels = {1: None, 4: None, 11: None, 13: None}  # planted 0.02, 1.0, 0.05, -0.3
    rows = [Example(message, labels.get(index, WATER), _data.Location("planted.csv", index + 3))
            for index, message in enumerate(MESSAGES)]
    train = [Example("how fast am I going", Call.make("get_ride_status", {"query": "speed"}),
                     _data.Location("planted.csv", 2))]
    _heldout.save_split(str(folder), tools, [{"name": "planted", "kind": "file", "rows": 17, "sha256": "0" * 64}],
                        {"train": train, "validation": rows[:8], "heldout": rows[8:]}, 42, 0.5, False, None)
    (folder / "training_config.json").write_text(json.dumps({"no_call_reply": "Not for me."}))
    (folder / "README.md").write_text("# planted\n\n## No call\n\ntext\n")
    return folder


def test_choose_call_margin_stores_it_and_evaluation_applies_it(planted, tools, run_script, tmp_path):
    """--choose-call-margin on validation rows with planted margins 6, 0.02 (no-call: a false call),
    -0.02, 2.5, 1.0 (no-call: a false call), -3, 0.4, 1.6: removing both false calls (M between 1.0 and
    1.6) withdraws the call of 0.4, one missed call of six call answers, within the budget; 2.05 would
    miss a second. Evaluation then applies it to the held-out rows by default."""
    output = training_output(planted[2], tmp_path / "run", tools)
    chosen = run_script("evaluate_functiongemma.py", "--model", output, "--choose-call-margin", "--renderings",
                        "as_written", "--constrained", "calls_or_text", "--json", tmp_path / "choice.json")
    assert chosen.returncode == 0, chosen.stderr[-3000:]
    config = json.loads((output / "training_config.json").read_text())
    record = config["call_margin"]
    assert config["no_call_reply"] == "Not for me."
    assert record["value"] == pytest.approx((1.0 + 1.6) / 2, abs=1e-4)
    assert (record["false_calls"], record["missed_calls"]) == (
        {"at_0": 2, "chosen": 0}, {"at_0": 0, "chosen": 1, "allowed_rise": 1.0})
    assert record["rows"] == 8 and record["renderings"] == ["as_written"]
    assert json.loads((tmp_path / "choice.json").read_text())["call_margin"] == record
    assert f"call margin {record['value']:.4g} chosen on 8 validation rows" in chosen.stdout
    assert "<- chosen" in chosen.stdout and "wrote call_margin" in chosen.stdout
    card = (output / "README.md").read_text()
    assert card.startswith("# planted\n") and f"**M = {record['value']:.4g}**" in card
    assert card.count(_inference.CALL_MARGIN_CARD[0]) == 1

    def scored(*flags):
        result = run_script("evaluate_functiongemma.py", "--model", output, "--renderings", "as_written",
                            "--constrained", "calls_or_text", "--json", tmp_path / "r.json",
                            "--predictions", tmp_path / "p.csv", *flags)
        assert result.returncode == 0, result.stderr[-3000:]
        with open(tmp_path / "p.csv", newline="", encoding="utf-8") as handle:
            return json.loads((tmp_path / "r.json").read_text()), list(csv.DictReader(handle)), result.stdout

    report, rows, printed = scored()
    assert (report["call_margin"], report["call_margin_source"]) == (record["value"], "training_config.json")
    assert f"call margin {record['value']:.4g} applied (training_config.json)" in printed
    assert [float(row["margin"]) for row in rows] == pytest.approx(TARGETS[8:], abs=1e-4)
    assert [row["output"].startswith(_format.START_CALL) for row in rows] == [t >= record["value"] for t in TARGETS[8:]]
    off, off_rows, _ = scored("--call-margin", "0")
    assert (off["call_margin"], off["call_margin_source"]) == (0.0, "--call-margin")
    assert [row["output"].startswith(_format.START_CALL) for row in off_rows] == [t > 0 for t in TARGETS[8:]]
    # the stored margin changes exactly the answers whose margin is below it
    assert [index for index, (a, b) in enumerate(zip(rows, off_rows)) if a["output"] != b["output"]] == [
        index for index, target in enumerate(TARGETS[8:]) if 0 < target < record["value"]]
    again = run_script("evaluate_functiongemma.py", "--model", output, "--choose-call-margin", "--renderings",
                       "as_written", "--constrained", "calls_or_text")
    assert again.returncode == 0 and (output / "README.md").read_text().count(_inference.CALL_MARGIN_CARD[0]) == 1


def test_a_model_without_a_margin_is_scored_as_before(planted, tools, run_script, tmp_path):
    """No training_config.json: no margin, and the answers are plain greedy `generate`'s."""
    model, tokenizer, folder = planted
    assert _inference.call_margin_of(str(folder)) == (0.0, "none")
    dataset = tmp_path / "rows.csv"
    _data.write_examples_csv(str(dataset), [Example(message, WATER) for message in MESSAGES[:6]])
    result = run_script("evaluate_functiongemma.py", "--model", folder, "--dataset", dataset, "--split", "all",
                        "--renderings", "as_written", "--json", tmp_path / "r.json", "--predictions", tmp_path / "p.csv")
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads((tmp_path / "r.json").read_text())
    assert (report["call_margin"], report["call_margin_source"]) == (0.0, "none")
    with open(tmp_path / "p.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    reference = _inference.generate_per_row(model, tokenizer, tools, [row["user_message"] for row in rows],
                                            progress=False)
    assert [row["output"] for row in rows] == reference


@pytest.mark.parametrize("flags, message", [
    (["--call-margin", "-1"], "--call-margin must be a number >= 0"),
    (["--call-margin", "nan"], "--call-margin must be a number >= 0"),
    (["--choose-call-margin", "--call-margin", "1"], "scores nothing else: drop --call-margin"),
    (["--choose-call-margin", "--constrained", "calls"], "forces a call on every row"),
    (["--choose-call-margin"], "is not a local training output"),
])
def test_bad_margin_flags_are_one_line(run_script, tiny_model_dir, flags, message):
    result = run_script("evaluate_functiongemma.py", "--model", tiny_model_dir, *flags)
    assert result.returncode == 2, result.stderr[-2000:]
    assert message in result.stderr.strip().splitlines()[-1] and "Traceback" not in result.stderr


def test_an_unusable_stored_margin_is_one_line(tiny_model_dir, tmp_path):
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "training_config.json").write_text(json.dumps({"call_margin": {"value": "high"}}))
    with pytest.raises(_inference.DataError, match=r"call_margin.value must be a number >= 0, not 'high'"):
        _inference.call_margin_of(str(folder))
    assert _inference.call_margin_of(str(folder), 0.0) == (0.0, "--call-margin")
