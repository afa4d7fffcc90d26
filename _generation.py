"""Balanced, validated, resumable dataset expansion shared by the two dataset generators.

This file is the single source. `generate_dataset.py` (Hugging Face Inference Providers) and
`generate_dataset-local-ollama.py` (Ollama) carry a copy between the marker lines
`# --- begin _generation.py` and `# --- end _generation.py`, right after their copy of
`_common.py` (whose names it uses); edit this file, then run `python dev/sync_vendored.py`.
A script adds only its client: `connect(args)` returns `ask(messages, schema, seed) -> str`, which
raises `TransientError` (worth retrying) or `FatalError` (stop at once) for server failures.

Plan: `--per-value` rows for every (tool, enum value, style). One request asks for the messages of
one (tool, value, style); the label is the script's, the model only writes the user message.

Resuming: the output CSV is the only state, so nothing can disagree with it after a crash. Rows
are whole lines written with one `os.write` and fsync'ed; a torn last line (power loss) is cut off
on the next run. The dataset format has no style column, so a re-run counts the rows per
(tool, value) and credits them to that pair's styles in plan order, the order the slots are
filled in. Totals per (tool, value) are therefore exact; the style mix is exact too unless an
earlier run gave up on a slot part way (the next slots of that pair then absorb its share).
"""

if "parse_row" not in globals():  # imported as a module; a vendored copy follows _common's
    from _common import (Call, DataError, load_examples, load_tools, normalise_message,
                         parse_row, read_csv_rows, tools_by_name)

import argparse
import csv
import email.utils
import io
import json
import os
import random
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass

STYLES = {
    "standard": "a plain, natural request or question in English, the way most riders would say it",
    "terse": "a terse voice command in English, one to four words, as if spoken mid-effort",
    "indirect": ("indirect intent in English: describe the situation or the need without naming the "
                 "thing to check (like \"my legs are done\" asking for a flatter route)"),
    "spanish": "natural, colloquial Spanish, as a rider from Spain or Latin America would say it",
    "chatty": "chatty, informal English: one or two relaxed sentences with some filler words",
}
MAX_MESSAGE_CHARS = 200
MAX_PER_REQUEST = 10
EXTRA_PER_REQUEST = 2  # ask for a few more than missing: some candidates get rejected
MAX_IDLE_REPLIES = 3  # usable replies in a row that add no row before a slot is given up
MAX_EXAMPLES_IN_PROMPT = 12  # seeds of the requested value
MAX_AVOID_IN_PROMPT = 15
# Model chatter instead of a rider's message: list markers, preambles, labels, self-reference.
META_TEXT = re.compile(
    r"^\s*(?:\d+[.)]\s|[-*•]\s|#)"
    r"|^\s*(?:(?:sure|certainly|of course|okay|ok)\W+)?here (?:are|is)\b"
    r"|^\s*(?:example|message|note)\s*\d*\s*:|:\s*$|^\s*[\"“«].*[\"”»]\s*$"
    r"|\bas an ai\b|\blanguage model\b|\buser_message\b|\btool_calls?\b|\bjson\b",
    re.IGNORECASE)


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


# ----------------------------------------------------------------------------- plan


@dataclass
class Slot:
    """Target rows of one (tool, value, style) and how many the output holds."""
    tool: str
    argument: str
    value: str
    style: str
    target: int
    done: int = 0

    @property
    def missing(self) -> int:
        return max(0, self.target - self.done)

    @property
    def call(self) -> Call:
        return Call.make(self.tool, {self.argument: self.value})


def routing_argument(function: dict) -> str:
    """The enum parameter the plan balances over; the generator fills no other argument."""
    parameters = function.get("parameters", {})
    for key, schema in parameters.get("properties", {}).items():
        if "enum" in schema:
            others = [name for name in parameters.get("required", []) if name != key]
            if others:
                raise DataError(f"tool {function['name']}: required argument {others[0]!r} has no enum; "
                                "the generator only fills one enum argument per tool")
            return key
    raise DataError(f"tool {function['name']} has no enum argument to balance the dataset over")


def plan_slots(tools: list[dict], styles: list[str], per_value: int) -> list[Slot]:
    """Slots in fill order: tools and values as declared, styles as given."""
    if per_value < 1:
        raise DataError(f"--per-value must be at least 1, got {per_value}")
    slots = []
    for name, function in tools_by_name(tools).items():
        argument = routing_argument(function)
        for value in function["parameters"]["properties"][argument]["enum"]:
            slots.extend(Slot(name, argument, value, style, per_value) for style in styles)
    return slots


