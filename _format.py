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

from _cli import DataError, hf_token, read_local_bytes
from _data import (BOS, END_CALL, END_DECLARATION, END_OF_TURN, END_RESPONSE, EOS, ESCAPE, PAD,
                   START_CALL, START_DECLARATION, START_OF_TURN, START_RESPONSE, Call, Example, check_arguments,
                   control_token_problem, decode_text, parse_json, tool_texts, tools_by_name)

DEFAULT_MODEL = "google/functiongemma-270m-it"
DEVELOPER_PROMPT = "You are a model that can do function calling with the following functions"
# What a model trained here answers, in prose and with no call, when no declared tool fits
# (`--no-call-reply`; recorded in training_config.json, which evaluation and export read back).
DEFAULT_NO_CALL_REPLY = "Sorry, I can't help with that on the bike."

# FunctionGemma's ids for its control tokens (Gemma 3 vocabulary); the device relies on them. The
# tokens' text is defined in _data (CONTROL_TOKENS), whose row and tools checks refuse it in any text.
CONTROL_TOKEN_IDS = {
    PAD: 0, EOS: 1, BOS: 2,
    START_DECLARATION: 46, END_DECLARATION: 47, START_CALL: 48, END_CALL: 49,
    START_RESPONSE: 50, END_RESPONSE: 51, ESCAPE: 52,
    START_OF_TURN: 105, END_OF_TURN: 106,
}
# A call turn ends with <start_function_response>; a prose turn with <end_of_turn>.
STOP_TOKENS = (EOS, END_OF_TURN, START_RESPONSE)
FAILURE_CLASSES = ("no_call", "malformed", "unknown_tool", "bad_arguments")


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


# Our Jinja rendering of the format above, for tokenizers that carry none (and the stand-in
# tokenizers of the tests). Rendering with it equals render_prompt/render_completion exactly (an
# assistant message with content and no tool_calls is the no-call completion, then the turn's "\n").
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


# ----------------------------------------------------------------------------- parsing model output


def prose_text(output: str) -> str:
    """The text of an answer without its closing stop token, trimmed (what an app shows for a no-call answer)."""
    for token in STOP_TOKENS:
        output = output.removesuffix(token)
    return output.strip()


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
    call is `no_call` (the right answer when no tool applies, as the scorer decides); a broken call (or more than one: the router wants exactly one) is
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
