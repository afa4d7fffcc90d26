# /// script
# requires-python = ">=3.10,<3.14"
# dependencies = [
#     "litert-torch>=0.10,<0.11",
#     "tensorflow-cpu>=2.21",  # litert-torch's generative layers import it; its metadata does not say so
#     "litert-lm-api>=0.18",
#     "litert-lm-builder>=0.18",
#     "torch>=2.4,<2.15",  # litert-torch 0.10 needs torch < 2.15
#     "transformers>=4.57",
#     "peft>=0.17",
#     "safetensors",
#     "protobuf",
#     "huggingface_hub>=0.34",
#     "datasets>=3.0",
#     "tqdm>=4.66",
# ]
# ///
"""Export a FunctionGemma model to a `.litertlm` file for LiteRT-LM (Android), and prove it
still answers like the PyTorch model.

    uv run export_litertlm.py --model ./functiongemma-lora            # LoRA adapter (merged into its base)
    uv run export_litertlm.py --model google/functiongemma-270m-it    # or any full checkpoint
    uv run export_litertlm.py --model ADAPTER --base-model BASE --output-dir out \\
        --dataset my-data.csv --verify 50 --output-repo me/cycling-router-litertlm

Steps: load the model (an adapter is merged into its base, embeddings never resized), save it
as fp32 safetensors in a temporary directory, rebuild it with litert-torch's Gemma 3 builder,
convert it (`--quantize`, default dynamic_int8) and pack a `.litertlm` holding the tokenizer and
LiteRT-LM metadata: start token id 2, the stop tokens, `llm_model_type function_gemma` and this
toolkit's chat template as `jinja_prompt_template` (so the device renders byte for byte the
prompt the model was trained on). The metadata is read back from the written file and printed.

`--verify N` (default 50, 0 skips) runs the file with LiteRT-LM on the CPU, the way an app does
(tools + developer prompt, the embedded template, LiteRT-LM's FunctionGemma parser), and the
PyTorch model on the same N held-out rows (`--dataset`, `--split test`, `--seed`, `--test-split`
select them exactly like training and evaluation do), then reports how often their calls agree
and each side's accuracy. It exits 1 when the agreement is below `--min-agreement`.

The app must pass the tools and this developer prompt as the system message:
"You are a model that can do function calling with the following functions".
"""

import argparse
import contextlib
import json
import os
import shutil
import sys
import tempfile

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

# --- begin _inference.py (vendored from _inference.py; edit that file, then run python dev/sync_vendored.py) ---
"""Model loading and greedy generation shared by the evaluate, train and export scripts.

This file is the single source. Scripts carry a copy between the marker lines
`# --- begin _inference.py` and `# --- end _inference.py`, right after their copy of
`_common.py` (whose names it uses); edit this file, then run `python dev/sync_vendored.py`.
torch, transformers and peft are imported inside the functions that need them.

Fast path of `generate_answers`: every prompt starts with the same developer turn (the tool
declarations, ~700 tokens), so it runs once; each batch then copies its KV cache, prefills only
the rows' own tokens and decodes greedily. Rows are left-padded *between* the shared prefix and
their own tokens, and the attention masks are built from true token positions (causal, plus the
sliding window of Gemma 3's local layers), so each row attends to exactly what plain
`model.generate` on that row alone attends to and yields the same tokens.
"""

import inspect
import json
import os
import re
import time

if "render_prompt" not in globals():  # imported as a module; a vendored copy follows _common's
    from _common import STOP_TOKENS, DataError, hf_token, render_prompt, score_predictions


def training_precision():
    """bf16 where the GPU supports it; fp32 on older GPUs (a T4: fp16 is unstable for Gemma 3) and CPU."""
    import torch
    if torch.cuda.is_available() and torch.cuda.is_bf16_supported():
        return torch.bfloat16
    return torch.float32


def _one_line(error: Exception) -> str:
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0] if lines else ''}"


def _adapter_config(model: str) -> dict | None:
    """adapter_config.json of a LoRA adapter (local dir or Hub repo); None for a full model."""
    if os.path.isdir(model):
        path = os.path.join(model, "adapter_config.json")
    else:
        try:
            from huggingface_hub import hf_hub_download
            path = hf_hub_download(model, "adapter_config.json", token=hf_token())
        except Exception:  # no such file (a full model), or no network: from_pretrained will say
            return None
    if not os.path.exists(path):
        return None
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, json.JSONDecodeError) as error:
        raise DataError(f"{model}: unreadable adapter_config.json ({_one_line(error)})") from None


def _from_pretrained(loader, source: str, what: str, **kwargs):
    try:
        return loader.from_pretrained(source, token=hf_token(), **kwargs)
    except Exception as error:  # missing files, no network, gated repo: one clear line
        raise DataError(f"{source}: cannot load {what} ({_one_line(error)})") from None


