"""evaluate_functiongemma.py: metrics on hand-built answers, and the command line on the tiny model."""

import csv
import json
import shutil
from collections import Counter

import pytest

import _data
import _format
import _renderings
import _scoring
import evaluate_functiongemma as evaluate
from _data import Call, Example

REPORT_KEYS = {"combined_accuracy", "tool_accuracy", "argument_accuracy", "lenient_argument_accuracy",
               "valid_format_rate", "failures", "per_tool", "per_value", "confusion", "examples",
               "examples_per_second", "call_accuracy", "irrelevance_accuracy", "false_call_rate",
               "missed_call_rate", "no_call_reply_rate", "call_rows", "no_call_rows", "no_call_reply",
               "robust_accuracy", "renderings", "rendering", "rendering_sensitive_rows", "rendering_sensitive_rate",
               "rendering_sensitive_examples"}


def hand_built_report(tools):
    water = Call.make("find_nearby_poi", {"query": "water"})
    shop = Call.make("find_nearby_poi", {"query": "bike_shop"})
    wind = Call.make("get_weather_forecast", {"query": "wind"})
    examples = [Example("a", water), Example("b", shop), Example("c", shop), Example("d", wind),
                Example("e", wind), Example("f", wind)]
    outputs = [
        _format.render_completion(water),  # right
        _format.render_call(Call.make("find_nearby_poi", {"query": "Bike-Shop"})) + "<end_of_turn>",  # lenient only
        "<start_function_call>call:find_bike_shop{query:<escape>bike_shop<escape>}<end_function_call>",  # unknown_tool
        "<start_function_call>call:get_weather_forecast{query:<escape>storm<escape>}<end_function_call>",  # bad_arguments
        "<start_function_call>call:get_weather_forecast{query:wind<end_function_call>",  # malformed
        "Windy, stay safe.<end_of_turn>",  # no_call
    ]
    report = _scoring.score_renderings(examples, {"as_written": outputs}, tools)
    report.update(model="hand-built", seconds=2.0, examples_per_second=3.0, seconds_per_example=1 / 3,
                  no_call_reply=_format.DEFAULT_NO_CALL_REPLY)
    return report


def test_metrics_on_hand_built_answers(tools, capsys):
    report = hand_built_report(tools)
    assert report["combined_accuracy"] == pytest.approx(1 / 6)
    assert report["tool_accuracy"] == pytest.approx(3 / 6)  # right, lenient-only, bad_arguments name
    assert report["argument_accuracy"] == pytest.approx(1 / 6)  # the unknown tool's right value does not count
    assert report["lenient_argument_accuracy"] == pytest.approx(2 / 6)  # and Bike-Shop
    assert report["valid_format_rate"] == pytest.approx(1 / 6)  # Bike-Shop is outside the enum
    assert report["failures"] == {"no_call": 1, "malformed": 1, "unknown_tool": 1, "bad_arguments": 2}
    assert report["per_tool"]["find_nearby_poi"]["accuracy"] == pytest.approx(1 / 3)
    assert report["per_tool"]["get_weather_forecast"]["tool_correct"] == 1
    assert report["per_value"]["find_nearby_poi:bike_shop"] == {"n": 2, "correct": 0, "accuracy": 0.0}
    expected, predicted, counts = evaluate.confusion_table(report)
    assert expected == ["find_nearby_poi", "get_weather_forecast"]
    assert predicted == ["find_bike_shop", "find_nearby_poi", "get_weather_forecast", "(no call)", "(malformed)"]
    assert counts == [[1, 2, 0, 0, 0], [0, 0, 1, 1, 1]]
    assert report["irrelevance_accuracy"] is None and report["call_accuracy"] == pytest.approx(1 / 6)  # all call rows
    evaluate.print_report(report)
    printed = capsys.readouterr().out
    assert "combined accuracy     16.7%" in printed and "unknown_tool 1, bad_arguments 2" in printed
    assert "find_nearby_poi:bike_shop" in printed and "worst examples (first 5 wrong)" in printed


