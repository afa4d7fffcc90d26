"""Golden tests of the FunctionGemma renderer against the reference's worked example."""

import json
from pathlib import Path

import pytest

import _data
import _format
from _cli import DataError
from transformers.utils.chat_template_utils import _compile_jinja_template

REFERENCE_TOOL = {"type": "function", "function": {
    "name": "get_ride_status", "description": "Get the rider's current ride state.",
    "parameters": {"type": "object", "required": ["query"], "properties": {
        "query": {"type": "string", "enum": ["all", "speed"], "description": "What to check"}}}}}

REFERENCE_DECLARATION = (
    "<start_function_declaration>declaration:get_ride_status{description:<escape>Get the rider's current "
    "ride state.<escape>,parameters:{properties:{query:{description:<escape>What to check<escape>,enum:"
    "[<escape>all<escape>,<escape>speed<escape>],type:<escape>STRING<escape>}},required:[<escape>query"
    "<escape>],type:<escape>OBJECT<escape>}}<end_function_declaration>")

REFERENCE_PROMPT = (
    "<bos><start_of_turn>developer\nYou are a model that can do function calling with the following "
    f"functions{REFERENCE_DECLARATION}<end_of_turn>\n<start_of_turn>user\nWhat's my current speed?"
    "<end_of_turn>\n<start_of_turn>model\n")

REFERENCE_ANSWER = ("<start_function_call>call:get_ride_status{query:<escape>speed<escape>}"
                    "<end_function_call><start_function_response>")


def test_declaration_matches_reference():
    assert _format.render_declaration(REFERENCE_TOOL) == REFERENCE_DECLARATION


def test_prompt_and_answer_match_reference():
    call = _data.Call.make("get_ride_status", {"query": "speed"})
    assert _format.render_prompt([REFERENCE_TOOL], "What's my current speed?") == REFERENCE_PROMPT
    assert _format.render_completion(call) == REFERENCE_ANSWER


def test_declaration_without_parameters_and_sorted_arguments():
    bare = {"type": "function", "function": {"name": "ping", "description": "Ping."}}
    assert _format.render_declaration(bare) == (
        "<start_function_declaration>declaration:ping{description:<escape>Ping.<escape>,"
        "parameters:{type:<escape>OBJECT<escape>}}<end_function_declaration>")
    call = _data.Call.make("f", {"b": 2, "a": "x", "c": True, "d": None})
    assert _format.render_call(call) == (
        "<start_function_call>call:f{a:<escape>x<escape>,b:2,c:true,d:null}<end_function_call>")


def test_jinja_template_renders_exactly_like_the_python_renderer(tools, seed_examples):
    template = _compile_jinja_template(_format.CHAT_TEMPLATE)
    for example in seed_examples:
        prompt = template.render(messages=_format.chat_messages(example.message), tools=tools,
                                 add_generation_prompt=True, bos_token="<bos>")
        assert prompt == _format.render_prompt(tools, example.message)
        answer = _format.chat_messages(example.message, example.call, reply=_format.DEFAULT_NO_CALL_REPLY)
        full = template.render(messages=answer, tools=tools, add_generation_prompt=False, bos_token="<bos>")
        # a prose turn ends with the template's newline; generation stops at <end_of_turn> before it
        assert full == prompt + _format.render_completion(example.call) + ("\n" if example.call is None else "")
    assert any(example.call is None for example in seed_examples)


def test_no_call_completion_is_the_reply_and_the_template_renders_it(tools):
    template = _compile_jinja_template(_format.CHAT_TEMPLATE)
    reply = "Not something I can do, sorry."
    assert _format.render_completion(None) == _format.DEFAULT_NO_CALL_REPLY + "<end_of_turn>"
    assert _format.render_completion(None, f"  {reply}\n") == reply + "<end_of_turn>"
    prompt = _format.render_prompt(tools, "play some music")
    full = template.render(messages=_format.chat_messages("play some music", reply=reply), tools=tools,
                           add_generation_prompt=False, bos_token="<bos>")
    assert full == prompt + _format.render_completion(None, reply) + "\n"
    assert _format.parse_output(_format.render_completion(None, reply), tools) == _format.Parsed(
        None, "no_call", "no <start_function_call> in the answer")
    assert _format.prose_text(_format.render_completion(None, reply)) == reply


@pytest.mark.parametrize("reply, problem", [("  ", "must not be empty"),
                                            ("ok <start_function_call>", "contains the control token <start_function_call>")])
def test_unusable_no_call_replies_are_refused(reply, problem):
    with pytest.raises(DataError, match=problem):
        _format.render_completion(None, reply)


def test_bundled_tools_file_keeps_template_key_order():
    with open(Path(_format.__file__).with_name("cycling-copilot-tools.json"), encoding="utf-8") as handle:
        tools = json.load(handle)
    for tool in tools:
        assert list(tool["function"]) == ["name", "description", "parameters"]
        assert list(tool["function"]["parameters"]) == ["properties", "required", "type"]
        for schema in tool["function"]["parameters"]["properties"].values():
            assert list(schema) == ["description", "enum", "type"]


def test_template_check_compares_the_completion_too(tokenizer_dir, tools, seed_examples):
    """A template that renders the prompt like ours but closes the model's call turn differently
    would train one text and run another: the check compares prompt + completion as well."""
    import pytest
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(tokenizer_dir)
    example = seed_examples[0]
    assert _format.check_chat_template(tokenizer, tools, example) == "match"
    closing = "{%- if m.tool_calls -%}<start_function_response>"
    assert closing in _format.CHAT_TEMPLATE
    tokenizer.chat_template = _format.CHAT_TEMPLATE.replace(closing, "{%- if m.tool_calls -%}<end_of_turn>")
    assert tokenizer.apply_chat_template(_format.chat_messages(example.message), tools=tools,
                                         add_generation_prompt=True, tokenize=False) == \
        _format.render_prompt(tools, example.message)  # the prompt alone still matches
    with pytest.raises(_format.TemplateMismatch, match=r"different prompt and completion .* at char \d+"):
        _format.check_chat_template(tokenizer, tools, example)
    assert _format.check_chat_template(tokenizer, tools, example, strict=False) == "mismatch"
    tokenizer.chat_template = None
    assert _format.check_chat_template(tokenizer, tools, example) == "ours"


def test_template_check_passes_a_no_call_row_and_catches_another_reply(tokenizer_dir, tools):
    """A no-call row (the first row of a dataset can be one) renders the model's prose reply: the
    shipped template matches it; a template that writes the reply differently does not."""
    import pytest
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(tokenizer_dir)
    example = _data.Example("thanks", None)
    assert _format.check_chat_template(tokenizer, tools, example) == "match"
    assert _format.check_chat_template(tokenizer, tools, example, no_call_reply="Not on the bike.") == "match"
    content = "{%- if m.content -%}{{ text(m.content) }}"
    assert content in _format.CHAT_TEMPLATE  # below: a template that drops the model's prose
    tokenizer.chat_template = _format.CHAT_TEMPLATE.replace(
        content, "{%- if m.content and m.role != 'assistant' -%}{{ text(m.content) }}")
    with pytest.raises(_format.TemplateMismatch, match=r"different prompt and completion"):
        _format.check_chat_template(tokenizer, tools, example)
