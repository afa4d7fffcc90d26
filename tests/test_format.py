"""Golden tests of the FunctionGemma renderer against the reference's worked example."""

import json

import _common
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
    assert _common.render_declaration(REFERENCE_TOOL) == REFERENCE_DECLARATION


def test_prompt_and_answer_match_reference():
    call = _common.Call.make("get_ride_status", {"query": "speed"})
    assert _common.render_prompt([REFERENCE_TOOL], "What's my current speed?") == REFERENCE_PROMPT
    assert _common.render_completion(call) == REFERENCE_ANSWER


def test_declaration_without_parameters_and_sorted_arguments():
    bare = {"type": "function", "function": {"name": "ping", "description": "Ping."}}
    assert _common.render_declaration(bare) == (
        "<start_function_declaration>declaration:ping{description:<escape>Ping.<escape>,"
        "parameters:{type:<escape>OBJECT<escape>}}<end_function_declaration>")
    call = _common.Call.make("f", {"b": 2, "a": "x", "c": True, "d": None})
    assert _common.render_call(call) == (
        "<start_function_call>call:f{a:<escape>x<escape>,b:2,c:true,d:null}<end_function_call>")


def test_jinja_template_renders_exactly_like_the_python_renderer(tools, seed_examples):
    template = _compile_jinja_template(_common.CHAT_TEMPLATE)
    for example in seed_examples:
        prompt = template.render(messages=_common.chat_messages(example.message), tools=tools,
                                 add_generation_prompt=True, bos_token="<bos>")
        assert prompt == _common.render_prompt(tools, example.message)
        full = template.render(messages=_common.chat_messages(example.message, example.call), tools=tools,
                               add_generation_prompt=False, bos_token="<bos>")
        assert full == prompt + _common.render_completion(example.call)


def test_bundled_tools_file_keeps_template_key_order():
    with open(_common.__file__.replace("_common.py", "cycling-copilot-tools.json"), encoding="utf-8") as handle:
        tools = json.load(handle)
    for tool in tools:
        assert list(tool["function"]) == ["name", "description", "parameters"]
        assert list(tool["function"]["parameters"]) == ["properties", "required", "type"]
        for schema in tool["function"]["parameters"]["properties"].values():
            assert list(schema) == ["description", "enum", "type"]
