# /// script
# requires-python = ">=3.10"
# dependencies = [
#     "ollama>=0.5",
#     "tqdm>=4.66",
# ]
# ///
"""Expand the seed rows into a balanced tool-calling dataset with a local Ollama model.

Usage:
    ollama pull qwen2.5:7b
    uv run generate_dataset-local-ollama.py --output generated.csv          # 6 tools, all values, 5 styles, 3 each
    uv run generate_dataset-local-ollama.py --output generated.csv --host http://192.168.1.20:11434 \\
        --model llama3.1:8b --per-value 5 --styles standard terse spanish --seeds my-seeds.csv
    uv run generate_dataset-local-ollama.py --dry-run                       # the plan and one prompt, no server call

For every enum value of every tool and every style it asks the model (Ollama /api/chat with a
JSON-schema `format`) for user messages, with that tool's seed rows as examples. Each candidate is
checked (valid row, not empty, not model chatter, not too long, not a normalised duplicate of a
seed or of a row already written) and appended to --output at once. Re-running the same command
resumes: it only fills what the file still lacks. Timeouts, connection errors, 429 and 5xx are
retried with exponential back-off and jitter; 401/403 and an unknown model stop at once;
--max-failures bounds the failures of a run. Exit codes: 0 plan filled, 1 stopped or rows still
missing, 2 bad input.
"""

import argparse
import json
import os

# --- begin _common.py (vendored from _common.py; edit that file, then run python dev/sync_vendored.py) ---
"""FunctionGemma format and dataset contract shared by every script of this toolkit.

This file is the single source. Each script carries a copy between two marker comment lines
(begin/end _common.py); edit this file, then run
`python dev/sync_vendored.py` to refresh every copy (tests fail on any drift).
Standard library only: heavy libraries are imported inside the functions that need them.
"""

import csv
import hashlib
import io
import json
import os
import random
import re
import sys
import urllib.request
from collections import Counter, defaultdict
from dataclasses import dataclass, field

DEFAULT_MODEL = "google/functiongemma-270m-it"
DEVELOPER_PROMPT = "You are a model that can do function calling with the following functions"
BUNDLED = "bundled"  # the name users see for the embedded default tools and seeds

BOS, EOS, PAD = "<bos>", "<eos>", "<pad>"
START_OF_TURN, END_OF_TURN = "<start_of_turn>", "<end_of_turn>"
START_DECLARATION, END_DECLARATION = "<start_function_declaration>", "<end_function_declaration>"
START_CALL, END_CALL = "<start_function_call>", "<end_function_call>"
START_RESPONSE, END_RESPONSE = "<start_function_response>", "<end_function_response>"
ESCAPE = "<escape>"
# FunctionGemma's ids for its control tokens (Gemma 3 vocabulary); the device relies on them.
CONTROL_TOKEN_IDS = {
    PAD: 0, EOS: 1, BOS: 2,
    START_DECLARATION: 46, END_DECLARATION: 47, START_CALL: 48, END_CALL: 49,
    START_RESPONSE: 50, END_RESPONSE: 51, ESCAPE: 52,
    START_OF_TURN: 105, END_OF_TURN: 106,
}
# A call turn ends with <start_function_response>; a prose turn with <end_of_turn>.
STOP_TOKENS = (EOS, END_OF_TURN, START_RESPONSE)
FAILURE_CLASSES = ("no_call", "malformed", "unknown_tool", "bad_arguments")
JSON_TYPES = {"string": str, "integer": int, "number": (int, float), "boolean": bool,
              "array": list, "object": dict}
RESERVED_PARAMETER_NAMES = {"description", "type", "properties", "required", "nullable"}


class DataError(ValueError):
    """Bad user input (tools file, dataset, flags). Scripts print it as one line and exit 2."""


# ----------------------------------------------------------------------------- tools


def read_text(source: str) -> str:
    """Text of a local file or an https:// URL."""
    if source.startswith(("https://", "http://")):
        try:
            with urllib.request.urlopen(source, timeout=30) as response:
                return response.read().decode("utf-8")
        except OSError as error:
            raise DataError(f"{source}: cannot download ({error})") from None
    try:
        with open(source, encoding="utf-8") as handle:
            return handle.read()
    except OSError as error:
        raise DataError(f"{source}: cannot read ({error.strerror or error})") from None


