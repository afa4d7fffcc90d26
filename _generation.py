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

import argparse
import csv
import email.utils
import io
import json
import os
import random
import re
import shutil
import sys
import time
from collections import Counter
from dataclasses import dataclass, field

from _renderings import render
from _cli import DataError, add_json_argument, add_tools_argument, hf_token, output_file, write_json_report
from _data import (BOUNDARIES, BOUNDARY_COLUMN, COLUMNS, NO_CALL_LABEL, Call, control_token_problem, decode_text,
                   load_examples, load_tools, normalise_message, parse_json, parse_row, read_csv_rows,
                   read_local_bytes, routing_argument, routing_label, suspect_reason, tool_calls_json, tools_by_name)

WRITTEN_FORMS = ("spoken", "typed")  # a label's kept rows alternate between them
STYLES = {
    "standard": "a plain, natural request or question in English, the way most riders would say it",
    "terse": "a terse voice command in English, one to four words, as if spoken mid-effort",
    "indirect": ("indirect intent in English: describe the situation or the need without naming the "
                 "thing to check (like \"my legs are done\" asking for a flatter route)"),
    "spanish": "natural, colloquial Spanish, as a rider from Spain or Latin America would say it",
    "chatty": "chatty, informal English: one or two relaxed sentences with some filler words",
}
# The kinds of out-of-scope input a voice router on a bike hears (the bundled seeds' no-call rows).
NO_CALL_STYLES = {
    "chit_chat": "chit-chat and acknowledgements in English: thanks, ok, greetings, praise, small talk",
    "other_apps": ("another app's job, in English: music, phone calls, messages, navigation to a street "
                   "address, timers, alarms, photos, volume"),
    "near_tool": ("a question in English close to the functions' topics but outside what their values "
                  "cover (calories burned, heart rate, cadence, tyre pressure), or general knowledge"),
    "fragment": ("a fragment or speech-recognition noise in English: a filler word, the wake word alone, "
                 "half a sentence cut off"),
    "near_miss": ("a near-miss in English: it mentions a function's topic but asks for nothing "
                  "(\"I already had water\", \"no need to reroute\", \"forget the forecast\")"),
    "spanish": ("any of these kinds (chit-chat, another app's job, a near question, a fragment, a "
                "near-miss) in natural, colloquial Spanish"),
}
DEFAULT_TWIN_SHARE = 0.33  # of the no-call rows: a third are twins of call rows
MAX_MESSAGE_CHARS = 200
GENERATION_EXIT_CODES = {0: "the plan is filled",
                         1: "stopped by server failures, or planned rows still missing (re-run to resume)"}
MAX_PER_REQUEST = 10
EXTRA_PER_REQUEST = 2  # ask for a few more than missing: some candidates get rejected
MAX_IDLE_REPLIES = 3  # usable replies in a row that add no row before a slot is given up
MAX_EXAMPLES_IN_PROMPT = 12  # seeds of the requested value
MAX_AVOID_IN_PROMPT = 15
SYSTEM_PROMPT = ("You write training data for the voice and chat assistant of a bike computer. Each "
                 "message is one thing a cyclist might say or type to it during a ride. Answer with "
                 'JSON only, shaped {"messages": ["...", "..."]}: no commentary, no numbering.')
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
    """Target rows of one (tool, value, style), of one no-call style (tool None), or of the twins of one
    tool across one boundary (no call; `style` is the boundary), and how many the output holds."""
    tool: str | None
    argument: str | None
    value: str | None
    style: str
    target: int
    done: int = 0
    boundary: str = ""  # a twin slot's boundary (one of BOUNDARIES), else ""

    @property
    def missing(self) -> int:
        return max(0, self.target - self.done)

    @property
    def call(self) -> Call | None:
        return Call.make(self.tool, {self.argument: self.value}) if self.tool and not self.boundary else None

    @property
    def name(self) -> str:
        if self.boundary:
            return f"{NO_CALL_LABEL} twin of {self.tool}"
        return f"{self.tool}={self.value}" if self.tool else NO_CALL_LABEL

    @property
    def key(self) -> tuple:
        """What a written row of this slot is counted by: its call, and a no-call row's boundary."""
        return row_key(self.call, self.boundary)


def row_key(call: Call | None, boundary: str) -> tuple:
    """A row's key for crediting and holdings: (call, "") for a call row (whatever its boundary column
    says), (None, boundary) for a no-call row: a twin counts by its boundary, any other no-call row by ""."""
    return (call, "") if call is not None else (None, boundary)


def planned_argument(function: dict) -> str:
    """The routing argument the plan balances over; the generator fills no other argument."""
    key = routing_argument(function)
    if key is None:
        raise DataError(f"tool {function['name']} has no enum argument to balance the dataset over")
    others = [name for name in function["parameters"].get("required", []) if name != key]
    if others:
        raise DataError(f"tool {function['name']}: required argument {others[0]!r} has no enum; "
                        "the generator only fills one enum argument per tool")
    return key


