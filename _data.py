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

from _bundled import BUNDLED_SEEDS_CSV, BUNDLED_TOOLS_JSON
from _cli import DataError, read_local_bytes
from _renderings import meaning_key

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


def count_suspect(examples: list[Example], tools: list[dict]) -> int:
    return sum(suspect_reason(example.message, tools) is not None for example in examples)


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


def describe_source(source: str | None, rows: list[tuple[Location, dict]]) -> dict:
    """A dataset source as recorded next to a model: its name (a local file by base name only, never
    a path), its row count and the sha256 of its rows as read (split, message, tool_calls each)."""
    name = source or BUNDLED
    public = rows[0][0].public if rows else ""
    if public:
        name = public
    elif name != BUNDLED and os.path.exists(name):
        name = os.path.basename(name)
    kind = "bundled" if source in (None, BUNDLED) else "file" if public else "hub"
    digest = hashlib.sha256()
    for origin, row in rows:
        cells = [origin.split, row.get("user_message"), row.get("tool_calls")]
        if value_depth(cells[2]) > MAX_JSON_DEPTH:  # a Hub row parse_row refuses; json.dumps would recurse
            cells[2] = "(nested too deep)"
        digest.update(json.dumps(cells, ensure_ascii=False, sort_keys=True, default=repr).encode() + b"\n")
    return {"name": name, "kind": kind, "rows": len(rows), "sha256": digest.hexdigest()}


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


def load_examples(sources: list[str] | None, tools: list[dict]) -> tuple[list[Example], DatasetReport]:
    """Merge datasets (bundled seeds when none), validate, de-duplicate; DataError on any error row."""
    rows, described = [], []
    for source in sources or [BUNDLED]:
        source_rows = read_dataset_rows(source)
        described.append(describe_source(source, source_rows))
        rows.extend(source_rows)
    report = check_dataset(rows, tools)
    report.sources = described
    if report.errors:
        shown = "; ".join(str(error) for error in report.errors[:3])
        more = f" (and {len(report.errors) - 3} more)" if len(report.errors) > 3 else ""
        raise DataError(f"{len(report.errors)} invalid row(s): {shown}{more}. "
                        "Run validate_functiongemma_dataset.py for the full list")
    if not report.examples:
        raise DataError("the dataset has no rows")
    return report.examples, report


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


def select_split(examples: list[Example], tools: list[dict], split: str, test_fraction: float, seed: int,
                 max_examples: int | None = None, resplit: bool = False) -> list[Example]:
    """The rows of `split` ("train", "test" or "all"), optionally the first `max_examples`."""
    train, test = split_examples(examples, tools, test_fraction, seed, resplit)
    chosen = {"train": train, "test": test, "all": test + train}[split]
    return chosen[:max_examples] if max_examples else chosen