# ----------------------------------------------------------------------------- output file


@dataclass
class OutputState:
    """What the output CSV already holds."""
    examples: list  # Example, in file order
    torn_bytes: int = 0  # length of an incomplete last line (cut off before appending)


def read_output(path: str, tools: list[dict]) -> OutputState:
    """Rows already in the output; DataError names the line of a row that is not valid."""
    if not os.path.exists(path):
        return OutputState([])
    with open(path, "rb") as handle:
        data = handle.read()
    complete = data[:data.rfind(b"\n") + 1]
    state = OutputState([], torn_bytes=len(data) - len(complete))
    if not complete.strip():
        return state
    try:
        text = complete.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DataError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from None
    for origin, row in read_csv_rows(text, path):
        try:
            state.examples.append(parse_row(row, tools, origin))
        except DataError as error:
            raise DataError(f"{origin}: {error}; fix or remove that row, or choose another --output") from None
    return state


def credit_existing(slots: list[Slot], examples: list) -> None:
    """Credit rows in the file to their (tool, value)'s slots in plan order (see the module doc)."""
    available = Counter(example.call for example in examples)
    for slot in slots:
        slot.done = min(slot.target, available[slot.call])
        available[slot.call] -= slot.done


class RowWriter:
    """Appends whole CSV rows: one os.write per row, then fsync, so a kill never leaves half a row."""

    def __init__(self, path: str, torn_bytes: int):
        self.path = path
        self.torn_bytes = torn_bytes
        self.descriptor = None

    def _open(self) -> None:
        if self.torn_bytes:
            os.truncate(self.path, os.path.getsize(self.path) - self.torn_bytes)
        self.descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        if os.fstat(self.descriptor).st_size == 0:
            self._write_line(["user_message", "tool_calls"])

    def _write_line(self, fields: list[str]) -> None:
        buffer = io.StringIO()
        csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n").writerow(fields)
        data = buffer.getvalue().encode("utf-8")
        while data:
            data = data[os.write(self.descriptor, data):]
        os.fsync(self.descriptor)

    def write(self, message: str, call: Call) -> None:
        if self.descriptor is None:
            self._open()
        self._write_line([message, call.to_json()])

    def close(self) -> None:
        if self.descriptor is not None:
            os.close(self.descriptor)
            self.descriptor = None


# ----------------------------------------------------------------------------- prompt and reply


def reply_schema(count: int) -> dict:
    return {
        "type": "object",
        "properties": {"messages": {"type": "array", "items": {"type": "string"},
                                    "minItems": 1, "maxItems": count}},
        "required": ["messages"],
        "additionalProperties": False,
    }


def build_request(slot: Slot, function: dict, count: int, seeds: list, avoid: list[str]) -> list[dict]:
    """Chat messages asking for `count` user messages of one (tool, value, style)."""
    schema = function["parameters"]["properties"][slot.argument]
    others = [value for value in schema["enum"] if value != slot.value]
    # All seeds of the value, then a few of each other value for contrast.
    examples = [seed for seed in seeds if seed.call == slot.call][:MAX_EXAMPLES_IN_PROMPT]
    for value in others:
        examples += [seed for seed in seeds if seed.call == Call.make(slot.tool, {slot.argument: value})][:2]
    example_lines = [f'- {json.dumps(seed.message, ensure_ascii=False)} [{seed.call.args[slot.argument]}]'
                     for seed in examples]
    avoid_lines = [f"- {json.dumps(message, ensure_ascii=False)}" for message in avoid]
    system = ("You write training data for the voice and chat assistant of a bike computer. Each "
              "message is one thing a cyclist might say or type to it during a ride. Answer with "
              'JSON only, shaped {"messages": ["...", "..."]}: no commentary, no numbering.')
    lines = [
        f"Function: {slot.tool}",
        f"What it does: {function.get('description', '')}",
        f'Argument: {slot.argument} = "{slot.value}" ({schema.get("description", "")})',
        f"Other values of {slot.argument}, which the messages must NOT mean: {', '.join(others) or 'none'}",
        f"Style: {slot.style}: {STYLES[slot.style]}",
        "",
        f"Real messages for {slot.tool} (the {slot.argument} each one maps to in brackets):",
        *(example_lines or ["- (none yet)"]),
    ]
    if avoid_lines:
        lines += ["", f'Already written for "{slot.value}" (do not repeat or closely paraphrase):', *avoid_lines]
    lines += [
        "",
        f"Write {count} different messages in that style that clearly ask for {slot.tool} with "
        f'{slot.argument}="{slot.value}". Vary the wording and the situation. Each message is a single '
        f"line under {MAX_MESSAGE_CHARS} characters, has no quotes around it, no numbering, and never "
        "names the function.",
    ]
    return [{"role": "system", "content": system}, {"role": "user", "content": "\n".join(lines)}]


