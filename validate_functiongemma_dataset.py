# /// script
# requires-python = ">=3.11"
# dependencies = [
#     "datasets>=5.1",
#     "huggingface_hub>=2.0",
#     "transformers>=5.24",
#     "jinja2>=3.1.6",  # transformers renders chat templates only with jinja2>=3.1.6
#     "tqdm>=4.66.3",
# ]
# ///
"""Check a FunctionGemma tool-calling dataset before training on it.

Usage:
    uv run validate_functiongemma_dataset.py                      # the bundled seeds and tools
    uv run validate_functiongemma_dataset.py --dataset data.csv --dataset user/more-data \\
        --tools tools.json --tokenizer google/functiongemma-270m-it --max-length 1024 \\
        --output clean.csv --json report.json [--output-repo user/dataset]
    uv run validate_functiongemma_dataset.py --dataset data.csv --judge-model meta-llama/Llama-3.3-70B-Instruct

A dataset is a CSV with columns user_message,tool_calls (tool_calls: a JSON list with exactly one
{"name": ..., "args": {...}}, or [] when no tool applies) or a Hub dataset id with the same
columns. Several --dataset are merged. Errors (exit 1) name the 1-based CSV line: empty message,
a control character in it, the text of a FunctionGemma control token (<start_function_call>,
<end_of_turn>, ...) or of another reserved token of Gemma's (<start_of_image>, [multimodal],
<unused0>, ...; with --tokenizer, of any of its tokens that are no text) or more than 500
characters, invalid JSON or JSON nested more than 64 levels deep, more than one call, unknown tool, missing/extra/mistyped argument, value outside the
enum, one message with two different labels (two calls, or a call and no call), and (with
--tokenizer) rows longer than --max-length tokens. Warnings: exact and normalised duplicates, enum
values with few or no rows, tools far below the others, no no-call rows at all (the model would
call a tool for every input) or more than half of them, and surface shortcuts: a feature of the
text's form (starting in lower case, no end punctuation, a filler or wake word in front, the
language, the length) far more common in the no-call rows than in the call rows, which a model
learns instead of the meaning (a speech recogniser, not the rider, decides the casing); the JSON
report carries both kinds' shares. Suspect rows are
warned about too: a message that names a declared function or an identifier-like enum value (one
with `_`, like bike_shop) verbatim, or reads like a generation prompt ("... (Varied phrasing.
variant 0)"). Such a row is free accuracy when held out and noise in training; --drop-suspect
leaves them out of --output and --output-repo. A file that cannot be used at all (missing, not
UTF-8, binary, empty, no data rows, wrong header, broken quoting) is one line and exit 2. So are
tool declarations that, with the longest row, cannot fit the model's context (--tokenizer's
config.json, else FunctionGemma's 32,768 tokens); the report gives their size in tokens (exact with
--tokenizer, else estimated at 4 characters a token) and warns above 1,024, export's default KV
cache on the phone.
--output-repo creates a private dataset unless --public.

--judge-model sends every valid row to that model (an OpenAI-compatible server: the Hugging Face
router unless --base-url; HF_TOKEN) in the generators' blind request, which shows the tools and
their values but not the row's label, and lists the rows whose label the judge reads otherwise,
with their lines. They are listed, not errors: the exit code is the same as without a judge.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
from collections import Counter



# The header's dependencies, checked first thing in main(): a notebook or another environment's
# python ignores the header (tests/test_versions.py keeps the two equal).
REQUIREMENTS = {
    "datasets": ">=5.1",
    "huggingface_hub": ">=2.0",
    "transformers": ">=5.24",
    "jinja2": ">=3.1.6",
    "tqdm": ">=4.66.3",
}


def build_parser():
    parser = script_parser("validate_functiongemma_dataset.py", __doc__, exit_codes={0: "valid", 1: "errors found"},
                           job="--flavor cpu-basic --secrets HF_TOKEN -- --dataset USER/DATASET --output-repo USER/DATASET-clean")
    add_data_arguments(parser, resplit=False)
    checks = parser.add_argument_group("checks")
    checks.add_argument("--tokenizer", help="tokenizer id or path: measure rendered lengths in tokens exactly, refuse text it "
                             "turns into a token that is no text, and (a model's) hold the prompt to its context")
    checks.add_argument("--max-length", type=positive_int, metavar="N",
                        help="with --tokenizer: longest allowed example in tokens")
    checks.add_argument("--no-call-reply", default=DEFAULT_NO_CALL_REPLY,
                        help="with --tokenizer: the prose answer of no-call rows, as in training (default %(default)r)")
    checks.add_argument("--min-per-value", type=int, default=5, metavar="N",
                        help="warn about enum values with fewer rows than this (default 5)")
    output = parser.add_argument_group("output")
    output.add_argument("--output", type=output_file, metavar="CSV", help="write the valid, de-duplicated rows to this CSV")
    output.add_argument("--drop-suspect", action="store_true",
                        help="leave suspect rows (see above) out of --output and --output-repo")
    add_json_argument(output, "the full report")
    output.add_argument("--output-repo", metavar="REPO",
                        help="push the valid rows to this Hub dataset as train/test splits (--seed, --test-split)")
    # the name this script had before every script called a Hub repo to write --output-repo
    output.add_argument("--push-to-hub", dest="output_repo", metavar="REPO", help=argparse.SUPPRESS)
    add_public_argument(output)
    judge = parser.add_argument_group("judge")
    judge.add_argument("--judge-model", metavar="MODEL",
                       help="re-label every valid row blind with this model and list the rows it reads otherwise")
    judge.add_argument("--base-url", help=f"with --judge-model: OpenAI-compatible API base URL (default: the "
                                          f"Hugging Face router, {ROUTER_URL})")
    add_request_arguments(judge)
    return parser


def parse_args(argv):
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.max_length and not args.tokenizer:
        parser.error("--max-length needs --tokenizer")
    if args.base_url and not args.judge_model:
        parser.error("--base-url needs --judge-model")
    args.no_call_reply = check_no_call_reply(args.no_call_reply)
    inputs = {os.path.abspath(path) for path in args.dataset or [] if os.path.exists(path)}
    if args.output and os.path.abspath(args.output) in inputs:
        parser.error("--output must not overwrite an input dataset")
    return args


def coverage_warnings(report: DatasetReport, tools: list[dict], min_per_value: int) -> tuple[dict, dict, dict, list]:
    """Counts per tool and per value over all valid rows (no-call rows apart), the uncovered values, and warnings."""
    values = enum_values(tools)
    functions = tools_by_name(tools)
    calls = [example.call for example in report.parsed if example.call is not None]
    tool_counts = Counter(call.name for call in calls)
    label_counts = Counter(routing_label(call, tools) for call in calls)

    def rows_of(name: str, value: str) -> int:
        return label_counts[routing_label(Call.make(name, {routing_argument(functions[name]): value}), tools)]

    value_counts = {name: {value: rows_of(name, value) for value in allowed} for name, allowed in values.items()}
    uncovered = {name: [value for value in allowed if not value_counts[name][value]]
                 for name, allowed in values.items()}
    uncovered = {name: missing for name, missing in uncovered.items() if missing}
    warnings = []
    for duplicate in report.duplicates:
        warnings.append(f"{duplicate['line']}: {duplicate['kind']} duplicate of {duplicate['duplicate_of']} "
                        f"({duplicate['message']!r}); dropped from training")
    for name, missing in uncovered.items():
        warnings.append(f"{name}: no rows for value(s) {', '.join(missing)}: the model can never learn them")
    for name, allowed in values.items():
        few = [f"{value} ({value_counts[name][value]})" for value in allowed
               if 0 < value_counts[name][value] < min_per_value]
        if few:
            warnings.append(f"{name}: fewer than {min_per_value} rows for {', '.join(few)}")
    counts = [tool_counts[name] for name in values]
    median = statistics.median(counts) if counts else 0
    for name in values:
        if tool_counts[name] < median / 4:
            warnings.append(f"{name}: {tool_counts[name]} rows, far below the median of {median:g} per tool")
    no_call = no_call_warning(report.parsed)
    if no_call:
        warnings.append(no_call)
    tool_table = {name: tool_counts[name] for name in values}
    value_table = {name: {value: value_counts[name][value] for value in allowed} for name, allowed in values.items()}
    return tool_table, value_table, uncovered, warnings


def suspect_rows(report: DatasetReport, tools: list[dict]) -> list[dict]:
    """Valid rows that look like free accuracy rather than speech (see `_data.suspect_reason`)."""
    found = []
    for example in report.parsed:
        reason = suspect_reason(example.message, tools)
        if reason:
            found.append({"line": str(example.origin), "message": example.message, "reason": reason})
    return found


def load_tokenizer(source: str):
    try:
        from transformers import AutoTokenizer
        return AutoTokenizer.from_pretrained(source)
    except Exception as error:
        raise DataError(f"--tokenizer {source}: cannot load ({type(error).__name__})") from None


def prompt_size(tools: list[dict], report: DatasetReport, args, tokenizer) -> tuple[PromptLength, list[str]]:
    """The declarations' and the longest row's tokens (exact with --tokenizer, else estimated); exit 2
    when they cannot fit the model's context (its config.json's with --tokenizer MODEL, else
    FunctionGemma's), a warning above PROMPT_WARNING_TOKENS."""
    length = prompt_length(tools, report.parsed, args.no_call_reply, tokenizer)
    context, where = model_context(args.tokenizer) if args.tokenizer else (None, "")
    limit_name = (f"the model's context (max_position_embeddings in {where})" if context
                  else f"the context of {DEFAULT_MODEL}")
    check_prompt_fits(length, context or DEFAULT_MODEL_CONTEXT, limit_name, args.tools or "bundled tools")
    about = "" if length.exact else "about "
    warnings = []
    if length.total > PROMPT_WARNING_TOKENS:
        warnings.append(f"the tool declarations and the longest row take {about}{length.total:,} tokens, more than "
                        f"{PROMPT_WARNING_TOKENS:,} (export_litertlm.py's default --kv-cache-max-len): the phone "
                        "prefills the declarations for every request; declare fewer tools or shorter descriptions, "
                        "or export with a larger --kv-cache-max-len")
    return length, warnings


def measure_tokens(tokenizer, tools: list[dict], report: DatasetReport,
                   max_length: int | None, no_call_reply: str, tools_origin: str) -> dict:
    """Rendered length of every valid example; rows over max_length become errors."""
    if report.examples:
        check_chat_template(tokenizer, tools, report.examples[0], strict=False)
    for example, problem in check_special_tokens(tokenizer, tools, report.parsed, no_call_reply, tools_origin,
                                                 raise_for_rows=False):
        report.errors.append(RowError(example.origin, problem))
    lengths = []
    for example in report.parsed:
        prompt, completion = tokenize_example(tokenizer, tools, example, no_call_reply)
        lengths.append(len(prompt) + len(completion))
        if max_length and lengths[-1] > max_length:
            report.errors.append(RowError(example.origin, f"{lengths[-1]} tokens, longer than --max-length "
                                          f"{max_length}: it would be truncated in training"))
    return {"max_tokens": max(lengths, default=0), "min_tokens": min(lengths, default=0)}


def judge_rows(examples: list[Example], tools: list[dict], args) -> dict:
    """Every valid row read blind by --judge-model (the generators' judge request, retried like theirs);
    the rows whose label it reads otherwise. A message is asked about once."""
    from tqdm.auto import tqdm
    check_request_arguments(args)
    judge = openai_connect(args.base_url or ROUTER_URL, args.judge_model, args.timeout)
    budget = FailureBudget(args.max_failures, args.retry_delay, random.Random(0))
    answers, disagreements = {}, []
    try:
        for example in tqdm(examples, unit="row", desc="judging"):
            if example.message not in answers:
                answers[example.message] = judge_label(judge, example.message, tools, budget)
            label = routing_label(example.call, tools)
            if answers[example.message] != label:
                disagreements.append({"line": str(example.origin), "message": example.message, "label": label,
                                      "judge": answers[example.message]})
    except GenerationStopped as error:
        raise DataError(f"--judge-model {args.judge_model}: {error}") from None
    return {"model": args.judge_model, "rows": len(examples), "requests": len(answers) + budget.total,
            "disagreements": disagreements}


def print_judgement(judged: dict) -> None:
    disagreeing = judged["disagreements"]
    share = len(disagreeing) / judged["rows"] if judged["rows"] else 0
    print(f"judge {judged['model']}: {judged['rows']} rows read blind, {len(disagreeing)} read otherwise "
          f"({percent(share)})")
    for row in disagreeing:
        print(f"  {row['line']}: labelled {row['label']}, the judge reads {row['judge']} ({row['message']!r})")


def push_splits(repo: str, examples: list[Example], tools: list[dict], test_fraction: float, seed: int,
                public: bool) -> None:
    """The valid rows as train.csv / test.csv (the Hub reads them as the train and test splits)."""
    import tempfile
    train, test = split_examples(examples, tools, test_fraction, seed)
    with tempfile.TemporaryDirectory() as folder:
        files = {name: os.path.join(folder, name) for name in ("train.csv", "test.csv")}
        write_examples_csv(files["train.csv"], train)
        write_examples_csv(files["test.csv"], test)
        push_to_hub(files, repo, "validate_functiongemma_dataset.py: valid rows", repo_type="dataset",
                    private=not public)
    print(f"pushed {len(train)} train / {len(test)} test rows to https://huggingface.co/datasets/{repo}"
          f" ({'public' if public else 'private'})")


def print_report(result: dict, errors: list[RowError]) -> None:
    print(f"{result['rows']} rows, {result['valid_rows']} valid, {result['unique_examples']} unique "
          f"examples, {len(result['errors'])} errors, {len(result['warnings'])} warnings")
    for name, count in result["tool_counts"].items():
        values = ", ".join(f"{value} {n}" for value, n in result["value_counts"][name].items())
        print(f"  {name:24} {count:5}   {values}")
    share = result["no_call_rows"] / result["valid_rows"] if result["valid_rows"] else 0
    print(f"  {NO_CALL_LABEL:24} {result['no_call_rows']:5}   {percent(share)} of the valid rows (tool_calls [])")
    near = result["near_misses"]
    print(f"near misses per tool (no-call rows most like its call rows, similarity >= {near['similarity']:g}):")
    for name, counts in near["tools"].items():
        boundaries = ", ".join(f"{boundary} {n}" for boundary, n in counts["by_boundary"].items())
        print(f"  {name:24} {counts['near_misses']:5}   of {counts['call_rows']} call rows"
              + (f"; {boundaries}" if boundaries else ""))
    size = result["prompt_tokens"]
    about = "" if size["exact"] else "about "
    print(f"rendered prompt: {about}{size['declarations']:,} tokens of tool declarations, {about}{size['longest_row']:,} "
          f"more for the longest row, {about}{size['total']:,} in all ("
          + ("exact, --tokenizer" if size["exact"] else
             f"estimated at {CHARS_PER_TOKEN} characters a token; --tokenizer counts exactly") + ")")
    if "max_tokens" in result:
        print(f"longest rendered example: {result['max_tokens']} tokens "
              f"(--max-length {result['max_tokens']} fits every row)")
    for warning in result["warnings"]:
        print(f"warning: {warning}")
    for error in errors:
        print(f"error: {error}")


def main(argv=None) -> int:
    require(REQUIREMENTS)
    args = parse_args(argv)
    if args.output_repo:
        check_push_target(args.output_repo, repo_type="dataset", private=not args.public)
    tools = load_tools(args.tools)
    rows = []
    for source in args.dataset or [BUNDLED]:
        rows.extend(read_dataset_rows(source))
    report = check_dataset(rows, tools)
    tokenizer = load_tokenizer(args.tokenizer) if args.tokenizer else None
    length, warnings = prompt_size(tools, report, args, tokenizer)
    tool_counts, value_counts, uncovered, coverage = coverage_warnings(report, tools, args.min_per_value)
    warnings += coverage
    shortcuts = shortcut_report([example.message for example in report.examples if example.call is not None],
                                [example.message for example in report.examples if example.call is None])
    warnings += shortcuts["warnings"]
    boundary = boundary_report(report.examples, tools)
    warnings += boundary["warnings"]
    suspect = suspect_rows(report, tools)
    warnings += [f"{row['line']}: suspect row, {row['reason']} ({row['message']!r})" for row in suspect]
    token_stats = (measure_tokens(tokenizer, tools, report, args.max_length, args.no_call_reply,
                                  args.tools or "bundled tools") if args.tokenizer else {})
    judged = judge_rows(report.parsed, tools, args) if args.judge_model else None
    result = {
        "datasets": args.dataset or [BUNDLED],
        "rows": report.rows,
        "valid_rows": len(report.parsed),
        "unique_examples": len(report.examples),
        "errors": [error.to_json() for error in report.errors],
        "warnings": warnings,
        "tool_counts": tool_counts,
        "no_call_rows": sum(example.call is None for example in report.parsed),
        "surface_shares": {kind: shortcuts[kind] for kind in ("call_rows", "no_call_rows")},
        "value_counts": value_counts,
        "near_misses": boundary,
        "uncovered_values": uncovered,
        "duplicates": report.duplicates,
        "suspect": suspect,
        "conflicts": report.conflicts,
        "prompt_tokens": length.to_json(),
        **token_stats,
    }
    if judged:
        result["judge"] = judged
    print_report(result, report.errors)
    if judged:
        print_judgement(judged)
    if args.json:
        write_json_report(args.json, result)
    kept = report.examples
    if args.drop_suspect:
        kept = [example for example in kept if not suspect_reason(example.message, tools)]
    if args.output:
        write_examples_csv(args.output, kept)
        dropped = f" ({len(report.examples) - len(kept)} suspect rows left out)" if args.drop_suspect else ""
        print(f"wrote {len(kept)} valid, de-duplicated rows to {args.output}{dropped}")
    if report.errors:
        return 1
    if args.output_repo:
        push_splits(args.output_repo, kept, tools, args.test_split, args.seed, args.public)
    return 0


# --- begin _cli.py (vendored: what this script uses of it; edit _cli.py, then run python dev/sync_vendored.py) ---
"""The command line every script shares: one parser, the shared flags, one-line errors, exit codes,
JSON reports, installed versions, the Hub token and the one Hub upload.

Single source: scripts carry a copy between `# --- begin _cli.py` / `# --- end _cli.py` marker
lines; edit this file, then run `python dev/sync_vendored.py`. Standard library only.
"""

import argparse
import json
import operator
import os
import re
import sys

EXIT_CODES = {0: "done", 2: "bad usage or unreadable input (one line on stderr)", 130: "interrupted (Ctrl-C)"}
# Said above every `hf jobs uv run` line: what a Job writes to its own disk is gone when it ends.
JOB_NOTE = "In a Hugging Face Job (cloud hardware; its disk vanishes when it ends):"


class DataError(ValueError):
    """Bad user input (tools file, dataset, flags). Scripts print it as one line and exit 2."""


class OneLineParser(argparse.ArgumentParser):
    """Flag errors become a DataError: one line on stderr, exit 2, no usage dump."""

    def error(self, message):
        raise DataError(f"{message} (see --help)")