def parse_tools(text: str, origin: str) -> list[dict]:
    """Check a tools list in the standard {"type":"function","function":{...}} form."""
    try:
        tools = json.loads(text)
    except json.JSONDecodeError as error:
        raise DataError(f"{origin}: invalid JSON ({error})") from None
    if not isinstance(tools, list) or not tools:
        raise DataError(f"{origin}: expected a non-empty JSON list of tools")
    seen = set()
    for index, tool in enumerate(tools):
        where = f"{origin}: tool {index + 1}"
        function = tool.get("function") if isinstance(tool, dict) else None
        if not isinstance(tool, dict) or tool.get("type") != "function" or not isinstance(function, dict):
            raise DataError(f'{where}: expected {{"type": "function", "function": {{...}}}}')
        name = function.get("name")
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
        for key, schema in properties.items():
            if key in RESERVED_PARAMETER_NAMES:
                raise DataError(f"{where} ({name}): parameter name {key!r} is reserved by the FunctionGemma template")
            if not isinstance(schema, dict) or str(schema.get("type", "")).lower() not in JSON_TYPES:
                raise DataError(f"{where} ({name}): parameter {key!r} needs a type out of {sorted(JSON_TYPES)}")
            enum = schema.get("enum")
            if enum is not None and (not isinstance(enum, list) or not enum
                                     or not all(isinstance(value, str) for value in enum)):
                raise DataError(f"{where} ({name}): enum of {key!r} must be a non-empty list of strings")
        required = parameters.get("required", [])
        if not isinstance(required, list) or any(key not in properties for key in required):
            raise DataError(f"{where} ({name}): required lists a parameter that is not declared")
    return tools


def load_tools(source: str | None = None) -> list[dict]:
    """Tools from a JSON file or URL; None or "bundled" means the cycling-copilot tools."""
    if source in (None, BUNDLED):
        return parse_tools(BUNDLED_TOOLS_JSON, "bundled tools")
    return parse_tools(read_text(source), source)


def tools_by_name(tools: list[dict]) -> dict[str, dict]:
    return {tool["function"]["name"]: tool["function"] for tool in tools}


def enum_values(tools: list[dict]) -> dict[str, list[str]]:
    """tool name -> allowed values of its first enum parameter (the routing label)."""
    values = {}
    for name, function in tools_by_name(tools).items():
        properties = function.get("parameters", {}).get("properties", {})
        values[name] = next((schema["enum"] for schema in properties.values() if "enum" in schema), [])
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

    @property
    def label(self) -> str:
        """`tool` or `tool:value` of the first argument: the stratum of the split."""
        return f"{self.name}:{self.arguments[0][1]}" if self.arguments else self.name

    def to_json(self) -> str:
        return json.dumps([{"name": self.name, "args": self.args}], ensure_ascii=False)


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

    def __str__(self) -> str:
        return f"{self.source} {self.unit} {self.line}"


@dataclass(frozen=True)
class Example:
    message: str
    call: Call
    origin: Location | None = None


@dataclass
class RowError:
    origin: Location
    message: str

    def to_json(self) -> dict:
        return {"source": self.origin.source, "line": self.origin.line, "message": self.message}

    def __str__(self) -> str:
        return f"{self.origin}: {self.message}"


def parse_row(row: dict, tools: list[dict], origin: Location | None = None) -> Example:
    """One dataset row (user_message, tool_calls JSON) -> Example; DataError says what is wrong."""
    message = row.get("user_message")
    if not isinstance(message, str) or not message.strip():
        raise DataError("empty user_message")
    raw_calls = row.get("tool_calls")
    if isinstance(raw_calls, str):
        try:
            calls = json.loads(raw_calls)
        except json.JSONDecodeError as error:
            raise DataError(f"tool_calls is not valid JSON ({error.msg} at char {error.pos})") from None
    else:
        calls = raw_calls
    if not isinstance(calls, list) or len(calls) != 1:
        count = len(calls) if isinstance(calls, list) else "no list of"
        raise DataError(f"tool_calls must be a JSON list with exactly one call, got {count} calls")
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
    return Example(message.strip(), Call.make(call["name"], arguments), origin)


def read_csv_rows(text: str, origin: str) -> list[tuple[Location, dict]]:
    """(location, row) pairs; locations use 1-based CSV line numbers (header is line 1)."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = {"user_message", "tool_calls"} - set(reader.fieldnames or [])
    if missing:
        raise DataError(f"{origin}: missing column(s) {', '.join(sorted(missing))}; "
                        "expected a CSV with columns user_message,tool_calls")
    rows, line = [], reader.line_num
    try:
        for row in reader:
            rows.append((Location(origin, line + 1), row))
            line = reader.line_num
    except csv.Error as error:
        raise DataError(f"{origin} line {reader.line_num}: unreadable CSV ({error})") from None
    return rows


def read_dataset_rows(source: str | None = None) -> list[tuple[Location, dict]]:
    """Raw rows of a local CSV, a CSV URL, a Hub dataset id (all splits), or the bundled seeds."""
    if source in (None, BUNDLED):
        return read_csv_rows(BUNDLED_SEEDS_CSV, "bundled seeds")
    if os.path.exists(source) or source.lower().endswith(".csv"):
        return read_csv_rows(read_text(source), source)
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
        for index, row in enumerate(splits[split_name]):
            rows.append((Location(f"{source} [{split_name}]", index + 1, "row"), row))
    return rows


def write_examples_csv(path: str, examples: list[Example], with_source: bool = False) -> None:
    """Examples in the dataset format (user_message, tool_calls), optionally with where each came from."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow(["user_message", "tool_calls"] + (["source"] if with_source else []))
        for example in examples:
            writer.writerow([example.message, example.call.to_json()] + ([str(example.origin)] if with_source else []))