def share_of(total: int, parts: int, index: int) -> int:
    """Part `index` of `total` spread evenly over `parts`, the first ones taking the remainder."""
    return total // parts + (index < total % parts)


def plan_slots(tools: list[dict], styles: list[str], per_value: int, no_call_share: float = 0.0,
               twin_share: float = 0.0, boundaries: list[str] | None = None) -> list[Slot]:
    """Slots in fill order: tools and values as declared, styles as given, then the no-call bucket,
    `no_call_share` of all planned rows: spread evenly over NO_CALL_STYLES, but for `twin_share` of it,
    the twins, which come last: spread evenly over the tools as declared and, round robin over all the
    twins, over `boundaries` (default: all of BOUNDARIES), one slot per (tool, boundary)."""
    if per_value < 1:
        raise DataError(f"--per-value must be at least 1, got {per_value}")
    if not 0 <= no_call_share < 1:
        raise DataError(f"--no-call-share must be at least 0 and below 1, got {no_call_share}")
    if not 0 <= twin_share <= 1:
        raise DataError(f"--twin-share must be between 0 and 1, got {twin_share}")
    boundaries = list(BOUNDARIES) if boundaries is None else [name for name in BOUNDARIES if name in boundaries]
    slots = []
    functions = tools_by_name(tools)
    for name, function in functions.items():
        argument = planned_argument(function)
        for value in function["parameters"]["properties"][argument]["enum"]:
            slots.extend(Slot(name, argument, value, style, per_value) for style in styles)
    no_call_rows = round(len(slots) * per_value * no_call_share / (1 - no_call_share))
    twin_rows = round(no_call_rows * twin_share) if boundaries else 0
    for index, style in enumerate(NO_CALL_STYLES):
        target = share_of(no_call_rows - twin_rows, len(NO_CALL_STYLES), index)
        if target:
            slots.append(Slot(None, None, None, style, target))
    turn = 0  # the boundary of the next twin, round robin over all of them: spread per tool and in total
    for index, name in enumerate(functions):
        targets = Counter()
        for _ in range(share_of(twin_rows, len(functions), index)):
            targets[boundaries[turn % len(boundaries)]] += 1
            turn += 1
        slots.extend(Slot(name, None, None, boundary, targets[boundary], boundary=boundary)
                     for boundary in boundaries if targets[boundary])
    return slots


def planned_twins(slots: list[Slot]) -> dict[str, dict[str, int]]:
    """tool -> boundary -> planned twin rows, in plan order."""
    planned = {}
    for slot in slots:
        if slot.boundary:
            planned.setdefault(slot.tool, {})[slot.boundary] = slot.target
    return planned


# ----------------------------------------------------------------------------- output file


@dataclass
class OutputState:
    """What the output CSV already holds."""
    examples: list  # Example, in file order
    torn_bytes: int = 0  # length of an incomplete last line (cut off before appending)
    columns: list = field(default_factory=list)  # its header ([] when there is none yet)


def read_output(path: str, tools: list[dict]) -> OutputState:
    """Rows already in the output; DataError names the line of a row that is not valid."""
    if not os.path.exists(path):
        return OutputState([])
    data = read_local_bytes(path)
    complete = data[:data.rfind(b"\n") + 1]
    state = OutputState([], torn_bytes=len(data) - len(complete))
    if not complete.strip():
        # Nothing but a torn first line may be cut off: anything else is not ours to truncate.
        if data.strip() and not b'"user_message","tool_calls","boundary"'.startswith(data):
            decode_text(data, path)  # says what the file is, if it is not text
            raise DataError(f"{path}: not a dataset CSV written by this generator; choose another --output")
        return state
    text = decode_text(complete, path)
    rows = read_csv_rows(text, path)  # checks the header first
    state.columns = next(csv.reader(io.StringIO(text, newline="")))
    for origin, row in rows:
        try:
            state.examples.append(parse_row(row, tools, origin))
        except DataError as error:
            raise DataError(f"{origin}: {error}; fix or remove that row, or choose another --output") from None
    return state


def credit_existing(slots: list[Slot], examples: list) -> None:
    """Credit rows in the file to their (tool, value)'s slots, the no-call rows to the no-call styles
    and the twins to their boundary's slots, in plan order (see the module doc)."""
    available = Counter(row_key(example.call, example.boundary) for example in examples)
    for slot in slots:
        slot.done = min(slot.target, available[slot.key])
        available[slot.key] -= slot.done