def script_parser(script: str, doc: str, *, exit_codes: dict[int, str], job: str) -> OneLineParser:
    """The parser every script starts from. --help shows the docstring's first paragraph, then
    the rest of it, the exit codes and a ready `hf jobs uv run` line (`job`: its flags and
    arguments, e.g. "--flavor t4-small --secrets HF_TOKEN -- --dataset USER/DATA")."""
    summary, _, details = doc.strip().partition("\n\n")
    codes = dict(sorted({**EXIT_CODES, **exit_codes}.items()))
    job_flags, _, job_arguments = job.partition("-- ")
    epilog = "\n".join([
        details.rstrip(), "",
        "Exit codes:", *(f"  {code:<4} {meaning}" for code, meaning in codes.items()), "",
        JOB_NOTE, f"  hf jobs uv run {job_flags}{script} -- {job_arguments}",
    ])
    # allow_abbrev=False: an abbreviation could silently mean another flag (--seed for --seeds)
    return OneLineParser(prog=script, description=summary, epilog=epilog, allow_abbrev=False,
                         formatter_class=argparse.RawDescriptionHelpFormatter)


def output_file(path: str) -> str:
    """argparse type of a file a script writes: its folder must exist, so a long run never fails at the end."""
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise argparse.ArgumentTypeError(f"{path} is a folder, expected a file name")
    if not os.path.isdir(folder):
        raise argparse.ArgumentTypeError(f"{path}: the folder {folder} does not exist")
    return path


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid int value: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def add_data_arguments(parser, *, max_examples: str | None = None, split: bool = False, from_model: bool = False,
                       resplit: bool = True):
    """The data flags every script spells and means the same way; returns the group for more.

    --seed and --test-split select the shared held-out split, identical in every script given
    the same datasets; `max_examples` is the help of --max-examples (None: no such flag); `split`
    adds --split (which side of that split to use); `from_model` is for scripts reading a trained
    model (evaluate, export): the data, tools, seed and test fraction default to the model's
    training record, and --allow-train-rows is offered; `resplit` adds --resplit."""
    model_default = "the model's {}, else " if from_model else ""
    group = parser.add_argument_group("data")
    group.add_argument("--dataset", action="append", metavar="CSV_OR_HUB_ID",
                       help="CSV path, CSV URL or Hub dataset id; repeat to merge "
                            f"(default: {model_default.format('heldout.csv')}bundled seeds)")
    group.add_argument("--tools", metavar="JSON", help="tools JSON file or https URL "
                       f"(default: {model_default.format('tools.json')}bundled cycling-copilot tools)")
    if split:
        group.add_argument("--split", choices=("test", "train", "all"), default="test",
                           help="rows to use (default test: the held-out split training never sees)")
    group.add_argument("--test-split", type=float, default=None if from_model else 0.1, metavar="FRACTION",
                       help="held-out fraction of the shared split, the same in every script "
                            f"(default {model_default.format('one')}0.1)")
    group.add_argument("--seed", type=int, default=None if from_model else 42, metavar="N",
                       help="seed of the shared held-out split, the same in every script "
                            f"(default {model_default.format('one')}42)")
    if resplit:
        group.add_argument("--resplit", action="store_true",
                           help="split a Hub dataset that has its own test split by --seed/--test-split instead")
    if from_model:
        group.add_argument("--allow-train-rows", action="store_true",
                           help="use --dataset rows even if the model was trained on them")
    if max_examples:
        group.add_argument("--max-examples", type=positive_int, metavar="N", help=max_examples)
    return group


def add_json_argument(parser, what: str) -> None:
    parser.add_argument("--json", type=output_file, metavar="PATH", help=f"write {what} as JSON to this file")


def add_public_argument(parser) -> None:
    parser.add_argument("--public", action="store_true",
                        help="push to a public Hub repo (default: a new repo is private, an existing public one is refused)")


def write_json_report(path: str, data) -> None:
    """Every JSON file the scripts write (the --json reports, training's config and metrics):
    indented UTF-8; an unwritable path is one line."""
    try:
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2, ensure_ascii=False)
            handle.write("\n")
    except OSError as error:
        raise DataError(f"{path}: cannot write ({error.strerror or error})") from None


def percent(value: float | None) -> str:
    """A rate as a percentage; "n/a" when it was not measured (e.g. no rows of that kind)."""
    return "n/a" if value is None else f"{100 * value:.1f}%"


def run_main(main, argv=None) -> int:
    """Run `main(argv)`: DataError becomes one line on stderr and exit code 2.

    argv=None reads sys.argv, except in a notebook kernel, whose argv belongs to the kernel;
    there the code is returned instead of exiting the kernel."""
    in_notebook = "ipykernel" in sys.modules
    if argv is None:
        argv = [] if in_notebook else sys.argv[1:]
    try:
        code = main(argv) or 0
    except DataError as error:
        print(f"error: {error}", file=sys.stderr)
        code = 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        code = 130
    if in_notebook:
        return code
    sys.exit(code)


# Two-character operators first: ">=" must not be read as ">".
_COMPARISONS = {">=": operator.ge, "<=": operator.le, "==": operator.eq, "!=": operator.ne,
                ">": operator.gt, "<": operator.lt}


def release(version: str) -> tuple[int, ...]:
    """The numeric release of a version string: "5.24.0.dev0" and "2.13.0+cpu" give (5, 24, 0) and
    (2, 13, 0). Pre-release and local tags are ignored, so a development build counts as its release."""
    match = re.match(r"\d+(\.\d+)*", version.strip())
    if not match:
        raise ValueError(f"not a version: {version!r}")
    return tuple(int(part) for part in match.group().split("."))


def version_allowed(installed: str, specifier: str) -> bool:
    """Whether `installed` satisfies a PEP 440-style specifier such as ">=0.10,<0.11" ("" allows any)."""
    have = release(installed)
    for clause in filter(None, (part.strip() for part in specifier.split(","))):
        symbol = next((symbol for symbol in _COMPARISONS if clause.startswith(symbol)), None)
        if symbol is None:
            raise ValueError(f"unsupported version specifier {clause!r}")
        want = release(clause[len(symbol):])
        width = max(len(have), len(want))  # 5.24 == 5.24.0
        if not _COMPARISONS[symbol](have + (0,) * (width - len(have)), want + (0,) * (width - len(want))):
            return False
    return True


def require(requirements: dict[str, str]) -> None:
    """Stop with one line unless every distribution is installed in a version its specifier allows.

    `uv run` installs what a script's PEP 723 header declares; a script pasted into a notebook
    or run by another environment's python gets whatever is there, and an older library can
    fail deep inside or, worse, silently compute something else. Each script calls this first
    with its header's requirements ({"transformers": ">=5.24", ...})."""
    from importlib.metadata import PackageNotFoundError, version

    problems, needed = [], []
    for name, specifier in requirements.items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            installed = None
        if installed is None or not version_allowed(installed, specifier):
            problems.append(f"{name} {installed} is installed" if installed else f"{name} is not installed")
            needed.append(f"{name}{specifier}")
    if problems:
        raise DataError(f"{', '.join(problems)}; this script needs {', '.join(needed)}: "
                        "pip install -U " + " ".join(f"'{item}'" for item in needed))


def hf_token() -> str | None:
    """HF_TOKEN from the environment or the cached `hf auth login`; never printed."""
    token = os.environ.get("HF_TOKEN")
    if token:
        return token
    try:
        from huggingface_hub import get_token
    except ImportError:
        return None
    return get_token()


def _one_line(error: Exception) -> str:
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0] if lines else ''}"


def read_local_bytes(path: str) -> bytes:
    """A local file's bytes; missing or unreadable is one line."""
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as error:
        raise DataError(f"{path}: cannot read ({error.strerror or error})") from None


def check_push_target(repo: str, *, repo_type: str = "model", private: bool = True) -> bool:
    """Before a long run: a token, and a repo that is new, or private, or public with --public.
    Returns whether it exists; one line otherwise."""
    from huggingface_hub import HfApi
    from huggingface_hub.errors import RepositoryNotFoundError
    token = hf_token()
    if not token:
        raise DataError(f"pushing to {repo} needs a Hugging Face token (HF_TOKEN or `hf auth login`)")
    try:
        info = HfApi(token=token).repo_info(repo, repo_type=repo_type)
    except RepositoryNotFoundError:
        return False
    except Exception as error:  # network, auth: before any work is done
        raise DataError(f"cannot check the Hub repo {repo} ({_one_line(error)})") from None
    if private and not info.private:
        raise DataError(f"{repo} is a public repo: pass --public to push to it, or make it private first")
    return True


def push_to_hub(files: dict, repo: str, message: str, *, repo_type: str = "model", private: bool = True,
                replace: str | None = None) -> str:
    """Upload exactly `files` (path in the repo -> local file path or bytes) to `repo` in one commit.

    The one Hub upload of the toolkit: a missing repo is created private unless private=False,
    an existing public repo is refused unless private=False, the files under `replace` (a folder of
    the repo) that `files` does not list are deleted in the same commit, and a file holding the
    token is never sent. Any failure is one line."""
    from huggingface_hub import CommitOperationAdd, CommitOperationDelete, HfApi
    token = hf_token()
    for path_in_repo, source in files.items():
        if token and token.encode() in (source if isinstance(source, bytes) else read_local_bytes(source)):
            raise DataError(f"refusing to upload {path_in_repo}: it contains the Hugging Face token")
    api = HfApi(token=token)
    try:
        url = api.create_repo(repo, repo_type=repo_type, private=private, exist_ok=True)
        check_push_target(repo, repo_type=repo_type, private=private)
        stale = [path for path in (api.list_repo_files(repo, repo_type=repo_type) if replace else [])
                 if path.startswith(replace.rstrip("/") + "/") and path not in files]
        operations = [CommitOperationDelete(path) for path in stale]
        operations += [CommitOperationAdd(path, source) for path, source in files.items()]
        api.create_commit(repo, operations, commit_message=message, repo_type=repo_type)
    except DataError:
        raise
    except Exception as error:  # network, auth, quota: one line, the local copy stays
        raise DataError(f"push to {repo} failed ({_one_line(error)})") from None
    print(f"pushed {len(files)} file(s) to {url}", file=sys.stderr)
    return str(url)
# --- end _cli.py ---


# --- begin _bundled.py (vendored: what this script uses of it; edit _bundled.py, then run python dev/sync_vendored.py) ---
"""The bundled cycling-copilot tools and seeds, generated from cycling-copilot-tools.json and
cycling-copilot-seeds.csv by dev/sync_vendored.py: edit those files, never this one."""