def parse_reply(text: str) -> list:
    """The candidate messages of a reply; BadReply when it is not the schema's shape."""
    try:
        reply = json.loads(text)
    except (json.JSONDecodeError, TypeError):
        raise BadReply("malformed_json") from None
    if not isinstance(reply, dict) or not isinstance(reply.get("messages"), list):
        raise BadReply("wrong_shape")
    return reply["messages"]


def rejection(candidate, slot: Slot, tools: list[dict], seen: set[str]) -> str | None:
    """Why a candidate message cannot become a row, or None."""
    if not isinstance(candidate, str):
        return "not_text"
    message = candidate.strip()
    if not normalise_message(message):
        return "empty"
    if "\n" in message:
        return "multi_line"
    if len(message) > MAX_MESSAGE_CHARS:
        return "too_long"
    if META_TEXT.search(message) or slot.tool.casefold() in message.casefold():
        return "meta_text"
    try:
        parse_row({"user_message": message, "tool_calls": slot.call.to_json()}, tools)
    except DataError:
        return "invalid_row"
    if normalise_message(message) in seen:
        return "duplicate"
    return None


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


# ----------------------------------------------------------------------------- run


def add_generation_arguments(parser: argparse.ArgumentParser, default_model: str) -> None:
    parser.add_argument("--seeds", action="append",
                        help="seed CSV path, CSV URL or Hub dataset id; repeat to merge (default: bundled seeds)")
    parser.add_argument("--tools", help="tools JSON file or https URL (default: bundled cycling-copilot tools)")
    parser.add_argument("--output", default="generated-dataset.csv",
                        help="CSV to append to (user_message,tool_calls); re-run to resume (default %(default)s)")
    parser.add_argument("--per-value", type=int, default=3,
                        help="rows per (tool, value, style) (default %(default)s)")
    parser.add_argument("--styles", nargs="+", choices=list(STYLES), default=list(STYLES),
                        help="message styles (default: all)")
    parser.add_argument("--model", default=default_model, help="generator model (default %(default)s)")
    parser.add_argument("--seed", type=int, default=42, help="sampling seed sent with each request (default 42)")
    parser.add_argument("--dry-run", action="store_true", help="print the plan and one prompt; call no server")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for one reply (default 120)")
    parser.add_argument("--max-failures", type=int, default=20,
                        help="stop after this many failed requests or unusable replies in total (default 20)")
    parser.add_argument("--retry-delay", type=float, default=1.0,
                        help="first back-off delay in seconds, doubled per failure in a row (default 1)")


def print_plan(slots: list[Slot], styles: list[str]) -> None:
    pairs = Counter((slot.tool, slot.value) for slot in slots)
    target = sum(slot.target for slot in slots)
    missing = sum(slot.missing for slot in slots)
    print(f"plan: {len(pairs)} (tool, value) pairs x {len(styles)} styles ({', '.join(styles)}) "
          f"x {slots[0].target} = {target} rows; the output holds {target - missing}, {missing} to generate")


def print_holdings(path: str, slots: list[Slot], tools: list[dict]) -> None:
    """Table of what the output file holds per (tool, value), against the plan."""
    if not os.path.exists(path):
        print(f"\n{path}: nothing written")
        return
    held = Counter(example.call for example in read_output(path, tools).examples)
    targets = Counter()
    for slot in slots:
        targets[(slot.tool, slot.value, slot.call)] += slot.target
    print(f"\n{path}: {sum(held.values())} rows")
    print(f"  {'tool':<26}{'value':<20}{'rows':>6}{'target':>8}")
    for (tool, value, call), target in targets.items():
        short = max(0, target - held[call])
        print(f"  {tool:<26}{value:<20}{held[call]:>6}{target:>8}{f'  missing {short}' if short else ''}")


