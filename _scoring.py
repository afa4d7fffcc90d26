"""Scoring generated answers against labelled rows, with the device's parser.

Single source: scripts carry a copy between `# --- begin _scoring.py` / `# --- end _scoring.py`
marker lines; edit this file, then run `python dev/sync_vendored.py`. Standard library only.
"""

import re
from collections import Counter, defaultdict

from _data import BOUNDARIES, NO_CALL_LABEL, Example, routing_label, suspect_reason, tool_calls_json
from _format import FAILURE_CLASSES, parse_output, prose_text
from _renderings import render

# The figures reported for each rendering side by side (the first rendering also gets the full report),
# and by_boundary when some row has a boundary.
RENDERING_METRICS = ("combined_accuracy", "call_accuracy", "irrelevance_accuracy", "false_call_rate",
                     "missed_call_rate", "tool_accuracy", "valid_format_rate", "false_calls_by_tool")


def lenient(value) -> str:
    """BFCL-style lenient string form: lower-case, no spaces or , . / - _ * ^."""
    return re.sub(r"[ ,./\-_*^]", "", str(value).lower())


def score_predictions(examples: list[Example], outputs: list[str], tools: list[dict], worst: int = 20,
                      no_call_reply: str | None = None) -> dict:
    """Accuracy report for generated `outputs` against the labelled `examples`.

    A row labelled with a call is right when the answer is exactly that call. A no-call row
    (call None) is right when the answer is plain text without a call (`no_call`): the app then
    calls nothing. Answering it with a call (a valid one, or one naming an unknown tool or a value
    outside the enum: the device hands the app all of these) is a false call; a malformed call is
    neither right nor a false call (LiteRT-LM reports it as an error). `no_call_reply`, when given,
    also measures how often a no-call row got exactly that text. Arguments count as right only
    when the tool is right too (`all` is a value of two tools). When some rows are suspect
    (`_data.suspect_reason`), `without_suspect` scores the others. `false_calls_by_tool` counts the
    false calls by the tool named in the answer (most first); when some rows carry a boundary
    (`_data.BOUNDARY_COLUMN`), `by_boundary` gives, per boundary, the false calls among the no-call
    rows (the near misses) and the accuracy on the call rows (their in-scope twins)."""
    if len(examples) != len(outputs):
        raise ValueError(f"{len(examples)} examples but {len(outputs)} outputs")
    total = len(examples)
    failures = Counter({name: 0 for name in FAILURE_CLASSES})
    per_tool = defaultdict(lambda: {"n": 0, "correct": 0, "tool_correct": 0})
    per_value = defaultdict(lambda: {"n": 0, "correct": 0})
    confusion = defaultdict(Counter)
    counts = Counter()
    false_calls = Counter()
    boundaries = defaultdict(Counter)
    mistakes = []
    predictions = []
    for example, output in zip(examples, outputs):
        parsed = parse_output(output, tools)
        predicted = parsed.call
        expected = example.call
        answered_in_prose = parsed.failure == "no_call"
        if expected is None:
            correct = tool_ok = args_ok = lenient_ok = answered_in_prose
            counts.update(no_call_rows=1, no_call_correct=correct, false_call=predicted is not None,
                          reply=answered_in_prose and prose_text(output) == no_call_reply)
            if predicted is not None:
                false_calls[predicted.name] += 1
            boundaries[example.boundary].update(no_call_rows=1, false_calls=predicted is not None)
        else:
            tool_ok = predicted is not None and predicted.name == expected.name
            args_ok = tool_ok and predicted.arguments == expected.arguments
            lenient_ok = tool_ok and (
                {key: lenient(value) for key, value in predicted.arguments}
                == {key: lenient(value) for key, value in expected.arguments})
            correct = tool_ok and args_ok and parsed.failure is None
            counts.update(call_rows=1, call_correct=correct, missed_call=answered_in_prose)
            boundaries[example.boundary].update(call_rows=1, call_correct=correct)
        # prose is a failure only where a call was expected
        failure = parsed.failure if parsed.failure and not (expected is None and answered_in_prose) else None
        counts.update(tool=tool_ok, arguments=args_ok, lenient=lenient_ok, correct=correct, valid=failure is None)
        if failure:
            failures[failure] += 1
        tool_stats = per_tool[expected.name if expected else NO_CALL_LABEL]
        tool_stats["n"] += 1
        tool_stats["correct"] += correct
        tool_stats["tool_correct"] += tool_ok
        value_stats = per_value[routing_label(expected, tools)]
        value_stats["n"] += 1
        value_stats["correct"] += correct
        answered = predicted.name if predicted else NO_CALL_LABEL if answered_in_prose else f"({parsed.failure})"
        confusion[expected.name if expected else NO_CALL_LABEL][answered] += 1
        prediction = {"user_message": example.message, "expected": tool_calls_json(expected),
                      "predicted": predicted.to_json() if predicted else "", "output": output,
                      "correct": correct, "failure": parsed.failure or "", "detail": parsed.detail,
                      "suspect": suspect_reason(example.message, tools) or ""}
        if example.boundary:
            prediction["boundary"] = example.boundary
        predictions.append(prediction)
        if not correct:
            mistakes.append(prediction)

    def rate(n: int) -> float:
        return n / total if total else 0.0

    def share(n: int, of: int) -> float | None:
        """n / of; None when there is nothing to measure (no rows of that kind)."""
        return n / of if of else None

    for stats in list(per_tool.values()) + list(per_value.values()):
        stats["accuracy"] = stats["correct"] / stats["n"]
    clean = [index for index, prediction in enumerate(predictions) if not prediction["suspect"]]
    call_rows, no_call_rows = counts["call_rows"], counts["no_call_rows"]
    report = {
        "examples": total,
        "call_rows": call_rows,
        "no_call_rows": no_call_rows,
        "combined_accuracy": rate(counts["correct"]),
        "call_accuracy": share(counts["call_correct"], call_rows),
        "irrelevance_accuracy": share(counts["no_call_correct"], no_call_rows),
        "false_call_rate": share(counts["false_call"], no_call_rows),
        "missed_call_rate": share(counts["missed_call"], call_rows),
        "no_call_reply_rate": share(counts["reply"], no_call_rows) if no_call_reply is not None else None,
        "tool_accuracy": rate(counts["tool"]),
        "argument_accuracy": rate(counts["arguments"]),
        "lenient_argument_accuracy": rate(counts["lenient"]),
        "valid_format_rate": rate(counts["valid"]),
        "failures": dict(failures),
        "per_tool": dict(sorted(per_tool.items())),
        "per_value": dict(sorted(per_value.items())),
        "confusion": {name: dict(row) for name, row in sorted(confusion.items())},
        "false_calls_by_tool": dict(sorted(false_calls.items(), key=lambda item: (-item[1], item[0]))),
        "worst_examples": mistakes[:worst],
        "suspect_rows": total - len(clean),
        "predictions": predictions,
    }
    if any(example.boundary for example in examples):
        report["by_boundary"] = {
            boundary: {"no_call_rows": stats["no_call_rows"], "false_calls": stats["false_calls"],
                       "false_call_rate": share(stats["false_calls"], stats["no_call_rows"]),
                       "call_rows": stats["call_rows"], "call_accuracy": share(stats["call_correct"], stats["call_rows"])}
            for boundary in BOUNDARIES if (stats := boundaries.get(boundary))}
    if len(clean) < total:  # the same metrics without the rows that may score for free
        rest = score_predictions([examples[index] for index in clean], [outputs[index] for index in clean], tools)
        report["without_suspect"] = {key: rest[key] for key in (
            "examples", "combined_accuracy", "call_accuracy", "irrelevance_accuracy", "false_call_rate",
            "tool_accuracy", "argument_accuracy", "valid_format_rate")}
    return report