BUNDLED_TOOLS_JSON = r'''[
  {
    "type": "function",
    "function": {
      "name": "get_ride_status",
      "description": "Current ride numbers: speed, distance, elevation, battery or elapsed time.",
      "parameters": {
        "properties": {
          "query": {
            "description": "Which number; all for a summary.",
            "enum": ["all", "speed", "distance", "elevation", "battery", "time"],
            "type": "string"
          }
        },
        "required": [
          "query"
        ],
        "type": "object"
      }
    }
  },
  {
    "type": "function",
    "function": {
      "name": "get_segment_ahead",
      "description": "The upcoming stretch of the planned route: climbs, turns, surface.",
      "parameters": {
        "properties": {
          "query": {
            "description": "How far ahead to look.",
            "enum": ["5km", "10km", "20km", "next_section"],
            "type": "string"
          }
        },
        "required": [
          "query"
        ],
        "type": "object"
      }
    }
  },
  {
    "type": "function",
    "function": {
      "name": "get_weather_forecast",
      "description": "Weather here now, later along the route, or the wind.",
      "parameters": {
        "properties": {
          "query": {
            "description": "current here, ahead on the route, or wind.",
            "enum": ["current", "ahead", "wind"],
            "type": "string"
          }
        },
        "required": [
          "query"
        ],
        "type": "object"
      }
    }
  },
  {
    "type": "function",
    "function": {
      "name": "find_nearby_poi",
      "description": "Find a nearby place to stop.",
      "parameters": {
        "properties": {
          "query": {
            "description": "Kind of place.",
            "enum": ["water", "cafe", "food", "bike_shop", "rest_area", "shelter", "any"],
            "type": "string"
          }
        },
        "required": [
          "query"
        ],
        "type": "object"
      }
    }
  },
  {
    "type": "function",
    "function": {
      "name": "get_route_alternatives",
      "description": "Re-route the ride with a constraint.",
      "parameters": {
        "properties": {
          "query": {
            "description": "What the new route should favour.",
            "enum": ["flatter", "shorter", "paved", "scenic", "sheltered", "avoid_main_roads"],
            "type": "string"
          }
        },
        "required": [
          "query"
        ],
        "type": "object"
      }
    }
  },
  {
    "type": "function",
    "function": {
      "name": "get_rider_profile",
      "description": "The rider's usual fitness level and riding preferences.",
      "parameters": {
        "properties": {
          "query": {
            "description": "fitness, preferences, or all.",
            "enum": ["fitness", "preferences", "all"],
            "type": "string"
          }
        },
        "required": [
          "query"
        ],
        "type": "object"
      }
    }
  }
]
'''
BUNDLED_SEEDS_CSV = r'''"user_message","tool_calls","boundary"
"speedo reading?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"How quick am I rolling at the moment","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"¿Qué velocidad llevo en este llano?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"velocidad actual","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"Feels like I'm crawling on this drag, what's my speed","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"Am I holding 30 km/h on the flat or not?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"km covered so far","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"¿Cuántos kilómetros llevo?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"How many miles have I put in since we left","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"distance done","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"Dime la distancia recorrida hasta ahora","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"Hey, quick one, how far have I ridden since leaving the house?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"What altitude are we at","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"How high up am I right now?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"¿A qué altitud estamos?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"altitud","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"How many metres of climbing have I done on this ride","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"elevation gained so far","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"Is my e-bike going to die before home?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"nivel de batería del motor","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"How much juice is left in the motor?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"charge left on the e-bike?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"¿Me queda carga suficiente en la batería?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"Should I drop to eco mode? How's the charge looking","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"How long have I been in the saddle today","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"elapsed time","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"¿Cuánto tiempo llevo pedaleando?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"How many hours have we been out?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"Tiempo transcurrido de la salida","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"What's the clock on this ride so far?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"Give me the full rundown of this ride","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]",""
"stats","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]",""
"Resumen de la salida, por favor","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]",""
"Read me all my ride numbers: speed, distance, the lot","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]",""
"¿Cómo va la ruta en general? Dame todos los datos","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]",""
"Quick overview of today's ride so far","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]",""
"What's the next 5k like","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"5k ahead?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"¿Qué hay en los próximos cinco kilómetros?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"Anything tricky within the next five km?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"Show me the road for the coming 5 km","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"Próximos 5 km: ¿subida o bajada?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"10 km preview","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"What's coming in the next ten kilometres","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"10k ahead?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"Describe the next 10 km of the route, turns and surface","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"¿Cómo son los próximos diez kilómetros?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"Qué me espera en los siguientes 10 km","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"Anything nasty in the next twenty kilometres?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"20k ahead?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"Give me the big picture for the next 20 km","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"Is there a long climb somewhere in the next 20km?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"¿Qué me espera en los próximos 20 kilómetros?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"Avance de los siguientes veinte km de la ruta","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"¿Qué viene en el próximo tramo?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"What comes after this descent?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"next section?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"Is the next bit gravel or tarmac?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"Any sharp turns on the upcoming stretch?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"Cómo es el siguiente segmento","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"¿Hace frío aquí ahora mismo?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"How cold is it out here right now?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"conditions right here?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"Is it actually raining here or is that just spray off the road?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"Temperatura ahora mismo","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"What's the weather doing where I am at the moment","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"Will I get soaked later on the route?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"Any storms further along the route this afternoon?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"weather ahead","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"¿Va a llover más adelante en la ruta?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"Should I keep the rain jacket handy for the second half of the ride?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"El pronóstico para el resto del recorrido","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"what's the wind doing","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"Which way is the wind blowing?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"How strong are the gusts today?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"¿De dónde sopla el viento?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"viento","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"Will I have a tailwind on the way back?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"I'm out of water","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"agua","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"Where can I refill my bottles?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"Fountain nearby?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"Necesito rellenar los bidones","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"So thirsty, is there a tap anywhere close","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"Espresso stop nearby?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"Café cerca","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"Find me a coffee shop for a quick cortado","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"Could murder a flat white right now","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"¿Hay alguna cafetería por aquí?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"cafe stop","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"I'm starving","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"I'm bonking, I need real food, not gels","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"Where can I grab a proper lunch?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"comida","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"Tengo hambre, ¿dónde puedo comer algo?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"Somewhere to eat a sandwich around here?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"My derailleur just snapped","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"My chain snapped","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"Se me ha roto un radio, necesito un taller","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"nearest bike mechanic","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"I need a new inner tube and I've already used my spare","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"Pinché y no llevo cámara de repuesto","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"Somewhere to sit down for ten minutes?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"rest stop","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"Need a bench to stretch my back","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"área de descanso más cercana","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"¿Dónde puedo parar a descansar un rato?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"Find a picnic spot where I can lie down for a bit","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"It's hailing, I need cover now","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"storm shelter nearby","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"Where can I get under a roof until the storm passes?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"Lightning's close, I need somewhere to hide","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"Está diluviando, ¿dónde me puedo refugiar?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"Un refugio cerca, rápido","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"Any place at all to stop around here?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]",""
"Whatever's closest, I just need to stop","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]",""
"What's nearby?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]",""
"points of interest near me","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]",""
"¿Qué hay cerca para parar?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]",""
"Cualquier sitio para parar me vale","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]",""
"My legs are cooked, avoid the hills","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"flatter route","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"No more climbing today please","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"Quiero una ruta sin tanto desnivel","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"Evita las cuestas, estoy reventado","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"Find me a way back with less climbing","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"Cut the ride short, I need to get back","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"shortcut?","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"Running late, trim some kilometres off the route","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"Atajo","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"Busca una ruta más corta, tengo prisa","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"I'm losing daylight, give me a shorter loop","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"No more gravel, tarmac only","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"paved roads only","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"Keep me on asphalt, I'm on skinny tyres","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"Solo asfalto, por favor","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"Sácame de esta pista de tierra","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"This dirt track is shaking my bike apart, find smooth road","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"Take me somewhere pretty","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"scenic route","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"Route me along the coast for the views","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"Ruta bonita","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"Llévame por un camino con buenas vistas","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"I'm in no hurry, show me the nicest roads","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"Route me out of this headwind","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]",""
"sheltered route please","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]",""
"Find a route that's protected from the wind","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]",""
"Llévame por un camino más resguardado del viento","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]",""
"Take the road through the woods, out of these crosswinds","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]",""
"Cambia la ruta, este viento lateral me está matando","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]",""
"Quiero evitar las carreteras principales","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"Too many lorries here, get me off the main road","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"quiet roads only","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"Route me around the highway","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"Sin carreteras nacionales","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"These cars are passing scary close, find me back lanes","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"How fit am I these days?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"What's my FTP?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"¿Cuál es mi nivel de forma?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"fitness level","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"Am I in better shape than last month?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"¿Cómo ando de forma últimamente?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"What kind of rides do I usually like?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"my preferences","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"Do I prefer road or gravel?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"What distance and terrain do I normally go for?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"¿Qué tipo de rutas prefiero?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"Mis preferencias de ruta","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"Muéstrame mi perfil completo de ciclista","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"Tell me everything you know about me as a cyclist","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"full rider profile","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"Who am I as a rider? Fitness, likes, everything","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"Resumen de mi perfil: forma física y gustos","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"Load my whole profile","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"uh how fast am i going right now","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"whats my speed on this bit?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"hey copilot how quick are we rolling","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"oye a cuánto voy","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"¿qué velocidad llevo ahora?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"vale pues dime a qué velocidad voy","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"what speed am i doing now","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"¿A cuántos kilómetros por hora voy?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"how many k have i done?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"um how far have we come so far","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"¿cuántos km llevamos?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"cuántos kilómetros llevo hoy","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"How much distance have I covered today?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"eh cuánta distancia llevo hecha","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"how much climbing have i done","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"whats the altitude here?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"cuánto desnivel llevo acumulado","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"a ver a qué altura estamos","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"how high are we above sea level","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"What's my total climbing for today?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"a qué altitud voy ahora","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"uh hows the battery doing","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"how much charge is left in the motor","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"¿cuánta batería me queda?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"oye la batería me llega hasta casa","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"What percentage is the e-bike battery on?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"cuánta carga le queda al motor","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"how long have we been riding?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"hey copilot how long have i been out today","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"¿cuánto rato llevo en la bici?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"eh cuántas horas llevamos rodando","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"how long since we set off","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"¿Cuánto tiempo llevamos fuera de casa?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"Hey copilot, what's my ride time so far?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"give me all my numbers","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]",""
"uh quick summary of the ride so far","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]",""
"dame un resumen de cómo voy","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]",""
"oye léeme todos los datos de la salida","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]",""
"Read out all my ride data.","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]",""
"Dame todas las cifras de la salida.","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]",""
"whats the next five k look like?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"uh anything hard in the next 5 km","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"¿qué me espera en los próximos cinco km?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"oye cómo son los siguientes cinco kilómetros","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"whats coming up in the next 5k","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"¿Cómo es la carretera en los próximos 5 km?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"Is the next five kilometres mostly uphill?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"what have i got in the next ten k","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"hey copilot preview the next 10 km","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"qué me toca en los próximos diez km","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"cómo viene la ruta en los siguientes 10 km","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"What does the route do over the next 10 kilometres?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"oye qué hay en los siguientes diez kilómetros","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"whats the road like for the next twenty k","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"um any big climbs in the next 20 km","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"¿qué perfil tienen los próximos 20 km?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"oye hay algún puerto en los próximos veinte kilómetros","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"show me the next twenty kilometres of the route","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"¿Hay alguna subida fuerte en los próximos veinte kilómetros?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"whats after this bit?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"uh is the next stretch gravel","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"qué viene después de esta bajada","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"oye cómo es el siguiente tramo","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"any turns coming up on this next part","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"What's the surface like on the upcoming stretch?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"What does the road do after this village?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"cómo es el tramo que viene","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"hows the weather right here","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"is it cold out right now?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"¿qué tiempo hace aquí?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"oye qué temperatura hace ahora","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"What's it like outside right now, weather-wise?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"cómo está el cielo aquí ahora mismo","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"um whats the weather like here at the moment","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"is it going to rain later on","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"hey copilot any rain further along","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"¿va a llover luego en la ruta?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"vale pues qué tiempo me espera más adelante","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"Is the weather going to turn later along the route?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"qué tiempo hará en la segunda mitad de la ruta","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"hows the wind?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"uh which way is the wind coming from","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"¿cómo sopla el viento?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"oye cuánto viento hace hoy","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"is there much wind today","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"¿Qué fuerza tiene el viento hoy?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"Is the wind picking up or dying down?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"uh wheres the nearest tap","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"need to fill my bottles","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"¿dónde hay una fuente?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"oye necesito agua","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"Both bottles are empty, any fountains around?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"¿Hay algún grifo de agua potable cerca?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"wheres a good coffee stop?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"hey copilot find me a cafe","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"hay algún bar para tomar un café","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"oye me tomaría un cortado por aquí","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"Is there a coffee place around here?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"busca una cafetería cerca","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"hey copilot i fancy a cappuccino somewhere close","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"i need something to eat","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"uh anywhere to get a sandwich","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"¿dónde puedo comer algo?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"vale pues busca sitio para comer","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"Where's the nearest place to get a proper meal?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"busca un restaurante por aquí","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"Oye, ¿hay algún sitio para comer un bocadillo?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"i need a bike shop","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"uh rear mech is busted find a mechanic","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"necesito un taller de bicis","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"oye se me ha roto la cadena","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"need a mechanic my wheel is buckled","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"¿Hay alguna tienda de bicis cerca? Necesito una cubierta.","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"where can i sit down?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"uh somewhere to rest for a bit","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"¿dónde puedo sentarme un rato?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"busca un sitio para descansar","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"Is there a lay-by or bench where I can take a breather?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"necesito parar a descansar un poco","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"find me somewhere to sit and rest my legs","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"i need to get out of this rain","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"hey copilot somewhere to shelter quick","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"dónde me resguardo de la tormenta","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"oye está granizando busca dónde meterme","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"Where can I wait out this downpour?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"busca algún sitio techado que viene la tormenta","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"anywhere to stop around here?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]",""
"uh whats close by","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]",""
"¿qué hay por aquí cerca?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]",""
"cualquier sitio para parar","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]",""
"what places are around me","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]",""
"¿Qué sitios hay cerca de aquí?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]",""
"get me a way round with fewer hills","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"uh no more big climbs please","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"llévame por lo llano","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"evita las subidas, porfa","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"Can you find a route home that skips the climbs?","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"busca un camino más llano","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"reroute me around that big hill","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"cut it short i need to get home","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"uh whats the quickest way back","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"acorta la ruta","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"vale pues recorta unos kilómetros","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"Can you knock a few kilometres off the ride?","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"venga busca un atajo para volver","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"get me off the gravel","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"uh tarmac only from here","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"sácame de la tierra","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"oye solo carretera asfaltada","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"keep me on smooth tarmac the rest of the way","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"¿Puedes evitar los caminos sin asfaltar?","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"take the pretty way","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"hey copilot route me somewhere with views","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"llévame por el camino más bonito","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"a ver llévame por la costa para ver el paisaje","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"Give me a more beautiful way home, I'm not in a rush.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"quiero una ruta con paisaje","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"route me past the lake for the views","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"uh route me somewhere less windy","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]",""
"take the road through the trees away from the wind","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]",""
"busca una ruta sin tanto viento","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]",""
"oye llévame por donde no pegue el viento","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]",""
"This crosswind is brutal, can you find a more protected road?","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]",""
"oye busca una ruta protegida del viento","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]",""
"take the back roads","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"uh keep me off the busy roads","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"sácame de la nacional","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"vale pues llévame por carreteras secundarias","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"Take me on quieter lanes away from the traffic.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"llévame por caminos con menos tráfico","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"um avoid the big roads from here on","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"hows my fitness looking?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"uh am i getting any fitter","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"¿cómo estoy de forma?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"Oye, ¿qué tal mi forma física?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"how strong am i compared to a few weeks ago","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"¿Estoy en buena forma ahora mismo?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"what do i normally like to ride","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"remind me what kind of routes i like","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"¿qué rutas me suelen gustar?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"oye recuérdame mis preferencias","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"Which kind of terrain do I usually prefer?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"qué tipo de salidas me gustan","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"what sort of roads do i enjoy riding","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"tell me about my rider profile","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"uh pull up my whole profile","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"enséñame mi perfil entero","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"oye qué sabes de mí como ciclista","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"Show me everything in my rider profile.","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"a ver enséñame todo mi perfil","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"Hey copilot, is it windy out there?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"Okay, let's skip the big hills on the way home.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"So, where can I top up my bottles?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"Vale, ¿cuántos kilómetros van ya?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"Bueno, ¿qué viene ahora en la ruta?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"Oye, ¿hay algún sitio para resguardarme de la lluvia?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"Hey, what sort of riding do I like?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"thanks","[]",""
"ok","[]",""
"Cool.","[]",""
"never mind","[]",""
"you're the best","[]",""
"Good morning!","[]",""
"got it","[]",""
"perfect thank you","[]",""
"nice one","[]",""
"alright cheers mate","[]",""
"haha love it","[]",""
"Tell me a joke!","[]",""
"¡Gracias!","[]",""
"vale","[]",""
"¡Buenos días!","[]",""
"genial, gracias","[]",""
"perfecto","[]",""
"eres un crack","[]",""
"de acuerdo","[]",""
"olvídalo","[]",""
"Play some music.","[]",""
"skip this song","[]",""
"Call Ana.","[]",""
"text Mark I'm late","[]",""
"Navigate to 221 Baker Street.","[]",""
"set a timer for ten minutes","[]",""
"wake me up at six tomorrow","[]",""
"Take a photo.","[]",""
"play the next episode of my podcast","[]",""
"turn the volume up","[]",""
"read me my last message","[]",""
"pon algo de rock","[]",""
"Llama a mamá.","[]",""
"manda un mensaje a Pedro que llego tarde","[]",""
"pon un temporizador de cinco minutos","[]",""
"Haz una foto.","[]",""
"siguiente canción","[]",""
"llévame a la calle Mayor 12","[]",""
"pon mi podcast de historia","[]",""
"how many calories have I burned","[]",""
"What's my heart rate?","[]",""
"what's my cadence right now","[]",""
"How many watts am I pushing?","[]",""
"What's the capital of France?","[]",""
"What pressure should I run my tyres at?","[]",""
"any news today","[]",""
"what's the score of the match","[]",""
"how many calories in a banana","[]",""
"Who won the Tour de France last year?","[]",""
"what's today's date","[]",""
"cuántas calorías he quemado","[]",""
"a cuántas pulsaciones voy","[]",""
"qué cadencia llevo","[]",""
"¿Cuántos vatios estoy moviendo?","[]",""
"¿Cuál es la capital de Francia?","[]",""
"¿A qué presión inflo las ruedas?","[]",""
"cómo va el partido","[]",""
"¿Cuántas calorías tiene un plátano?","[]",""
"uh","[]",""
"um so","[]",""
"the the","[]",""
"hey copilot","[]",""
"can you","[]",""
"eh","[]",""
"mmm","[]",""
"what was I","[]",""
"hhh shh","[]",""
"hold on","[]",""
"so uh yeah","[]",""
"is it the","[]",""
"oye","[]",""
"a ver","[]",""
"oye copiloto","[]",""
"puedes","[]",""
"qué era lo que","[]",""
"ehh pues","[]",""
"espera espera","[]",""
"y el el","[]",""
"I already had water.","[]",""
"no need to reroute","[]",""
"the café was great","[]",""
"don't tell me the weather","[]",""
"I don't need a bike shop anymore.","[]",""
"forget the forecast","[]",""
"we already stopped for coffee","[]",""
"no thanks I'll stay on this road","[]",""
"I'm not hungry yet","[]",""
"I love this route!","[]",""
"ya he comido","[]",""
"No hace falta cambiar la ruta.","[]",""
"Ya tengo agua.","[]",""
"El café estaba buenísimo.","[]",""
"no me digas el tiempo","[]",""
"ya no necesito un taller","[]",""
"olvida la previsión","[]",""
"no quiero saber la distancia","[]",""
"nearly there now","[]",""
"That descent was fun!","[]",""
"my legs are cooked","[]",""
"What a view.","[]",""
"last climb done","[]",""
"Made it to the top!","[]",""
"feeling strong today","[]",""
"we're flying on this bit","[]",""
"Great ride so far.","[]",""
"just saw a deer","[]",""
"The sun's finally out.","[]",""
"that was a long climb","[]",""
"This is my favourite stretch.","[]",""
"my knee feels fine today","[]",""
"New personal best on that hill!","[]",""
"i'm really enjoying this","[]",""
"Just crossed the bridge.","[]",""
"we're halfway","[]",""
"uh nearly at the top now","[]",""
"so yeah that descent was fun","[]",""
"okay that was a tough one","[]",""
"Phew, what a climb.","[]",""
"Beautiful morning for it.","[]",""
"the tailwind on that stretch was amazing","[]",""
"ya casi estamos","[]",""
"¡Qué bajada más buena!","[]",""
"tengo las piernas reventadas","[]",""
"Menudas vistas.","[]",""
"ya he coronado el puerto","[]",""
"hoy voy fino","[]",""
"¡Qué gozada de carretera!","[]",""
"vamos volando","[]",""
"llevo un buen ritmo","[]",""
"ha salido el sol","[]",""
"bueno esta subida ha sido durísima","[]",""
"me encanta este tramo","[]",""
"Ya llevamos la mitad.","[]",""
"Acabo de ver un zorro.","[]",""
"¡Qué día más bueno hace!","[]",""
"oye qué bien se rueda hoy","[]",""
"uf qué subida","[]",""
"pues ya hemos pasado lo peor","[]",""
"I already found water.","[]",""
"No need to change the route, thanks.","[]",""
"I don't want a café.","[]",""
"Don't look for a bike shop, I fixed it.","[]",""
"we've already eaten","[]",""
"I don't need the forecast.","[]",""
"I filled my bottles at the last village","[]",""
"The puncture's fixed, all good.","[]",""
"Don't reroute me.","[]",""
"forget the café we'll push on","[]",""
"no I don't want to stop","[]",""
"I've already checked the wind.","[]",""
"we found a place to eat","[]",""
"Cancel the reroute.","[]",""
"Don't tell me my speed, it's depressing.","[]",""
"I don't care about the elevation.","[]",""
"The rain has passed, no need for shelter.","[]",""
"uh no I'm fine for water","[]",""
"hey copilot don't change anything","[]",""
"Ya he encontrado agua.","[]",""
"No quiero parar en un café.","[]",""
"no me busques taller, ya lo he arreglado","[]",""
"ya hemos comido","[]",""
"No cambies la ruta.","[]",""
"no hace falta refugio ya ha parado de llover","[]",""
"vale ya he rellenado los bidones","[]",""
"no me digas la velocidad","[]",""
"ya sé cómo sopla el viento","[]",""
"eh no necesito parar","[]",""
"déjalo, ya no tengo hambre","[]",""
"pues no me interesa el desnivel","[]",""
"vale pues no cambies nada","[]",""
"Play my cycling playlist.","[]",""
"pause the music","[]",""
"Turn on my rear light.","[]",""
"turn off the front light","[]",""
"Start a timer for twenty minutes.","[]",""
"Take a selfie!","[]",""
"record a video","[]",""
"Navigate to 14 Church Lane.","[]",""
"directions to Hyde Park","[]",""
"Send Tom my location.","[]",""
"Answer the call.","[]",""
"Hang up the call.","[]",""
"reply to Sarah on WhatsApp","[]",""
"Remind me to buy inner tubes tonight.","[]",""
"set an alarm for seven","[]",""
"Start recording on Strava.","[]",""
"Read my emails.","[]",""
"Turn the volume down.","[]",""
"shuffle my liked songs","[]",""
"Open Spotify.","[]",""
"What's this song?","[]",""
"add milk to my shopping list","[]",""
"ring my wife","[]",""
"uh play something upbeat","[]",""
"hey copilot call home","[]",""
"okay skip this track","[]",""
"Llama a Javi.","[]",""
"pon música","[]",""
"Para la música.","[]",""
"Enciende la luz trasera.","[]",""
"apaga las luces","[]",""
"Pon una alarma a las siete.","[]",""
"¡Hazme un selfie!","[]",""
"Graba un vídeo.","[]",""
"llévame a la calle Alcalá 40","[]",""
"Manda mi ubicación a Lucía.","[]",""
"Contesta la llamada.","[]",""
"cuelga la llamada","[]",""
"Recuérdame comprar cámaras esta noche.","[]",""
"sube el volumen","[]",""
"oye léeme los correos","[]",""
"abre Spotify","[]",""
"vale pon la radio","[]",""
"¿Qué canción es esta?","[]",""
"Responde a Pablo por WhatsApp.","[]",""
"oye pon algo de música","[]",""
"vale pues llama a mi madre","[]",""
"What's my cadence?","[]",""
"How many watts was that?","[]",""
"what's my average power","[]",""
"Heart rate?","[]",""
"am I in zone two","[]",""
"What gear am I in?","[]",""
"which cog am I on","[]",""
"When's sunset?","[]",""
"how long until it gets dark","[]",""
"How many calories was that climb?","[]",""
"What should my tyre pressure be?","[]",""
"What's the sea temperature today?","[]",""
"how many miles to Madrid from here","[]",""
"What's the weather in Paris?","[]",""
"what's my max heart rate","[]",""
"How's my left right balance?","[]",""
"what time is sunset today","[]",""
"what's the speed limit here","[]",""
"Which gear should I use for this climb?","[]",""
"uh what's my cadence at","[]",""
"hey copilot what's my heart rate doing","[]",""
"um how many calories so far","[]",""
"cadencia media","[]",""
"oye cuántos vatios he hecho en la subida","[]",""
"¿Mis pulsaciones?","[]",""
"¿En qué zona de pulso voy?","[]",""
"qué marcha llevo","[]",""
"¿En qué piñón voy?","[]",""
"¿A qué hora es la puesta de sol?","[]",""
"cuántas calorías llevo","[]",""
"¿A cuánto está el agua del mar?","[]",""
"¿A cuántos kilómetros está Valencia?","[]",""
"oye qué tiempo hace en Bilbao","[]",""
"¿Qué potencia media llevo?","[]",""
"cuál es el límite de velocidad aquí","[]",""
"oye cuántas pulsaciones llevo","[]",""
"eh a qué hora anochece","[]",""
"How do I fix a slipped chain?","[]",""
"how do you patch a tube","[]",""
"What's the capital of Portugal?","[]",""
"who won the Giro this year","[]",""
"What's 17 times 23?","[]",""
"What's the best chain lube?","[]",""
"should I wax my chain","[]",""
"How do I adjust my brakes?","[]",""
"why does my bike creak","[]",""
"What year did the Tour start?","[]",""
"What does bonking mean?","[]",""
"tell me a fun fact","[]",""
"uh how do I change a tube","[]",""
"¿Cómo arreglo una cadena salida?","[]",""
"cómo se parchea una cámara","[]",""
"¿Cuál es la capital de Portugal?","[]",""
"quién ganó la Vuelta el año pasado","[]",""
"a ver qué es una pájara","[]",""
"multiplica ocho por siete","[]",""
"pues cómo se ajustan los frenos","[]",""
"por qué me cruje la bici","[]",""
"oye quién ganó el Tour","[]",""
"Tell Marco to wait at the top.","[]",""
"text my sister I'm running late","[]",""
"tell the group to slow down","[]",""
"Ask Jess if she wants to stop.","[]",""
"let Dad know I'm on my way","[]",""
"Marco, wait up!","[]",""
"hey guys hold on","[]",""
"Let Jo know we'll be late.","[]",""
"tell Mum I'll be home by six","[]",""
"Tell the others I'll catch up.","[]",""
"go on without me","[]",""
"Guys, wait for me at the bridge.","[]",""
"car back","[]",""
"on your left","[]",""
"ask Carla where she parked","[]",""
"Dile a Marco que espere arriba.","[]",""
"oye dile a mi hermana que llego tarde","[]",""
"pregúntale a Lucía si quiere parar","[]",""
"avisa a los demás de que voy detrás","[]",""
"¡Esperadme!","[]",""
"chicos coche detrás","[]",""
"Oye Javi, ¿tienes un gel?","[]",""
"dile a mamá que ya voy para casa","[]",""
"Avisa a Carlos de que llegamos en media hora.","[]",""
"id tirando que ya os pillo","[]",""
"Marta, ¿me pasas el bidón?","[]",""
"¡Cuidado, bache!","[]",""
"wait","[]",""
"Hmm, okay.","[]",""
"what was it","[]",""
"hang on a sec","[]",""
"um where","[]",""
"the the uh","[]",""
"and then","[]",""
"yeah","[]",""
"Sorry?","[]",""
"Hello?","[]",""
"uh huh","[]",""
"what about","[]",""
"one sec","[]",""
"er","[]",""
"Okay so...","[]",""
"espera","[]",""
"eh… bueno","[]",""
"a ver a ver","[]",""
"y luego","[]",""
"pues nada","[]",""
"¿Perdona?","[]",""
"mmm vale","[]",""
"es que","[]",""
"o sea","[]",""
"y el","[]",""
"¿Qué?","[]",""
"pues eso","[]",""
"Thanks a lot!","[]",""
"Cheers.","[]",""
"You're a legend.","[]",""
"how are you","[]",""
"Good night.","[]",""
"sounds good","[]",""
"Are you there?","[]",""
"Can you hear me?","[]",""
"what's your name","[]",""
"Who made you?","[]",""
"I'm bored.","[]",""
"That's wrong.","[]",""
"You're useless.","[]",""
"Thank you so much.","[]",""
"OK, great.","[]",""
"Brilliant.","[]",""
"no thanks","[]",""
"muchas gracias","[]",""
"¿Cómo estás?","[]",""
"¿Me oyes?","[]",""
"¿Cómo te llamas?","[]",""
"buenas noches","[]",""
"Qué majo eres.","[]",""
"Estoy aburrido.","[]",""
"eso está mal","[]",""
"no, nada","[]",""
"venga, gracias","[]",""
"¿Quién te ha hecho?","[]",""
"Cuéntame un chiste.","[]",""
"¡Hasta luego!","[]",""
"How far did I ride last Tuesday?","[]","time"
"what was my top speed on sundays ride","[]","time"
"How long was yesterday's ride?","[]","time"
"cuántos kilómetros hice el sábado","[]","time"
"¿Cuánto desnivel acumulé la semana pasada?","[]","time"
"how much climbing did i do last month","[]","time"
"what altitude is madrid at","[]","place"
"¿A qué altitud está Granada?","[]","place"
"How fast is Marco going?","[]","subject"
"how far has my brother ridden today","[]","subject"
"¿Cuánta batería le queda a la bici de Lucía?","[]","subject"
"cuánto tiempo lleva pedaleando mi hermana","[]","subject"
"Reset my distance to zero.","[]","action"
"share my speed with the group","[]","action"
"guarda los datos de esta salida","[]","action"
"Borra el tiempo de esta salida.","[]","action"
"switch the motor to eco mode","[]","action"
"How much battery does my phone have left?","[]","object"
"hows my phone battery","[]","object"
"¿Cuánta batería le queda al móvil?","[]","object"
"cuánta batería tiene el reloj","[]","object"
"What's the battery on my lights at?","[]","object"
"how much charge is left in my headphones","[]","object"
"whats the pressure in my back tyre","[]","object"
"My speed has been great today.","[]","remark"
"the battery is holding up really well","[]","remark"
"Llevo ya muchísimos kilómetros.","[]","remark"
"hoy voy rapidísimo","[]","remark"
"what's my top speed on this ride","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"How long is today's ride so far?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"cuántos kilómetros he hecho hoy","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"¿Cuánto desnivel he acumulado hoy?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"How much battery does my e-bike have left?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"¿Cuánta batería le queda a mi bici?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"what were the last ten kilometres like","[]","time"
"¿Cómo eran los últimos cinco kilómetros?","[]","time"
"What's the next 20 km of tomorrow's route like?","[]","time"
"qué me espera en los próximos diez km de la ruta del domingo","[]","time"
"how hilly was the stretch we just did","[]","time"
"whats the climb up mont ventoux like","[]","place"
"¿Cómo es la subida al Angliru?","[]","place"
"Describe the next 5 km of the Paris-Roubaix course.","[]","place"
"what does my friends route look like over the next 20 km","[]","subject"
"¿Qué le espera a Lucía en su próximo tramo?","[]","subject"
"Save the next 10 km as a segment.","[]","action"
"share the next twenty k with the group","[]","action"
"marca el siguiente tramo como favorito","[]","action"
"Rate the last section five stars.","[]","action"
"comparte el próximo tramo con el grupo","[]","action"
"whats the next 10 km like for phone signal","[]","object"
"¿Hay cobertura en los próximos veinte kilómetros?","[]","object"
"whats the speed limit on the next 5 km","[]","object"
"The next section looks steep.","[]","remark"
"uf los próximos diez kilómetros son todo subida","[]","remark"
"this next bit is going to hurt","[]","remark"
"Qué ganas de llegar al siguiente tramo.","[]","remark"
"Lovely, 20 km of downhill coming up.","[]","remark"
"what are the next ten kilometres like","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"¿Cómo son los próximos cinco kilómetros?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"What's the next 20 km of today's route like?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"how hilly is the stretch coming up","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"¿Es dura la subida que viene?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"is the next section steep","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"Will it snow on Thursday?","[]","time"
"what was the weather like yesterday","[]","time"
"¿Va a llover mañana?","[]","time"
"qué tiempo hará el fin de semana","[]","time"
"How windy was it this morning?","[]","time"
"will it be windy tomorrow","[]","time"
"What's the weather like in Seville right now?","[]","place"
"is it raining in london","[]","place"
"¿Hace viento en Tarifa?","[]","place"
"qué temperatura hace en madrid ahora","[]","place"
"Is it raining where my wife is?","[]","subject"
"is it cold where my sister lives","[]","subject"
"¿Llueve donde está mi madre?","[]","subject"
"Send the forecast to the group.","[]","action"
"set an alert for when the rain starts","[]","action"
"comparte el pronóstico con lucía","[]","action"
"Guarda la previsión de esta tarde.","[]","action"
"What's the pollen count?","[]","object"
"how high is the uv index right now","[]","object"
"¿Cómo está la calidad del aire?","[]","object"
"a qué hora sube la marea","[]","object"
"how many hours of daylight are left","[]","object"
"It's pouring down now.","[]","remark"
"wow the wind is brutal today","[]","remark"
"menudo calor hace hoy","[]","remark"
"Por fin ha dejado de llover.","[]","remark"
"the rain jacket was a good call","[]","remark"
"will it snow later on the route","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"What's the weather like here right now?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"¿Va a llover luego en el recorrido?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"is it raining here","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"¿Hace viento aquí ahora?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"how windy is it now","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"Where did we stop for coffee last Sunday?","[]","time"
"what was that cafe we went to yesterday","[]","time"
"¿Dónde comimos el sábado?","[]","time"
"dónde rellené los bidones la semana pasada","[]","time"
"find a cafe in lyon","[]","place"
"Is there a bike shop in Girona?","[]","place"
"¿Hay alguna fuente en el centro de Sevilla?","[]","place"
"busca un restaurante en barcelona para esta noche","[]","place"
"Where is Marco stopping for lunch?","[]","subject"
"find a cafe near my wifes office","[]","subject"
"¿Dónde ha parado a comer Lucía?","[]","subject"
"Call the nearest bike shop.","[]","action"
"book a table at the cafe","[]","action"
"Rate this café five stars.","[]","action"
"reserva mesa en el restaurante","[]","action"
"Llama al taller de bicis.","[]","action"
"save this fountain for next time","[]","action"
"Find me a hotel for tonight.","[]","object"
"is there a pharmacy nearby","[]","object"
"¿Hay una gasolinera cerca?","[]","object"
"busca un cajero cerca","[]","object"
"Where's the nearest train station?","[]","object"
"is there a hospital near here","[]","object"
"what a lovely little fountain","[]","remark"
"Hay muchas fuentes por esta zona.","[]","remark"
"this town has loads of cafes","[]","remark"
"Qué buena pinta tiene esa panadería.","[]","remark"
"where can we stop for coffee","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"Is there a bike shop near here?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"¿Dónde podemos comer por aquí?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"find a cafe near me","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"dónde puedo rellenar los bidones","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"Find the nearest bike shop.","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"Was yesterday's route flatter than this one?","[]","time"
"plan a scenic route for tomorrow","[]","time"
"¿Qué ruta hicimos el domingo?","[]","time"
"busca una ruta más llana para el sábado","[]","time"
"Which way did we go home last week?","[]","time"
"Find a flatter route around Mallorca.","[]","place"
"plan me a scenic ride in the dolomites","[]","place"
"¿Cuál es la ruta más corta de Madrid a Toledo?","[]","place"
"Find a shorter route for Ana.","[]","subject"
"give my dad a flatter way home","[]","subject"
"busca una ruta más llana para mi hermano","[]","subject"
"Save this route.","[]","action"
"share the route with the group","[]","action"
"Delete the scenic route I saved.","[]","action"
"guarda esta ruta en favoritos","[]","action"
"Valora esta ruta con cinco estrellas.","[]","action"
"export this route to my garmin","[]","action"
"Find me a route with more hills.","[]","object"
"make the ride longer","[]","object"
"llévame por la ruta más larga","[]","object"
"Give me a route with more gravel.","[]","object"
"Busca una ruta con más subidas.","[]","object"
"the back roads are so quiet today","[]","remark"
"Qué ruta más bonita.","[]","remark"
"this shortcut was a great idea","[]","remark"
"Esta carretera tiene unas vistas preciosas.","[]","remark"
"Find a flatter route than this one.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"take me the scenic way home","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"busca una ruta más llana para volver","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"Find a shorter route for me.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"give me a flatter way home","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"llévame por la ruta más corta","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"How fit was I last summer?","[]","time"
"what was my ftp a year ago","[]","time"
"¿Qué tal estaba de forma el año pasado?","[]","time"
"qué rutas me gustaban hace dos años","[]","time"
"What kind of rides do people like in Girona?","[]","place"
"qué rutas gustan en mallorca","[]","place"
"How fit is my sister?","[]","subject"
"what kind of rides does marco like","[]","subject"
"¿Cuál es el nivel de forma de Lucía?","[]","subject"
"qué rutas le gustan a mi padre","[]","subject"
"show me anas rider profile","[]","subject"
"Set my fitness level to beginner.","[]","action"
"change my preferences to gravel","[]","action"
"Delete my rider profile.","[]","action"
"actualiza mis preferencias a carretera","[]","action"
"Comparte mi perfil con el club.","[]","action"
"share my ftp with my coach","[]","action"
"what size is my bike frame","[]","object"
"¿Cuál es mi talla de maillot?","[]","object"
"whats my resting heart rate","[]","object"
"I've got a lot fitter this year.","[]","remark"
"i really love gravel rides","[]","remark"
"Estoy en baja forma.","[]","remark"
"me encantan las rutas de montaña","[]","remark"
"How fit am I right now?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"what kind of rides do i like","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"¿Qué nivel de forma tengo ahora?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"qué rutas me gustan a mí","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"show me my rider profile","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"whats my ftp these days","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"how far have i ridden so far","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"What's my speed on this ride?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"How long have I been riding today?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"¿Cuánto desnivel llevo en esta salida?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"how much climbing have i done on this ride","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"what altitude am i at","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"¿Cuánto tiempo llevo pedaleando hoy?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"hows the bike battery","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"cuánta batería le queda al motor de la bici","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"What's the e-bike battery at?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"how much charge is left on my bike","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"Is my battery holding up?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"¿Cuántos kilómetros llevo ya?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"what are the next five kilometres like","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"¿Cómo es la próxima subida de la ruta?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"What does the route do in the next ten km?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"qué me espera en los próximos veinte km","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"Is the next bit going to hurt?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"how steep is the next section","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"¿Qué viene en los próximos diez kilómetros?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"Describe the next 5 km of my route.","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"cómo es el siguiente tramo de la ruta","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"any climbs in the next twenty k","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"What's the surface like on the next 20 km?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"¿Los próximos cinco kilómetros son de subida?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"will it snow on the route later","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"What's the weather doing here right now?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"¿Va a llover más tarde en la ruta?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"qué tiempo hace aquí ahora","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"is it cold here right now","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"¿Llueve aquí ahora mismo?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"How windy is it right now?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"will it be windy later on the ride","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"qué temperatura hace aquí","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"Is the wind strong right now?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"¿Hace viento ahora?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"is it going to pour later on the route","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"where can we stop for coffee now","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"Is there a café near here?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"¿Dónde podemos comer cerca?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"where can i refill my bottles near here","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"Is there a fountain near here?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"busca un restaurante cerca para comer","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"Where can I stop for lunch nearby?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"find a bike shop near here","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"¿Hay un taller de bicis cerca?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"somewhere near here to sit for a bit","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"Where can I shelter near here?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"is there anywhere to stop near here","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]",""
"¿Hay alguna fuente cerca?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"Find me a flatter route home.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"plan a scenic route home","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"¿Hay una ruta más corta para volver?","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"busca una ruta más llana desde aquí","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"Find a route with fewer hills.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"give me a scenic way back","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"Find me a route with less gravel.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"make the ride shorter","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"llévame por la ruta más bonita","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"Busca una ruta con menos subidas.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"keep me on the quiet back roads","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"Find a route out of this wind.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]",""
"¿Me buscas una ruta por carreteras tranquilas?","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"How fit am I these days, really?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"whats my ftp now","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"¿Qué tal estoy de forma ahora?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"qué rutas me gustan","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"qué tipo de rutas prefiero yo","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"show me my profile","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"What's my fitness level right now?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"what preferences do i have","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"¿Cuál es mi perfil de ciclista?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"how fit am i","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"Do I like gravel rides?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"¿Qué sabes de mis gustos?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"read me my speed","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"¿A qué velocidad voy ahora?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"How much farther have I gone since lunch?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"cuánto llevo recorrido","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"What's my elapsed time?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"cuánto rato llevo montando","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"How high have we climbed today?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"give me the ride summary","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]",""
"¿Me lees todos los datos de la salida?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]",""
"whats the motor battery on","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"whats the next stretch like","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"¿Qué tal es el próximo tramo?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"Anything steep in the next 5 km?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"cómo son los siguientes veinte kilómetros","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"What's ahead in the next ten k?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"is the next part paved or gravel","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"Is it going to rain on the second half of the route?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"qué viento hace","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"¿Qué tiempo hace aquí fuera?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"any storms ahead on the route","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"How hot is it here right now?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"is it blowing hard out there","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"I need water, anywhere close?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"dónde hay una cafetería","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"¿Hay algún sitio para comer por aquí?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"where can i get my chain fixed","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"Somewhere to lie down for a bit?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"busca dónde resguardarme de la lluvia","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"What's around here to stop at?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]",""
"need somewhere to fill up my bottle","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"get me off the main road","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"¿Puedes llevarme por asfalto?","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"Find a route out of the wind, please.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]",""
"take a shorter way back","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"busca una ruta más bonita","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"Find me a way with no big climbs.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"what routes do i usually ride","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"¿Cómo ando de forma física?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"Read me my full cyclist profile.","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"enséñame mi perfil","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"how's my fitness these days","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"How many metres have I climbed on this ride?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"dime la velocidad en millas por hora","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"cuánta batería le queda a la bici eléctrica","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"How much charge is left in my e-bike battery?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"Give me all my numbers for this ride.","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]",""
"dame todos los datos de esta salida","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]",""
"how many metres above sea level are we","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"¿Cuánto tiempo llevo en esta salida?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"whats my distance on this ride","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"Stop the clock on this ride.","[]","action"
"send my wife how far ive ridden so far","[]","action"
"Set an alert for when the e-bike battery drops to 20 percent.","[]","action"
"pon la velocidad en millas por hora","[]","action"
"guarda cuánto desnivel llevo acumulado","[]","action"
"Post all my ride data to the club chat.","[]","action"
"How many calories have I burned on this ride?","[]","object"
"whats my cadence on this bit","[]","object"
"¿qué pulsaciones llevo ahora?","[]","object"
"cuántos vatios llevo en este llano","[]","object"
"How much charge is left in my power meter?","[]","object"
"cuánta batería le queda al cambio electrónico","[]","object"
"What's the surface like in the next ten km?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"¿Cuántas curvas hay en los próximos diez kilómetros?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"hay mucha subida en el siguiente tramo","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"are there sharp turns on the next section","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"how many turns are on the next stretch","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"¿Hay curvas cerradas en los próximos cinco kilómetros?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"Talk me through the next 5 km.","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"Dime cómo empieza el próximo tramo.","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"What are the climbs like in the next 20 km?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"cómo es el perfil de los próximos veinte kilómetros","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"any gravel in the next twenty k","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"Are there any turns in the next 10 km?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"download the next twenty kilometres of the route","[]","action"
"Time me over the next 5 km.","[]","action"
"Avísame cuando empiece el próximo tramo.","[]","action"
"envía el perfil de los próximos 20 km a marta","[]","action"
"Add a waypoint to the next 10 km of the route.","[]","action"
"Comparte lo que viene en los próximos diez kilómetros con Pablo.","[]","action"
"What's the traffic like in the next ten km?","[]","object"
"are there street lights on the next section","[]","object"
"¿Cuántos semáforos hay en los próximos diez kilómetros?","[]","object"
"hay mucho tráfico en el siguiente tramo","[]","object"
"how many other riders are on the next stretch","[]","object"
"Are there loose dogs in the next five kilometres?","[]","object"
"How warm is it here in Fahrenheit?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"¿Hay riesgo de tormenta aquí ahora mismo?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"va a hacer mucho frío más adelante en la ruta","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"Is the rain bad here right now?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"whats the weather going to be like later on the route","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"Are there gusts over 40 km/h today?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"¿Hay avisos de lluvia en la ruta?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"¿De qué lado viene el viento ahora?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"how hard is the wind blowing right now","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"¿Qué tiempo va a hacer más adelante en la ruta?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"is it sunny here right now","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"Share what the weather's like here right now with my group.","[]","action"
"manda el pronóstico del resto del recorrido a mi pareja","[]","action"
"Switch the temperature to Fahrenheit.","[]","action"
"text tom which way the wind is blowing","[]","action"
"Set a wind alert for gusts over 40 km/h.","[]","action"
"desactiva los avisos de lluvia en la ruta","[]","action"
"log how windy it is today in my diary","[]","action"
"how cold is the lake right now","[]","object"
"¿Qué temperatura tiene el agua del pantano?","[]","object"
"¿Hay riesgo de incendio aquí ahora mismo?","[]","object"
"hay mucho polen más adelante en la ruta","[]","object"
"whats the uv going to be like later on the route","[]","object"
"Are the midges bad here right now?","[]","object"
"busca un bar cercano para comer un bocadillo","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"Where can I get a flat white nearby?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"¿Dónde está la fuente más cercana?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"whats the address of the nearest cafe","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"¿Cuál es la cafetería más cercana?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"Is there a bench near here where I can rest?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"busca un banco para sentarme un rato","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"any picnic area nearby","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"¿Hay algún sitio cubierto cerca para esperar a que pare de llover?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"find me somewhere dry to wait out the storm","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"Anywhere I can get out of the hail near here?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"¿Hay algo cerca donde parar?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]",""
"show me places to stop nearby","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]",""
"necesito un taller para arreglar la rueda","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"Where's the nearest bike shop? My tyre's shredded.","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"I could do with a bowl of pasta somewhere close","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"Order me a flat white at the nearest café.","[]","action"
"pide un bocadillo para recoger en el bar más cercano","[]","action"
"book a repair at the nearest bike shop","[]","action"
"Comparte dónde está la fuente más cercana con el grupo.","[]","action"
"send the address of the nearest cafe to marco","[]","action"
"add the nearest cafe to my favourites","[]","action"
"wheres the nearest bus stop","[]","object"
"busca un hostal cerca para dormir","[]","object"
"Is there a campsite near here?","[]","object"
"¿Hay una farmacia por aquí?","[]","object"
"where can i charge my bike battery near here","[]","object"
"¿Hay alguna tienda de móviles cerca?","[]","object"
"find a car mechanic near here","[]","object"
"Find me a route with fewer cars.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"busca una ruta que pase por menos cuestas","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"llévame por una ruta con menos coches","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"Busca una ruta con menos tierra.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"Show me the scenic route.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"Find a shorter way home, I'm short on time.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"busca un camino más corto para volver","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"switch to a shorter route","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"¿Hay una ruta más resguardada del viento?","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]",""
"find a route where the wind wont hit me so hard","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]",""
"Stick to paved roads from here.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"llévame solo por asfalto","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"Take me along the river, it's prettier.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"i want a flatter route","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"take the paved route","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"Send the scenic route to Laura.","[]","action"
"upload the shorter route to strava","[]","action"
"guarda la ruta más llana para volver","[]","action"
"Comparte con Lucía la ruta por carreteras tranquilas.","[]","action"
"vale pues avisa al grupo de que vamos por carreteras secundarias","[]","action"
"Rename the flatter route to Sunday loop.","[]","action"
"rate the paved route five stars","[]","action"
"Find me a route with more cafés.","[]","object"
"busca una ruta que pase por más fuentes","[]","object"
"i want a harder route","[]","object"
"give me a hillier way home","[]","object"
"Busca una ruta con más tierra.","[]","object"
"Find me a route with street lights.","[]","object"
"Is my FTP up to 250 yet?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"¿Tengo un nivel de forma avanzado?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"is gravel in my preferences","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"pull up everything in my rider profile","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"Dime todo lo que sabes de mi perfil de ciclista.","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"whats in my rider profile","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"¿Qué tipo de terreno prefiero?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"am i fitter than last season","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"¿Cómo está mi FTP ahora?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"Update my FTP to 250 watts.","[]","action"
"pon mi nivel de forma en avanzado","[]","action"
"Export my rider profile.","[]","action"
"add gravel to my preferences","[]","action"
"Borra mis preferencias de ruta.","[]","action"
"Email my rider profile to my coach.","[]","action"
"whats my weight these days","[]","object"
"¿Cómo ando de tensión últimamente?","[]","object"
"What's my blood sugar level right now?","[]","object"
"show me my medical profile","[]","object"
"¿Qué sabes de mis alergias?","[]","object"
"what injuries do i have","[]","object"
'''
# --- end _bundled.py ---