def normalise_message(text: str) -> str:
    """Key for near-duplicate detection: case, accents' spacing, punctuation and spaces ignored."""
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()


@dataclass
class DatasetReport:
    """What validation found. `parsed` holds every valid row, `examples` the de-duplicated ones
    without conflicts (what training and evaluation use)."""
    rows: int = 0
    parsed: list = field(default_factory=list)  # Example
    examples: list = field(default_factory=list)  # Example
    errors: list = field(default_factory=list)  # RowError
    duplicates: list = field(default_factory=list)  # {"line", "duplicate_of", "kind", "message"}
    conflicts: list = field(default_factory=list)  # {"message", "lines", "calls"}


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
            report.conflicts.append({"message": example.message, "lines": [str(earlier.origin), str(origin)],
                                     "calls": [earlier.call.to_json(), example.call.to_json()]})
            report.errors.append(RowError(origin, f"same message as {earlier.origin} but labelled "
                                          f"{example.call.to_json()} instead of {earlier.call.to_json()}"))
        else:
            kind = "exact" if earlier.message == example.message else "normalised"
            report.duplicates.append({"line": str(origin), "duplicate_of": str(earlier.origin), "kind": kind,
                                      "message": example.message})
    conflicted = {normalise_message(conflict["message"]) for conflict in report.conflicts}
    report.examples = [example for key, example in first_seen.items() if key not in conflicted]
    return report


def load_examples(sources: list[str] | None, tools: list[dict]) -> tuple[list[Example], DatasetReport]:
    """Merge datasets (bundled seeds when none), validate, de-duplicate; DataError on any error row."""
    rows = []
    for source in sources or [BUNDLED]:
        rows.extend(read_dataset_rows(source))
    report = check_dataset(rows, tools)
    if report.errors:
        shown = "; ".join(str(error) for error in report.errors[:3])
        more = f" (and {len(report.errors) - 3} more)" if len(report.errors) > 3 else ""
        raise DataError(f"{len(report.errors)} invalid row(s): {shown}{more}. "
                        "Run validate_functiongemma_dataset.py for the full list")
    if not report.examples:
        raise DataError("the dataset has no rows")
    return report.examples, report


# ----------------------------------------------------------------------------- split


def split_examples(examples: list[Example], test_fraction: float = 0.1,
                   seed: int = 42) -> tuple[list[Example], list[Example]]:
    """Deterministic train/test split, stratified by (tool, first argument value).

    Depends only on the set of messages, the seed and the fraction, never on row order, so
    training and evaluation derive the same held-out rows from the same datasets. Each stratum
    gets its proportional share of the test rows (largest remainders first); a stratum with a
    single row stays in training."""
    if not 0 <= test_fraction < 1:
        raise DataError(f"--test-split must be in [0, 1), got {test_fraction}")

    def rank(example: Example) -> str:
        return hashlib.sha256(f"{seed}\0{normalise_message(example.message)}".encode()).hexdigest()

    strata = defaultdict(list)
    for example in examples:
        strata[example.call.label].append(example)
    for members in strata.values():
        members.sort(key=rank)
    total_test = round(len(examples) * test_fraction)
    shares = {label: len(members) * test_fraction for label, members in strata.items()}
    quota = {label: int(share) for label, share in shares.items()}
    by_remainder = sorted(strata, key=lambda label: (-(shares[label] - quota[label]), rank_label(label, seed)))
    for label in by_remainder:
        if sum(quota.values()) >= total_test:
            break
        if quota[label] + 1 < len(strata[label]):
            quota[label] += 1
    test = [example for label in sorted(strata) for example in strata[label][:quota[label]]]
    train = [example for label in sorted(strata) for example in strata[label][quota[label]:]]
    random.Random(seed).shuffle(train)
    random.Random(seed + 1).shuffle(test)
    return train, test


def rank_label(label: str, seed: int) -> str:
    return hashlib.sha256(f"{seed}\0{label}".encode()).hexdigest()


def select_split(examples: list[Example], split: str, test_fraction: float, seed: int,
                 max_examples: int | None = None) -> list[Example]:
    """The rows of `split` ("train", "test" or "all"), optionally the first `max_examples`."""
    train, test = split_examples(examples, test_fraction, seed)
    chosen = {"train": train, "test": test, "all": test + train}[split]
    return chosen[:max_examples] if max_examples else chosen


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


def render_completion(call: Call) -> str:
    """The training target: the call, closed by <start_function_response> like the model does."""
    return render_call(call) + START_RESPONSE