def rendered_messages(examples: list[Example], renderings) -> dict[str, list[str]]:
    """Each row's message in each rendering (`_renderings.render`), rendering by rendering."""
    return {rendering: [render(example.message, rendering) for example in examples] for rendering in renderings}


def answer_of(prediction: dict) -> str:
    """What the app would do with an answer: the call, no call, or the failure class."""
    return prediction["predicted"] or (NO_CALL_LABEL if prediction["failure"] == "no_call"
                                       else f"({prediction['failure']})")


def score_renderings(examples: list[Example], outputs: dict[str, list[str]], tools: list[dict], worst: int = 20,
                     no_call_reply: str | None = None) -> dict:
    """`score_predictions` of the first rendering of `outputs` ({rendering: answers}), plus the
    meaning-level figures: each rendering's headline metrics, robust accuracy (a row is right only
    when it is right in every rendering), and the rows whose answer changes with the rendering alone."""
    reports = {rendering: score_predictions(examples, answers, tools, worst=worst, no_call_reply=no_call_reply)
               for rendering, answers in outputs.items()}
    first = next(iter(reports))
    report = dict(reports[first])
    total = len(examples)
    robust = [all(reports[rendering]["predictions"][index]["correct"] for rendering in reports)
              for index in range(total)]
    changed = []
    for index, example in enumerate(examples):
        answers = {rendering: answer_of(reports[rendering]["predictions"][index]) for rendering in reports}
        if len(set(answers.values())) > 1:
            changed.append({"user_message": example.message, "expected": tool_calls_json(example.call),
                            "answers": {rendering: {"message": render(example.message, rendering), "answer": answer}
                                        for rendering, answer in answers.items()}})
    call_rows = [index for index, example in enumerate(examples) if example.call is not None]
    no_call_rows = [index for index, example in enumerate(examples) if example.call is None]
    report.update(
        rendering=first,
        renderings={rendering: {key: result[key] for key in RENDERING_METRICS + ("by_boundary",) if key in result}
                    for rendering, result in reports.items()},
        robust_accuracy=sum(robust) / total if total else 0.0,
        robust_call_accuracy=sum(robust[index] for index in call_rows) / len(call_rows) if call_rows else None,
        robust_irrelevance_accuracy=(sum(robust[index] for index in no_call_rows) / len(no_call_rows)
                                     if no_call_rows else None),
        rendering_sensitive_rows=len(changed),
        rendering_sensitive_rate=len(changed) / total if total else 0.0,
        rendering_sensitive_examples=changed[:worst],
        predictions_by_rendering={rendering: result["predictions"] for rendering, result in reports.items()},
    )
    return report