def test_no_call_rows_in_the_printed_report(tools, capsys):
    water = Call.make("find_nearby_poi", {"query": "water"})
    examples = [Example("thanks", None), Example("call Ana", None), Example("water?", water), Example("agua", water)]
    outputs = [_format.render_completion(None), _format.render_completion(water),
               _format.render_completion(water), "Sure.<end_of_turn>"]
    report = _scoring.score_renderings(examples, {"as_written": outputs}, tools,
                                       no_call_reply=_format.DEFAULT_NO_CALL_REPLY)
    report.update(model="hand-built", seconds=1.0, examples_per_second=4.0, seconds_per_example=0.25,
                  no_call_reply=_format.DEFAULT_NO_CALL_REPLY)
    expected, predicted, counts = evaluate.confusion_table(report)
    assert expected == ["find_nearby_poi", "(no call)"] and predicted == ["find_nearby_poi", "(no call)"]
    assert counts == [[1, 1], [1, 1]]
    evaluate.print_report(report)
    printed = capsys.readouterr().out
    assert "FALSE CALLS           50.0%   of 2 no-call rows" in printed
    assert "on call rows          50.0%   combined, 2 rows" in printed
    assert "irrelevance           50.0%" in printed and "(50.0% with exactly \"Sorry, I can't" in printed
    assert "missed calls          50.0%" in printed and "  (no call)" in printed


def test_deltas_subtract_metric_by_metric(tools):
    report = hand_built_report(tools)
    water = Call.make("find_nearby_poi", {"query": "water"})
    perfect = _scoring.score_renderings([Example("a", water)] * 6, {"as_written": [_format.render_completion(water)] * 6},
                                        tools)
    perfect.update(examples_per_second=1.0)
    difference = evaluate.deltas(perfect, report)
    assert difference["combined_accuracy"] == pytest.approx(5 / 6) == difference["robust_accuracy"]
    assert difference["failures"]["bad_arguments"] == -2 and difference["examples_per_second"] == -2.0
    assert difference["false_call_rate"] is None  # neither side has no-call rows