# --- begin _renderings.py (vendored: what this script uses of it; edit _renderings.py, then run python dev/sync_vendored.py) ---
"""The forms one request arrives in: renderings that keep its meaning, and the surface features a
model could learn instead of it.

A rider's request reaches the router as a speech recogniser or a keyboard writes it: lower case
without punctuation, or capitalised with a final "?"; sometimes with a filler or wake word in
front ("uh", "hey copilot", "oye"), numbers as digits or as words. None of that changes what the
rider asked for, so evaluation scores every row in several renderings (robust accuracy: right in
all of them), training sees every row in each of them over the run, and the validator warns when
a surface feature separates the rows that need no call from the others.

Single source: scripts carry a copy between `# --- begin _renderings.py` / `# --- end
_renderings.py` marker lines; edit this file, then run `python dev/sync_vendored.py`. Standard
library only.
"""

import re
import statistics

SPANISH_MARKERS = re.compile(r"[¿¡ñáéíóú]")
SPANISH_WORDS = {"qué", "que", "el", "la", "los", "las", "del", "de", "por", "para", "hay", "mi", "mis", "una",
                 "un", "sin", "con", "cerca", "ruta", "quiero", "tengo", "necesito", "llevo", "agua", "voy",
                 "velocidad", "viento", "comida", "ahora", "cómo", "dónde", "cuánto", "está", "es", "y",
                 "oye", "dime", "busca", "algún", "alguna", "te", "se", "yo", "muy", "más", "pues"}