def chat_messages(message: str, call: Call | None = None) -> list[dict]:
    """The same conversation in Hugging Face chat form, for tokenizer chat templates."""
    messages = [{"role": "developer", "content": DEVELOPER_PROMPT},
                {"role": "user", "content": message}]
    if call is not None:
        messages.append({"role": "assistant", "tool_calls": [
            {"type": "function", "function": {"name": call.name, "arguments": call.args}}]})
    return messages


# Our Jinja rendering of the format above, for tokenizers that carry none (and the stand-in
# tokenizers of the tests). Rendering with it equals render_prompt/render_completion exactly.
# It is also embedded in exported .litertlm files: LiteRT-LM hands the template each message's
# content as a list of {"type": "text", "text": ...} parts (and defines no bos_token; it inserts
# the start token itself), so `text()` accepts a string or such a list.
CHAT_TEMPLATE = (
    "{%- macro text(c) -%}"
    "{{ (c if c is string else c|selectattr('type', 'equalto', 'text')|map(attribute='text')|join)|trim }}"
    "{%- endmacro -%}"
    "{%- macro value(v) -%}"
    "{%- if v is string -%}<escape>{{ v }}<escape>"
    "{%- elif v is sameas true -%}true{%- elif v is sameas false -%}false"
    "{%- elif v is none -%}null"
    "{%- elif v is mapping -%}{{ '{' }}{%- for k in v|sort -%}{{ k }}:{{ value(v[k]) }}{{ ',' if not loop.last }}{%- endfor -%}{{ '}' }}"
    "{%- elif v is iterable -%}[{%- for item in v -%}{{ value(item) }}{{ ',' if not loop.last }}{%- endfor -%}]"
    "{%- else -%}{{ v }}{%- endif -%}"
    "{%- endmacro -%}"
    "{%- macro schema(s) -%}{{ '{' }}"
    "{%- if s.description is defined -%}description:<escape>{{ s.description }}<escape>,{%- endif -%}"
    "{%- if s.enum is defined -%}enum:[{%- for e in s.enum -%}<escape>{{ e }}<escape>{{ ',' if not loop.last }}{%- endfor -%}],{%- endif -%}"
    "type:<escape>{{ s.type|upper }}<escape>{{ '}' }}"
    "{%- endmacro -%}"
    "{{ bos_token }}"
    "{%- set first = messages[0] if messages else none -%}"
    "{%- if (first and first.role in ['system', 'developer']) or tools -%}"
    "<start_of_turn>developer{{ '\\n' }}"
    "{%- if first and first.role in ['system', 'developer'] -%}{{ text(first.content) }}{%- endif -%}"
    "{%- for tool in tools or [] -%}{%- set f = tool.function if tool.function is defined else tool -%}"
    "{%- set p = f.parameters if f.parameters is defined and f.parameters else {} -%}"
    "<start_function_declaration>declaration:{{ f.name }}{{ '{' }}description:<escape>{{ f.description }}<escape>,parameters:{{ '{' }}"
    "{%- if p.properties -%}properties:{{ '{' }}{%- for k in p.properties|sort -%}{{ k }}:{{ schema(p.properties[k]) }}{{ ',' if not loop.last }}{%- endfor -%}{{ '}' }},{%- endif -%}"
    "{%- if p.required -%}required:[{%- for r in p.required -%}<escape>{{ r }}<escape>{{ ',' if not loop.last }}{%- endfor -%}],{%- endif -%}"
    "type:<escape>{{ (p.type or 'object')|upper }}<escape>{{ '}}' }}<end_function_declaration>"
    "{%- endfor -%}"
    "<end_of_turn>{{ '\\n' }}"
    "{%- endif -%}"
    "{%- for m in messages -%}"
    "{%- if not (loop.first and m.role in ['system', 'developer']) -%}"
    "{%- set role = 'model' if m.role == 'assistant' else m.role -%}"
    "<start_of_turn>{{ role }}{{ '\\n' }}"
    "{%- if m.content -%}{{ text(m.content) }}{%- endif -%}"
    "{%- for c in m.tool_calls or [] -%}{%- set fc = c.function if c.function is defined else c -%}"
    "<start_function_call>call:{{ fc.name }}{{ '{' }}{%- for k in fc.arguments|sort -%}{{ k }}:{{ value(fc.arguments[k]) }}{{ ',' if not loop.last }}{%- endfor -%}{{ '}' }}<end_function_call>"
    "{%- endfor -%}"
    "{%- if m.tool_calls -%}<start_function_response>{%- else -%}<end_of_turn>{{ '\\n' }}{%- endif -%}"
    "{%- endif -%}"
    "{%- endfor -%}"
    "{%- if add_generation_prompt -%}<start_of_turn>model{{ '\\n' }}{%- endif -%}"
)


class TemplateMismatch(RuntimeError):
    """The tokenizer's own chat template renders a different text than this toolkit."""


