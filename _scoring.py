"""Scoring generated answers against labelled rows, with the device's parser.

Single source: scripts carry a copy between `# --- begin _scoring.py` / `# --- end _scoring.py`
marker lines; edit this file, then run `python dev/sync_vendored.py`. Standard library only.
"""

import re
from collections import Counter, defaultdict

from _data import NO_CALL_LABEL, Example, routing_label, suspect_reason, tool_calls_json
from _format import FAILURE_CLASSES, parse_output, prose_text


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
    (`_data.suspect_reason`), `without_suspect` scores the others."""
    if len(examples) != len(outputs):
        raise ValueError(f"{len(examples)} examples but {len(outputs)} outputs")
    total = len(examples)
    failures = Counter({name: 0 for name in FAILURE_CLASSES})
    per_tool = defaultdict(lambda: {"n": 0, "correct": 0, "tool_correct": 0})
    per_value = defaultdict(lambda: {"n": 0, "correct": 0})
    confusion = defaultdict(Counter)
    counts = Counter()
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
        else:
            tool_ok = predicted is not None and predicted.name == expected.name
            args_ok = tool_ok and predicted.arguments == expected.arguments
            lenient_ok = tool_ok and (
                {key: lenient(value) for key, value in predicted.arguments}
                == {key: lenient(value) for key, value in expected.arguments})
            correct = tool_ok and args_ok and parsed.failure is None
            counts.update(call_rows=1, call_correct=correct, missed_call=answered_in_prose)
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
        "worst_examples": mistakes[:worst],
        "suspect_rows": total - len(clean),
        "predictions": predictions,
    }
    if len(clean) < total:  # the same metrics without the rows that may score for free
        rest = score_predictions([examples[index] for index in clean], [outputs[index] for index in clean], tools)
        report["without_suspect"] = {key: rest[key] for key in (
            "examples", "combined_accuracy", "call_accuracy", "irrelevance_accuracy", "false_call_rate",
            "tool_accuracy", "argument_accuracy", "valid_format_rate")}
    return report