FILLERS = {"en": ("uh", "um", "hey copilot", "ok so", "so", "hey", "right", "er"),
           "es": ("eh", "oye", "oye copiloto", "vale", "pues", "a ver", "mmm")}
# Words a recogniser or a rider puts before the request itself (the validator's filler share).
FILLER_START = re.compile(r"^(?:uh+|um+|er+m?|hmm+|mm+|eh+|hey|ok(?:ay)?|so|right|oye|vale|pues|a ver|bueno|"
                          r"hola|venga)\b(?=[\s,]+\w)", re.I)
END_PUNCTUATION = ".?!…"
NUMBER_WORDS = {
    "en": {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine",
           10: "ten", 11: "eleven", 12: "twelve", 15: "fifteen", 20: "twenty", 25: "twenty five", 30: "thirty",
           40: "forty", 50: "fifty", 60: "sixty", 70: "seventy", 80: "eighty", 90: "ninety", 100: "a hundred"},
    "es": {1: "uno", 2: "dos", 3: "tres", 4: "cuatro", 5: "cinco", 6: "seis", 7: "siete", 8: "ocho", 9: "nueve",
           10: "diez", 11: "once", 12: "doce", 15: "quince", 20: "veinte", 25: "veinticinco", 30: "treinta",
           40: "cuarenta", 50: "cincuenta", 60: "sesenta", 70: "setenta", 80: "ochenta", 90: "noventa",
           100: "cien"},
}


def language(message: str) -> str:
    """"es" or "en", deliberately crude: Spanish letters or punctuation, or a common Spanish word."""
    if SPANISH_MARKERS.search(message.casefold()):
        return "es"
    return "es" if SPANISH_WORDS & set(re.findall(r"\w+", message.casefold())) else "en"


# What meaning_key undoes: every filler and wake word (longest first, so "hey copilot" before "hey"),
# every number word of either language (longest first: "twenty five" before "twenty"), and a unit
# after a number as its abbreviation ("twenty kilometres", "20 km" and "20k" all read "20 km").
_FILLER_PHRASE = re.compile(r"^(?:" + "|".join(sorted({re.escape(filler) for fillers in FILLERS.values()
                                                        for filler in fillers}, key=len, reverse=True))
                            + r")\s+(?=\w)")
_NUMBER_WORDS = sorted(((word, number) for words in NUMBER_WORDS.values() for number, word in words.items()),
                       key=lambda item: -len(item[0]))
_UNITS = {"km": ("km", "k", "kilometres", "kilómetros"), "m": ("m", "metres", "metros"),
          "min": ("min", "minutes", "minutos")}
_NUMBER_UNIT = re.compile(r"\b(\d+) ?(" + "|".join(sorted((word for words in _UNITS.values() for word in words),
                                                        key=len, reverse=True)) + r")\b")
_UNIT_KEY = {word: unit for unit, words in _UNITS.items() for word in words}


def meaning_key(message: str) -> str:
    """What every rendering of `message` has in common: the unit the split keeps on one side and the
    held-out check compares. Case, punctuation and spacing are ignored (like the de-duplication key,
    `_data.normalise_message`), fillers and wake words in front are dropped, numbers are digits and a
    unit after a number its abbreviation. So "So, where is the water?" and "Where is the water?" share
    a key, as do "What's on the next 20 km?" and "what's on the next twenty kilometres": meaning_key
    of any `render` or `augmented_variants` form of a message equals meaning_key of the message."""
    text = re.sub(r"[\W_]+", " ", message.casefold()).strip()
    while match := _FILLER_PHRASE.match(text) or FILLER_START.match(text):
        text = text[match.end():].lstrip(" ,")
    for word, number in _NUMBER_WORDS:
        text = re.sub(rf"\b{word}\b", str(number), text)
    return _NUMBER_UNIT.sub(lambda match: f"{match.group(1)} {_UNIT_KEY[match.group(2)]}", text)


# ----------------------------------------------------------------------------- surface shortcuts

SURFACE_FEATURES = {
    "lower_case_start": "start in lower case",
    "no_end_punctuation": "end without punctuation",
    "filler_start": "start with a filler or wake word",
    "spanish": "are in Spanish",
}
SHORTCUT_SHARE_GAP = 0.25  # a feature this much more common in one kind of row can stand in for the label
SHORTCUT_LENGTH_RATIO = 2.0  # median length in words, one kind against the other


def surface_features(message: str) -> dict[str, bool]:
    stripped = message.strip().lstrip("¿¡\"'“‘(")
    first_letter = next((character for character in stripped if character.isalpha()), "")
    return {"lower_case_start": first_letter.islower(),
            "no_end_punctuation": not message.strip().rstrip("\"')”’").endswith(tuple(END_PUNCTUATION)),
            "filler_start": bool(FILLER_START.match(stripped)),
            "spanish": language(message) == "es"}


def surface_shares(messages: list[str]) -> dict:
    """Share of `messages` with each surface feature, and their median length in words."""
    features = [surface_features(message) for message in messages]
    shares = {name: sum(row[name] for row in features) / len(features) if features else None
              for name in SURFACE_FEATURES}
    shares["median_words"] = statistics.median(len(message.split()) for message in messages) if messages else None
    return shares


def shortcut_report(call_messages: list[str], no_call_messages: list[str]) -> dict:
    """Surface shares of both kinds of row, and a warning per feature that separates them."""
    calls, no_calls = surface_shares(call_messages), surface_shares(no_call_messages)
    warnings = []
    if call_messages and no_call_messages:
        for name, what in SURFACE_FEATURES.items():
            if abs(no_calls[name] - calls[name]) >= SHORTCUT_SHARE_GAP:
                warnings.append(f"no-call rows: {no_calls[name]:.0%} {what}, call rows: {calls[name]:.0%}: "
                                f"a model can learn that instead of the meaning")
        short, long = sorted((calls["median_words"], no_calls["median_words"]))
        if short and long / short >= SHORTCUT_LENGTH_RATIO:
            warnings.append(f"no-call rows: median {no_calls['median_words']:g} words, call rows: "
                            f"{calls['median_words']:g}: a model can learn the length instead of the meaning")
    return {"call_rows": calls, "no_call_rows": no_calls, "warnings": warnings}
# --- end _renderings.py ---


# --- begin _data.py (vendored: what this script uses of it; edit _data.py, then run python dev/sync_vendored.py) ---
"""The dataset contract: tools files, rows, loading, de-duplication and the held-out split.

Single source: scripts carry a copy between `# --- begin _data.py` / `# --- end _data.py` marker
lines; edit this file, then run `python dev/sync_vendored.py`. Standard library only (`datasets`
is imported only to read a Hub dataset).
"""

import codecs
import csv
import hashlib
import io
import json
import os
import random
import re
import unicodedata
import urllib.parse
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field

BUNDLED = "bundled"  # the name users see for the embedded default tools and seeds
# A row whose tool_calls is [] means "no tool applies": the model answers in prose and calls nothing.
# This label stands for "no call" wherever a call's label would (split strata, per-value tables,
# the confusion matrix).
NO_CALL_LABEL = "(no call)"
JSON_TYPES = {"string": str, "integer": int, "number": (int, float), "boolean": bool,
              "array": list, "object": dict}
RESERVED_PARAMETER_NAMES = {"description", "type", "properties", "required", "nullable"}
# What FunctionGemma's declaration format renders (_format.render_declaration): anything else in
# a schema would silently never reach the model, so parse_tools refuses it.
RENDERED_PARAMETERS_KEYS = {"type", "properties", "required"}
RENDERED_SCHEMA_KEYS = {"type", "description", "enum"}
COLUMNS = ("user_message", "tool_calls")
# An optional column: the line a no-call row crosses to fall outside every tool while keeping a
# tool's topic (a near miss, "twin" of a call row), or, on a call row, the line its no-call twin
# crosses. Evaluation reports false calls per boundary; the validator counts near misses per tool.
BOUNDARY_COLUMN = "boundary"
BOUNDARIES = {
    "time": "a past ride or another day",
    "place": "somewhere else than here or the route",
    "subject": "someone else's numbers or plans",
    "action": "a change, save, share, booking or call instead of a read or a search",
    "object": "a neighbour of the tool's topic that no value covers",
    "remark": "a statement about the topic that asks for nothing",
}
# The text of FunctionGemma's control tokens (_format.CONTROL_TOKEN_IDS holds their ids). The
# tokenizer turns this text into the token itself wherever it appears, so no text rendered into a
# prompt or an answer (a message, a tool's name and descriptions, an enum value, an argument, the
# no-call reply) may hold it: a message could end its own turn or write a call for the model.
BOS, EOS, PAD = "<bos>", "<eos>", "<pad>"
START_OF_TURN, END_OF_TURN = "<start_of_turn>", "<end_of_turn>"
START_DECLARATION, END_DECLARATION = "<start_function_declaration>", "<end_function_declaration>"
START_CALL, END_CALL = "<start_function_call>", "<end_function_call>"
START_RESPONSE, END_RESPONSE = "<start_function_response>", "<end_function_response>"
ESCAPE = "<escape>"
CONTROL_TOKENS = (PAD, EOS, BOS, START_DECLARATION, END_DECLARATION, START_CALL, END_CALL, START_RESPONSE,
                  END_RESPONSE, ESCAPE, START_OF_TURN, END_OF_TURN)
# The other tokens of Gemma's vocabulary that are no text: each is one token id that the tokenizer
# makes of this text wherever it appears (its added tokens besides the format's, the HTML tags and
# the runs of line breaks and tabs, which are text), so it is refused like a control token before
# any tokenizer loads: the image tokens, the multimodal placeholder, <unk>, <mask> and the 6,000-odd
# <unused0>, <unused1>, ... ids. With a tokenizer, _format.check_special_tokens refuses whatever else
# it holds that is no text.
RESERVED_TOKENS = ("<unk>", "<mask>", "[multimodal]", "<start_of_image>", "<end_of_image>", "<unusedN>")
RESERVED_TOKEN_PATTERN = re.compile("|".join(r"<unused\d+>" if token == "<unusedN>" else re.escape(token)
                                             for token in RESERVED_TOKENS))
# JSON nested deeper than this is refused before it is parsed (the parser would run out of stack
# near 1,000 levels): a tools file is 7 levels deep (list, tool, function, parameters, properties,
# parameter, enum), a tool_calls cell 3.
MAX_JSON_DEPTH = 64
MAX_USER_MESSAGE_CHARS = 500  # a spoken or typed request; far longer is a broken row (a CSV field gone astray)
# What a spreadsheet or archive saved under a .csv/.json name starts with.
BINARY_SIGNATURES = {b"PK\x03\x04": "a ZIP archive: an .xlsx/.ods spreadsheet? export it as CSV UTF-8",
                     b"\xd0\xcf\x11\xe0": "an old Office document (.xls)? export it as CSV UTF-8",
                     b"\x1f\x8b": "gzip-compressed", b"%PDF": "a PDF", b"PAR1": "Parquet", b"\x89PNG": "a PNG image",
                     b"SQLite format 3\x00": "an SQLite database"}


# ----------------------------------------------------------------------------- reading inputs


def read_bytes(source: str) -> bytes:
    """Bytes of a local file or an http(s) URL; missing or unreadable is one line."""
    if source.startswith(("https://", "http://")):
        try:
            with urllib.request.urlopen(source, timeout=30) as response:
                return response.read()
        except OSError as error:
            raise DataError(f"{source}: cannot download ({error})") from None
    return read_local_bytes(source)