def test_plot_writes_a_png(tools, tmp_path):
    evaluate.plot_confusion(str(tmp_path / "confusion.png"), hand_built_report(tools))
    assert (tmp_path / "confusion.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def first_heldout_seed_rows(seed_examples, tools, count: int) -> tuple[list[str], int]:
    """The messages evaluation scores with --max-examples `count` (the seeds' held-out split), and
    how many of them are call rows: known from the data, whatever the model answers."""
    _, test = _data.split_examples(seed_examples, tools, 0.1, 42)
    return [example.message for example in test[:count]], sum(example.call is not None for example in test[:count])


def test_full_run_with_every_output_and_compare(run_script, tiny_model_dir, tmp_path, tools, seed_examples):
    # a random model answers every row in prose: each call row is a missed call, each no-call row is right
    messages, calls = first_heldout_seed_rows(seed_examples, tools, 5)
    assert 0 < calls < 5
    gate = (5 - calls + 0.5) / 5  # half a row above what it scores
    result = run_script("evaluate_functiongemma.py", "--model", tiny_model_dir, "--max-examples", "5",
                        "--batch-size", "2", "--json", tmp_path / "r.json", "--predictions", tmp_path / "p.csv",
                        "--plot", tmp_path / "c.png", "--compare", tiny_model_dir, "--min-accuracy", gate)
    assert result.returncode == 1, result.stderr[-3000:]
    assert f"robust accuracy {(5 - calls) / 5:.1%} is below --min-accuracy {gate:.1%}" in result.stderr
    assert "combined accuracy" in result.stdout and "answers/s" in result.stdout and "confusion" in result.stdout
    assert "ROBUST ACCURACY" in result.stdout
    assert "delta   +0.0 points" in result.stdout  # the same model on the same rows
    report = json.loads((tmp_path / "r.json").read_text())
    assert REPORT_KEYS <= set(report) and report["examples"] == 5 and report["split"] == "test"
    assert list(report["renderings"]) == ["as_written", "spoken", "typed"] and report["rendering"] == "as_written"
    assert report["answers_generated"] == 15 and "predictions_by_rendering" not in report
    assert REPORT_KEYS <= set(report["compare"]) and report["deltas"]["combined_accuracy"] == 0
    assert (report["call_rows"], report["no_call_rows"]) == (calls, 5 - calls)
    assert report["failures"]["no_call"] == sum(report["failures"].values()) == calls
    assert report["valid_format_rate"] == pytest.approx((5 - calls) / 5)
    with open(tmp_path / "p.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["user_message"] for row in rows] == messages
    assert rows[0]["output"] == rows[0]["compare_output"]  # --compare: the same model
    assert rows[0]["spoken_message"] == _renderings.spoken(rows[0]["user_message"])
    assert {"typed_message", "typed_predicted", "typed_correct"} <= set(rows[0])
    # each answer's call margin, per rendering; no margin applied to a model without one
    assert {"margin", "spoken_margin", "typed_margin", "compare_margin"} <= set(rows[0])
    assert all(float(row["margin"]) < 0 for row in rows)  # every answer is prose
    assert (report["call_margin"], report["call_margin_source"]) == (0.0, "none")
    assert report["margins"]["answers"] == 15 and report["margins"]["curve"] == [[0.0, 0.0, 1.0]]
    assert (tmp_path / "c.png").stat().st_size > 1000


def test_constrained_modes_side_by_side(run_script, tiny_model_dir, tmp_path, tools, seed_examples):
    """--constrained calls makes every answer of a random model a valid call; --compare-constrained
    scores unconstrained decoding on the same rows and reports the differences."""
    result = run_script("evaluate_functiongemma.py", "--model", tiny_model_dir, "--max-examples", "3",
                        "--batch-size", "2", "--constrained", "calls", "--compare-constrained",
                        "--json", tmp_path / "r.json", "--predictions", tmp_path / "p.csv")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "(constrained decoding: calls)" in result.stdout
    assert "constrained decoding on the same 3 rows" in result.stdout
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["constrained"] == "calls" and report["valid_format_rate"] == 1.0
    assert set(report["constrained_modes"]) == {"calls", "none"}
    unconstrained = report["constrained_modes"]["none"]  # prose everywhere: right only on the no-call rows
    _, calls = first_heldout_seed_rows(seed_examples, tools, 3)
    assert calls > 0 and unconstrained["call_rows"] == calls and unconstrained["failures"]["no_call"] == calls
    assert unconstrained["valid_format_rate"] == pytest.approx((3 - calls) / 3)
    assert report["constrained_deltas"]["calls"]["valid_format_rate"] == pytest.approx(calls / 3)
    assert report["constrained_deltas"]["calls"]["failures"]["no_call"] == -calls
    with open(tmp_path / "p.csv", newline="", encoding="utf-8") as handle:
        assert all(row["output"].startswith(_format.START_CALL) for row in csv.DictReader(handle))


def test_scores_the_held_out_split_training_excludes(run_script, tiny_model_dir, tmp_path, tools, seed_examples):
    result = run_script("evaluate_functiongemma.py", "--model", tiny_model_dir, "--max-examples", "3",
                        "--min-accuracy", "0", "--json", tmp_path / "r.json", "--predictions", tmp_path / "p.csv")
    assert result.returncode == 0, result.stderr[-3000:]
    _, test = _data.split_examples(seed_examples, tools, 0.1, 42)
    with open(tmp_path / "p.csv", newline="", encoding="utf-8") as handle:
        assert [row["user_message"] for row in csv.DictReader(handle)] == [e.message for e in test[:3]]


def test_adapter_directory(run_script, tiny_model_dir, tmp_path):
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM
    base = AutoModelForCausalLM.from_pretrained(tiny_model_dir, dtype=torch.float32)
    get_peft_model(base, LoraConfig(r=4, target_modules=["q_proj", "v_proj"])).save_pretrained(tmp_path / "adapter")
    result = run_script("evaluate_functiongemma.py", "--model", tmp_path / "adapter", "--split", "all",
                        "--max-examples", "2", "--json", tmp_path / "r.json")
    assert result.returncode == 0, result.stderr[-3000:]
    assert json.loads((tmp_path / "r.json").read_text())["examples"] == 2


def test_template_mismatch_stops_unless_allowed(run_script, tiny_model_dir, tmp_path):
    model = tmp_path / "model"
    shutil.copytree(tiny_model_dir, model)
    template = (model / "chat_template.jinja").read_text()
    (model / "chat_template.jinja").write_text(template.replace("<start_of_turn>developer", "<start_of_turn>system"))
    result = run_script("evaluate_functiongemma.py", "--model", model, "--max-examples", "1")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1].startswith("error:") and "chat template" in result.stderr
    allowed = run_script("evaluate_functiongemma.py", "--model", model, "--max-examples", "1",
                         "--allow-template-mismatch")
    assert allowed.returncode == 0, allowed.stderr[-3000:]
    assert "warning:" in allowed.stderr


@pytest.mark.parametrize("arguments, message", [
    (["--model", "/no/such/model"], "no such model directory"),
    (["--dataset", "{bad}"], "bad.csv line 2"),
    (["--max-examples", "0"], "--max-examples: must be at least 1"),
    (["--max-false-call-rate", "1.5"], "--max-false-call-rate must be between 0 and 1"),
    (["--dataset", "{calls}", "--split", "all", "--max-false-call-rate", "0.1"], "hold no no-call rows"),
    (["--no-call-reply", " "], "--no-call-reply must not be empty"),
    (["--no-such-flag"], "unrecognized arguments"),
])
def test_bad_input_is_one_line_and_exit_2(run_script, tmp_path, arguments, message):
    bad = tmp_path / "bad.csv"
    bad.write_text('user_message,tool_calls\nhello,"[{""name"": ""nope"", ""args"": {}}]"\n')
    calls = tmp_path / "calls.csv"
    calls.write_text('user_message,tool_calls\nspeed,"[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]"\n')
    arguments = [{"{bad}": str(bad), "{calls}": str(calls)}.get(argument, argument) for argument in arguments]
    result = run_script("evaluate_functiongemma.py", *arguments)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_renderings_flag_and_robust_accuracy_gate(run_script, tiny_model_dir, tmp_path, tools, seed_examples):
    """--renderings as_written scores each row once; --min-accuracy judges robust accuracy."""
    result = run_script("evaluate_functiongemma.py", "--model", tiny_model_dir, "--max-examples", "4",
                        "--renderings", "as_written", "--json", tmp_path / "r.json", "--min-accuracy", "0")
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads((tmp_path / "r.json").read_text())
    assert list(report["renderings"]) == ["as_written"] and report["answers_generated"] == 4
    _, calls = first_heldout_seed_rows(seed_examples, tools, 4)  # a random model: only the no-call rows right
    assert report["robust_accuracy"] == report["combined_accuracy"] == pytest.approx((4 - calls) / 4)
    bad = run_script("evaluate_functiongemma.py", "--model", tiny_model_dir, "--renderings", "shouted")
    assert bad.returncode == 2 and "invalid choice: 'shouted'" in bad.stderr


def test_robust_accuracy_needs_every_rendering_right(tools, capsys):
    """A row right as written but refused when spoken counts against robust accuracy, shows up as a
    row whose answer changes with the rendering, and as a missed call of the spoken rendering."""
    water = Call.make("find_nearby_poi", {"query": "water"})
    examples = [Example("Where is water?", water), Example("Thanks!", None), Example("Water nearby?", water)]
    refused = _format.render_completion(None)
    outputs = {"as_written": [_format.render_completion(water), refused, _format.render_completion(water)],
               "spoken": [refused, refused, _format.render_completion(water)],
               "typed": [_format.render_completion(water), _format.render_completion(water),
                         _format.render_completion(water)]}
    report = _scoring.score_renderings(examples, outputs, tools)
    assert report["combined_accuracy"] == 1.0 and report["rendering"] == "as_written"
    assert report["robust_accuracy"] == pytest.approx(1 / 3)
    assert report["robust_call_accuracy"] == 0.5 and report["robust_irrelevance_accuracy"] == 0.0
    assert report["renderings"]["spoken"]["missed_call_rate"] == 0.5
    assert report["renderings"]["typed"]["false_call_rate"] == 1.0
    assert report["renderings"]["as_written"]["false_call_rate"] == 0.0
    assert report["rendering_sensitive_rows"] == 2
    flipped = report["rendering_sensitive_examples"][0]
    assert flipped["answers"]["spoken"] == {"message": "where is water", "answer": "(no call)"}
    assert flipped["answers"]["typed"]["answer"] == water.to_json()
    report.update(model="hand-built", seconds=1.0, examples_per_second=9.0, seconds_per_example=1 / 9,
                  no_call_reply=_format.DEFAULT_NO_CALL_REPLY)
    evaluate.print_report(report)
    printed = capsys.readouterr().out
    assert "ROBUST ACCURACY       33.3%" in printed
    assert "answer changes with the rendering alone: 2 rows (66.7%)" in printed
    assert "'where is water' -> (no call)" in printed


def near_miss_report(tools):
    """Planted answers: near misses (no-call rows with a boundary) answered with calls or in prose,
    as written; every row answered in prose when spoken."""
    distance = Call.make("get_ride_status", {"query": "distance"})
    speed = Call.make("get_ride_status", {"query": "speed"})
    shop = Call.make("find_nearby_poi", {"query": "bike_shop"})
    water = Call.make("find_nearby_poi", {"query": "water"})
    prose = "I can't help with that.<end_of_turn>"
    planted = [  # (row, answer as written)
        (Example("how far did I ride last Tuesday", None, boundary="time"), _format.render_completion(distance)),
        (Example("what was my top speed yesterday", None, boundary="time"), _format.render_completion(speed)),
        (Example("what was the wind last weekend", None, boundary="time"), prose),
        (Example("is there water in Paris", None, boundary="place"),  # malformed: not a false call
         "<start_function_call>call:find_nearby_poi{query:water<end_function_call>"),
        (Example("where can I buy a helmet online", None, boundary="object"), _format.render_completion(shop)),
        (Example("is my saddle too high", None, boundary="object"), prose),
        (Example("nice view up here", None, boundary="remark"),  # a tool nobody declared takes it
         "<start_function_call>call:find_bike_shop{query:<escape>any<escape>}<end_function_call>"),
        (Example("thanks", None), _format.render_completion(Call.make("get_weather_forecast", {"query": "current"}))),
        (Example("ok", None), prose),
        (Example("how far have I ridden", distance, boundary="time"), _format.render_completion(distance)),
        (Example("how fast am I going", speed, boundary="time"), _format.render_completion(distance)),  # tool only
        (Example("where is the next bike shop", shop, boundary="object"), _format.render_completion(shop)),
        (Example("where is water", water), _format.render_completion(water)),
    ]
    examples = [row for row, _ in planted]
    report = _scoring.score_renderings(examples, {"as_written": [answer for _, answer in planted],
                                                  "spoken": [prose] * len(planted)}, tools)
    report.update(model="hand-built", seconds=1.0, examples_per_second=13.0, seconds_per_example=1 / 13,
                  no_call_reply=_format.DEFAULT_NO_CALL_REPLY)
    return report


def test_false_calls_by_tool_and_by_boundary(tools, capsys, tmp_path):
    report = near_miss_report(tools)
    assert report["false_call_rate"] == pytest.approx(5 / 9)
    assert list(report["false_calls_by_tool"].items()) == [
        ("get_ride_status", 2), ("find_bike_shop", 1), ("find_nearby_poi", 1), ("get_weather_forecast", 1)]
    assert report["by_boundary"] == {
        "time": {"no_call_rows": 3, "false_calls": 2, "false_call_rate": pytest.approx(2 / 3),
                 "call_rows": 2, "call_accuracy": 0.5},
        "place": {"no_call_rows": 1, "false_calls": 0, "false_call_rate": 0.0, "call_rows": 0, "call_accuracy": None},
        "object": {"no_call_rows": 2, "false_calls": 1, "false_call_rate": 0.5, "call_rows": 1, "call_accuracy": 1.0},
        "remark": {"no_call_rows": 1, "false_calls": 1, "false_call_rate": 1.0, "call_rows": 0, "call_accuracy": None},
    }
    assert list(report["by_boundary"]) == ["time", "place", "object", "remark"]  # in _data.BOUNDARIES order
    written, spoken = report["renderings"]["as_written"], report["renderings"]["spoken"]
    assert written["false_calls_by_tool"] == report["false_calls_by_tool"] and written["by_boundary"] == report["by_boundary"]
    assert spoken["false_calls_by_tool"] == {}
    assert spoken["by_boundary"]["time"] == {"no_call_rows": 3, "false_calls": 0, "false_call_rate": 0.0,
                                             "call_rows": 2, "call_accuracy": 0.0}
    assert [row.get("boundary", "") for row in report["worst_examples"]][:3] == ["time", "time", "place"]
    evaluate.print_report(report)
    printed = capsys.readouterr().out
    assert ("  false calls by tool:\n"
            "    get_ride_status                      2           0\n"
            "    find_bike_shop                       1           0\n"
            "    find_nearby_poi                      1           0\n"
            "    get_weather_forecast                 1           0\n"
            "  by boundary (rows)            as_written      spoken\n"
            "    time false calls (3)             66.7%        0.0%\n"
            "    time on calls (2)                50.0%        0.0%\n"
            "    place false calls (1)             0.0%        0.0%\n"
            "    object false calls (2)           50.0%        0.0%\n"
            "    object on calls (1)             100.0%        0.0%\n"
            "    remark false calls (1)          100.0%        0.0%\n"
            "  answer changes with the rendering alone:") in printed
    evaluate.write_predictions(str(tmp_path / "p.csv"), report, None)
    with open(tmp_path / "p.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0])[:3] == ["user_message", "boundary", "expected"]
    assert [row["boundary"] for row in rows] == ["time"] * 3 + ["place"] + ["object"] * 2 + ["remark", "", "",
                                                                                            "time", "time", "object", ""]


def test_no_boundary_column_no_boundary_report(tools, capsys, tmp_path):
    water = Call.make("find_nearby_poi", {"query": "water"})
    examples = [Example("thanks", None), Example("call Ana", None), Example("water?", water)]
    outputs = [_format.render_completion(None), _format.render_completion(water), _format.render_completion(water)]
    report = _scoring.score_renderings(examples, {"as_written": outputs}, tools)
    assert report["false_calls_by_tool"] == {"find_nearby_poi": 1}
    assert "by_boundary" not in report and "by_boundary" not in report["renderings"]["as_written"]
    assert all("boundary" not in row for row in report["predictions"])
    report.update(model="hand-built", seconds=1.0, examples_per_second=3.0, seconds_per_example=1 / 3,
                  no_call_reply=_format.DEFAULT_NO_CALL_REPLY)
    evaluate.print_report(report)
    printed = capsys.readouterr().out
    assert "  false calls by tool: find_nearby_poi 1\n" in printed and "by boundary" not in printed
    evaluate.write_predictions(str(tmp_path / "p.csv"), report, None)
    with open(tmp_path / "p.csv", newline="", encoding="utf-8") as handle:
        assert "boundary" not in next(csv.reader(handle))
    assert hand_built_report(tools)["false_calls_by_tool"] == {}  # no no-call rows


def test_boundary_column_end_to_end(run_script, tiny_model_dir, tmp_path):
    """A dataset with a boundary column: the JSON report counts each boundary's rows, and its false
    calls are the no-call rows the --predictions file shows answered with a call (constrained to
    calls, the random model calls a tool on every row)."""
    dataset = tmp_path / "near.csv"
    dataset.write_text(
        "user_message,tool_calls,boundary\n"
        "how far did I ride last Tuesday,[],time\n"
        "what was my top speed yesterday,[],time\n"
        'how far have I ridden,"[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",time\n'
        "is there a water fountain in Paris,[],place\n"
        "where can I buy a helmet online,[],object\n"
        'where is the nearest water,"[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",\n'
        "thanks,[],\n")
    result = run_script("evaluate_functiongemma.py", "--model", tiny_model_dir, "--dataset", dataset, "--split", "all",
                        "--renderings", "as_written", "--constrained", "calls", "--json", tmp_path / "r.json",
                        "--predictions", tmp_path / "p.csv")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "by boundary (rows)" in result.stdout and "false calls by tool: " in result.stdout
    report = json.loads((tmp_path / "r.json").read_text())
    with open(tmp_path / "p.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 7 and sorted(row["boundary"] for row in rows) == ["", "", "object", "place", "time", "time", "time"]
    false_calls = [row for row in rows if row["expected"] == "[]" and row["predicted"]]
    assert len(false_calls) == 5  # every no-call row, under --constrained calls
    assert report["false_calls_by_tool"] == dict(Counter(json.loads(row["predicted"])[0]["name"] for row in false_calls))
    assert {boundary: (stats["no_call_rows"], stats["call_rows"]) for boundary, stats in report["by_boundary"].items()} \
        == {"time": (2, 1), "place": (1, 0), "object": (1, 0)}
    for boundary, stats in report["by_boundary"].items():
        assert stats["false_calls"] == sum(row["boundary"] == boundary for row in false_calls)
    assert report["renderings"]["as_written"]["by_boundary"] == report["by_boundary"]