def load_model(model: str, base_model: str | None = None, dtype=None, device: str | None = None):
    """(model, tokenizer) from a full checkpoint or a LoRA adapter dir/repo (merged into its base).

    Eager attention, evaluation mode, embeddings never resized (the tokenizer lists ids past the
    embedding table). The tokenizer comes from `model`, falling back to the base model's."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    if not os.path.isdir(model) and not re.fullmatch(r"[\w.-]+(/[\w.-]+)?", model):
        raise DataError(f"{model}: no such model directory (and not a Hub model id)")
    dtype = dtype or training_precision()
    device = device or ("cuda" if torch.cuda.is_available() else "cpu")
    weights = dict(dtype=dtype, attn_implementation="eager")
    adapter = _adapter_config(model)
    base = None
    if adapter is None:
        loaded = _from_pretrained(AutoModelForCausalLM, model, "model", **weights)
    else:
        base = base_model or adapter.get("base_model_name_or_path")
        if not base:
            raise DataError(f"{model}: adapter_config.json names no base model; pass --base-model")
        from peft import PeftModel
        loaded = _from_pretrained(AutoModelForCausalLM, base, f"base model of adapter {model}", **weights)
        try:
            loaded = PeftModel.from_pretrained(loaded, model).merge_and_unload()
        except Exception as error:
            raise DataError(f"{model}: cannot apply LoRA adapter to {base} ({_one_line(error)})") from None
    try:
        tokenizer = AutoTokenizer.from_pretrained(model, token=hf_token())
    except Exception:
        if base is None:
            raise DataError(f"{model}: no tokenizer found") from None
        tokenizer = _from_pretrained(AutoTokenizer, base, "tokenizer")
    stop_token_ids(tokenizer)
    return loaded.to(device).eval(), tokenizer


def stop_token_ids(tokenizer) -> list[int]:
    """Ids of <eos>, <end_of_turn>, <start_function_response>; DataError if the tokenizer lacks one."""
    ids = []
    for token in STOP_TOKENS:
        index = tokenizer.convert_tokens_to_ids(token)
        if index is None or index == tokenizer.unk_token_id:
            raise DataError(f"the tokenizer has no {token} token: not a FunctionGemma tokenizer")
        ids.append(index)
    return ids


def prompt_ids(tokenizer, tools: list[dict], messages: list[str]) -> list[list[int]]:
    """Token ids of each rendered prompt (the text holds its own <bos>: no special tokens added)."""
    return [tokenizer(render_prompt(tools, message), add_special_tokens=False)["input_ids"]
            for message in messages]


def _progress(total: int, enabled: bool, description: str):
    from tqdm.auto import tqdm
    return tqdm(total=total, desc=description, unit="row", disable=not enabled, dynamic_ncols=True)


def _cut_at_stop(tokens: list[int], stops: list[int]) -> list[int]:
    """Tokens up to and including the first stop token, like generate returns them."""
    for index, token in enumerate(tokens):
        if token in stops:
            return tokens[:index + 1]
    return tokens


def generate_per_row(model, tokenizer, tools: list[dict], messages: list[str], max_new_tokens: int = 32,
                     progress: bool = True) -> list[str]:
    """Reference path: plain greedy `model.generate` on one prompt at a time."""
    import torch
    stops = stop_token_ids(tokenizer)
    answers = []
    with torch.inference_mode(), _progress(len(messages), progress, "generate (per row)") as bar:
        for ids in prompt_ids(tokenizer, tools, messages):
            input_ids = torch.tensor([ids], device=model.device)
            output = model.generate(input_ids, attention_mask=torch.ones_like(input_ids), do_sample=False,
                                    max_new_tokens=max_new_tokens, eos_token_id=stops,
                                    pad_token_id=tokenizer.pad_token_id)
            new_tokens = _cut_at_stop(output[0, len(ids):].tolist(), stops)
            answers.append(tokenizer.decode(new_tokens, skip_special_tokens=False))
            bar.update(1)
    return answers


def shared_prefix_length(sequences: list[list[int]]) -> int:
    """Length of the longest common prefix, leaving every row at least one token of its own."""
    limit = min(len(sequence) for sequence in sequences) - 1
    first = sequences[0]
    length = 0
    while length < limit and all(sequence[length] == first[length] for sequence in sequences):
        length += 1
    return length


ATTENTION_NAME = "functiongemma_shared_prefix"


class SharedPrefixCache:
    """Key/value cache of a batch whose rows continue one shared prefix.

    The prefix keys/values stay a batch of one (never copied per row); each layer's `update`
    returns (prefix, rows) pairs that `shared_prefix_attention` consumes. It also tracks every
    cached token's true position and whether it is padding, to build the attention masks."""

    def __init__(self, model, prefix=None, prefix_positions=None):
        import torch
        config = model.config.get_text_config() if hasattr(model.config, "get_text_config") else model.config
        self.sliding_window = getattr(config, "sliding_window", None)
        self.layer_types = set(getattr(config, "layer_types", None) or ["full_attention"])
        self.dtype, self.device = model.dtype, model.device
        self.prefix = prefix or {}  # layer index -> (keys, values), batch of one
        self.rows = {}  # layer index -> (keys, values), one per row
        empty = torch.zeros((1, 0), dtype=torch.long, device=self.device)
        self.prefix_positions = empty if prefix_positions is None else prefix_positions
        self.row_positions = empty
        self.row_valid = empty.bool()

    def update(self, keys, values, layer_idx, *args, **kwargs):
        import torch
        if layer_idx in self.rows:
            old_keys, old_values = self.rows[layer_idx]
            keys, values = torch.cat([old_keys, keys], dim=-2), torch.cat([old_values, values], dim=-2)
        self.rows[layer_idx] = keys, values
        prefix_keys, prefix_values = self.prefix.get(layer_idx, (keys[:1, :, :0], values[:1, :, :0]))
        return (prefix_keys, keys), (prefix_values, values)

    def get_seq_length(self, layer_idx: int = 0) -> int:
        """Cached tokens, padding included (transformers < 5 asks when no cache_position is given)."""
        rows = self.rows.get(layer_idx)
        return self.prefix_positions.shape[1] + (rows[0].shape[-2] if rows else 0)

    def for_batch(self, model) -> "SharedPrefixCache":
        """A fresh cache for a batch continuing this one's tokens (which become its shared prefix)."""
        return SharedPrefixCache(model, dict(self.rows), self.row_positions)

    def masks(self, positions, valid) -> dict:
        """Additive masks of new tokens at `positions` (valid=False: padding) against the whole cache:
        causal by true position, plus Gemma 3's sliding window on its local layers."""
        import torch
        self.row_positions = torch.cat([self.row_positions.expand(len(positions), -1), positions], dim=1)
        self.row_valid = torch.cat([self.row_valid.expand(len(positions), -1), valid], dim=1)
        key_positions = torch.cat([self.prefix_positions.expand(len(positions), -1), self.row_positions], dim=1)
        key_valid = torch.cat([torch.ones_like(self.prefix_positions, dtype=torch.bool).expand(len(positions), -1),
                               self.row_valid], dim=1)
        query, keys = positions[:, :, None], key_positions[:, None, :]
        visible = key_valid[:, None, :] & (keys <= query)
        # a padding query sees itself only, so no softmax row is empty
        new = positions.shape[1]
        itself = torch.zeros((new, key_positions.shape[1]), dtype=torch.bool, device=self.device)
        itself[:, -new:] = torch.eye(new, dtype=torch.bool, device=self.device)
        blocked = torch.finfo(self.dtype).min

        def additive(allowed):
            allowed = (allowed | itself)[:, None]
            return torch.zeros(allowed.shape, dtype=self.dtype, device=self.device).masked_fill(~allowed, blocked)

        masks = {"full_attention": additive(visible)}
        if "sliding_attention" in self.layer_types:
            masks["sliding_attention"] = additive(visible & (query - keys < self.sliding_window))
        return masks

    def select(self, rows):
        """Keep only these rows (the others finished)."""
        self.rows = {layer: (keys[rows], values[rows]) for layer, (keys, values) in self.rows.items()}
        self.row_positions, self.row_valid = self.row_positions[rows], self.row_valid[rows]