def looks_binary(head: bytes) -> bool:
    """Text has almost no control bytes; one stray NUL in a message is left to the row checks."""
    controls = sum(byte < 32 and byte not in b"\t\n\r\f" or byte == 127 for byte in head)
    return controls > max(2, len(head) // 20)


def utf16_without_bom(head: bytes) -> bool:
    """Mostly-ASCII UTF-16 has a NUL in every other byte."""
    even, odd = head[0::2], head[1::2]
    return len(head) >= 4 and (odd.count(0) > 0.3 * len(odd) > even.count(0) * 10
                               or even.count(0) > 0.3 * len(even) > odd.count(0) * 10)


def decode_text(data: bytes, origin: str) -> str:
    """UTF-8 text of an input (a UTF-8 byte-order mark is dropped), else one line saying what the
    bytes look like and how to fix them."""
    for bom, name in ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
                      (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16")):
        if data.startswith(bom):
            raise DataError(f"{origin}: the file is {name} (it starts with a {name} byte-order mark): "
                            "re-save it as UTF-8")
    head = data[:4096]
    if utf16_without_bom(head):
        raise DataError(f"{origin}: the file looks like UTF-16 (a NUL byte in every other byte): re-save it as UTF-8")
    for signature, kind in BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise DataError(f"{origin}: a binary file ({kind}), not UTF-8 text")
    if looks_binary(head):
        raise DataError(f"{origin}: a binary file (control bytes), not UTF-8 text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise DataError(f"{origin}: not UTF-8 (byte 0x{data[error.start]:02X} on line {line}); it looks like "
                        "Latin-1 / Windows-1252: re-save it as UTF-8") from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise DataError(f"{origin}: the file is empty")
    return text


def read_text(source: str) -> str:
    """UTF-8 text of a local file or an https:// URL, or one line saying why it is unusable."""
    return decode_text(read_bytes(source), source)


def public_file_name(source: str) -> str:
    """A local file's or URL's base name: no folders, no query string."""
    return os.path.basename(urllib.parse.urlsplit(source).path.rstrip("/")) or "data"


def public_name(source: str, data: bytes) -> str:
    """How a local file or URL is named in anything that may be published: its base name and a
    content hash, never its path."""
    return f"{public_file_name(source)} (sha256 {hashlib.sha256(data).hexdigest()[:12]})"


# ----------------------------------------------------------------------------- tools


def parse_tools(text: str, origin: str) -> list[dict]:
    """Check a tools list in the standard {"type":"function","function":{...}} form."""
    tools = parse_json(text, f"{origin}: the tools file")
    if not isinstance(tools, list) or not tools:
        raise DataError(f"{origin}: expected a non-empty JSON list of tools")
    seen = set()
    for index, tool in enumerate(tools):
        where = f"{origin}: tool {index + 1}"
        function = tool.get("function") if isinstance(tool, dict) else None
        if not isinstance(tool, dict) or tool.get("type") != "function" or not isinstance(function, dict):
            raise DataError(f'{where}: expected {{"type": "function", "function": {{...}}}}')
        name = function.get("name")
        problem = control_token_problem(name, "the function name") if isinstance(name, str) else None
        if problem:
            raise DataError(f"{where}: {problem}")
        if not isinstance(name, str) or not re.fullmatch(r"[a-zA-Z_][a-zA-Z0-9_.-]*", name):
            raise DataError(f"{where}: missing or invalid function name {name!r}")
        if name in seen:
            raise DataError(f"{where}: duplicate function name {name!r}")
        seen.add(name)
        if not isinstance(function.get("description", ""), str):
            raise DataError(f"{where} ({name}): description must be a string")
        parameters = function.get("parameters", {"type": "object"})
        if not isinstance(parameters, dict) or str(parameters.get("type", "object")).lower() != "object":
            raise DataError(f"{where} ({name}): parameters must be a JSON schema of type object")
        properties = parameters.get("properties", {})
        if not isinstance(properties, dict):
            raise DataError(f"{where} ({name}): parameters.properties must be an object")
        unrendered(where, name, "parameters", parameters, RENDERED_PARAMETERS_KEYS)
        for key, schema in properties.items():
            if key in RESERVED_PARAMETER_NAMES:
                raise DataError(f"{where} ({name}): parameter name {key!r} is reserved by the FunctionGemma template")
            if not isinstance(schema, dict) or str(schema.get("type", "")).lower() not in JSON_TYPES:
                raise DataError(f"{where} ({name}): parameter {key!r} needs a type out of {sorted(JSON_TYPES)}")
            unrendered(where, name, f"parameter {key!r}", schema, RENDERED_SCHEMA_KEYS)
            enum = schema.get("enum")
            if enum is not None and (not isinstance(enum, list) or not enum
                                     or not all(isinstance(value, str) for value in enum)):
                raise DataError(f"{where} ({name}): enum of {key!r} must be a non-empty list of strings")
        required = parameters.get("required", [])
        if not isinstance(required, list) or any(key not in properties for key in required):
            raise DataError(f"{where} ({name}): required lists a parameter that is not declared")
        for what, text in tool_texts(function):
            problem = control_token_problem(text, what)
            if problem:
                raise DataError(f"{where} ({name}): {problem}")
    return tools


def control_token_problem(text: str, what: str) -> str | None:
    """Why `text` (`what` it is, e.g. "the message") cannot be rendered into a prompt or an answer:
    it holds the text of a control token or of another reserved token of Gemma's vocabulary (the
    first one named); None if it holds none."""
    found = [(text.find(token), token) for token in CONTROL_TOKENS if token in text]
    reserved = RESERVED_TOKEN_PATTERN.search(text)
    if reserved:
        found.append((reserved.start(), reserved.group()))
    if not found:
        return None
    token = min(found)[1]
    if token in CONTROL_TOKENS:
        return f"{what} contains the control token {token}: text cannot carry the format's tokens"
    return (f"{what} contains {token}, a reserved token of Gemma's vocabulary, not text: "
            "text cannot carry the model's tokens")


def json_too_deep(text: str) -> int | None:
    """Where (0-based) JSON text first nests deeper than MAX_JSON_DEPTH, or None: its brackets
    counted without parsing it (strings skipped, an unclosed one to the end), in linear time."""
    depth = 0
    for token in _JSON_TOKEN.finditer(text):
        bracket = token.group()
        if bracket in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return token.start()
        elif bracket in "]}":
            depth -= 1
    return None


def text_position(text: str, position: int) -> str:
    """A 0-based position as a reader finds it: "char N" in one-line text, else "line L column C"."""
    if "\n" not in text:
        return f"char {position + 1}"
    line, column = text.count("\n", 0, position) + 1, position - text.rfind("\n", 0, position)
    return f"line {line} column {column}"


# A string (or an unclosed one, to the end of the text) or a bracket.
_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*(?:"|\\?\Z)|[\[\]{}]', re.S)


def value_depth(value) -> int:
    """How deep a parsed value (lists and dicts, e.g. a Hub dataset's cell) nests, without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (list, tuple, dict)):
            deepest = max(deepest, depth)
            if deepest > MAX_JSON_DEPTH:
                break
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def _not_json(constant: str):
    raise ValueError(f"{constant} is not JSON")


def parse_json(text: str, what: str):
    """The value of JSON text (`what` it is, e.g. "tool_calls"), or DataError in one line: not JSON,
    nested deeper than MAX_JSON_DEPTH (refused before parsing), or beyond the parser (a number of
    thousands of digits, NaN, memory)."""
    deep = json_too_deep(text)
    if deep is not None:
        raise DataError(f"{what} is JSON nested more than {MAX_JSON_DEPTH} levels deep (at "
                        f"{text_position(text, deep)}): refused before parsing")
    try:
        return json.loads(text, parse_constant=_not_json)
    except json.JSONDecodeError as error:
        raise DataError(f"{what} is not valid JSON ({error.msg} at {text_position(text, error.pos)})") from None
    except (ValueError, RecursionError, MemoryError) as error:
        detail = (str(error).splitlines() or [""])[0][:120]
        raise DataError(f"{what} is not usable JSON ({type(error).__name__}: {detail})") from None


def tool_texts(function: dict) -> list[tuple[str, str]]:
    """(field, text) of every text of a checked function that its declaration renders: its name
    and description, and each parameter's name, description and enum values."""
    texts = [("the function name", function["name"]), ("the description", function.get("description", ""))]
    for key, schema in function.get("parameters", {}).get("properties", {}).items():
        texts += [(f"the name of parameter {key!r}", key),
                  (f"the description of parameter {key!r}", schema.get("description", ""))]
        texts += [(f"the enum value {value!r} of parameter {key!r}", value) for value in schema.get("enum") or []]
    return [(what, text) for what, text in texts if isinstance(text, str)]


def unrendered(where: str, name: str, part: str, schema: dict, rendered: set[str]) -> None:
    """DataError naming a schema key the declaration format would drop (array items, nested
    properties, nullable, defaults, ...): the model would be trained on a tool it never sees whole."""
    dropped = sorted(set(schema) - rendered)
    if dropped:
        raise DataError(f"{where} ({name}): {part} uses {', '.join(dropped)}, which FunctionGemma's declaration "
                        f"format cannot express (it renders only {', '.join(sorted(rendered))}); "
                        "remove it or describe it in the description")


def load_tools(source: str | None = None) -> list[dict]:
    """Tools from a JSON file or URL; None or "bundled" means the cycling-copilot tools."""
    if source in (None, BUNDLED):
        return parse_tools(BUNDLED_TOOLS_JSON, "bundled tools")
    return parse_tools(read_text(source), source)


def tools_by_name(tools: list[dict]) -> dict[str, dict]:
    return {tool["function"]["name"]: tool["function"] for tool in tools}


def routing_argument(function: dict) -> str | None:
    """The parameter that routes a request: the function's first enum parameter, if any."""
    properties = function.get("parameters", {}).get("properties", {})
    return next((key for key, schema in properties.items() if "enum" in schema), None)


def enum_values(tools: list[dict]) -> dict[str, list[str]]:
    """tool name -> allowed values of its routing argument (empty without one)."""
    values = {}
    for name, function in tools_by_name(tools).items():
        argument = routing_argument(function)
        values[name] = function["parameters"]["properties"][argument]["enum"] if argument else []
    return values


# ----------------------------------------------------------------------------- calls


@dataclass(frozen=True)
class Call:
    name: str
    arguments: tuple  # sorted (key, value) pairs, so calls compare and hash

    @classmethod
    def make(cls, name: str, arguments: dict) -> "Call":
        return cls(name, tuple(sorted(arguments.items())))

    @property
    def args(self) -> dict:
        return dict(self.arguments)

    def to_json(self) -> str:
        return json.dumps([{"name": self.name, "args": self.args}], ensure_ascii=False)


def routing_label(call: Call | None, tools: list[dict]) -> str:
    """`tool:value` of the call's routing argument (`tool` alone without one, NO_CALL_LABEL for a
    no-call row): the unit the split stratifies by, coverage counts and per-value accuracy is keyed
    by, so `get_ride_status:all` and `get_rider_profile:all` never mix."""
    if call is None:
        return NO_CALL_LABEL
    function = tools_by_name(tools).get(call.name, {})
    argument = routing_argument(function)
    return f"{call.name}:{call.args[argument]}" if argument in call.args else call.name


def tool_calls_json(call: "Call | None") -> str:
    """The dataset's tool_calls cell: the call as a one-element list, or [] for no call."""
    return call.to_json() if call is not None else "[]"


def check_arguments(function: dict, arguments: dict) -> str | None:
    """Why `arguments` do not fit the function's schema, or None."""
    parameters = function.get("parameters", {})
    properties = parameters.get("properties", {})
    missing = [key for key in parameters.get("required", []) if key not in arguments]
    if missing:
        return f"missing argument {missing[0]!r} for {function['name']}"
    for key, value in arguments.items():
        if key not in properties:
            return f"unexpected argument {key!r} for {function['name']}"
        schema = properties[key]
        expected = JSON_TYPES[str(schema["type"]).lower()]
        if not isinstance(value, expected) or (isinstance(value, bool) and expected is not bool):
            return f"argument {key!r} of {function['name']} must be a {str(schema['type']).lower()}, got {value!r}"
        if "enum" in schema and value not in schema["enum"]:
            return f"value {value!r} of {key!r} is not one of {function['name']}'s {schema['enum']}"
    return None


# ----------------------------------------------------------------------------- dataset rows


@dataclass(frozen=True)
class Location:
    """Where a row came from: a CSV's 1-based line (header is line 1) or a Hub split's row."""
    source: str
    line: int
    unit: str = "line"  # "row" for Hub datasets
    split: str | None = None  # a Hub dataset's split ("train", "test", ...)
    public: str = ""  # the source's name where it may be published (see public_name), if not `source`

    def __str__(self) -> str:
        split = f" [{self.split}]" if self.split else ""
        return f"{self.source}{split} {self.unit} {self.line}"

    def published(self) -> str:
        """The location without any local path: what written and uploaded files record."""
        split = f" [{self.split}]" if self.split else ""
        return f"{self.public or self.source}{split} {self.unit} {self.line}"


@dataclass(frozen=True)
class Example:
    message: str
    call: Call | None  # None: no tool applies (tool_calls [])
    origin: Location | None = None
    boundary: str = ""  # one of BOUNDARIES, or "" (see BOUNDARY_COLUMN)


@dataclass
class RowError:
    origin: Location
    message: str

    def to_json(self) -> dict:
        split = {"split": self.origin.split} if self.origin.split else {}
        return {"source": self.origin.source, **split, "line": self.origin.line, "message": self.message}

    def __str__(self) -> str:
        return f"{self.origin}: {self.message}"


def message_problem(message: str) -> str | None:
    """Why a user message cannot be a row, beyond being empty: control characters, a control
    token's text, length."""
    for position, character in enumerate(message, 1):
        if unicodedata.category(character) == "Cc" and character not in "\t\n\r":
            name = " (NUL)" if character == "\0" else ""
            return f"control character U+{ord(character):04X}{name} at character {position} of user_message"
    problem = control_token_problem(message, "the message")
    if problem:
        return problem
    if len(message) > MAX_USER_MESSAGE_CHARS:
        return f"user_message is {len(message)} characters, longer than the limit of {MAX_USER_MESSAGE_CHARS}"
    return None


def parse_row(row: dict, tools: list[dict], origin: Location | None = None) -> Example:
    """One dataset row (user_message, tool_calls JSON) -> Example; DataError says what is wrong.

    tool_calls holds exactly one call, or is [] when no tool applies (Example.call is then None)."""
    message = row.get("user_message")
    if message is not None and not isinstance(message, str):
        raise DataError(f"user_message is not text (a {type(message).__name__})")
    if not isinstance(message, str) or not message.strip():
        raise DataError("empty user_message")
    problem = message_problem(message)
    if problem:
        raise DataError(problem)
    boundary = str(row.get(BOUNDARY_COLUMN) or "").strip()
    if boundary and boundary not in BOUNDARIES:
        raise DataError(f"{BOUNDARY_COLUMN} {boundary[:40]!r} is none of {', '.join(BOUNDARIES)} (or empty)")
    raw_calls = row.get("tool_calls")
    if isinstance(raw_calls, str):
        calls = parse_json(raw_calls, "tool_calls")
    else:  # a Hub dataset's list
        calls = raw_calls
        depth = value_depth(calls)
        if depth > MAX_JSON_DEPTH:
            raise DataError(f"tool_calls is nested more than {MAX_JSON_DEPTH} levels deep: refused")
    if calls == []:
        return Example(message.strip(), None, origin, boundary)
    if not isinstance(calls, list) or len(calls) != 1:
        count = len(calls) if isinstance(calls, list) else "no list of"
        raise DataError(f"tool_calls must be a JSON list with exactly one call, or [] when no tool applies; "
                        f"got {count} calls")
    call = calls[0]
    if not isinstance(call, dict) or not isinstance(call.get("name"), str):
        raise DataError('the call must be an object like {"name": ..., "args": {...}}')
    functions = tools_by_name(tools)
    if call["name"] not in functions:
        raise DataError(f"unknown tool {call['name']!r}")
    arguments = call.get("args", call.get("arguments", {}))
    if not isinstance(arguments, dict):
        raise DataError(f"args of {call['name']} must be an object")
    problem = check_arguments(functions[call["name"]], arguments)
    if problem:
        raise DataError(problem)
    for key, value in arguments.items():  # a free-text argument is rendered too (enum values are checked above)
        problem = control_token_problem(json.dumps(value, ensure_ascii=False), f"the value of argument {key!r}")
        if problem:
            raise DataError(problem)
    return Example(message.strip(), Call.make(call["name"], arguments), origin, boundary)


def read_csv_rows(text: str, origin: str, public: str = "") -> list[tuple[Location, dict]]:
    """(location, row) pairs of a dataset CSV (maybe none); locations use 1-based CSV line numbers
    (header is line 1). A wrong header or broken quoting is one line naming where."""
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        header = reader.fieldnames or []
    except csv.Error as error:
        raise DataError(f"{origin} line 1: broken CSV header ({error})") from None
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise DataError(f"{origin}: wrong header, missing column(s) {', '.join(missing)}; expected a CSV with "
                        f"columns {','.join(COLUMNS)}, found {','.join(header)[:80]!r}")
    rows, line = [], reader.line_num
    try:
        for row in reader:
            if None in row:
                raise DataError(f"{origin} line {line + 1}: {len(header) + len(row[None])} fields, the header has "
                                f"{len(header)} (a comma in an unquoted field?)")
            rows.append((Location(origin, line + 1, public=public), row))
            line = reader.line_num
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise DataError(f"{origin} line {line + 1}: a field longer than {csv.field_size_limit():,} characters "
                            "(a quote that never closes?)") from None
        raise DataError(f"{origin} line {line + 1}: broken CSV quoting ({error}); "
                        'quote fields holding commas or quotes, and double the quotes inside them ("")') from None
    return rows


def read_dataset_rows(source: str | None = None) -> list[tuple[Location, dict]]:
    """Raw rows of a local CSV, a CSV URL, a Hub dataset id (all splits), or the bundled seeds."""
    if source in (None, BUNDLED):
        return read_csv_rows(BUNDLED_SEEDS_CSV, "bundled seeds")
    if os.path.exists(source) or source.lower().endswith(".csv"):
        data = read_bytes(source)
        rows = read_csv_rows(decode_text(data, source), source, public_name(source, data))
        if not rows:
            raise DataError(f"{source}: no data rows, only the header")
        return rows
    if not re.fullmatch(r"[\w.-]+/[\w.-]+", source):
        raise DataError(f"{source}: no such file, and not a Hub dataset id (user/name)")
    try:
        import datasets
    except ImportError:
        raise DataError(f"{source}: loading a Hub dataset needs the `datasets` package") from None
    try:
        splits = datasets.load_dataset(source)
    except Exception as error:  # network, auth, missing repo: all become one clear line
        raise DataError(f"{source}: cannot load Hub dataset ({type(error).__name__}: {error})".splitlines()[0]) from None
    rows = []
    for split_name in sorted(splits):
        missing = [column for column in COLUMNS if column not in splits[split_name].column_names]
        if missing:
            raise DataError(f"{source} [{split_name}]: missing column(s) {', '.join(missing)}; "
                            f"expected columns {','.join(COLUMNS)}")
        for index, row in enumerate(splits[split_name]):
            rows.append((Location(source, index + 1, "row", split_name), row))
    if not rows:
        raise DataError(f"{source}: the Hub dataset has no rows")
    return rows


def write_examples_csv(path: str, examples: list[Example], with_source: bool = False) -> None:
    """Examples in the dataset format (user_message, tool_calls, and boundary when any row has one),
    optionally with where each came from (named without local paths: these files may be published)."""
    with_boundary = any(example.boundary for example in examples)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow(list(COLUMNS) + ([BOUNDARY_COLUMN] if with_boundary else [])
                        + (["source"] if with_source else []))
        for example in examples:
            writer.writerow([example.message, tool_calls_json(example.call)]
                            + ([example.boundary] if with_boundary else [])
                            + ([example.origin.published()] if with_source else []))


def normalise_message(text: str) -> str:
    """Key for near-duplicate detection: case, accents' spacing, punctuation and spaces ignored."""
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()


# A generator's prompt copied into the data instead of a rider's words, e.g. "Requesting
# find_nearby_poi with water (Standard natural language questions. Varied phrasing. variant 0)".
GENERATION_PROMPT = re.compile(r"\([^()]*\b(?:variant|phrasing|style|paraphrase)s?\b|\bvariant\s*\d+\b", re.I)


def suspect_reason(message: str, tools: list[dict]) -> str | None:
    """Why a row looks like free accuracy rather than speech, or None: the message names a declared
    function or an identifier-like enum value (one with `_`, like `bike_shop`) verbatim, or it reads
    like a generation prompt. Such a row scores without understanding anything when held out."""
    for name, values in enum_values(tools).items():
        for word in [name] + [value for value in values if "_" in value]:
            if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", message, re.I):
                kind = "function name" if word == name else "enum value"
                return f"names the {kind} {word!r} verbatim"
    if GENERATION_PROMPT.search(message):
        return "reads like a generation prompt, not speech"
    return None


@dataclass
class DatasetReport:
    """What validation found. `parsed` holds every valid row, `examples` the de-duplicated ones
    without conflicts (what training and evaluation use), `sources` what was read (see
    `describe_source`)."""
    rows: int = 0
    parsed: list = field(default_factory=list)  # Example
    examples: list = field(default_factory=list)  # Example
    errors: list = field(default_factory=list)  # RowError
    duplicates: list = field(default_factory=list)  # {"line", "duplicate_of", "kind", "message"}
    conflicts: list = field(default_factory=list)  # {"message", "lines", "calls"}
    sources: list = field(default_factory=list)  # {"name" (publishable), "kind": bundled/file/hub, "rows", "sha256"}


def check_dataset(rows: list[tuple[Location, dict]], tools: list[dict]) -> DatasetReport:
    """Validate rows; keep the first of each normalised duplicate; a message labelled with two
    different calls is an error on the later row and neither row is kept."""
    report = DatasetReport(rows=len(rows))
    first_seen: dict[str, Example] = {}
    for origin, row in rows:
        try:
            example = parse_row(row, tools, origin)
        except DataError as error:
            report.errors.append(RowError(origin, str(error)))
            continue
        report.parsed.append(example)
        key = normalise_message(example.message)
        earlier = first_seen.setdefault(key, example)
        if earlier is example:
            continue
        if earlier.call != example.call:
            labels = [tool_calls_json(earlier.call), tool_calls_json(example.call)]
            report.conflicts.append({"message": example.message, "lines": [str(earlier.origin), str(origin)],
                                     "calls": labels})
            as_call_and_no_call = (earlier.call is None) != (example.call is None)
            report.errors.append(RowError(origin, f"same message as {earlier.origin} but labelled {labels[1]} "
                                          f"instead of {labels[0]}"
                                          + (" (labelled both as a call and as no call)" if as_call_and_no_call else "")))
        else:
            kind = "exact" if earlier.message == example.message else "normalised"
            report.duplicates.append({"line": str(origin), "duplicate_of": str(earlier.origin), "kind": kind,
                                      "message": example.message})
    conflicted = {normalise_message(conflict["message"]) for conflict in report.conflicts}
    report.examples = [example for key, example in first_seen.items() if key not in conflicted]
    return report


def no_call_warning(examples: list[Example]) -> str | None:
    """Why the share of no-call rows is a problem (none, or more than half), or None."""
    count = sum(example.call is None for example in examples)
    if examples and not count:
        return ("no rows with tool_calls [] (no tool applies): the model will call a tool for every input; "
                "add out-of-scope rows (about a fifth of the data, like the bundled seeds)")
    if count > len(examples) / 2:
        return (f"{count} of {len(examples)} rows are no-call rows, more than half: the model may learn to "
                "answer without a call when a tool applies")
    return None


# ----------------------------------------------------------------------------- split


def split_examples(examples: list[Example], tools: list[dict], test_fraction: float = 0.1, seed: int = 42,
                   resplit: bool = False) -> tuple[list[Example], list[Example]]:
    """Deterministic train/test split, stratified by `routing_label` (no-call rows
    form a stratum of their own).

    The unit of the split is a meaning: rows that share `_renderings.meaning_key` (one is another's
    rendering: "So, where is the water?" and "Where is the water?", "20 km" and "twenty kilometres")
    all land on one side, so no training row, nor any rendering of one, is a rendering of a test row.
    A dataset that brings its own `test` split (a Hub dataset) keeps it: its test rows are test
    rows and its other rows training rows, unless `resplit`; a row of any source that shares a
    meaning with one of its test rows is a test row too, with one of its training rows a training
    row. The rows of every other source are split here. That split depends only on the set of
    messages, the seed and the fraction, never on row order, so training and evaluation derive the
    same held-out rows from the same datasets. Each stratum gets its proportional share of the test
    rows (largest remainders first), whole meanings in the order of their rank, skipping one that
    would overshoot the share; a stratum with a single row stays in training."""
    if not 0 <= test_fraction < 1:
        raise DataError(f"--test-split must be in [0, 1), got {test_fraction}")
    own_split = set() if resplit else set(sources_with_test_split(examples))

    def keeps_its_split(example: Example) -> bool:
        return example.origin is not None and example.origin.source in own_split

    kept = [example for example in examples if keeps_its_split(example)]
    kept_test_keys = {meaning_key(example.message) for example in kept if example.origin.split == "test"}
    kept_test = [example for example in examples if meaning_key(example.message) in kept_test_keys]
    kept_train_keys = {meaning_key(example.message) for example in kept} - kept_test_keys
    kept_train = [example for example in examples if meaning_key(example.message) in kept_train_keys]
    examples = [example for example in examples if meaning_key(example.message) not in kept_test_keys | kept_train_keys]

    def rank(example: Example) -> str:
        return hashlib.sha256(f"{seed}\0{normalise_message(example.message)}".encode()).hexdigest()

    meanings = defaultdict(list)
    for example in examples:
        meanings[meaning_key(example.message)].append(example)
    strata = defaultdict(list)  # label -> its meanings (lists of rows, each in rank order), in rank order
    for rows in meanings.values():
        rows.sort(key=rank)
        strata[min(routing_label(example.call, tools) for example in rows)].append(rows)
    rows_in = {label: sum(map(len, groups)) for label, groups in strata.items()}
    for groups in strata.values():
        groups.sort(key=lambda rows: rank(rows[0]))
    total_test = round(len(examples) * test_fraction)
    shares = {label: rows * test_fraction for label, rows in rows_in.items()}
    quota = {label: int(share) for label, share in shares.items()}
    by_remainder = sorted(strata, key=lambda label: (-(shares[label] - quota[label]), rank_label(label, seed)))
    for label in by_remainder:
        if sum(quota.values()) >= total_test:
            break
        if quota[label] + 1 < rows_in[label]:
            quota[label] += 1
    test, train = [], []
    for label in sorted(strata):
        taken = 0
        for rows in strata[label]:
            if taken + len(rows) <= quota[label]:
                test += rows
                taken += len(rows)
            else:
                train += rows
    random.Random(seed).shuffle(train)
    random.Random(seed + 1).shuffle(test)
    return kept_train + train, kept_test + test


def sources_with_test_split(examples: list[Example]) -> list[str]:
    """The sources among `examples` that bring their own `test` split, in order of appearance."""
    return list(dict.fromkeys(example.origin.source for example in examples
                              if example.origin and example.origin.split == "test"))


def rank_label(label: str, seed: int) -> str:
    return hashlib.sha256(f"{seed}\0{label}".encode()).hexdigest()
# --- end _data.py ---


# --- begin _format.py (vendored: what this script uses of it; edit _format.py, then run python dev/sync_vendored.py) ---
"""FunctionGemma's native format: control tokens, the renderer, its Jinja twin, the parser.

Training, evaluation and the exported model all render prompts and answers with this code and
parse answers like LiteRT-LM does on the device (see the format reference in README.md).
Single source: scripts carry a copy between `# --- begin _format.py` / `# --- end _format.py`
marker lines; edit this file, then run `python dev/sync_vendored.py`. Standard library only.
"""

import os
import re
import sys
from dataclasses import dataclass

DEFAULT_MODEL = "google/functiongemma-270m-it"
DEVELOPER_PROMPT = "You are a model that can do function calling with the following functions"
# What a model trained here answers, in prose and with no call, when no declared tool fits
# (`--no-call-reply`; recorded in training_config.json, which evaluation and export read back).
DEFAULT_NO_CALL_REPLY = "Sorry, I can't help with that on the bike."


# ----------------------------------------------------------------------------- rendering


def format_value(value) -> str:
    """A value in FunctionGemma's call syntax: strings escaped, keys sorted, literals bare."""
    if isinstance(value, str):
        return f"{ESCAPE}{value}{ESCAPE}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "{" + ",".join(f"{key}:{format_value(value[key])}" for key in sorted(value)) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(format_value(item) for item in value) + "]"
    return str(value)


def render_schema(schema: dict) -> str:
    """A parameter schema: description, enum, type (upper-cased), in that order."""
    parts = []
    if "description" in schema:
        parts.append(f"description:{ESCAPE}{schema['description']}{ESCAPE}")
    if "enum" in schema:
        parts.append("enum:[" + ",".join(f"{ESCAPE}{value}{ESCAPE}" for value in schema["enum"]) + "]")
    parts.append(f"type:{ESCAPE}{str(schema['type']).upper()}{ESCAPE}")
    return "{" + ",".join(parts) + "}"


def render_declaration(tool: dict) -> str:
    function = tool["function"]
    parameters = function.get("parameters") or {}
    parts = []
    if parameters.get("properties"):
        properties = parameters["properties"]
        parts.append("properties:{" + ",".join(f"{key}:{render_schema(properties[key])}"
                                               for key in sorted(properties)) + "}")
    if parameters.get("required"):
        parts.append("required:[" + ",".join(f"{ESCAPE}{key}{ESCAPE}" for key in parameters["required"]) + "]")
    parts.append(f"type:{ESCAPE}{str(parameters.get('type', 'object')).upper()}{ESCAPE}")
    return (f"{START_DECLARATION}declaration:{function['name']}"
            f"{{description:{ESCAPE}{function.get('description', '')}{ESCAPE},"
            f"parameters:{{{','.join(parts)}}}}}{END_DECLARATION}")


def render_prompt(tools: list[dict], message: str) -> str:
    """The prompt up to the model's turn, starting with the single <bos>."""
    declarations = "".join(render_declaration(tool) for tool in tools)
    return (f"{BOS}{START_OF_TURN}developer\n{DEVELOPER_PROMPT.strip()}{declarations}{END_OF_TURN}\n"
            f"{START_OF_TURN}user\n{message.strip()}{END_OF_TURN}\n"
            f"{START_OF_TURN}model\n")


def render_call(call: Call) -> str:
    arguments = ",".join(f"{key}:{format_value(value)}" for key, value in call.arguments)
    return f"{START_CALL}call:{call.name}{{{arguments}}}{END_CALL}"


def check_no_call_reply(reply: str) -> str:
    """The no-call reply, trimmed like the template trims content; DataError if it is unusable."""
    text = reply.strip()
    if not text:
        raise DataError("--no-call-reply must not be empty")
    problem = control_token_problem(text, "--no-call-reply")
    if problem:
        raise DataError(problem)
    return text


def render_completion(call: Call | None, no_call_reply: str = DEFAULT_NO_CALL_REPLY) -> str:
    """The training target: the call, closed by <start_function_response> like the model does;
    for a row no tool serves (call None), the prose reply closed by <end_of_turn>."""
    if call is None:
        return check_no_call_reply(no_call_reply) + END_OF_TURN
    return render_call(call) + START_RESPONSE


def chat_messages(message: str, call: Call | None = None, reply: str | None = None) -> list[dict]:
    """The same conversation in Hugging Face chat form, for tokenizer chat templates: the prompt
    alone, or with the model's answer (a call, or else a prose `reply`)."""
    messages = [{"role": "developer", "content": DEVELOPER_PROMPT},
                {"role": "user", "content": message}]
    if call is not None:
        messages.append({"role": "assistant", "tool_calls": [
            {"type": "function", "function": {"name": call.name, "arguments": call.args}}]})
    elif reply is not None:
        messages.append({"role": "assistant", "content": reply})
    return messages


class TemplateMismatch(RuntimeError):
    """The tokenizer's own chat template renders a different text than this toolkit."""


def check_chat_template(tokenizer, tools: list[dict], example: Example, strict: bool = True,
                        no_call_reply: str = DEFAULT_NO_CALL_REPLY) -> str:
    """Compare the tokenizer's chat template (if any) with our rendering of one example: the prompt
    (up to the model's turn) and the whole conversation with the model's answer (the training
    text). A no-call answer ends its turn, after which a template writes the turn separator "\n";
    the model stops at <end_of_turn>, so training never sees it.

    Returns "ours" when the tokenizer has no template, "match" when both agree; on mismatch
    raises TemplateMismatch (strict) or prints a warning and returns "mismatch"."""
    if not getattr(tokenizer, "chat_template", None):
        return "ours"
    prompt = render_prompt(tools, example.message)
    for what, ours, messages, generation_prompt in (
            ("prompt", prompt, chat_messages(example.message), True),
            ("prompt and completion (the model's turn with its answer)",
             prompt + render_completion(example.call, no_call_reply) + ("\n" if example.call is None else ""),
             chat_messages(example.message, example.call, no_call_reply), False)):
        try:
            theirs = tokenizer.apply_chat_template(messages, tools=tools, add_generation_prompt=generation_prompt,
                                                   tokenize=False)
        except Exception as error:
            theirs = f"<template error: {error}>"
        if theirs == ours:
            continue
        at = next((i for i, (a, b) in enumerate(zip(ours, theirs)) if a != b), min(len(ours), len(theirs)))
        problem = (f"the tokenizer's chat template renders a different {what} from this toolkit at char {at}: "
                   f"template {theirs[max(0, at - 30):at + 40]!r} vs ours {ours[max(0, at - 30):at + 40]!r}")
        if strict:
            raise TemplateMismatch(problem + " (pass --allow-template-mismatch to continue anyway)")
        print(f"warning: {problem}", file=sys.stderr)
        return "mismatch"
    return "match"


def tokenize_example(tokenizer, tools: list[dict], example: Example,
                     no_call_reply: str = DEFAULT_NO_CALL_REPLY) -> tuple[list[int], list[int]]:
    """(prompt ids, completion ids): the rendered text holds its own <bos>, so no special tokens
    are added and the sequence has exactly one <bos>."""
    prompt = tokenizer(render_prompt(tools, example.message), add_special_tokens=False)["input_ids"]
    completion = tokenizer(render_completion(example.call, no_call_reply), add_special_tokens=False)["input_ids"]
    bos_count = (prompt + completion).count(tokenizer.convert_tokens_to_ids(BOS))
    if bos_count != 1:
        raise DataError(f"{example.origin}: rendered example holds {bos_count} <bos> tokens, expected 1")
    return prompt, completion


# An added token of a tokenizer that is text all the same: a run of line breaks, tabs or spaces,
# or an HTML tag (Gemma's <b>, </td>, <blockquote>, ...: its pretraining text holds them) that the
# tokenizer does not mark special. Every other added token is not text (see `token_ids_not_text`).
TEXT_TOKEN = re.compile(r"\s+|</?[a-z][a-z0-9]*>")


def token_ids_not_text(tokenizer) -> set[int]:
    """Ids of every token of the tokenizer that no text may turn into: its special ids and every
    added token (special or not: <start_of_image>, [multimodal], <unused0>, <mask>, the format's
    control tokens, ...) except those that are text (TEXT_TOKEN)."""
    ids = {index for index, token in tokenizer.added_tokens_decoder.items()
           if token.special or not TEXT_TOKEN.fullmatch(token.content)}
    return ids | set(tokenizer.all_special_ids)


def special_tokens_in(tokenizer, texts: list[str]) -> list[str | None]:
    """For each text, the first token the tokenizer turns part of it into that is no text (a
    control token of the format, or another of its own: <start_of_image>, <unused0>, <mask>,
    [multimodal], ...: `token_ids_not_text`), or None."""
    reserved = token_ids_not_text(tokenizer)
    found = []
    for ids in tokenizer(list(texts), add_special_tokens=False)["input_ids"] if texts else []:
        index = next((index for index in ids if index in reserved), None)
        found.append(None if index is None else tokenizer.convert_ids_to_tokens(index))
    return found


NOT_TEXT = "a special or added token of the tokenizer, not text: text cannot carry the model's tokens"


def check_special_tokens(tokenizer, tools: list[dict], examples: list[Example], no_call_reply: str | None,
                         tools_origin: str = "tools", raise_for_rows: bool = True) -> list[tuple[Example, str]]:
    """The tokenizer's side of the control-token check (_data refuses the format's own tokens and
    Gemma's reserved ones before any tokenizer loads): DataError naming the tool and field, or
    --no-call-reply, whose text the tokenizer turns into a token that is no text (a special or
    added one: `token_ids_not_text`); the rows whose message or free-text argument it does, as
    (row, problem) pairs, or with `raise_for_rows` a DataError naming them."""
    fields = [(f"{tools_origin}: tool {index} ({function['name']}): {what}", text)
              for index, function in enumerate(tools_by_name(tools).values(), 1) for what, text in tool_texts(function)]
    if no_call_reply is not None:
        fields.append(("--no-call-reply", no_call_reply))
    row_texts = [(example, "the message", example.message) for example in examples]
    row_texts += [(example, f"the value of argument {key!r}", value) for example in examples
                  if example.call is not None for key, value in example.call.arguments if isinstance(value, str)]
    found = special_tokens_in(tokenizer, [text for _, text in fields] + [text for _, _, text in row_texts])
    for (what, _), token in zip(fields, found):
        if token:
            raise DataError(f"{what} contains {token}, {NOT_TEXT}")
    problems = {}  # the first problem of each row, in row order
    for (example, what, _), token in zip(row_texts, found[len(fields):]):
        if token and id(example) not in problems:
            problems[id(example)] = (example, f"{what} contains {token}, {NOT_TEXT}")
    order = {id(example): index for index, example in enumerate(examples)}
    rows = sorted(problems.values(), key=lambda item: order[id(item[0])])
    if rows and raise_for_rows:
        shown = "; ".join(f"{example.origin}: {problem}" for example, problem in rows[:3])
        more = f" (and {len(rows) - 3} more)" if len(rows) > 3 else ""
        raise DataError(f"{len(rows)} invalid row(s): {shown}{more}")
    return rows


# ----------------------------------------------------------------------------- prompt length

# The validator warns when the tool declarations and the longest row take more tokens than this:
# export_litertlm.py's default --kv-cache-max-len, all the phone holds of a prompt and its answer.
PROMPT_WARNING_TOKENS = 1024
# FunctionGemma 270M's context (max_position_embeddings of google/functiongemma-270m-it): what the
# validator holds the prompt to when it has no model's config.json to read.
DEFAULT_MODEL_CONTEXT = 32768
CHARS_PER_TOKEN = 4  # the validator's estimate without a tokenizer (Gemma: 3 to 5 for English and Spanish)


def developer_turn(tools: list[dict]) -> str:
    """What every prompt starts with, up to the user's turn: <bos> and the developer turn with the
    tool declarations."""
    prompt = render_prompt(tools, "")
    return prompt[:prompt.rindex(f"{START_OF_TURN}user\n")]


def row_text(example: Example, no_call_reply: str = DEFAULT_NO_CALL_REPLY) -> str:
    """The rest of a row's rendered text after `developer_turn`: the user's turn, the model's turn
    and its answer."""
    user_turn = render_prompt([], example.message)[len(developer_turn([])):]
    return user_turn + render_completion(example.call, no_call_reply)


@dataclass
class PromptLength:
    """Tokens of the shared developer turn and of each row's own part (`row_text`): exact from a
    tokenizer (it splits the text at the added tokens <end_of_turn> and "\n" that end the developer
    turn, so the parts add up to the whole), else estimated at CHARS_PER_TOKEN characters a token."""
    declarations: int
    rows: list[int]
    examples: list[Example]
    exact: bool

    @property
    def longest(self) -> tuple[int, Example | None]:
        """(tokens, row) of the longest row's own part; (0, None) without rows."""
        return max(zip(self.rows, self.examples), key=lambda item: item[0], default=(0, None))

    @property
    def total(self) -> int:
        """The longest rendered row: declarations and the longest row's own part."""
        return self.declarations + self.longest[0]

    def to_json(self) -> dict:
        return {"declarations": self.declarations, "longest_row": self.longest[0], "total": self.total,
                "exact": self.exact}


def prompt_length(tools: list[dict], examples: list[Example], no_call_reply: str = DEFAULT_NO_CALL_REPLY,
                  tokenizer=None) -> PromptLength:
    """The declarations' and every row's own tokens (see PromptLength), without tokenizing the
    declarations once per row."""
    texts = [developer_turn(tools)] + [row_text(example, no_call_reply) for example in examples]
    if tokenizer is None:
        counts = [-(-len(text) // CHARS_PER_TOKEN) for text in texts]
    else:
        # verbose=False: no warning that a text is longer than the model takes; saying so is our job
        counts = [len(ids) for ids in tokenizer(texts, add_special_tokens=False, verbose=False)["input_ids"]]
    return PromptLength(counts[0], counts[1:], list(examples), tokenizer is not None)


def check_prompt_fits(length: PromptLength, limit: int | None, limit_name: str, tools_origin: str) -> None:
    """DataError with the numbers when the declarations and the longest row take more tokens than
    `limit` (None: no limit known), e.g. the model's context or --max-length."""
    if limit is None or length.total <= limit:
        return
    tokens, example = length.longest
    about = "" if length.exact else "about "
    row = f" and the longest row ({example.origin or 'a row'}) {about}{tokens:,} more" if example else ""
    fix = ("declare fewer tools or shorter descriptions" if length.declarations >= limit
           else "shorten the longest rows, or declare fewer tools or shorter descriptions")
    estimate = ("" if length.exact
                else f" (estimated at {CHARS_PER_TOKEN} characters a token: --tokenizer counts exactly)")
    raise DataError(f"{tools_origin}: the tool declarations take {about}{length.declarations:,} tokens{row}, "
                    f"{about}{length.total:,} in all{estimate}, more than the {limit:,} tokens of {limit_name}: {fix}")


def model_context(model: str, base_model: str | None = None) -> tuple[int | None, str]:
    """(the longest sequence `model` takes, where that is read): max_position_embeddings of its
    config.json (a LoRA adapter's base model's; a multimodal config's text_config), read without
    loading any weights; (None, "") when unknown (no such file, no network)."""
    adapter = model_json_file(model, "adapter_config.json")
    source = model
    if isinstance(adapter, dict):
        source = base_model or adapter.get("base_model_name_or_path")
        if not isinstance(source, str) or not source or source == model:
            return None, ""
    config = model_json_file(source, "config.json")
    if not isinstance(config, dict):
        return None, ""
    for part in (config, config.get("text_config")):
        value = part.get("max_position_embeddings") if isinstance(part, dict) else None
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value, f"{source}/config.json"
    return None, ""


def model_json_file(model: str, filename: str):
    """A model's JSON file (a local dir's, or a Hub repo's), parsed; None when it has none."""
    if os.path.isdir(model):
        path = os.path.join(model, filename)
    elif re.fullmatch(r"[\w.-]+/[\w.-]+", model):
        try:
            from huggingface_hub import hf_hub_download
            path = hf_hub_download(model, filename, token=hf_token())
        except Exception:  # no such file, no network: loading the model says so when it matters
            return None
    else:
        return None
    if not os.path.isfile(path):
        return None
    return parse_json(decode_text(read_local_bytes(path), path), path)
# --- end _format.py ---


# --- begin _generation.py (vendored: what this script uses of it; edit _generation.py, then run python dev/sync_vendored.py) ---
"""Balanced, validated, resumable dataset expansion shared by the two dataset generators.

Single source: `generate_dataset.py` (Hugging Face Inference Providers) and
`generate_dataset-local-ollama.py` (Ollama) carry a copy between `# --- begin _generation.py` /
`# --- end _generation.py` marker lines; edit this file, then run `python dev/sync_vendored.py`.
A script adds only its client: `connect(args)` returns `ask(messages, schema, seed) -> str`, which
raises `TransientError` (worth retrying) or `FatalError` (stop at once) for server failures.

Plan: `--per-value` rows for every (tool, enum value, style), plus a no-call bucket of
`--no-call-share` of all rows (tool_calls []: requests none of the tools can serve). `--twin-share`
of that bucket are twins (near misses): rewrites of a tool's call rows that keep the topic and most
of the words but cross one of `_data.BOUNDARIES`, spread evenly over the tools and, round robin,
over the `--boundaries`; the rest is spread over NO_CALL_STYLES. One request asks for the messages
of one (tool, value, style), of one no-call style (the prompt lists the tools as what to avoid), or
of one (tool, boundary) twin slot (the prompt shows sampled call rows of the tool to rewrite); the
label is the script's, the model only writes the user message.

Resuming: the output CSV is the only state, so nothing can disagree with it after a crash. Rows
are whole lines written with one `os.write` and fsync'ed; a torn last line (power loss) is cut off
on the next run. The dataset format has no style column, so a re-run counts the rows per
(tool, value), the no-call rows, and the twins per boundary (the `boundary` column, written when the
plan holds twins; an older output without it gets it, empty on its rows, before its first twin is
appended), and credits them to that label's slots in plan order, the order the slots are filled in.
Totals per label and per boundary are therefore exact; the style mix and the twins' tools are exact
too unless an earlier run gave up on a slot part way (the next slots of that label then absorb its share).

Forms: kept rows are written alternately spoken (lower case, no punctuation, as a speech
recogniser returns them) and typed (capitalised, ending in ? or .), label by label, call and
no-call rows alike (the judge and the near-duplicate check see the row as written): whatever form the model writes in, the data cannot teach the router that a
form goes with a label (the validator's surface-shortcut warning).

Checking: a candidate that parses, is no chatter, is short enough and is no normalised duplicate
must also not be a near duplicate (character 3-gram Jaccard similarity above --max-similarity) of
a seed or a written row of the same label; then, unless --no-judge, a judge model reads it blind
(`judge_request`: the tools and their values, not the intended label) and names the one call it
asks for, or none, and the candidate is kept only when that is the intended label. Judge requests
share the generation's retries and failure budget; a resumed run only judges new candidates. The
validator carries this module for `--judge-model` (the same blind request, `judge_label`) and the
OpenAI-compatible client (`openai_connect`).
"""

import email.utils
import json
import sys
import time
from collections import Counter


class TransientError(Exception):
    """A failure worth retrying (timeout, connection, 429, 5xx); `retry_after` in seconds if the server said."""

    def __init__(self, reason: str, retry_after: float | None = None):
        super().__init__(reason)
        self.retry_after = retry_after


class FatalError(Exception):
    """A failure retrying cannot fix (refused credentials, unknown model)."""


class BadReply(Exception):
    """A reply that does not match the schema; the message is the rejection reason."""


class GenerationStopped(Exception):
    """The run stops; the message says why (one line)."""


def retry_after_seconds(value: str | None) -> float | None:
    """A Retry-After header (seconds or an HTTP date) in seconds from now."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, email.utils.parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def reply_field(text: str, key: str, kind: type):
    """`key` of a structured-output reply; BadReply when the reply is not JSON or not the schema's shape."""
    try:  # refused like any JSON input: nested too deep, huge numbers, NaN (_data.parse_json)
        reply = parse_json(text, "the reply")
    except (DataError, TypeError):
        raise BadReply("malformed_json") from None
    if not isinstance(reply, dict) or not isinstance(reply.get(key), kind):
        raise BadReply("wrong_shape")
    return reply[key]


NGRAM = 3
JUDGE_SYSTEM_PROMPT = ("You route what a cyclist says or types to the voice and chat assistant of a bike "
                       "computer. The assistant answers each message with at most one call of its functions. "
                       'Answer with JSON only, shaped {"label": "..."}.')
JUDGE_NO_CALL = "none"  # the judge's answer for "no call"; NO_CALL_LABEL in reports
JUDGE_SEED = 0
JUDGE_TEMPERATURE = 0.1  # near greedy; some servers refuse 0
JUDGE_MAX_TOKENS = 64
# A label is named at the end of the report when the judge reads at least this share of its judged
# candidates otherwise, twice the run's share or more, and at least JUDGE_DISAGREES_MIN of them.
JUDGE_DISAGREES_OFTEN = 0.25
JUDGE_DISAGREES_MIN = 2


def char_ngrams(message: str) -> frozenset[str]:
    """The character 3-grams of the normalised message, padded with a space at each end."""
    key = f" {normalise_message(message)} "
    return frozenset(key[index:index + NGRAM] for index in range(max(1, len(key) - NGRAM + 1)))


def similarity(first: frozenset[str], second: frozenset[str]) -> float:
    """Jaccard similarity of two n-gram sets."""
    return len(first & second) / len(first | second) if first or second else 1.0


# Near misses: a no-call row is a near miss of the tool whose call row it is most like (the similarity
# above), when that similarity reaches NEAR_MISS_SIMILARITY: it shares the tool's words but not its job
# ("how far did I ride last Tuesday" beside "how far have I ridden"). They are how a router learns where
# a tool's job ends; a tool with fewer than MIN_NEAR_MISSES, or than MIN_NEAR_MISS_SHARE of its call
# rows, is named. (Measured: the 155 twins written for the bundled seeds reach a median similarity of
# 0.33 with the tool they were written for, found as the nearest in 131; the 360 other no-call rows 0.17.)
NEAR_MISS_SIMILARITY = 0.25
MIN_NEAR_MISSES = 15
MIN_NEAR_MISS_SHARE = 0.10


def nearest_call_tool(grams: frozenset[str], call_rows: list[tuple[frozenset[str], str]]) -> tuple[float, str]:
    """The similarity to the most similar of `call_rows` ((n-grams, tool name) pairs, not empty) and
    that row's tool: the tool a no-call row is a near miss of."""
    return max((similarity(grams, other), name) for other, name in call_rows)


def boundary_report(examples: list, tools: list[dict]) -> dict:
    """Per declared tool: its call rows, its near misses and their boundaries (the optional column),
    and a warning for each tool with too few."""
    call_rows = [(char_ngrams(example.message), example.call.name) for example in examples if example.call]
    tools_table = {tool["function"]["name"]: {"call_rows": 0, "near_misses": 0, "by_boundary": Counter()}
                   for tool in tools}
    for _, name in call_rows:
        tools_table[name]["call_rows"] += 1
    for example in examples:
        if example.call is not None or not call_rows:
            continue
        score, name = nearest_call_tool(char_ngrams(example.message), call_rows)
        if score >= NEAR_MISS_SIMILARITY:
            tools_table[name]["near_misses"] += 1
            tools_table[name]["by_boundary"][example.boundary or "unlabelled"] += 1
    warnings = []
    for name, counts in tools_table.items():
        wanted = max(MIN_NEAR_MISSES, MIN_NEAR_MISS_SHARE * counts["call_rows"])
        if counts["call_rows"] and counts["near_misses"] < wanted:
            warnings.append(f"{name}: {counts['near_misses']} near misses (no-call rows that share its words but "
                            f"not its job), fewer than {wanted:g}: the model will call it for requests it cannot "
                            "serve (a past ride, another place or person, a change instead of a read); "
                            "add no-call twins of its call rows")
        counts["by_boundary"] = dict(counts["by_boundary"].most_common())
    return {"similarity": NEAR_MISS_SIMILARITY, "tools": tools_table, "warnings": warnings}


def judge_labels(tools: list[dict]) -> list[str]:
    """Every answer the judge may give: `tool:value` per routing value (`tool` for a tool without
    one, as `routing_label` writes them), then JUDGE_NO_CALL."""
    labels = []
    for name, function in tools_by_name(tools).items():
        argument = routing_argument(function)
        if argument is None:
            labels.append(name)
            continue
        labels += [routing_label(Call.make(name, {argument: value}), tools)
                   for value in function["parameters"]["properties"][argument]["enum"]]
    return labels + [JUDGE_NO_CALL]


def judge_schema(tools: list[dict]) -> dict:
    return {"type": "object", "properties": {"label": {"type": "string", "enum": judge_labels(tools)}},
            "required": ["label"], "additionalProperties": False}


def judge_request(message: str, tools: list[dict]) -> list[dict]:
    """Chat messages asking which one call a message means: the tools and their values, never the
    intended label (the same request for generated candidates and for a dataset's rows)."""
    lines = ["The assistant's functions:"]
    for name, function in tools_by_name(tools).items():
        lines.append(f"- {name}: {function.get('description', '')}")
        argument = routing_argument(function)
        if argument is not None:
            schema = function["parameters"]["properties"][argument]
            lines.append(f"  {argument}: {schema.get('description', '')} Values: {', '.join(schema['enum'])}")
    lines += [
        "",
        f"Message: {json.dumps(message, ensure_ascii=False)}",
        "",
        "Which one call does this message ask the assistant for? Answer with its label, the function and "
        'the value joined by a colon (like "find_nearby_poi:water"), or "none" when none of the functions '
        "serves it (chit-chat, another app's job, a question outside their values, a fragment, or a message "
        "that mentions a topic but asks for nothing).",
    ]
    return [{"role": "system", "content": JUDGE_SYSTEM_PROMPT}, {"role": "user", "content": "\n".join(lines)}]


def parse_judgement(text: str, labels: list[str]) -> str:
    """The judge's label (NO_CALL_LABEL for none); BadReply when the reply is not one of `labels`."""
    label = reply_field(text, "label", str).strip()
    if label not in labels:
        raise BadReply("unknown_label")
    return NO_CALL_LABEL if label == JUDGE_NO_CALL else label


def judge_label(judge, message: str, tools: list[dict], budget: "FailureBudget") -> str:
    """The label the judge reads in a message (`routing_label` form), asked until it answers: failures
    are retried and counted like the generation's (GenerationStopped when the budget is spent)."""
    request, schema, labels = judge_request(message, tools), judge_schema(tools), judge_labels(tools)
    while True:
        try:
            label = parse_judgement(judge(request, schema, JUDGE_SEED, JUDGE_TEMPERATURE, JUDGE_MAX_TOKENS), labels)
        except TransientError as error:
            budget.failed(f"judge: {error}", error.retry_after)
            continue
        except FatalError as error:
            raise GenerationStopped(f"judge: {error}") from None
        except BadReply as error:
            budget.failed(f"judge: unusable reply ({error}) for {message!r}", wait=False)
            continue
        budget.succeeded()
        return label


def disagreements(quality: dict[str, Quality]) -> list[str]:
    """The labels the judge often reads otherwise (see JUDGE_DISAGREES_OFTEN), each with how often and as what."""
    judged = sum(counts.judged for counts in quality.values())
    run_share = sum(sum(counts.judge_rejected.values()) for counts in quality.values()) / judged if judged else 0
    named = []
    for key, counts in quality.items():
        rejected = sum(counts.judge_rejected.values())
        if rejected >= JUDGE_DISAGREES_MIN and rejected >= max(JUDGE_DISAGREES_OFTEN, 2 * run_share) * counts.judged:
            instead = ", ".join(f"{label} {count}" for label, count in counts.judge_rejected.most_common())
            named.append(f"{key} ({rejected} of {counts.judged} judged; read as {instead})")
    return named


# ----------------------------------------------------------------------------- retries


class FailureBudget:
    """Exponential back-off with jitter between retries; a bounded total of failures per run."""

    def __init__(self, max_failures: int, base_delay: float, rng: random.Random, max_delay: float = 60.0):
        self.max_failures, self.base_delay, self.max_delay = max_failures, base_delay, max_delay
        self.rng = rng
        self.total = 0
        self.in_a_row = 0

    def succeeded(self) -> None:
        self.in_a_row = 0

    def failed(self, reason: str, retry_after: float | None = None, wait: bool = True) -> None:
        """Count a failure, stop the run when the budget is spent, else sleep before the retry."""
        self.total += 1
        self.in_a_row += 1
        if self.total >= self.max_failures:
            raise GenerationStopped(f"stopped after {self.total} failures (--max-failures); last: {reason}")
        if not wait:
            log(f"{reason}; asking again")
            return
        delay = min(self.max_delay, self.base_delay * 2 ** (self.in_a_row - 1))
        delay = self.rng.uniform(delay / 2, delay)
        if retry_after is not None:
            delay = max(delay, retry_after)
        honoured = " (Retry-After)" if retry_after is not None and delay == retry_after else ""
        log(f"{reason}; retrying in {delay:.2f}s{honoured}")
        time.sleep(delay)


def log(line: str) -> None:
    """A line on stderr that does not break the progress bar."""
    from tqdm.auto import tqdm
    tqdm.write(line, file=sys.stderr)


# ----------------------------------------------------------------------------- OpenAI-compatible client

ROUTER_URL = "https://router.huggingface.co/v1"


def openai_failure(error: Exception, base_url: str, model: str, timeout: float) -> Exception | None:
    """The TransientError/FatalError a client exception means, or None if it is not a server failure."""
    import httpx2
    from huggingface_hub.errors import HfHubHTTPError, OfflineModeIsEnabled
    if isinstance(error, HfHubHTTPError):
        status = error.response.status_code
        if status in (401, 403):
            return FatalError(f"{base_url} refused the token (HTTP {status}): check that HF_TOKEN "
                              "is valid and may call Inference Providers")
        if status == 429:
            return TransientError("rate limited (HTTP 429)", retry_after_seconds(error.response.headers.get("Retry-After")))
        if status >= 500:
            return TransientError(f"server error (HTTP {status})")
        detail = (error.server_message or error.response.text or "").strip().splitlines()
        return FatalError(f"{base_url} rejected the request (HTTP {status}) for model {model}"
                          + (f": {detail[0][:200]}" if detail else ""))
    if isinstance(error, OfflineModeIsEnabled):
        return FatalError(f"{str(error).splitlines()[0]}")
    # InferenceTimeoutError (a TimeoutError); huggingface_hub 2.0 lets httpx2's own timeout through
    if isinstance(error, (TimeoutError, httpx2.TimeoutException)):
        return TransientError(f"no reply within {timeout:g}s")
    if isinstance(error, httpx2.TransportError):
        return TransientError(f"cannot reach {base_url} ({type(error).__name__})")
    if isinstance(error, json.JSONDecodeError):  # a body that is not a chat completion
        return TransientError(f"unreadable reply from {base_url}")
    return None


def openai_connect(base_url: str, model: str, timeout: float):
    """`ask(messages, schema, seed, temperature, max_tokens) -> text` over the OpenAI-compatible
    chat-completions API (the Hugging Face router by default), with JSON-schema structured output."""
    token = hf_token()
    if not token:
        raise DataError("no Hugging Face token: set HF_TOKEN or run `hf auth login`")
    from huggingface_hub import InferenceClient
    if base_url.rstrip("/") == ROUTER_URL:
        # Without base_url the client sends OpenAI's response_format to the router as is; with it,
        # the client assumes a TGI server and rewrites it into TGI's {"type": "json_object", "value": ...},
        # which some providers behind the router reject.
        if not token.startswith("hf_"):
            raise DataError("the Hugging Face router needs a Hugging Face token (hf_...) in HF_TOKEN")
        client = InferenceClient(api_key=token, timeout=timeout)
    else:
        client = InferenceClient(base_url=base_url, api_key=token, timeout=timeout)

    def ask(messages: list[dict], schema: dict, seed: int, temperature: float, max_tokens: int) -> str:
        try:
            reply = client.chat_completion(
                messages, model=model, temperature=temperature, seed=seed, max_tokens=max_tokens,
                response_format={"type": "json_schema",  # named after its one property: messages, label
                                 "json_schema": {"name": next(iter(schema["properties"])), "schema": schema,
                                                 "strict": True}})
        except Exception as error:
            meaning = openai_failure(error, base_url, model, timeout)
            if meaning is None:
                raise
            raise meaning from None
        choices = reply.choices or []  # a JSON body of another shape parses with choices=None
        return (choices[0].message.content or "") if choices else ""

    return ask


# ----------------------------------------------------------------------------- run


def add_request_arguments(group) -> None:
    """Timeout, failure budget and back-off of a script's requests (the generators', the validator's judge)."""
    group.add_argument("--timeout", type=float, default=120.0, metavar="SECONDS",
                       help="seconds to wait for one reply (default 120)")
    group.add_argument("--max-failures", type=int, default=20, metavar="N",
                       help="stop after this many failed requests or unusable replies in total (default 20)")
    group.add_argument("--retry-delay", type=float, default=1.0, metavar="SECONDS",
                       help="first back-off delay in seconds, doubled per failure in a row (default 1)")


def check_request_arguments(args: argparse.Namespace) -> None:
    if args.max_failures < 1 or args.timeout <= 0 or args.retry_delay < 0:
        raise DataError("--max-failures must be at least 1, --timeout positive and --retry-delay not negative")
# --- end _generation.py ---


if __name__ == "__main__":
    run_main(main)