def fill_slots(slots, tools, seeds, ask, writer, seen, written, budget, rejected, seed) -> None:
    """Ask for each slot's missing rows until it is full or the model stops adding new ones."""
    from tqdm.auto import tqdm
    functions = tools_by_name(tools)
    rng = random.Random(seed)
    requests = 0
    with tqdm(total=sum(slot.missing for slot in slots), unit="row", desc="generating") as progress:
        for slot in slots:
            idle = 0
            while slot.missing and idle < MAX_IDLE_REPLIES:
                count = min(MAX_PER_REQUEST, slot.missing + EXTRA_PER_REQUEST)
                earlier = written.setdefault(slot.call, [])
                avoid = rng.sample(earlier, min(MAX_AVOID_IN_PROMPT, len(earlier)))
                request = build_request(slot, functions[slot.tool], count, seeds, avoid)
                requests += 1
                try:
                    candidates = parse_reply(ask(request, reply_schema(count), seed + requests))
                except TransientError as error:
                    budget.failed(str(error), error.retry_after)
                    continue
                except FatalError as error:
                    raise GenerationStopped(str(error)) from None
                except BadReply as error:
                    rejected[str(error)] += 1
                    budget.failed(f"unusable reply ({error}) for {slot.tool}={slot.value}", wait=False)
                    continue
                budget.succeeded()
                added = 0
                for candidate in candidates:
                    if not slot.missing:
                        break
                    reason = rejection(candidate, slot, tools, seen)
                    if reason:
                        rejected[reason] += 1
                        continue
                    message = candidate.strip()
                    writer.write(message, slot.call)
                    seen.add(normalise_message(message))
                    earlier.append(message)
                    slot.done += 1
                    added += 1
                    progress.update(1)
                idle = 0 if added else idle + 1
            if slot.missing:
                log(f"giving up on {slot.tool}={slot.value} ({slot.style}) after {MAX_IDLE_REPLIES} replies "
                    f"without a new row; {slot.missing} missing")


def run_generation(args: argparse.Namespace, connect) -> int:
    """The whole run for a client; `connect(args)` returns the client's `ask` function."""
    if args.max_failures < 1 or args.timeout <= 0 or args.retry_delay < 0:
        raise DataError("--max-failures must be at least 1, --timeout positive and --retry-delay not negative")
    tools = load_tools(args.tools)
    seeds, _ = load_examples(args.seeds, tools)
    slots = plan_slots(tools, args.styles, args.per_value)
    state = read_output(args.output, tools)
    credit_existing(slots, state.examples)
    print_plan(slots, args.styles)
    if args.dry_run:
        first = next((slot for slot in slots if slot.missing), slots[0])
        count = min(MAX_PER_REQUEST, first.missing + EXTRA_PER_REQUEST)
        print(f"\nfirst request ({first.tool}={first.value}, {first.style}), no server called:")
        for message in build_request(first, tools_by_name(tools)[first.tool], count, seeds, []):
            print(f"--- {message['role']}\n{message['content']}")
        print(f"--- response schema\n{json.dumps(reply_schema(count))}")
        return 0
    if state.torn_bytes:
        log(f"{args.output}: cutting off an incomplete last line ({state.torn_bytes} bytes)")
    ask = connect(args)
    seen = {normalise_message(example.message) for example in seeds + state.examples}
    written = {}
    for example in state.examples:
        written.setdefault(example.call, []).append(example.message)
    writer = RowWriter(args.output, state.torn_bytes)
    budget = FailureBudget(args.max_failures, args.retry_delay, random.Random(args.seed))
    rejected = Counter()
    stopped = None
    try:
        fill_slots(slots, tools, seeds, ask, writer, seen, written, budget, rejected, args.seed)
    except GenerationStopped as error:
        stopped = str(error)
    finally:
        writer.close()
    print_holdings(args.output, slots, tools)
    missing = sum(slot.missing for slot in slots)
    print("rejected candidates: " + (", ".join(f"{reason} {count}" for reason, count in rejected.most_common())
                                     or "none"))
    print(f"failed requests and unusable replies: {budget.total}")
    if stopped:
        print(f"error: {stopped}", file=sys.stderr)
        return 1
    if missing:
        print(f"error: {missing} planned rows still missing (the model kept repeating itself or "
              "writing unusable text); re-run the same command to fill them", file=sys.stderr)
        return 1
    return 0