def check_chat_template(tokenizer, tools: list[dict], example: Example, strict: bool = True) -> str:
    """Compare the tokenizer's chat template (if any) with our rendering of one example.

    Returns "ours" when the tokenizer has no template, "match" when both agree; on mismatch
    raises TemplateMismatch (strict) or prints a warning and returns "mismatch"."""
    if not getattr(tokenizer, "chat_template", None):
        return "ours"
    ours = render_prompt(tools, example.message)
    try:
        theirs = tokenizer.apply_chat_template(chat_messages(example.message), tools=tools,
                                               add_generation_prompt=True, tokenize=False)
    except Exception as error:
        theirs = f"<template error: {error}>"
    if theirs == ours:
        return "match"
    at = next((i for i, (a, b) in enumerate(zip(ours, theirs)) if a != b), min(len(ours), len(theirs)))
    problem = (f"the tokenizer's chat template renders a different prompt from this toolkit at char {at}: "
               f"template {theirs[max(0, at - 30):at + 40]!r} vs ours {ours[max(0, at - 30):at + 40]!r}")
    if strict:
        raise TemplateMismatch(problem + " (pass --allow-template-mismatch to continue anyway)")
    print(f"warning: {problem}", file=sys.stderr)
    return "mismatch"


def tokenize_example(tokenizer, tools: list[dict], example: Example) -> tuple[list[int], list[int]]:
    """(prompt ids, completion ids): the rendered text holds its own <bos>, so no special tokens
    are added and the sequence has exactly one <bos>."""
    prompt = tokenizer(render_prompt(tools, example.message), add_special_tokens=False)["input_ids"]
    completion = tokenizer(render_completion(example.call), add_special_tokens=False)["input_ids"]
    bos_count = (prompt + completion).count(tokenizer.convert_tokens_to_ids(BOS))
    if bos_count != 1:
        raise DataError(f"{example.origin}: rendered example holds {bos_count} <bos> tokens, expected 1")
    return prompt, completion


# ----------------------------------------------------------------------------- parsing model output


@dataclass(frozen=True)
class Parsed:
    call: Call | None
    failure: str | None = None  # one of FAILURE_CLASSES
    detail: str = ""


class _CallSyntaxError(Exception):
    pass


class _CallReader:
    """Strict reader of `call:NAME{key:value,...}`, the grammar LiteRT-LM accepts."""

    NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_.-]*")
    NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")

    def __init__(self, text: str):
        self.text, self.pos = text, 0

    def expect(self, literal: str):
        if not self.text.startswith(literal, self.pos):
            raise _CallSyntaxError(f"expected {literal!r} at char {self.pos}")
        self.pos += len(literal)

    def name(self) -> str:
        match = self.NAME.match(self.text, self.pos)
        if not match:
            raise _CallSyntaxError(f"expected a name at char {self.pos}")
        self.pos = match.end()
        return match.group()

    def call(self) -> tuple[str, dict]:
        self.expect("call:")
        name = self.name()
        arguments = self.object()
        if self.pos != len(self.text):
            raise _CallSyntaxError(f"unexpected text after the arguments: {self.text[self.pos:self.pos + 20]!r}")
        return name, arguments

    def object(self) -> dict:
        self.expect("{")
        result = {}
        while not self.text.startswith("}", self.pos):
            if result:
                self.expect(",")
            key = self.name()
            self.expect(":")
            if key in result:
                raise _CallSyntaxError(f"duplicate argument {key!r}")
            result[key] = self.value()
        self.expect("}")
        return result

    def array(self) -> list:
        self.expect("[")
        result = []
        while not self.text.startswith("]", self.pos):
            if result:
                self.expect(",")
            result.append(self.value())
        self.expect("]")
        return result

    def value(self):
        if self.text.startswith(ESCAPE, self.pos):
            end = self.text.find(ESCAPE, self.pos + len(ESCAPE))
            if end < 0:
                raise _CallSyntaxError("unterminated <escape> string")
            value = self.text[self.pos + len(ESCAPE):end]
            self.pos = end + len(ESCAPE)
            return value
        if self.text.startswith("{", self.pos):
            return self.object()
        if self.text.startswith("[", self.pos):
            return self.array()
        for literal, value in (("true", True), ("false", False), ("null", None)):
            if self.text.startswith(literal, self.pos):
                self.pos += len(literal)
                return value
        match = self.NUMBER.match(self.text, self.pos)
        if not match:
            raise _CallSyntaxError(f"expected a value at char {self.pos} (strings need <escape> quotes)")
        self.pos = match.end()
        number = match.group()
        return float(number) if any(c in number for c in ".eE") else int(number)


