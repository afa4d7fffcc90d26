"""_common.py: tools and row checks, the LiteRT-LM-style parser, the shared split, scoring."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import _common
from _common import Call, DataError, Example, parse_output


def row(message, name, value):
    return {"user_message": message, "tool_calls": json.dumps([{"name": name, "args": {"query": value}}])}


# ---------------------------------------------------------------- tools


def test_bundled_tools_have_six_enum_tools(tools):
    values = _common.enum_values(tools)
    assert list(values) == ["get_ride_status", "get_segment_ahead", "get_weather_forecast",
                            "find_nearby_poi", "get_route_alternatives", "get_rider_profile"]
    assert values["find_nearby_poi"] == ["water", "cafe", "food", "bike_shop", "rest_area", "shelter", "any"]
    assert sum(len(v) for v in values.values()) == 29


@pytest.mark.parametrize("text, problem", [
    ("{", "invalid JSON"),
    ("[]", "non-empty JSON list"),
    ('[{"type": "function"}]', '"type": "function"'),
    ('[{"type": "function", "function": {"name": "9bad"}}]', "invalid function name"),
    ('[{"type": "function", "function": {"name": "a"}}, {"type": "function", "function": {"name": "a"}}]',
     "duplicate function name"),
    ('[{"type": "function", "function": {"name": "a", "parameters": {"type": "object", "properties": '
     '{"type": {"type": "string"}}}}}]', "reserved"),
    ('[{"type": "function", "function": {"name": "a", "parameters": {"type": "object", "properties": '
     '{"q": {"type": "string", "enum": [1]}}}}}]', "enum"),
    ('[{"type": "function", "function": {"name": "a", "parameters": {"type": "object", "properties": {}, '
     '"required": ["q"]}}}]', "required"),
])
def test_parse_tools_names_file_and_problem(text, problem):
    with pytest.raises(DataError, match=problem) as error:
        _common.parse_tools(text, "my-tools.json")
    assert str(error.value).startswith("my-tools.json")


def test_load_tools_missing_file_is_one_line_error(tmp_path):
    with pytest.raises(DataError, match="cannot read"):
        _common.load_tools(str(tmp_path / "nope.json"))


# ---------------------------------------------------------------- rows


@pytest.mark.parametrize("bad, problem", [
    ({"user_message": "  ", "tool_calls": "[]"}, "empty user_message"),
    ({"user_message": "hi", "tool_calls": "[{"}, "not valid JSON"),
    ({"user_message": "hi", "tool_calls": "[]"}, "exactly one call"),
    ({"user_message": "hi", "tool_calls": json.dumps([{"name": "get_ride_status", "args": {"query": "speed"}}] * 2)},
     "exactly one call"),
    (row("hi", "teleport", "speed"), "unknown tool"),
    ({"user_message": "hi", "tool_calls": json.dumps([{"name": "get_ride_status", "args": {}}])}, "missing argument"),
    ({"user_message": "hi", "tool_calls": json.dumps([{"name": "get_ride_status", "args": {"query": "speed", "x": 1}}])},
     "unexpected argument"),
    ({"user_message": "hi", "tool_calls": json.dumps([{"name": "get_ride_status", "args": {"query": 3}}])},
     "must be a string"),
    (row("hi", "get_ride_status", "cadence"), "not one of"),
])
def test_parse_row_errors(tools, bad, problem):
    with pytest.raises(DataError, match=problem):
        _common.parse_row(bad, tools)


def test_check_dataset_duplicates_and_conflicts(tools):
    rows = [(_common.Location("d.csv", n + 2), r) for n, r in enumerate([
        row("Where is water?", "find_nearby_poi", "water"),
        row("where is WATER", "find_nearby_poi", "water"),
        row("Where is water?", "find_nearby_poi", "water"),
        row("How windy", "get_weather_forecast", "wind"),
        row("how windy!", "get_route_alternatives", "sheltered"),
    ])]
    report = _common.check_dataset(rows, tools)
    assert [d["kind"] for d in report.duplicates] == ["normalised", "exact"]
    assert [d["line"] for d in report.duplicates] == ["d.csv line 3", "d.csv line 4"]
    assert len(report.conflicts) == 1 and report.errors[0].origin.line == 6
    assert [e.message for e in report.examples] == ["Where is water?"]  # conflicting message dropped
    assert len(report.parsed) == 5


def test_csv_line_numbers_count_multiline_fields(tools):
    text = ('user_message,tool_calls\n"two\nlines","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]"\n'
            'bad,"[{"\n')
    rows = _common.read_csv_rows(text, "x.csv")
    assert [location.line for location, _ in rows] == [2, 4]


def test_missing_columns_is_clear():
    with pytest.raises(DataError, match="missing column"):
        _common.read_csv_rows("message,label\nhi,x\n", "x.csv")


# ---------------------------------------------------------------- parser


def test_parses_exact_answer_and_stops(tools):
    call = Call.make("find_nearby_poi", {"query": "water"})
    assert parse_output(_common.render_completion(call), tools) == _common.Parsed(call)
    assert parse_output("Sure! " + _common.render_call(call) + "<end_of_turn>", tools).call == call


@pytest.mark.parametrize("text, failure", [
    ("", "no_call"),
    ("I think you want water.", "no_call"),
    ('{"name": "find_nearby_poi", "args": {"query": "water"}}', "no_call"),  # JSON is never a call
    ("<start_function_call>call:find_nearby_poi{query:<escape>water<escape>}", "malformed"),
    ("<start_function_call>call:find_nearby_poi{query:water}<end_function_call>", "malformed"),
    ("<start_function_call>call:find_nearby_poi{query:<escape>water}<end_function_call>", "malformed"),
    ("<start_function_call>find_nearby_poi{query:<escape>water<escape>}<end_function_call>", "malformed"),
    ("<start_function_call>call:find_nearby_poi{query:<escape>water<escape>}x<end_function_call>", "malformed"),
    ("<start_function_call>call:f{a:1}<end_function_call><start_function_call>call:f{a:1}<end_function_call>",
     "malformed"),
    ("<start_function_call>call:find_water{query:<escape>water<escape>}<end_function_call>", "unknown_tool"),
    ("<start_function_call>call:find_nearby_poi{query:<escape>beer<escape>}<end_function_call>", "bad_arguments"),
    ("<start_function_call>call:find_nearby_poi{}<end_function_call>", "bad_arguments"),
    ("<start_function_call>call:find_nearby_poi{query:<escape>water<escape>,n:2}<end_function_call>",
     "bad_arguments"),
])
def test_failure_classes(tools, text, failure):
    parsed = parse_output(text, tools)
    assert parsed.failure == failure, parsed
    assert parsed.detail


def test_parser_reads_nested_values():
    tool = {"type": "function", "function": {"name": "f", "parameters": {"type": "object", "properties": {
        "a": {"type": "object"}, "b": {"type": "array"}, "c": {"type": "number"}, "d": {"type": "boolean"}}}}}
    call = Call.make("f", {"a": {"y": None, "x": "s"}, "b": [1, "t"], "c": -2.5, "d": False})
    assert parse_output(_common.render_call(call), [tool]) == _common.Parsed(call)


PIECES = list("call:{}[],_ az019.-\n") + ["true", "null", "query", "find_nearby_poi", "water"] + \
    list(_common.CONTROL_TOKEN_IDS)


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(max_size=60), st.lists(st.sampled_from(PIECES), max_size=40).map("".join)))
def test_parser_never_raises_on_any_text(text):
    parsed = parse_output(text, _common.load_tools())
    assert parsed.failure in (None, *_common.FAILURE_CLASSES)
    if parsed.failure is None:  # accepted only when the exact call is in the text
        assert _common.render_call(parsed.call) in text
    if _common.START_CALL not in text:
        assert parsed.failure == "no_call"


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([(n, v) for n, vs in _common.enum_values(_common.load_tools()).items() for v in vs]))
def test_render_then_parse_round_trips_every_value(pair):
    call = Call.make(pair[0], {"query": pair[1]})
    assert parse_output(_common.render_completion(call), _common.load_tools()).call == call


# ---------------------------------------------------------------- split


def synthetic_examples(tools, per_value=10):
    return [Example(f"message {name} {value} {i}", Call.make(name, {"query": value}))
            for name, values in _common.enum_values(tools).items() for value in values for i in range(per_value)]


def test_split_is_deterministic_and_order_independent(tools):
    examples = synthetic_examples(tools)
    train, test = _common.split_examples(examples, 0.1, 42)
    train2, test2 = _common.split_examples(list(reversed(examples)), 0.1, 42)
    assert set(test) == set(test2) and set(train) == set(train2)
    assert set(test).isdisjoint(train) and len(test) + len(train) == len(examples)
    assert set(_common.split_examples(examples, 0.1, 7)[1]) != set(test)


def test_split_is_stratified_by_tool_and_value(tools):
    examples = synthetic_examples(tools)
    _, test = _common.split_examples(examples, 0.1, 42)
    assert len(test) == 29
    assert sorted(e.call.label for e in test) == sorted({e.call.label for e in examples})


def test_split_test_size_rounds_and_singletons_stay_in_training(tools):
    examples = synthetic_examples(tools, per_value=1)
    train, test = _common.split_examples(examples, 0.1, 42)
    assert test == [] and len(train) == 29
    uneven = synthetic_examples(tools, per_value=3)[:40]
    assert len(_common.split_examples(uneven, 0.25, 1)[1]) == 10


def test_select_split_limits_rows(tools):
    examples = synthetic_examples(tools)
    assert len(_common.select_split(examples, "all", 0.1, 42)) == len(examples)
    assert len(_common.select_split(examples, "test", 0.1, 42, max_examples=5)) == 5


# ---------------------------------------------------------------- scoring


def test_score_predictions_counts_each_class(tools):
    water = Call.make("find_nearby_poi", {"query": "water"})
    wind = Call.make("get_weather_forecast", {"query": "wind"})
    examples = [Example("a", water), Example("b", water), Example("c", wind), Example("d", wind), Example("e", wind)]
    outputs = [_common.render_completion(water),
               _common.render_completion(Call.make("find_nearby_poi", {"query": "cafe"})),  # wrong value
               "It is windy.",  # no_call
               _common.render_completion(Call.make("get_route_alternatives", {"query": "sheltered"})),  # wrong tool
               "<start_function_call>call:get_weather_forecast{query:wind}<end_function_call>"]  # malformed
    report = _common.score_predictions(examples, outputs, tools)
    assert report["combined_accuracy"] == pytest.approx(1 / 5)
    assert report["tool_accuracy"] == pytest.approx(2 / 5)
    assert report["argument_accuracy"] == pytest.approx(1 / 5)
    assert report["valid_format_rate"] == pytest.approx(3 / 5)
    assert report["failures"] == {"no_call": 1, "malformed": 1, "unknown_tool": 0, "bad_arguments": 0}
    assert report["per_tool"]["find_nearby_poi"]["accuracy"] == 0.5
    assert report["per_value"]["get_weather_forecast:wind"] == {"n": 3, "correct": 0, "accuracy": 0.0}
    assert report["confusion"]["get_weather_forecast"] == {"(no_call)": 1, "get_route_alternatives": 1,
                                                           "(malformed)": 1}
    assert len(report["worst_examples"]) == 4


def test_lenient_argument_score():
    assert _common.lenient("Bike-Shop") == _common.lenient("bike_shop")
    assert _common.lenient("bike shop") != _common.lenient("bikes")


def test_tools_from_a_url(tmp_path):
    import functools
    import http.server
    import threading
    (tmp_path / "tools.json").write_text(_common.BUNDLED_TOOLS_JSON)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        assert _common.load_tools(f"{base}/tools.json") == _common.load_tools()
        with pytest.raises(DataError, match="cannot download"):
            _common.load_tools(f"{base}/missing.json")
    finally:
        server.shutdown()