def shared_prefix_attention(module, query, key, value, attention_mask, scaling=None, dropout=0.0,
                            softcap=None, **kwargs):
    """Eager attention over (shared prefix, rows) key/value pairs from `SharedPrefixCache`.

    The same arithmetic as transformers' eager attention, without materialising the prefix (or
    the grouped key/value heads) once per row: the prefix products run as one matrix product
    over all rows' queries."""
    import torch
    (prefix_keys, row_keys), (prefix_values, row_values) = key, value
    batch, heads, queries, dim = query.shape
    kv_heads = row_keys.shape[1]
    grouped = query.reshape(batch, kv_heads, heads // kv_heads * queries, dim)
    stacked = grouped.transpose(0, 1).reshape(kv_heads, -1, dim)  # every row's queries against the prefix

    def per_row(prefix_part):  # (kv_heads, batch * grouped queries, n) -> (batch, heads, queries, n)
        size = prefix_part.shape[-1]
        return prefix_part.reshape(kv_heads, batch, grouped.shape[2], size).transpose(0, 1).reshape(
            batch, heads, queries, size)

    scores = torch.cat([per_row(torch.matmul(stacked, prefix_keys[0].transpose(1, 2))),
                        torch.matmul(grouped, row_keys.transpose(2, 3)).reshape(batch, heads, queries, -1)],
                       dim=-1) * (scaling if scaling is not None else dim ** -0.5)
    if softcap is not None:
        scores = torch.tanh(scores / softcap) * softcap
    if attention_mask is not None:
        scores = scores + attention_mask
    weights = torch.softmax(scores, dim=-1, dtype=torch.float32).to(query.dtype)
    prefix_length = prefix_keys.shape[-2]
    prefix_weights = weights[..., :prefix_length].reshape(batch, kv_heads, grouped.shape[2], prefix_length)
    output = per_row(torch.matmul(prefix_weights.transpose(0, 1).reshape(kv_heads, stacked.shape[1], prefix_length),
                                  prefix_values[0]))
    row_weights = weights[..., prefix_length:].reshape(batch, kv_heads, grouped.shape[2], row_keys.shape[-2])
    output = output + torch.matmul(row_weights, row_values).reshape(batch, heads, queries, dim)
    return output.transpose(1, 2).contiguous(), None


class _SharedPrefixAttention:
    """Within this context the model's attention layers run `shared_prefix_attention`."""

    def __init__(self, model):
        from transformers import AttentionInterface
        AttentionInterface.register(ATTENTION_NAME, shared_prefix_attention)
        self.model = model

    def __enter__(self):
        self.previous = self.model.config._attn_implementation
        self.model.config._attn_implementation = ATTENTION_NAME

    def __exit__(self, *exc):
        self.model.config._attn_implementation = self.previous


def _forward(model, cache: SharedPrefixCache, input_ids, positions, valid):
    """Logits of the last column after running `input_ids` at `positions` on top of `cache`."""
    # transformers 5 names the argument `cache`, earlier versions `past_key_values`
    cache_argument = "cache" if "cache" in inspect.signature(model.forward).parameters else "past_key_values"
    output = model(input_ids=input_ids, position_ids=positions, attention_mask=cache.masks(positions, valid),
                   use_cache=True, logits_to_keep=1, **{cache_argument: cache})
    return output.logits[:, -1, :]


def generate_answers(model, tokenizer, tools: list[dict], messages: list[str], batch_size: int = 64,
                     max_new_tokens: int = 32, progress: bool = True) -> list[str]:
    """Greedy answers (decoded with special tokens, cut after the first stop token), equal token for
    token to `generate_per_row`, computing the shared prompt prefix once."""
    import torch

    if not messages:
        return []
    stops = stop_token_ids(tokenizer)
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
    sequences = prompt_ids(tokenizer, tools, messages)
    prefix_length = shared_prefix_length(sequences)
    device = model.device
    answers = [""] * len(messages)
    # similar lengths share a batch: less padding
    order = sorted(range(len(messages)), key=lambda index: len(sequences[index]))
    with torch.inference_mode(), _SharedPrefixAttention(model), \
            _progress(len(messages), progress, "generate") as bar:
        prefix = SharedPrefixCache(model)
        if prefix_length:
            positions = torch.arange(prefix_length, device=device)[None]
            _forward(model, prefix, torch.tensor([sequences[0][:prefix_length]], device=device),
                     positions, torch.ones_like(positions, dtype=torch.bool))
        for start in range(0, len(order), batch_size):
            rows = order[start:start + batch_size]
            suffixes = [sequences[index][prefix_length:] for index in rows]
            width = max(len(suffix) for suffix in suffixes)
            input_ids = torch.tensor([[pad] * (width - len(s)) + s for s in suffixes], device=device)
            valid = torch.tensor([[False] * (width - len(s)) + [True] * len(s) for s in suffixes], device=device)
            positions = (torch.cumsum(valid, dim=1) - 1 + prefix_length).clamp(min=0)
            cache = prefix.for_batch(model)
            logits = _forward(model, cache, input_ids, positions, valid)
            active = list(range(len(rows)))  # indices into `rows` still generating
            generated = [[] for _ in rows]
            last_positions = positions[:, -1:]
            for step in range(max_new_tokens):
                next_tokens = logits.argmax(dim=-1).tolist()
                still = []
                for slot, token in enumerate(next_tokens):
                    generated[active[slot]].append(token)
                    if token not in stops:
                        still.append(slot)
                if not still or step == max_new_tokens - 1:
                    break
                if len(still) < len(active):
                    keep = torch.tensor(still, device=device)
                    cache.select(keep)
                    last_positions = last_positions[keep]
                    next_tokens = [next_tokens[slot] for slot in still]
                    active = [active[slot] for slot in still]
                last_positions = last_positions + 1
                logits = _forward(model, cache, torch.tensor(next_tokens, device=device)[:, None],
                                  last_positions, torch.ones_like(last_positions, dtype=torch.bool))
            for index, tokens in zip(rows, generated):
                answers[index] = tokenizer.decode(tokens, skip_special_tokens=False)
            bar.update(len(rows))
    return answers


def evaluate(model, tokenizer, tools: list[dict], examples: list, batch_size: int = 64,
             max_new_tokens: int = 32, progress: bool = True, worst: int = 20) -> dict:
    """`score_predictions` of the greedy answers, plus throughput."""
    started = time.perf_counter()
    outputs = generate_answers(model, tokenizer, tools, [example.message for example in examples],
                               batch_size=batch_size, max_new_tokens=max_new_tokens, progress=progress)
    seconds = time.perf_counter() - started
    report = score_predictions(examples, outputs, tools, worst=worst)
    report.update(seconds=seconds,
                  examples_per_second=len(examples) / seconds if seconds else 0.0,
                  seconds_per_example=seconds / len(examples) if examples else 0.0)
    return report
# --- end _inference.py ---

QUANTIZATIONS = ("dynamic_int8", "none", "fp16", "weight_only_int8", "dynamic_int4_block32",
                 "dynamic_int4_block128")
FILE_PREFIX = "functiongemma"
CARD_BEGIN, CARD_END = "<!-- begin litertlm export -->", "<!-- end litertlm export -->"


def check_settings(args) -> None:
    if args.quantize not in QUANTIZATIONS:
        raise DataError(f"--quantize {args.quantize!r} is not supported; choose one of {', '.join(QUANTIZATIONS)}")
    if args.prefill_seq_len < 1 or args.kv_cache_max_len <= args.prefill_seq_len:
        raise DataError("--kv-cache-max-len must be larger than --prefill-seq-len (both positive)")
    if args.verify < 0 or not 0 <= args.min_agreement <= 1:
        raise DataError("--verify must be >= 0 and --min-agreement in [0, 1]")


def check_free_space(directory: str, needed: int, what: str) -> None:
    """Fail before a long conversion rather than in the middle of it."""
    os.makedirs(directory, exist_ok=True)
    free = shutil.disk_usage(directory).free
    if free < needed:
        raise DataError(f"out of disk space: {what} needs about {needed / 1e9:.1f} GB in {directory}, "
                        f"only {free / 1e9:.1f} GB free")


def save_merged(model, tokenizer, directory: str) -> str:
    """fp32 safetensors + tokenizer for the litert-torch builder; returns the tokenizer file to bundle.

    The HF `tokenizer.json` is preferred: it is what the PyTorch side tokenizes with."""
    model.save_pretrained(directory, safe_serialization=True)
    tokenizer.save_pretrained(directory)
    for name in ("tokenizer.json", "tokenizer.model"):
        if os.path.exists(os.path.join(directory, name)):
            return os.path.join(directory, name)
    raise DataError("the tokenizer has no tokenizer.json or tokenizer.model file to bundle "
                    "(a fast Hugging Face tokenizer or a SentencePiece model is needed)")


def litert_config(config):
    """litert-torch's Gemma 3 decoder config equal to a Hugging Face Gemma 3 text config."""
    from litert_torch.generative.layers import model_config as cfg

    config = config.get_text_config() if hasattr(config, "get_text_config") else config
    if getattr(config, "model_type", "") not in ("gemma3_text", "gemma3"):
        raise DataError(f"only Gemma 3 models can be exported, this one is {config.model_type!r}")
    # litert-torch scales attention by 1/sqrt(head_dim) and has no soft-capping: refuse what it would get wrong
    if getattr(config, "query_pre_attn_scalar", config.head_dim) != config.head_dim:
        raise DataError(f"query_pre_attn_scalar {config.query_pre_attn_scalar} != head_dim {config.head_dim}: "
                        "litert-torch's Gemma 3 builder cannot express it")
    if config.attn_logit_softcapping or config.final_logit_softcapping:
        raise DataError("logit soft-capping is not supported by litert-torch's Gemma 3 builder")
    rope = getattr(config, "rope_parameters", None) or {
        "full_attention": {"rope_theta": config.rope_theta},
        "sliding_attention": {"rope_theta": config.rope_local_base_freq}}
    norm = cfg.NormalizationConfig(type=cfg.NormalizationType.RMS_NORM, epsilon=config.rms_norm_eps,
                                   zero_centered=True)
    feed_forward = cfg.FeedForwardConfig(
        type=cfg.FeedForwardType.GATED, activation=cfg.ActivationConfig(cfg.ActivationType.GELU_TANH),
        intermediate_size=config.intermediate_size, pre_ff_norm_config=norm, post_ff_norm_config=norm)

    def block(layer_type: str):
        if rope[layer_type].get("rope_type", "default") != "default":
            raise DataError(f"rope scaling {rope[layer_type]['rope_type']!r} is not supported by the exporter")
        attention = cfg.AttentionConfig(
            num_heads=config.num_attention_heads, head_dim=config.head_dim,
            num_query_groups=config.num_key_value_heads, rotary_base=int(rope[layer_type]["rope_theta"]),
            rotary_percentage=1.0, qkv_transpose_before_split=True, query_norm_config=norm,
            key_norm_config=norm, logit_softcap=None, sliding_window_size=config.sliding_window,
            attn_type=(cfg.AttentionType.GLOBAL if layer_type == "full_attention"
                       else cfg.AttentionType.LOCAL_SLIDING))
        return cfg.TransformerBlockConfig(attn_config=attention, ff_config=feed_forward,
                                          pre_attention_norm_config=norm, post_attention_norm_config=norm)

    return cfg.ModelConfig(
        vocab_size=config.vocab_size, num_layers=config.num_hidden_layers,
        max_seq_len=config.max_position_embeddings, embedding_dim=config.hidden_size,
        embedding_scale=config.hidden_size ** 0.5, block_configs=[block(t) for t in config.layer_types],
        final_norm_config=norm, lm_head_use_bias=False, final_logit_softcap=None)


def function_gemma_metadata(directory: str) -> str:
    """Base LiteRT-LM metadata selecting the FunctionGemma parser with the embedded template."""
    from litert_lm_builder.runtime.proto import llm_metadata_pb2

    metadata = llm_metadata_pb2.LlmMetadata()
    metadata.llm_model_type.function_gemma.use_template_for_fc_format = True
    path = os.path.join(directory, "function_gemma_metadata.pb")
    with open(path, "wb") as handle:
        handle.write(metadata.SerializeToString())
    return path


def convert(checkpoint_dir: str, hf_config, tokenizer_file: str, output_dir: str, args) -> str:
    """Build the litert-torch model from the merged checkpoint and write the .litertlm; returns its path."""
    from litert_torch.generative.examples.gemma3 import decoder
    from litert_torch.generative.layers import kv_cache
    from litert_torch.generative.utilities import converter, export_config, model_builder

    config = litert_config(hf_config)
    model = model_builder.build_decoder_only_model(
        checkpoint_path=checkpoint_dir, config=config, tensor_names=decoder.TENSOR_NAMES_SEP_QKV,
        model_class=decoder.Decoder)
    tokenizer_argument = ("hf_tokenizer_model_path" if tokenizer_file.endswith(".json")
                          else "tokenizer_model_path")
    # LiteRT-LM's CPU runtime expects the mask as an input and a transposed KV cache (as Google's Gemma 3 exports)
    settings = export_config.ExportConfig(mask_as_input=True, kvcache_layout=kv_cache.KV_LAYOUT_TRANSPOSED)
    converter.convert_to_litert(
        model, output_path=output_dir, output_name_prefix=FILE_PREFIX, prefill_seq_len=args.prefill_seq_len,
        kv_cache_max_len=args.kv_cache_max_len, quantize=args.quantize, export_config=settings,
        output_format="litertlm", **{tokenizer_argument: tokenizer_file},
        start_token_id=CONTROL_TOKEN_IDS[BOS], stop_tokens=list(STOP_TOKENS),
        jinja_prompt_template=CHAT_TEMPLATE, base_llm_metadata_path=function_gemma_metadata(checkpoint_dir))
    suffix = converter.create_quantize_suffix(args.quantize)
    return os.path.join(output_dir, f"{FILE_PREFIX}_{suffix}_ekv{args.kv_cache_max_len}.litertlm")


def read_metadata(path: str):
    """The LlmMetadata stored in a .litertlm file, and the names of its sections."""
    import io
    from litert_lm_builder import litertlm_core, litertlm_peek
    from litert_lm_builder import litertlm_header_schema_py_generated as schema
    from litert_lm_builder.runtime.proto import llm_metadata_pb2

    header = litertlm_peek.read_litertlm_header(path, io.StringIO())
    sections = header.SectionMetadata()
    metadata, kinds = None, []
    with open(path, "rb") as handle:
        for index in range(sections.ObjectsLength()):
            section = sections.Objects(index)
            kinds.append(litertlm_core.any_section_data_type_to_string(section.DataType()))
            if section.DataType() == schema.AnySectionDataType.LlmMetadataProto:
                handle.seek(section.BeginOffset())
                metadata = llm_metadata_pb2.LlmMetadata.FromString(
                    handle.read(section.EndOffset() - section.BeginOffset()))
    if metadata is None:
        raise DataError(f"{path}: no LiteRT-LM metadata section")
    return metadata, kinds


def describe_metadata(metadata, kinds: list[str]) -> dict:
    def token(union) -> str | int:
        return union.token_str if union.HasField("token_str") else list(union.token_ids.ids)

    model_type = metadata.llm_model_type.WhichOneof("model_type")
    options = getattr(metadata.llm_model_type, model_type) if model_type else None
    return {
        "sections": kinds,
        "start_token": token(metadata.start_token),
        "stop_tokens": [token(stop) for stop in metadata.stop_tokens],
        "llm_model_type": model_type,
        "use_template_for_fc_format": bool(getattr(options, "use_template_for_fc_format", False)),
        "max_num_tokens": metadata.max_num_tokens,
        "jinja_prompt_template_chars": len(metadata.jinja_prompt_template),
        "template_is_chat_template": metadata.jinja_prompt_template == CHAT_TEMPLATE,
    }


def print_metadata(path: str, info: dict) -> None:
    print(f"\n{path}: {os.path.getsize(path) / 1e6:.1f} MB")
    print(f"  sections: {', '.join(info['sections'])}")
    print(f"  start token: {info['start_token']}   stop tokens: {info['stop_tokens']}")
    print(f"  llm_model_type: {info['llm_model_type']} (use_template_for_fc_format: "
          f"{str(info['use_template_for_fc_format']).lower()})   max_num_tokens: {info['max_num_tokens']}")
    same = "equal to the training chat template" if info["template_is_chat_template"] else "DIFFERENT from the training chat template"
    print(f"  jinja_prompt_template: {info['jinja_prompt_template_chars']} chars, {same}")


# ----------------------------------------------------------------------------- verification


def device_answer(response) -> str:
    """A LiteRT-LM reply as FunctionGemma text: its plain text, then its parsed calls re-rendered."""
    calls = "".join(render_call(Call.make(call.name, dict(call.arguments))) for call in response.tool_calls)
    return str(response.contents) + calls


class DeviceRunner:
    """The exported file on LiteRT-LM's CPU backend, driven like an app: tools, developer prompt, greedy."""

    def __init__(self, path: str, tools: list[dict], max_new_tokens: int):
        import litert_lm

        litert_lm.set_min_log_severity(litert_lm.LogSeverity.ERROR)

        class DeclaredTool(litert_lm.Tool):
            def __init__(self, declaration: dict):
                self.declaration = declaration

            def get_tool_description(self) -> dict:
                return self.declaration

            def execute(self, param):  # never called: automatic tool calling is off
                raise NotImplementedError

        self.litert_lm = litert_lm
        self.tools = [DeclaredTool(tool) for tool in tools]
        self.max_new_tokens = max_new_tokens
        self.engine = litert_lm.Engine(path, backend=litert_lm.Backend.CPU())

    def conversation(self):
        return self.engine.create_conversation(
            tools=self.tools, messages=[{"role": "developer", "content": DEVELOPER_PROMPT}],
            automatic_tool_calling=False, sampler_config=self.litert_lm.SamplerConfig(top_k=1))

    def rendered_prompt(self, message: str) -> str | None:
        """The prompt LiteRT-LM renders for one user message, or None if its API does not expose it."""
        conversation = self.conversation()
        try:
            render = getattr(conversation, "render_message_to_string", None)
            return render({"role": "user", "content": message}) if render else None
        finally:
            conversation.close()

    def answer(self, message: str) -> str:
        conversation = self.conversation()
        try:
            return device_answer(conversation.send_message(message, max_output_tokens=self.max_new_tokens))
        except RuntimeError as error:  # LiteRT-LM rejects a malformed call as a whole
            return f"(LiteRT-LM error: {str(error).splitlines()[0]})"
        finally:
            conversation.close()

    def close(self) -> None:
        self.engine.close()


def check_rendered_prompt(device: DeviceRunner, tools: list[dict], example) -> str:
    """'match' / 'mismatch: ...' / 'not exposed': LiteRT-LM's prompt (after its start token) vs ours."""
    rendered = device.rendered_prompt(example.message)
    if rendered is None:
        return "not exposed by this litert-lm-api version"
    device_prompt = BOS + rendered  # LiteRT-LM inserts the start token (id 2) itself
    ours = render_prompt(tools, example.message)
    if device_prompt == ours:
        return "match"
    at = next((i for i, (a, b) in enumerate(zip(ours, device_prompt)) if a != b), min(len(ours), len(device_prompt)))
    return f"mismatch at char {at}: device {device_prompt[max(0, at - 30):at + 40]!r} vs ours {ours[max(0, at - 30):at + 40]!r}"


def strip_stop(text: str) -> str:
    for token in STOP_TOKENS:
        text = text.removesuffix(token)
    return text.strip()


def compare(examples: list, device_outputs: list[str], torch_outputs: list[str], tools: list[dict]) -> dict:
    """Agreement of the parsed calls (both without a call counts as agreeing) and each side's accuracy."""
    rows = []
    for example, device, reference in zip(examples, device_outputs, torch_outputs):
        parsed_device, parsed_torch = parse_output(device, tools), parse_output(reference, tools)
        rows.append({"user_message": example.message, "expected": example.call.to_json(),
                     "litertlm": device, "pytorch": reference,
                     "calls_agree": parsed_device.call == parsed_torch.call,
                     "both_without_call": parsed_device.call is None and parsed_torch.call is None,
                     "texts_agree": strip_stop(device) == strip_stop(reference)})
    total = len(rows) or 1
    device_report = score_predictions(examples, device_outputs, tools)
    torch_report = score_predictions(examples, torch_outputs, tools)
    return {
        "rows": len(rows),
        "agreement": sum(row["calls_agree"] for row in rows) / total,
        "text_agreement": sum(row["texts_agree"] for row in rows) / total,
        "both_without_call": sum(row["both_without_call"] for row in rows),
        "litertlm_accuracy": device_report["combined_accuracy"],
        "pytorch_accuracy": torch_report["combined_accuracy"],
        "litertlm_valid_format": device_report["valid_format_rate"],
        "pytorch_valid_format": torch_report["valid_format_rate"],
        "disagreements": [row for row in rows if not row["calls_agree"]],
    }


def verify(path: str, tools: list[dict], examples: list, torch_outputs: list[str], max_new_tokens: int) -> dict:
    """Run the file like an app on the rows the PyTorch model answered, and compare."""
    from tqdm.auto import tqdm

    device = DeviceRunner(path, tools, max_new_tokens)
    try:
        prompt_check = check_rendered_prompt(device, tools, examples[0])
        device_outputs = [device.answer(example.message)
                          for example in tqdm(examples, desc="LiteRT-LM (CPU)", unit="row", dynamic_ncols=True)]
    finally:
        device.close()
    report = compare(examples, device_outputs, torch_outputs, tools)
    report["rendered_prompt"] = prompt_check
    return report


def print_verification(report: dict, min_agreement: float) -> None:
    print(f"\nverification on {report['rows']} held-out rows (LiteRT-LM CPU vs PyTorch, greedy):")
    print(f"  LiteRT-LM prompt vs training prompt: {report['rendered_prompt']}")
    print(f"  calls agree: {report['agreement']:.1%} (minimum {min_agreement:.0%}; "
          f"{report['both_without_call']} rows without a call on both sides)   "
          f"answer texts identical: {report['text_agreement']:.1%}")
    print(f"  accuracy: LiteRT-LM {report['litertlm_accuracy']:.1%}, PyTorch {report['pytorch_accuracy']:.1%}   "
          f"valid format: LiteRT-LM {report['litertlm_valid_format']:.1%}, PyTorch {report['pytorch_valid_format']:.1%}")
    for row in report["disagreements"][:5]:
        print(f"  differs: {row['user_message']!r}\n    LiteRT-LM {row['litertlm']!r}\n    PyTorch   {row['pytorch']!r}")


# ----------------------------------------------------------------------------- upload


def card_note(path: str, args, report: dict | None) -> str:
    agreement = (f"{report['agreement']:.1%} of {report['rows']} held-out rows agree with the PyTorch model "
                 f"(accuracy: LiteRT-LM {report['litertlm_accuracy']:.1%}, PyTorch {report['pytorch_accuracy']:.1%})"
                 if report else "not verified")
    return "\n".join([
        CARD_BEGIN,
        "## LiteRT-LM export",
        "",
        f"- file: `{os.path.basename(path)}`, {os.path.getsize(path) / 1e6:.1f} MB, exported from `{args.model}`",
        f"- settings: quantization `{args.quantize}`, prefill length {args.prefill_seq_len}, "
        f"KV cache {args.kv_cache_max_len} tokens",
        "- metadata: start token id 2, stop tokens " + ", ".join(f"`{token}`" for token in STOP_TOKENS)
        + ", `llm_model_type: function_gemma` with the training chat template embedded",
        f"- agreement: {agreement}",
        f"- use: pass the tools and the system message \"{DEVELOPER_PROMPT}\"",
        CARD_END,
    ])


def upload(path: str, repo: str, note: str) -> str:
    import re
    from huggingface_hub import HfApi

    api = HfApi(token=hf_token())
    try:
        api.create_repo(repo, exist_ok=True)
        try:
            with open(api.hf_hub_download(repo, "README.md"), encoding="utf-8") as handle:
                card = handle.read()
        except Exception:  # no card yet
            card = ""
        pattern = re.compile(re.escape(CARD_BEGIN) + ".*?" + re.escape(CARD_END), re.S)
        card = pattern.sub(lambda _: note, card) if pattern.search(card) else (card.rstrip() + "\n\n" + note).lstrip()
        api.upload_file(path_or_fileobj=path, path_in_repo=os.path.basename(path), repo_id=repo)
        api.upload_file(path_or_fileobj=(card + "\n").encode("utf-8"), path_in_repo="README.md", repo_id=repo)
    except Exception as error:
        raise DataError(f"{repo}: upload failed ({type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''})") from None
    return f"https://huggingface.co/{repo}"


# ----------------------------------------------------------------------------- main


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True, help="full checkpoint or LoRA adapter (local dir or Hub id)")
    parser.add_argument("--base-model", help="base model of a LoRA adapter (default: the one its config names)")
    parser.add_argument("--tools", default=BUNDLED, help="tools JSON file or https URL (default: bundled)")
    parser.add_argument("--output-dir", default="litertlm", help="where the .litertlm is written (default: %(default)s)")
    parser.add_argument("--output-repo", help="also upload the .litertlm and a model card note to this Hub repo")
    parser.add_argument("--prefill-seq-len", type=int, default=256)
    parser.add_argument("--kv-cache-max-len", type=int, default=1024, help="context length on the device")
    parser.add_argument("--quantize", default="dynamic_int8", help=f"one of {', '.join(QUANTIZATIONS)}")
    parser.add_argument("--verify", type=int, default=50, metavar="N", help="held-out rows to compare (0: skip)")
    parser.add_argument("--min-agreement", type=float, default=0.95)
    parser.add_argument("--max-new-tokens", type=int, default=32)
    parser.add_argument("--dataset", action="append", help="CSV file/URL or Hub dataset id; repeatable (default: bundled seeds)")
    parser.add_argument("--split", default="test", choices=["test", "train", "all"])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--test-split", type=float, default=0.1)
    parser.add_argument("--json", action="store_true", help="print a JSON summary instead of text")
    args = parser.parse_args(argv)
    check_settings(args)

    tools = load_tools(args.tools)
    examples = []
    if args.verify:
        examples, _ = load_examples(args.dataset, tools)
        examples = select_split(examples, args.split, args.test_split, args.seed, args.verify)
        if not examples:
            raise DataError(f"the {args.split} split is empty: nothing to verify (pass --verify 0 to skip)")

    import torch
    model, tokenizer = load_model(args.model, args.base_model, dtype=torch.float32, device="cpu")
    if tokenizer.convert_tokens_to_ids(BOS) != CONTROL_TOKEN_IDS[BOS]:
        raise DataError(f"the tokenizer's {BOS} is not id {CONTROL_TOKEN_IDS[BOS]}: not a Gemma 3 tokenizer")
    fp32_bytes = sum(parameter.numel() for parameter in model.parameters()) * 4
    # the PyTorch answers first: the model can then be freed before the memory-hungry conversion
    torch_outputs = generate_answers(model, tokenizer, tools, [example.message for example in examples],
                                     max_new_tokens=args.max_new_tokens)
    workspace = tempfile.mkdtemp(prefix="litertlm-export-")
    try:
        # merged checkpoint + the converter's intermediate model, then the file itself
        check_free_space(workspace, 2 * fp32_bytes, "the merged checkpoint and the conversion")
        check_free_space(args.output_dir, fp32_bytes // 2, "the .litertlm file")
        tokenizer_file = save_merged(model, tokenizer, workspace)
        config = model.config
        del model
        with contextlib.redirect_stdout(sys.stderr):  # litert-torch prints its progress; stdout is the report
            path = convert(workspace, config, tokenizer_file, args.output_dir, args)
    finally:
        shutil.rmtree(workspace, ignore_errors=True)

    info = describe_metadata(*read_metadata(path))
    summary = {"file": path, "bytes": os.path.getsize(path), "metadata": info}
    if not args.json:
        print_metadata(path, info)
    report = None
    if examples:
        report = verify(path, tools, examples, torch_outputs, args.max_new_tokens)
        summary["verification"] = report
        if not args.json:
            print_verification(report, args.min_agreement)
    if args.output_repo:
        summary["uploaded"] = upload(path, args.output_repo, card_note(path, args, report))
        if not args.json:
            print(f"uploaded to {summary['uploaded']}")
    if args.json:
        print(json.dumps(summary, indent=2, ensure_ascii=False))
    if report and report["agreement"] < args.min_agreement:
        print(f"error: LiteRT-LM agrees with PyTorch on {report['agreement']:.1%} of the calls, "
              f"below --min-agreement {args.min_agreement:.0%}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    run_main(main)