def parse_output(text: str, tools: list[dict]) -> Parsed:
    """Parse generated text like LiteRT-LM's FunctionGemma parser; never raises.

    Text outside <start_function_call>…<end_function_call> is plain content; a response with no
    call is `no_call`; a broken call (or more than one: the router wants exactly one) is
    `malformed`; then the call is checked against the tools."""
    try:
        if not isinstance(text, str):
            return Parsed(None, "malformed", f"not text: {type(text).__name__}")
        starts = text.count(START_CALL)
        if starts == 0:
            return Parsed(None, "no_call", "no <start_function_call> in the answer")
        spans = re.findall(re.escape(START_CALL) + r"(.*?)" + re.escape(END_CALL), text, flags=re.S)
        if len(spans) != starts:
            return Parsed(None, "malformed", "<start_function_call> without <end_function_call>")
        if len(spans) > 1:
            return Parsed(None, "malformed", f"{len(spans)} calls, expected exactly one")
        try:
            name, arguments = _CallReader(spans[0]).call()
        except _CallSyntaxError as error:
            return Parsed(None, "malformed", str(error))
        call = Call.make(name, arguments)
        functions = tools_by_name(tools)
        if name not in functions:
            return Parsed(call, "unknown_tool", f"unknown tool {name!r}")
        problem = check_arguments(functions[name], arguments)
        if problem:
            return Parsed(call, "bad_arguments", problem)
        return Parsed(call)
    except Exception as error:  # the contract is "never raises": report instead
        return Parsed(None, "malformed", f"unparseable: {type(error).__name__}")


# ----------------------------------------------------------------------------- scoring


def lenient(value) -> str:
    """BFCL-style lenient string form: lower-case, no spaces or , . / - _ * ^."""
    return re.sub(r"[ ,./\-_*^]", "", str(value).lower())


def score_predictions(examples: list[Example], outputs: list[str], tools: list[dict],
                      worst: int = 20) -> dict:
    """Accuracy report for generated `outputs` against the labelled `examples`."""
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
        tool_ok = predicted is not None and predicted.name == expected.name
        args_ok = predicted is not None and predicted.arguments == expected.arguments
        lenient_ok = predicted is not None and (
            {key: lenient(value) for key, value in predicted.arguments}
            == {key: lenient(value) for key, value in expected.arguments})
        correct = tool_ok and args_ok and parsed.failure is None
        counts.update(tool=tool_ok, arguments=args_ok, lenient=lenient_ok, correct=correct,
                      valid=parsed.failure is None)
        if parsed.failure:
            failures[parsed.failure] += 1
        tool_stats = per_tool[expected.name]
        tool_stats["n"] += 1
        tool_stats["correct"] += correct
        tool_stats["tool_correct"] += tool_ok
        value_stats = per_value[expected.label]
        value_stats["n"] += 1
        value_stats["correct"] += correct
        confusion[expected.name][predicted.name if predicted else f"({parsed.failure})"] += 1
        prediction = {"user_message": example.message, "expected": expected.to_json(),
                      "predicted": predicted.to_json() if predicted else "", "output": output,
                      "correct": correct, "failure": parsed.failure or "", "detail": parsed.detail}
        predictions.append(prediction)
        if not correct:
            mistakes.append(prediction)

    def rate(n: int) -> float:
        return n / total if total else 0.0

    for stats in list(per_tool.values()) + list(per_value.values()):
        stats["accuracy"] = stats["correct"] / stats["n"]
    return {
        "examples": total,
        "combined_accuracy": rate(counts["correct"]),
        "tool_accuracy": rate(counts["tool"]),
        "argument_accuracy": rate(counts["arguments"]),
        "lenient_argument_accuracy": rate(counts["lenient"]),
        "valid_format_rate": rate(counts["valid"]),
        "failures": dict(failures),
        "per_tool": dict(sorted(per_tool.items())),
        "per_value": dict(sorted(per_value.items())),
        "confusion": {name: dict(row) for name, row in sorted(confusion.items())},
        "worst_examples": mistakes[:worst],
        "predictions": predictions,
    }


# ----------------------------------------------------------------------------- command line


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