class RowWriter:
    """Appends whole CSV rows: one os.write per row, then fsync, so a kill never leaves half a row.

    A new file's header is user_message,tool_calls, and boundary when `boundary` (the plan holds
    twins); an existing file keeps its header, and a file without the boundary column gets it (its
    rows an empty one: rewritten once into a new file that replaces it) before its first twin."""

    def __init__(self, path: str, torn_bytes: int, columns: list[str] | None = None, boundary: bool = False):
        self.path = path
        self.torn_bytes = torn_bytes
        self.columns = list(columns or [])
        self.boundary = boundary
        self.descriptor = None

    def _open(self) -> None:
        if self.torn_bytes:
            os.truncate(self.path, os.path.getsize(self.path) - self.torn_bytes)
            self.torn_bytes = 0
        self.descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        if os.fstat(self.descriptor).st_size == 0:
            self.columns = list(COLUMNS) + ([BOUNDARY_COLUMN] if self.boundary else [])
            self._write_line(self.columns)

    def _add_boundary_column(self) -> None:
        """Rewrite the file with a boundary column (empty on its rows), atomically: a kill leaves the
        old file or the new one."""
        self.close()
        rows = read_csv_rows(decode_text(read_local_bytes(self.path), self.path), self.path)
        columns = self.columns + [BOUNDARY_COLUMN]
        buffer = io.StringIO()
        writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([row.get(column) or "" for column in columns] for _, row in rows)
        temporary = f"{self.path}.boundary.tmp"
        with open(temporary, "w", encoding="utf-8", newline="") as handle:
            handle.write(buffer.getvalue())
            handle.flush()
            os.fsync(handle.fileno())
        shutil.copymode(self.path, temporary)
        os.replace(temporary, self.path)
        self.columns = columns
        log(f"{self.path}: added a {BOUNDARY_COLUMN} column for the twins (empty on the {len(rows)} rows "
            "already there)")
        self.descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND)

    def _write_line(self, fields: list[str]) -> None:
        buffer = io.StringIO()
        csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n").writerow(fields)
        data = buffer.getvalue().encode("utf-8")
        while data:
            data = data[os.write(self.descriptor, data):]
        os.fsync(self.descriptor)

    def write(self, message: str, call: Call | None, boundary: str = "") -> None:
        if self.descriptor is None:
            self._open()
        if boundary and BOUNDARY_COLUMN not in self.columns:
            self._add_boundary_column()
        fields = {"user_message": message, "tool_calls": tool_calls_json(call), BOUNDARY_COLUMN: boundary}
        self._write_line([fields.get(column, "") for column in self.columns])

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
    return [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": "\n".join(lines)}]


def function_lines(tools: list[dict]) -> list[str]:
    """One line per tool: its name, description and enum values."""
    lines = []
    for name, function in tools_by_name(tools).items():
        values = [value for schema in function.get("parameters", {}).get("properties", {}).values()
                  for value in schema.get("enum", [])]
        lines.append(f"- {name}: {function.get('description', '')}" + (f" (values: {', '.join(values)})" if values else ""))
    return lines


def build_no_call_request(slot: Slot, tools: list[dict], count: int, seeds: list, avoid: list[str]) -> list[dict]:
    """Chat messages asking for `count` user messages of one no-call style: the tools are shown as what to avoid."""
    no_call_seeds = [seed for seed in seeds if seed.call is None]
    # spread over the seeds: they are written kind by kind
    examples = no_call_seeds[::max(1, len(no_call_seeds) // MAX_EXAMPLES_IN_PROMPT)][:MAX_EXAMPLES_IN_PROMPT]
    lines = [
        "Kind: messages that none of the functions below can serve; the assistant answers them in words "
        "and calls nothing",
        f"Style: {slot.style}: {NO_CALL_STYLES[slot.style]}",
        "",
        "The assistant's functions, which the messages must NOT ask for (nor any of their values):",
        *function_lines(tools),
        "",
        "Real messages of this kind (of every style):",
        *([f"- {json.dumps(seed.message, ensure_ascii=False)} [no call]" for seed in examples] or ["- (none yet)"]),
    ]
    if avoid:
        lines += ["", "Already written (do not repeat or closely paraphrase):",
                  *(f"- {json.dumps(message, ensure_ascii=False)}" for message in avoid)]
    lines += [
        "",
        f"Write {count} different messages in that style that a cyclist might say to the assistant and that "
        "none of these functions can serve. Vary the wording and the situation. Each message is a single line "
        f"under {MAX_MESSAGE_CHARS} characters, has no quotes around it, no numbering, and never names a function.",
    ]
    return [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": "\n".join(lines)}]


def twin_sources(slot: Slot, seeds: list, written: dict, count: int, rng: random.Random) -> list[tuple[str, Call]]:
    """`count` (or all, if fewer) call rows of a twin slot's tool to rewrite, sampled: its seed rows, or,
    for a tool without any, the rows written for it (the call slots are filled first)."""
    pool = [(seed.message, seed.call) for seed in seeds if seed.call is not None and seed.call.name == slot.tool]
    if not pool:
        pool = [(message, call) for call, messages in written.items()
                if call is not None and call.name == slot.tool for message in messages]
    return rng.sample(pool, min(count, len(pool)))


def build_twin_request(slot: Slot, tools: list[dict], count: int, sources: list[tuple[str, Call]],
                       avoid: list[str]) -> list[dict]:
    """Chat messages asking for `count` twins of one tool's call rows across one boundary: rewrites that keep
    a row's topic and most of its words but that no tool can serve."""
    argument = routing_argument(tools_by_name(tools)[slot.tool])
    description = tools_by_name(tools)[slot.tool].get("description", "")
    lines = [
        "Kind: near misses (\"twins\") of real requests for one function: each keeps a request's topic and most of "
        "its words but crosses one boundary, so that none of the functions below can serve it; the assistant "
        "answers them in words and calls nothing",
        f"Function of the requests: {slot.tool}: {description}",
        f"Boundary to cross: {slot.boundary}: {BOUNDARIES[slot.boundary]}",
        "",
        "The assistant's functions, which the messages must NOT ask for (nor any of their values):",
        *function_lines(tools),
        "",
        f"Real requests for {slot.tool} to rewrite (the {argument} each one asks for in brackets):",
        *([f"- {json.dumps(message, ensure_ascii=False)} [{call.args.get(argument, '')}]" for message, call in sources]
          or ["- (none yet: write requests this function could serve, then cross the boundary)"]),
    ]
    if avoid:
        lines += ["", "Already written (do not repeat or closely paraphrase):",
                  *(f"- {json.dumps(message, ensure_ascii=False)}" for message in avoid)]
    lines += [
        "",
        f"Write {count} different messages, each a rewrite of a different request above: keep its topic, its "
        f"language and most of its words, but move it across the {slot.boundary} boundary ({BOUNDARIES[slot.boundary]}) "
        "so that it no longer asks for anything these functions do. A rewrite that one of the functions could still "
        f"serve is wrong. Each message is a single line under {MAX_MESSAGE_CHARS} characters, has no quotes around "
        "it, no numbering, and never names a function.",
    ]
    return [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": "\n".join(lines)}]


def request_for(slot: Slot, tools: list[dict], count: int, seeds: list, avoid: list[str],
                rng: random.Random | None = None, written: dict | None = None) -> list[dict]:
    """The request of a slot; a twin slot's shows call rows of its tool sampled with `rng` (see twin_sources)."""
    if slot.boundary:
        sources = twin_sources(slot, seeds, written or {}, count, rng or random.Random(0))
        return build_twin_request(slot, tools, count, sources, avoid)
    if slot.call is None:
        return build_no_call_request(slot, tools, count, seeds, avoid)
    return build_request(slot, tools_by_name(tools)[slot.tool], count, seeds, avoid)


def reply_field(text: str, key: str, kind: type):
    """`key` of a structured-output reply; BadReply when the reply is not JSON or not the schema's shape."""
    try:  # refused like any JSON input: nested too deep, huge numbers, NaN (_data.parse_json)
        reply = parse_json(text, "the reply")
    except (DataError, TypeError):
        raise BadReply("malformed_json") from None
    if not isinstance(reply, dict) or not isinstance(reply.get(key), kind):
        raise BadReply("wrong_shape")
    return reply[key]


def parse_reply(text: str) -> list:
    """The candidate messages of a reply; BadReply when it is not the schema's shape."""
    return reply_field(text, "messages", list)


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
    if META_TEXT.search(message) or suspect_reason(message, tools):
        return "meta_text"
    if control_token_problem(message, "the message"):
        return "control_token"
    try:
        parse_row({"user_message": message, "tool_calls": tool_calls_json(slot.call)}, tools)
    except DataError:
        return "invalid_row"
    if normalise_message(message) in seen:
        return "duplicate"
    return None


# ----------------------------------------------------------------------------- near duplicates and the judge

# Above this character 3-gram Jaccard similarity to a seed or a written row of the same label, a
# candidate is a near duplicate. Measured (README): no two bundled seeds of one label exceed 0.50,
# no public row exceeds 0.68 against a seed; above 0.75 public pairs differ only by word order or
# filler ("speed report" / "Report speed", "How's the time going?" / "How is the time going?").
DEFAULT_MAX_SIMILARITY = 0.75
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


class NearDuplicates:
    """The messages of each label (a Call, or None for no call) with their n-grams."""

    def __init__(self):
        self.by_label: dict = {}

    def add(self, call: Call | None, message: str) -> None:
        self.by_label.setdefault(call, []).append((message, char_ngrams(message)))

    def nearest(self, call: Call | None, message: str) -> tuple[float, str | None]:
        """The most similar message of the label and its similarity (0, None when there is none)."""
        grams = char_ngrams(message)
        best = (0.0, None)
        for other, other_grams in self.by_label.get(call, []):
            score = similarity(grams, other_grams)
            if score > best[0]:
                best = (score, other)
        return best


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


@dataclass
class Quality:
    """What became of one label's candidates in this run (a no-call style counts apart, the twins per tool
    and per boundary)."""
    generated: int = 0  # candidates looked at (a reply's extras left once the slot is full are not)
    failed_checks: int = 0  # chatter, too long, exact duplicate, ... (see `rejection`)
    near_duplicates: list = field(default_factory=list)  # {"message", "nearest", "similarity"}
    judge_rejected: Counter = field(default_factory=Counter)  # the judge's label instead -> count
    kept: int = 0

    @property
    def judged(self) -> int:
        return self.kept + sum(self.judge_rejected.values())

    def add(self, other: "Quality") -> None:
        self.generated += other.generated
        self.failed_checks += other.failed_checks
        self.near_duplicates += other.near_duplicates
        self.judge_rejected += other.judge_rejected
        self.kept += other.kept

    def to_json(self, examples: bool = True) -> dict:
        return {"generated": self.generated, "failed_checks": self.failed_checks,
                "near_duplicates": len(self.near_duplicates), "judge_rejected": sum(self.judge_rejected.values()),
                "judge_read_instead": dict(self.judge_rejected.most_common()), "kept": self.kept,
                **({"near_duplicate_examples": self.near_duplicates} if examples else {})}


def quality_key(slot: "Slot", tools: list[dict]) -> str:
    """A call slot's `tool:value`; a no-call slot's `(no call) style`; a twin slot's `(no call) twins of tool`."""
    if slot.boundary:
        return f"{NO_CALL_LABEL} twins of {slot.tool}"
    return routing_label(slot.call, tools) if slot.call else f"{NO_CALL_LABEL} {slot.style}"


def merged_quality(counts) -> Quality:
    total = Quality()
    for each in counts:
        total.add(each)
    return total


def by_label(quality: dict) -> dict[str, Quality]:
    """The run's counts (keyed (quality_key, boundary)) per label, in plan order: a tool's twins as one."""
    view = {}
    for (key, _), counts in quality.items():
        view.setdefault(key, Quality()).add(counts)
    return view


def by_boundary(quality: dict) -> dict[str, Quality]:
    """The run's counts of the twins per boundary, in BOUNDARIES order."""
    view = {}
    for (_, boundary), counts in quality.items():
        if boundary:
            view.setdefault(boundary, Quality()).add(counts)
    return {boundary: view[boundary] for boundary in BOUNDARIES if boundary in view}


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


def print_quality_table(heading: str, rows: list[tuple[str, Quality]], width: int) -> None:
    print(f"  {heading:<{width}}{'generated':>10}{'checks':>8}{'near-dup':>10}{'judge':>7}{'kept':>6}  judge read instead")
    for key, counts in rows:
        instead = ", ".join(f"{label} {count}" for label, count in counts.judge_rejected.most_common())
        print(f"  {key:<{width}}{counts.generated:>10}{counts.failed_checks:>8}{len(counts.near_duplicates):>10}"
              f"{sum(counts.judge_rejected.values()):>7}{counts.kept:>6}  {instead if key != 'total' else ''}".rstrip())


def print_quality(quality: dict, judge_model: str | None, max_similarity: float) -> None:
    """The per-label table of this run's candidates (`quality` keyed (quality_key, boundary)), the twins'
    per boundary, then the labels the judge often reads otherwise."""
    labels = by_label(quality)
    shown = {key: counts for key, counts in labels.items() if counts.generated}
    if not shown:
        return
    total = merged_quality(shown.values())
    judge = f"judge {judge_model}" if judge_model else "no judge"
    width = max(40, *(len(key) + 2 for key in shown))
    print(f"\nthis run's candidates ({judge}, --max-similarity {max_similarity:g}):")
    print_quality_table("label", [*shown.items(), ("total", total)], width)
    boundaries = {boundary: counts for boundary, counts in by_boundary(quality).items() if counts.generated}
    if boundaries:
        print("the twins per boundary:")
        print_quality_table("boundary", list(boundaries.items()), width)
    if judge_model and total.kept:
        print(f"judge requests per kept row: {total.judged / total.kept:.2f} "
              f"({total.judged} judged, {total.kept} kept)")
    named = disagreements(labels)
    if named:
        print("the judge often reads these otherwise (ambiguous tool descriptions or enum values?): "
              + "; ".join(named))


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
GENERATION_TEMPERATURE = 0.9
TOKENS_PER_MESSAGE = 60


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


def add_generation_arguments(parser: argparse.ArgumentParser, default_model: str):
    """The flags both generators share; returns the "server" group for the client's own flag."""
    data = parser.add_argument_group("data")
    data.add_argument("--seeds", action="append", metavar="CSV_OR_HUB_ID",
                      help="seed CSV path, CSV URL or Hub dataset id; repeat to merge (default: bundled seeds)")
    add_tools_argument(data)
    plan = parser.add_argument_group("plan")
    plan.add_argument("--per-value", type=int, default=3, metavar="N",
                      help="rows per (tool, value, style) (default %(default)s)")
    plan.add_argument("--styles", nargs="+", choices=list(STYLES), default=list(STYLES), metavar="STYLE",
                      help=f"message styles, any of {', '.join(STYLES)} (default: all)")
    plan.add_argument("--no-call-share", type=float, default=0.2, metavar="FRACTION",
                      help="fraction of all planned rows that no tool can serve (tool_calls []), in the styles "
                           f"{', '.join(NO_CALL_STYLES)} (default %(default)s; 0: none)")
    plan.add_argument("--twin-share", type=float, default=DEFAULT_TWIN_SHARE, metavar="FRACTION",
                      help="fraction of the no-call rows that are twins: rewrites of a sampled call row of a tool "
                           "that keep its topic and most of its words but cross one --boundaries boundary so that "
                           "no tool serves them, spread evenly over the tools and the boundaries, written with "
                           "their boundary in a boundary column (default %(default)s; 0: none)")
    plan.add_argument("--boundaries", nargs="+", choices=list(BOUNDARIES), default=list(BOUNDARIES),
                      metavar="BOUNDARY",
                      help="the boundaries twins cross, any of " + "; ".join(
                          f"{name} ({description})" for name, description in BOUNDARIES.items()) + " (default: all)")
    plan.add_argument("--dry-run", action="store_true",
                      help="print the plan (the twins per tool and boundary), the first call, no-call and twin "
                           "prompts and the judge's prompt; call no server")
    server = parser.add_argument_group("server")
    server.add_argument("--model", default=default_model, help="generator model (default %(default)s)")
    server.add_argument("--sampling-seed", type=int, default=42, metavar="N",
                        help="sampling seed sent with each request (default 42)")
    add_request_arguments(server)
    checks = parser.add_argument_group("checks")
    checks.add_argument("--judge-model", metavar="MODEL",
                        help="model that re-labels each candidate blind, on the same server; a candidate is kept "
                             "only when it reads the intended label (default: --model)")
    checks.add_argument("--no-judge", action="store_true", help="keep candidates without asking a judge")
    checks.add_argument("--max-similarity", type=float, default=DEFAULT_MAX_SIMILARITY, metavar="SIMILARITY",
                        help="reject a candidate whose character 3-gram Jaccard similarity to a seed or a written "
                             "row of the same label is above this (default %(default)s; 1: off)")
    output = parser.add_argument_group("output")
    output.add_argument("--output", type=output_file, default="generated-dataset.csv", metavar="CSV",
                        help="CSV to append to (user_message,tool_calls, and boundary when the plan holds twins); "
                             "re-run to resume (default %(default)s)")
    add_json_argument(output, "the plan, what the output holds, what was rejected and this run's quality per label")
    return server


def print_plan(slots: list[Slot], styles: list[str]) -> None:
    pairs = Counter((slot.tool, slot.value) for slot in slots if slot.call)
    no_call = [slot for slot in slots if slot.call is None and not slot.boundary]
    no_call_target = sum(slot.target for slot in slots if slot.call is None)
    twins = planned_twins(slots)
    twin_target = sum(sum(per_tool.values()) for per_tool in twins.values())
    target = sum(slot.target for slot in slots)
    missing = sum(slot.missing for slot in slots)
    kinds = f"{len(no_call)} styles"
    if twin_target:
        kinds = ", ".join(([f"{no_call_target - twin_target} in {kinds}"] if no_call else []) + [f"{twin_target} twins"])
    print(f"plan: {len(pairs)} (tool, value) pairs x {len(styles)} styles ({', '.join(styles)}) "
          f"x {slots[0].target} = {target - no_call_target} call rows + {no_call_target} no-call rows "
          f"({kinds}) = {target} rows; the output holds {target - missing}, {missing} to generate")
    if twins:
        print_twin_plan(twins)


def print_twin_plan(twins: dict[str, dict[str, int]]) -> None:
    """The planned twins per tool and boundary, with totals."""
    boundaries = [name for name in BOUNDARIES if any(name in per_tool for per_tool in twins.values())]
    width = max(26, *(len(tool) + 2 for tool in twins))
    print("twins planned (no-call rewrites of a tool's call rows across one boundary), per tool and boundary:")
    print(f"  {'tool':<{width}}{'twins':>6}" + "".join(f"{name:>{len(name) + 2}}" for name in boundaries))
    totals = Counter()
    for tool, per_tool in twins.items():
        totals.update(per_tool)
        print(f"  {tool:<{width}}{sum(per_tool.values()):>6}"
              + "".join(f"{per_tool.get(name, 0):>{len(name) + 2}}" for name in boundaries))
    print(f"  {'total':<{width}}{sum(totals.values()):>6}"
          + "".join(f"{totals[name]:>{len(name) + 2}}" for name in boundaries))


def print_holdings(path: str, slots: list[Slot], tools: list[dict]) -> None:
    """Table of what the output file holds per (tool, value), no-call rows and twins per boundary, against the plan."""
    if not os.path.exists(path):
        print(f"\n{path}: nothing written")
        return
    held = Counter(row_key(example.call, example.boundary) for example in read_output(path, tools).examples)
    targets = Counter()
    for slot in slots:
        label = f"{NO_CALL_LABEL} twins" if slot.boundary else slot.tool or NO_CALL_LABEL
        targets[(label, slot.value or slot.boundary, slot.key)] += slot.target
    print(f"\n{path}: {sum(held.values())} rows")
    print(f"  {'tool':<26}{'value':<20}{'rows':>6}{'target':>8}")
    for (tool, value, key), target in targets.items():
        short = max(0, target - held[key])
        print(f"  {tool:<26}{value:<20}{held[key]:>6}{target:>8}{f'  missing {short}' if short else ''}")


@dataclass
class Checks:
    """What a candidate must pass after `rejection`: not a near duplicate, then the judge (if any)."""
    near: NearDuplicates
    max_similarity: float
    judge: object = None  # the judge's `ask`, or None
    quality: dict = field(default_factory=dict)  # (quality_key, boundary) -> Quality, in plan order

    def verdict(self, message: str, slot: Slot, tools: list[dict], budget: FailureBudget,
                counts: Quality) -> str | None:
        """Why the candidate is not kept ("near_duplicate", "judge_disagreed"), or None."""
        score, nearest = self.near.nearest(slot.call, message)
        if score > self.max_similarity:
            counts.near_duplicates.append({"message": message, "nearest": nearest, "similarity": round(score, 3)})
            return "near_duplicate"
        if self.judge is not None:
            label = judge_label(self.judge, message, tools, budget)
            if label != routing_label(slot.call, tools):
                counts.judge_rejected[label] += 1
                return "judge_disagreed"
        return None


def fill_slots(slots, tools, seeds, ask, writer, seen, written, budget, rejected, seed, checks: Checks) -> None:
    """Ask for each slot's missing rows until it is full or the model stops adding new ones."""
    from tqdm.auto import tqdm
    rng = random.Random(seed)
    requests = 0
    with tqdm(total=sum(slot.missing for slot in slots), unit="row", desc="generating") as progress:
        for slot in slots:
            idle = 0
            while slot.missing and idle < MAX_IDLE_REPLIES:
                count = min(MAX_PER_REQUEST, slot.missing + EXTRA_PER_REQUEST)
                earlier = written.setdefault(slot.call, [])  # a twin is a no-call row like the others
                avoid = rng.sample(earlier, min(MAX_AVOID_IN_PROMPT, len(earlier)))
                request = request_for(slot, tools, count, seeds, avoid, rng, written)
                requests += 1
                try:
                    candidates = parse_reply(ask(request, reply_schema(count), seed + requests,
                                                 GENERATION_TEMPERATURE, 100 + TOKENS_PER_MESSAGE * count))
                except TransientError as error:
                    budget.failed(str(error), error.retry_after)
                    continue
                except FatalError as error:
                    raise GenerationStopped(str(error)) from None
                except BadReply as error:
                    rejected[str(error)] += 1
                    budget.failed(f"unusable reply ({error}) for {slot.name}", wait=False)
                    continue
                budget.succeeded()
                added = 0
                counts = checks.quality.setdefault((quality_key(slot, tools), slot.boundary), Quality())
                for candidate in candidates:
                    if not slot.missing:
                        break
                    counts.generated += 1
                    reason = rejection(candidate, slot, tools, seen)
                    if reason:
                        rejected[reason] += 1
                        counts.failed_checks += 1
                        continue
                    message = render(candidate.strip(), WRITTEN_FORMS[len(earlier) % len(WRITTEN_FORMS)])
                    reason = checks.verdict(message, slot, tools, budget, counts)
                    if reason:
                        rejected[reason] += 1
                        continue
                    writer.write(message, slot.call, slot.boundary)
                    seen.add(normalise_message(message))
                    earlier.append(message)
                    checks.near.add(slot.call, message)
                    counts.kept += 1
                    slot.done += 1
                    added += 1
                    progress.update(1)
                idle = 0 if added else idle + 1
            if slot.missing:
                log(f"giving up on {slot.name} ({slot.style}) after {MAX_IDLE_REPLIES} replies "
                    f"without a new row; {slot.missing} missing")


def run_summary(args, slots: list[Slot], tools: list[dict], rejected: Counter, failures: int, stopped: str | None,
                quality: dict | None = None) -> dict:
    """The --json report: the plan against the output, the rejections, the failures, and what became of
    this run's candidates per label (`quality` keyed (quality_key, boundary)), and of the twins per tool
    and per boundary."""
    quality = quality or {}
    labels = {key: counts for key, counts in by_label(quality).items() if counts.generated}
    per_tool = {}
    for slot in slots:
        counts = quality.get((quality_key(slot, tools), slot.boundary)) if slot.boundary else None
        if counts is not None:
            per_tool.setdefault(slot.tool, Quality()).add(counts)
    return {"output": args.output, "planned_rows": sum(slot.target for slot in slots),
            "missing_rows": sum(slot.missing for slot in slots),
            "missing": [{"tool": slot.tool, "value": slot.value, "style": slot.style, "boundary": slot.boundary or None,
                         "rows": slot.missing} for slot in slots if slot.missing],
            "rejected": dict(rejected.most_common()), "failures": failures, "stopped": stopped,
            "judge_model": None if args.no_judge else args.judge_model or args.model,
            "max_similarity": args.max_similarity,
            "quality": {key: counts.to_json() for key, counts in labels.items()},
            "twins": {"planned": planned_twins(slots),
                      "per_tool": {tool: counts.to_json(examples=False) for tool, counts in per_tool.items()
                                   if counts.generated},
                      "per_boundary": {boundary: counts.to_json(examples=False)
                                       for boundary, counts in by_boundary(quality).items() if counts.generated}},
            "judge_disagrees_often": disagreements(labels)}


def run_generation(args: argparse.Namespace, connect) -> int:
    """The whole run for a client; `connect(args, model)` returns the client's `ask` function."""
    check_request_arguments(args)
    if not 0 < args.max_similarity <= 1:
        raise DataError(f"--max-similarity must be above 0 and at most 1, got {args.max_similarity}")
    tools = load_tools(args.tools)
    seeds, _ = load_examples(args.seeds, tools)
    slots = plan_slots(tools, args.styles, args.per_value, args.no_call_share, args.twin_share, args.boundaries)
    state = read_output(args.output, tools)
    credit_existing(slots, state.examples)
    print_plan(slots, args.styles)
    if args.dry_run:
        for kind, bucket in (("call", [slot for slot in slots if slot.call]),
                             ("no-call", [slot for slot in slots if slot.call is None and not slot.boundary]),
                             ("twin", [slot for slot in slots if slot.boundary])):
            if not bucket:
                continue
            first = next((slot for slot in bucket if slot.missing), bucket[0])
            count = min(MAX_PER_REQUEST, first.missing + EXTRA_PER_REQUEST)
            print(f"\nfirst {kind} request ({first.name}, {first.style}), no server called:")
            for message in request_for(first, tools, count, seeds, [], random.Random(args.sampling_seed)):
                print(f"--- {message['role']}\n{message['content']}")
            print(f"--- response schema\n{json.dumps(reply_schema(count))}")
        if not args.no_judge and seeds:
            print(f"\njudge request for each candidate (here the seed {seeds[0].message!r}; the intended label "
                  f"is never shown), no server called:")
            for message in judge_request(seeds[0].message, tools):
                print(f"--- {message['role']}\n{message['content']}")
            print(f"--- response schema\n{json.dumps(judge_schema(tools))}")
        if args.json:
            write_json_report(args.json, run_summary(args, slots, tools, Counter(), 0, None))
        return 0
    if state.torn_bytes:
        log(f"{args.output}: cutting off an incomplete last line ({state.torn_bytes} bytes)")
    ask = connect(args, args.model)
    judge_model = None if args.no_judge else args.judge_model or args.model
    checks = Checks(NearDuplicates(), args.max_similarity, connect(args, judge_model) if judge_model else None,
                    {(quality_key(slot, tools), slot.boundary): Quality() for slot in slots})
    seen = {normalise_message(example.message) for example in seeds + state.examples}
    written = {}
    for example in state.examples:
        written.setdefault(example.call, []).append(example.message)
    for example in seeds + state.examples:
        checks.near.add(example.call, example.message)
    writer = RowWriter(args.output, state.torn_bytes, state.columns, any(slot.boundary for slot in slots))
    budget = FailureBudget(args.max_failures, args.retry_delay, random.Random(args.sampling_seed))
    rejected = Counter()
    stopped = None
    try:
        fill_slots(slots, tools, seeds, ask, writer, seen, written, budget, rejected, args.sampling_seed, checks)
    except GenerationStopped as error:
        stopped = str(error)
    finally:
        writer.close()
    print_holdings(args.output, slots, tools)
    missing = sum(slot.missing for slot in slots)
    print("rejected candidates: " + (", ".join(f"{reason} {count}" for reason, count in rejected.most_common())
                                     or "none"))
    print(f"failed requests and unusable replies: {budget.total}")
    print_quality(checks.quality, judge_model, args.max_similarity)
    if args.json:
        write_json_report(args.json, run_summary(args, slots, tools, rejected, budget.total, stopped, checks.quality))
    if stopped:
        print(f"error: {stopped}", file=sys.stderr)
        return 1
    if missing:
        print(f"error: {missing} planned rows still missing (the model kept repeating itself, writing unusable "
              "text or text the judge read otherwise); re-run the same command to fill them", file=sys.stderr)
        return 1
    return 0