# --- begin bundled data (generated from cycling-copilot-tools.json and cycling-copilot-seeds.csv by dev/sync_vendored.py) ---
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
BUNDLED_SEEDS_CSV = r'''"user_message","tool_calls"
"speedo reading?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]"
"How quick am I rolling at the moment","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]"
"¿Qué velocidad llevo en este llano?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]"
"velocidad actual","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]"
"Feels like I'm crawling on this drag, what's my speed","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]"
"Am I holding 30 km/h on the flat or not?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]"
"km covered so far","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]"
"¿Cuántos kilómetros llevo?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]"
"How many miles have I put in since we left","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]"
"distance done","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]"
"Dime la distancia recorrida hasta ahora","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]"
"Hey, quick one, how far have I ridden since leaving the house?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]"
"What altitude are we at","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]"
"How high up am I right now?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]"
"¿A qué altitud estamos?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]"
"altitud","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]"
"How many metres of climbing have I done on this ride","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]"
"elevation gained so far","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]"
"Is my e-bike going to die before home?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]"
"nivel de batería del motor","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]"
"How much juice is left in the motor?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]"
"charge left on the e-bike?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]"
"¿Me queda carga suficiente en la batería?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]"
"Should I drop to eco mode? How's the charge looking","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]"
"How long have I been in the saddle today","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]"
"elapsed time","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]"
"¿Cuánto tiempo llevo pedaleando?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]"
"How many hours have we been out?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]"
"Tiempo transcurrido de la salida","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]"
"What's the clock on this ride so far?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]"
"Give me the full rundown of this ride","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]"
"stats","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]"
"Resumen de la salida, por favor","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]"
"Read me all my ride numbers: speed, distance, the lot","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]"
"¿Cómo va la ruta en general? Dame todos los datos","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]"
"Quick overview of today's ride so far","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]"
"What's the next 5k like","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]"
"5k ahead?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]"
"¿Qué hay en los próximos cinco kilómetros?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]"
"Anything tricky within the next five km?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]"
"Show me the road for the coming 5 km","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]"
"Próximos 5 km: ¿subida o bajada?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]"
"10 km preview","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]"
"What's coming in the next ten kilometres","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]"
"10k ahead?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]"
"Describe the next 10 km of the route, turns and surface","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]"
"¿Cómo son los próximos diez kilómetros?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]"
"Qué me espera en los siguientes 10 km","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]"
"Anything nasty in the next twenty kilometres?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]"
"20k ahead?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]"
"Give me the big picture for the next 20 km","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]"
"Is there a long climb somewhere in the next 20km?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]"
"¿Qué me espera en los próximos 20 kilómetros?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]"
"Avance de los siguientes veinte km de la ruta","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]"
"¿Qué viene en el próximo tramo?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]"
"What comes after this descent?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]"
"next section?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]"
"Is the next bit gravel or tarmac?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]"
"Any sharp turns on the upcoming stretch?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]"
"Cómo es el siguiente segmento","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]"
"¿Hace frío aquí ahora mismo?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]"
"How cold is it out here right now?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]"
"conditions right here?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]"
"Is it actually raining here or is that just spray off the road?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]"
"Temperatura ahora mismo","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]"
"What's the weather doing where I am at the moment","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]"
"Will I get soaked later on the route?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]"
"Any storms further along the route this afternoon?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]"
"weather ahead","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]"
"¿Va a llover más adelante en la ruta?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]"
"Should I keep the rain jacket handy for the second half of the ride?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]"
"El pronóstico para el resto del recorrido","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]"
"what's the wind doing","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]"
"Which way is the wind blowing?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]"
"How strong are the gusts today?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]"
"¿De dónde sopla el viento?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]"
"viento","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]"
"Will I have a tailwind on the way back?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]"
"I'm out of water","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]"
"agua","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]"
"Where can I refill my bottles?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]"
"Fountain nearby?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]"
"Necesito rellenar los bidones","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]"
"So thirsty, is there a tap anywhere close","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]"
"Espresso stop nearby?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]"
"Café cerca","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]"
"Find me a coffee shop for a quick cortado","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]"
"Could murder a flat white right now","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]"
"¿Hay alguna cafetería por aquí?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]"
"cafe stop","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]"
"I'm starving","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]"
"I'm bonking, I need real food, not gels","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]"
"Where can I grab a proper lunch?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]"
"comida","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]"
"Tengo hambre, ¿dónde puedo comer algo?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]"
"Somewhere to eat a sandwich around here?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]"
"My derailleur just snapped","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]"
"My chain snapped","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]"
"Se me ha roto un radio, necesito un taller","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]"
"nearest bike mechanic","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]"
"I need a new inner tube and I've already used my spare","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]"
"Pinché y no llevo cámara de repuesto","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]"
"Somewhere to sit down for ten minutes?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]"
"rest stop","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]"
"Need a bench to stretch my back","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]"
"área de descanso más cercana","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]"
"¿Dónde puedo parar a descansar un rato?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]"
"Find a picnic spot where I can lie down for a bit","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]"
"It's hailing, I need cover now","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]"
"storm shelter nearby","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]"
"Where can I get under a roof until the storm passes?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]"
"Lightning's close, I need somewhere to hide","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]"
"Está diluviando, ¿dónde me puedo refugiar?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]"
"Un refugio cerca, rápido","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]"
"Any place at all to stop around here?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]"
"Whatever's closest, I just need to stop","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]"
"What's nearby?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]"
"points of interest near me","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]"
"¿Qué hay cerca para parar?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]"
"Cualquier sitio para parar me vale","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]"
"My legs are cooked, avoid the hills","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]"
"flatter route","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]"
"No more climbing today please","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]"
"Quiero una ruta sin tanto desnivel","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]"
"Evita las cuestas, estoy reventado","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]"
"Find me a way back with less climbing","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]"
"Cut the ride short, I need to get back","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]"
"shortcut?","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]"
"Running late, trim some kilometres off the route","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]"
"Atajo","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]"
"Busca una ruta más corta, tengo prisa","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]"
"I'm losing daylight, give me a shorter loop","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]"
"No more gravel, tarmac only","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]"
"paved roads only","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]"
"Keep me on asphalt, I'm on skinny tyres","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]"
"Solo asfalto, por favor","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]"
"Sácame de esta pista de tierra","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]"
"This dirt track is shaking my bike apart, find smooth road","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]"
"Take me somewhere pretty","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]"
"scenic route","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]"
"Route me along the coast for the views","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]"
"Ruta bonita","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]"
"Llévame por un camino con buenas vistas","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]"
"I'm in no hurry, show me the nicest roads","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]"
"Route me out of this headwind","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]"
"sheltered route please","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]"
"Find a route that's protected from the wind","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]"
"Llévame por un camino más resguardado del viento","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]"
"Take the road through the woods, out of these crosswinds","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]"
"Cambia la ruta, este viento lateral me está matando","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]"
"Quiero evitar las carreteras principales","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]"
"Too many lorries here, get me off the main road","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]"
"quiet roads only","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]"
"Route me around the highway","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]"
"Sin carreteras nacionales","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]"
"These cars are passing scary close, find me back lanes","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]"
"How fit am I these days?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]"
"What's my FTP?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]"
"¿Cuál es mi nivel de forma?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]"
"fitness level","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]"
"Am I in better shape than last month?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]"
"¿Cómo ando de forma últimamente?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]"
"What kind of rides do I usually like?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]"
"my preferences","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]"
"Do I prefer road or gravel?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]"
"What distance and terrain do I normally go for?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]"
"¿Qué tipo de rutas prefiero?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]"
"Mis preferencias de ruta","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]"
"Muéstrame mi perfil completo de ciclista","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]"
"Tell me everything you know about me as a cyclist","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]"
"full rider profile","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]"
"Who am I as a rider? Fitness, likes, everything","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]"
"Resumen de mi perfil: forma física y gustos","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]"
"Load my whole profile","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]"
'''
# --- end bundled data ---
# --- end _common.py ---

# --- begin _generation.py (vendored from _generation.py; edit that file, then run python dev/sync_vendored.py) ---
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
# --- end _generation.py ---

DEFAULT_GENERATOR = "qwen2.5:7b"


def failure(error: Exception, args: argparse.Namespace) -> Exception | None:
    """The TransientError/FatalError a client exception means, or None if it is not a server failure."""
    import httpx
    import ollama
    import pydantic
    if isinstance(error, ollama.ResponseError):
        status = error.status_code
        if status in (401, 403):
            return FatalError(f"{args.host} refused the request (HTTP {status}): check the proxy's credentials")
        if status == 404:
            return FatalError(f"{args.host} has no model {args.model!r} (run `ollama pull {args.model}`): {error.error}")
        # The ollama client keeps no headers, so a Retry-After cannot be honoured here.
        if status == 429 or status >= 500:
            return TransientError(f"server busy or failing (HTTP {status}: {error.error})")
        return FatalError(f"{args.host} rejected the request (HTTP {status}): {error.error}")
    if isinstance(error, ConnectionError):  # what the ollama client raises when nothing listens
        return TransientError(f"cannot connect to Ollama at {args.host}; is `ollama serve` running?")
    if isinstance(error, httpx.TimeoutException):
        return TransientError(f"no reply within {args.timeout:g}s")
    if isinstance(error, httpx.TransportError):
        return TransientError(f"connection to {args.host} failed ({type(error).__name__})")
    if isinstance(error, (json.JSONDecodeError, pydantic.ValidationError)):  # a body that is not a chat response
        return TransientError(f"unreadable reply from {args.host}")
    return None


def connect(args: argparse.Namespace):
    """`ask(messages, schema, seed) -> text` over Ollama's /api/chat with a JSON-schema format."""
    import ollama
    client = ollama.Client(host=args.host, timeout=args.timeout)

    def ask(messages: list[dict], schema: dict, seed: int) -> str:
        try:
            reply = client.chat(model=args.model, messages=messages, format=schema,
                                options={"temperature": 0.9, "seed": seed})
        except Exception as error:
            meaning = failure(error, args)
            if meaning is None:
                raise
            raise meaning from None
        return reply.message.content or ""

    return ask


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description="Expand seed rows into a balanced FunctionGemma dataset with a local Ollama model.",
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split("\n\n", 2)[1])
    add_generation_arguments(parser, DEFAULT_GENERATOR)
    parser.add_argument("--host", default=os.environ.get("OLLAMA_HOST") or "http://localhost:11434",
                        help="Ollama server (default: $OLLAMA_HOST or http://localhost:11434)")
    args = parser.parse_args(argv)
    return run_generation(args, connect)


if __name__ == "__main__":
    run_main(main)
