"""The data contract and format helpers: tools and row checks, the LiteRT-LM-style parser, the shared split, scoring."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import _bundled
import _data
import _format
import _scoring
from _cli import DataError
from _data import Call, Example
from _format import parse_output


def row(message, name, value):
    return {"user_message": message, "tool_calls": json.dumps([{"name": name, "args": {"query": value}}])}


# ---------------------------------------------------------------- tools


def test_bundled_tools_have_six_enum_tools(tools):
    values = _data.enum_values(tools)
    assert list(values) == ["get_ride_status", "get_segment_ahead", "get_weather_forecast",
                            "find_nearby_poi", "get_route_alternatives", "get_rider_profile"]
    assert values["find_nearby_poi"] == ["water", "cafe", "food", "bike_shop", "rest_area", "shelter", "any"]
    assert sum(len(v) for v in values.values()) == 29


@pytest.mark.parametrize("text, problem", [
    ("{", "the tools file is not valid JSON"),
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
        _data.parse_tools(text, "my-tools.json")
    assert str(error.value).startswith("my-tools.json")


def test_load_tools_missing_file_is_one_line_error(tmp_path):
    with pytest.raises(DataError, match="cannot read"):
        _data.load_tools(str(tmp_path / "nope.json"))


# ---------------------------------------------------------------- rows


@pytest.mark.parametrize("bad, problem", [
    ({"user_message": "  ", "tool_calls": "[]"}, "empty user_message"),
    ({"user_message": "hi", "tool_calls": "[{"}, "not valid JSON"),
    ({"user_message": "hi", "tool_calls": "{}"}, r"exactly one call, or \[\] when no tool applies"),
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
        _data.parse_row(bad, tools)


def test_an_empty_call_list_means_no_tool_applies(tools, tmp_path):
    example = _data.parse_row({"user_message": " play some music ", "tool_calls": "[]"}, tools)
    assert example == Example("play some music", None)
    assert _data.parse_row({"user_message": "ok", "tool_calls": []}, tools).call is None  # a Hub row's list
    path = tmp_path / "rows.csv"
    _data.write_examples_csv(str(path), [example, Example("speed", Call.make("get_ride_status", {"query": "speed"}))])
    assert [row["tool_calls"] for _, row in _data.read_csv_rows(path.read_text(), "rows.csv")] == [
        "[]", '[{"name": "get_ride_status", "args": {"query": "speed"}}]']


def test_the_optional_boundary_column_is_read_checked_and_written_back(tools, tmp_path):
    text = ('"user_message","tool_calls","boundary"\n"how far did I ride last Tuesday","[]","time"\n'
            '"how far have I ridden","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""\n')
    rows = _data.read_csv_rows(text, "twins.csv")
    twin, call = (_data.parse_row(row, tools, origin) for origin, row in rows)
    assert (twin.call, twin.boundary, call.boundary) == (None, "time", "")
    path = tmp_path / "out.csv"
    _data.write_examples_csv(str(path), [twin, call])
    assert path.read_text().splitlines()[0] == '"user_message","tool_calls","boundary"'
    assert [_data.parse_row(row, tools).boundary for _, row in _data.read_csv_rows(path.read_text(), "o")] == ["time", ""]
    _data.write_examples_csv(str(path), [call])  # no row has one: the plain two-column format
    assert path.read_text().splitlines()[0] == '"user_message","tool_calls"'
    with pytest.raises(DataError, match="boundary 'yesterday' is none of time, place"):
        _data.parse_row({"user_message": "x", "tool_calls": "[]", "boundary": "yesterday"}, tools)


def test_a_message_labelled_as_a_call_and_as_no_call_is_a_conflict(tools):
    rows = [(_data.Location("d.csv", 2), row("Thanks!", "get_ride_status", "all")),
            (_data.Location("d.csv", 3), {"user_message": "thanks", "tool_calls": "[]"}),
            (_data.Location("d.csv", 4), {"user_message": "call Ana", "tool_calls": "[]"}),
            (_data.Location("d.csv", 5), {"user_message": "Call Ana.", "tool_calls": "[]"})]
    report = _data.check_dataset(rows, tools)
    assert [str(error) for error in report.errors] == [
        'd.csv line 3: same message as d.csv line 2 but labelled [] instead of '
        '[{"name": "get_ride_status", "args": {"query": "all"}}] (labelled both as a call and as no call)']
    assert report.conflicts[0]["calls"][1] == "[]"
    assert [d["line"] for d in report.duplicates] == ["d.csv line 5"]  # two no-call rows agree
    assert report.examples == [Example("call Ana", None, _data.Location("d.csv", 4))]


def test_no_call_share_warnings(tools):
    speed = Example("speed", Call.make("get_ride_status", {"query": "speed"}))
    thanks = Example("thanks", None)
    assert "will call a tool for every input" in _data.no_call_warning([speed, speed])
    assert _data.no_call_warning([speed, thanks]) is None  # half is still fine
    assert "2 of 3 rows are no-call rows, more than half" in _data.no_call_warning([speed, thanks, thanks])
    assert _data.no_call_warning([]) is None


def test_check_dataset_duplicates_and_conflicts(tools):
    rows = [(_data.Location("d.csv", n + 2), r) for n, r in enumerate([
        row("Where is water?", "find_nearby_poi", "water"),
        row("where is WATER", "find_nearby_poi", "water"),
        row("Where is water?", "find_nearby_poi", "water"),
        row("How windy", "get_weather_forecast", "wind"),
        row("how windy!", "get_route_alternatives", "sheltered"),
    ])]
    report = _data.check_dataset(rows, tools)
    assert [d["kind"] for d in report.duplicates] == ["normalised", "exact"]
    assert [d["line"] for d in report.duplicates] == ["d.csv line 3", "d.csv line 4"]
    assert len(report.conflicts) == 1 and report.errors[0].origin.line == 6
    assert [e.message for e in report.examples] == ["Where is water?"]  # conflicting message dropped
    assert len(report.parsed) == 5


def test_csv_line_numbers_count_multiline_fields(tools):
    text = ('user_message,tool_calls\n"two\nlines","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]"\n'
            'bad,"[{"\n')
    rows = _data.read_csv_rows(text, "x.csv")
    assert [location.line for location, _ in rows] == [2, 4]


def test_missing_columns_is_clear():
    with pytest.raises(DataError, match="missing column"):
        _data.read_csv_rows("message,label\nhi,x\n", "x.csv")


# ---------------------------------------------------------------- parser


def test_parses_exact_answer_and_stops(tools):
    call = Call.make("find_nearby_poi", {"query": "water"})
    assert parse_output(_format.render_completion(call), tools) == _format.Parsed(call)
    assert parse_output("Sure! " + _format.render_call(call) + "<end_of_turn>", tools).call == call


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
    assert parse_output(_format.render_call(call), [tool]) == _format.Parsed(call)


PIECES = list("call:{}[],_ az019.-\n") + ["true", "null", "query", "find_nearby_poi", "water"] + \
    list(_format.CONTROL_TOKEN_IDS)


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(max_size=60), st.lists(st.sampled_from(PIECES), max_size=40).map("".join)))
def test_parser_never_raises_on_any_text(text):
    parsed = parse_output(text, _data.load_tools())
    assert parsed.failure in (None, *_format.FAILURE_CLASSES)
    if parsed.failure is None:  # accepted only when the exact call is in the text
        assert _format.render_call(parsed.call) in text
    if _format.START_CALL not in text:
        assert parsed.failure == "no_call"


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([(n, v) for n, vs in _data.enum_values(_data.load_tools()).items() for v in vs]))
def test_render_then_parse_round_trips_every_value(pair):
    call = Call.make(pair[0], {"query": pair[1]})
    assert parse_output(_format.render_completion(call), _data.load_tools()).call == call


# ---------------------------------------------------------------- split


def synthetic_examples(tools, per_value=10):
    return [Example(f"message {name} {value} {i}", Call.make(name, {"query": value}))
            for name, values in _data.enum_values(tools).items() for value in values for i in range(per_value)]


def test_split_is_deterministic_and_order_independent(tools):
    examples = synthetic_examples(tools)
    train, test = _data.split_examples(examples, tools, 0.1, 42)
    train2, test2 = _data.split_examples(list(reversed(examples)), tools, 0.1, 42)
    assert set(test) == set(test2) and set(train) == set(train2)
    assert set(test).isdisjoint(train) and len(test) + len(train) == len(examples)
    assert set(_data.split_examples(examples, tools, 0.1, 7)[1]) != set(test)


def test_split_is_stratified_by_tool_and_value(tools):
    examples = synthetic_examples(tools)
    _, test = _data.split_examples(examples, tools, 0.1, 42)
    assert len(test) == 29
    assert sorted(_data.routing_label(e.call, tools) for e in test) == sorted({_data.routing_label(e.call, tools) for e in examples})


def test_no_call_rows_are_a_stratum_of_their_own(tools):
    examples = synthetic_examples(tools) + [Example(f"chatter {i}", None) for i in range(40)]
    _, test = _data.split_examples(examples, tools, 0.1, 42)
    assert sum(example.call is None for example in test) == 4
    labels = {_data.routing_label(e.call, tools) for e in test if e.call}
    assert len(test) == 33 and labels == {_data.routing_label(e.call, tools) for e in examples if e.call}


def test_split_test_size_rounds_and_singletons_stay_in_training(tools):
    examples = synthetic_examples(tools, per_value=1)
    train, test = _data.split_examples(examples, tools, 0.1, 42)
    assert test == [] and len(train) == 29
    uneven = synthetic_examples(tools, per_value=3)[:40]
    assert len(_data.split_examples(uneven, tools, 0.25, 1)[1]) == 10


def test_select_split_limits_rows(tools):
    examples = synthetic_examples(tools)
    assert len(_data.select_split(examples, tools, "all", 0.1, 42)) == len(examples)
    assert len(_data.select_split(examples, tools, "test", 0.1, 42, max_examples=5)) == 5


# ---------------------------------------------------------------- scoring


def test_score_predictions_counts_each_class(tools):
    water = Call.make("find_nearby_poi", {"query": "water"})
    wind = Call.make("get_weather_forecast", {"query": "wind"})
    examples = [Example("a", water), Example("b", water), Example("c", wind), Example("d", wind), Example("e", wind)]
    outputs = [_format.render_completion(water),
               _format.render_completion(Call.make("find_nearby_poi", {"query": "cafe"})),  # wrong value
               "It is windy.",  # no_call
               _format.render_completion(Call.make("get_route_alternatives", {"query": "sheltered"})),  # wrong tool
               "<start_function_call>call:get_weather_forecast{query:wind}<end_function_call>"]  # malformed
    report = _scoring.score_predictions(examples, outputs, tools)
    assert report["combined_accuracy"] == pytest.approx(1 / 5)
    assert report["tool_accuracy"] == pytest.approx(2 / 5)
    assert report["argument_accuracy"] == pytest.approx(1 / 5)
    assert report["valid_format_rate"] == pytest.approx(3 / 5)
    assert report["failures"] == {"no_call": 1, "malformed": 1, "unknown_tool": 0, "bad_arguments": 0}
    assert report["per_tool"]["find_nearby_poi"]["accuracy"] == 0.5
    assert report["per_value"]["get_weather_forecast:wind"] == {"n": 3, "correct": 0, "accuracy": 0.0}
    assert report["confusion"]["get_weather_forecast"] == {"(no call)": 1, "get_route_alternatives": 1,
                                                           "(malformed)": 1}
    assert len(report["worst_examples"]) == 4


def test_no_call_rows_are_scored_right_only_without_a_call(tools):
    water = Call.make("find_nearby_poi", {"query": "water"})
    reply = _format.DEFAULT_NO_CALL_REPLY
    examples = [Example("thanks", None), Example("ok", None), Example("call Ana", None), Example("uh", None),
                Example("never mind", None), Example("water?", water), Example("bottle", water), Example("h2o", water)]
    outputs = [_format.render_completion(None),  # right, the trained reply
               "Okay!<end_of_turn>",  # right: no call, other words
               _format.render_completion(Call.make("get_ride_status", {"query": "all"})),  # false call
               "<start_function_call>call:find_nearby_poi{query:<escape>beer<escape>}<end_function_call>",  # false call
               "<start_function_call>call:find_nearby_poi{query:water<end_function_call>",  # malformed, not a call
               _format.render_completion(water),  # right
               _format.render_completion(None),  # missed call
               _format.render_completion(Call.make("find_nearby_poi", {"query": "cafe"}))]  # wrong value
    report = _scoring.score_predictions(examples, outputs, tools, no_call_reply=reply)
    assert (report["call_rows"], report["no_call_rows"]) == (3, 5)
    assert report["combined_accuracy"] == pytest.approx(3 / 8)
    assert report["call_accuracy"] == pytest.approx(1 / 3)
    assert report["irrelevance_accuracy"] == pytest.approx(2 / 5)
    assert report["false_call_rate"] == pytest.approx(2 / 5)
    assert report["missed_call_rate"] == pytest.approx(1 / 3)
    assert report["no_call_reply_rate"] == pytest.approx(1 / 5)
    assert report["failures"] == {"no_call": 1, "malformed": 1, "unknown_tool": 0, "bad_arguments": 1}
    assert report["valid_format_rate"] == pytest.approx(5 / 8)  # two prose no-call answers, 3 valid calls
    assert report["confusion"] == {"(no call)": {"(no call)": 2, "get_ride_status": 1, "find_nearby_poi": 1,
                                                 "(malformed)": 1},
                                   "find_nearby_poi": {"find_nearby_poi": 2, "(no call)": 1}}
    assert report["per_tool"]["(no call)"] == {"n": 5, "correct": 2, "tool_correct": 2, "accuracy": 0.4}
    assert report["per_value"]["(no call)"]["accuracy"] == 0.4
    assert [p["expected"] for p in report["predictions"][:1]] == ["[]"]
    calls_only = _scoring.score_predictions(examples[5:], outputs[5:], tools)
    assert calls_only["irrelevance_accuracy"] is None and calls_only["false_call_rate"] is None
    assert calls_only["no_call_reply_rate"] is None and calls_only["call_accuracy"] == pytest.approx(1 / 3)


def test_lenient_argument_score():
    assert _scoring.lenient("Bike-Shop") == _scoring.lenient("bike_shop")
    assert _scoring.lenient("bike shop") != _scoring.lenient("bikes")


def test_tools_from_a_url(tmp_path):
    import functools
    import http.server
    import threading
    (tmp_path / "tools.json").write_text(_bundled.BUNDLED_TOOLS_JSON)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        assert _data.load_tools(f"{base}/tools.json") == _data.load_tools()
        with pytest.raises(DataError, match="cannot download"):
            _data.load_tools(f"{base}/missing.json")
    finally:
        server.shutdown()


# ---------------------------------------------------------------- issue 16: labels, schemas, suspect rows, own test splits


def test_argument_accuracy_needs_the_right_tool_and_values_are_keyed_by_tool(tools):
    """`all` is a value of two tools: the right value under the wrong tool is no right argument."""
    status_all = Call.make("get_ride_status", {"query": "all"})
    profile_all = Call.make("get_rider_profile", {"query": "all"})
    examples = [Example("how am I doing", status_all), Example("my profile", profile_all)]
    outputs = [_format.render_completion(profile_all), _format.render_completion(profile_all)]
    report = _scoring.score_predictions(examples, outputs, tools)
    assert report["tool_accuracy"] == 0.5
    assert report["argument_accuracy"] == 0.5 and report["lenient_argument_accuracy"] == 0.5
    assert report["per_value"] == {"get_ride_status:all": {"n": 1, "correct": 0, "accuracy": 0.0},
                                   "get_rider_profile:all": {"n": 1, "correct": 1, "accuracy": 1.0}}


TWO_ARGUMENT_TOOL = {"type": "function", "function": {"name": "route", "parameters": {"type": "object", "properties": {
    "a_note": {"type": "string"}, "mode": {"type": "string", "enum": ["fast", "flat"]}}, "required": ["mode"]}}}


def test_routing_label_is_the_enum_argument_and_the_split_stratifies_by_it():
    """Not the first argument in sorted order (`a_note`): the enum one."""
    tools = [TWO_ARGUMENT_TOOL]
    assert _data.routing_label(Call.make("route", {"a_note": "x", "mode": "flat"}), tools) == "route:flat"
    assert _data.routing_label(Call.make("route", {"mode": "fast"}), tools) == "route:fast"
    examples = [Example(f"row {mode} {i}", Call.make("route", {"a_note": f"note {i}", "mode": mode}))
                for mode in ("fast", "flat") for i in range(10)]
    _, test = _data.split_examples(examples, tools, 0.1, 42)
    assert sorted(example.call.args["mode"] for example in test) == ["fast", "flat"]


@pytest.mark.parametrize("schema, construct", [
    ({"type": "array", "items": {"type": "string"}}, "items"),
    ({"type": "object", "properties": {"x": {"type": "string"}}}, "properties"),
    ({"type": "string", "nullable": True}, "nullable"),
    ({"type": "string", "default": "all"}, "default"),
    ({"type": "integer", "minimum": 0}, "minimum"),
])
def test_parse_tools_refuses_what_the_declaration_cannot_express(schema, construct):
    tool = {"type": "function", "function": {"name": "f", "parameters": {"type": "object",
                                                                          "properties": {"q": schema}}}}
    with pytest.raises(DataError) as error:
        _data.parse_tools(json.dumps([tool]), "my-tools.json")
    message = str(error.value)
    assert message.startswith("my-tools.json: tool 1 (f): parameter 'q' uses")
    assert construct in message and "cannot express" in message
    parameters_extra = {"type": "function", "function": {"name": "g", "parameters": {
        "type": "object", "properties": {}, "additionalProperties": False}}}
    with pytest.raises(DataError, match=r"\(g\): parameters uses additionalProperties"):
        _data.parse_tools(json.dumps([parameters_extra]), "my-tools.json")


@pytest.mark.parametrize("message, reason", [
    ("Requesting find_nearby_poi with water (Standard natural language questions. Varied phrasing. variant 0)",
     "names the function name 'find_nearby_poi' verbatim"),
    ("any BIKE_SHOP near here?", "names the enum value 'bike_shop' verbatim"),
    ("take avoid_main_roads please", "names the enum value 'avoid_main_roads' verbatim"),
    ("Where can I get water (Conversational, polite, or verbose phrasing.)", "reads like a generation prompt"),
    ("water please variant 3", "reads like a generation prompt"),
    ("where's a bike shop", None),
    ("20km ahead?", None),
    ("ride status (quick)", None),
])
def test_suspect_reason(tools, message, reason):
    found = _data.suspect_reason(message, tools)
    assert (found is None) if reason is None else found.startswith(reason), found


def test_bundled_seeds_hold_no_suspect_row(tools, seed_examples):
    assert _data.count_suspect(seed_examples, tools) == 0


def test_scores_are_also_given_without_suspect_rows(tools):
    water = Call.make("find_nearby_poi", {"query": "water"})
    examples = [Example("Requesting find_nearby_poi with water (variant 0)", water), Example("thirsty", water),
                Example("bottle empty", water)]
    outputs = [_format.render_completion(water), "no idea", _format.render_completion(water)]
    report = _scoring.score_predictions(examples, outputs, tools)
    assert report["combined_accuracy"] == pytest.approx(2 / 3) and report["suspect_rows"] == 1
    assert report["without_suspect"] == {"examples": 2, "combined_accuracy": 0.5, "call_accuracy": 0.5,
                                         "irrelevance_accuracy": None, "false_call_rate": None,
                                         "tool_accuracy": 0.5, "argument_accuracy": 0.5, "valid_format_rate": 0.5}
    assert [bool(prediction["suspect"]) for prediction in report["predictions"]] == [True, False, False]
    assert "without_suspect" not in _scoring.score_predictions(examples[1:], outputs[1:], tools)


def test_a_datasets_own_test_split_is_the_held_out_set_unless_resplit(tools):
    """Rows of a Hub dataset carry their split; other sources are split by seed as usual."""
    examples = synthetic_examples(tools, per_value=4)
    hub = [Example(e.message, e.call, _data.Location("user/data", n + 1, "row", "test" if n % 5 == 0 else "train"))
           for n, e in enumerate(examples[:60])]
    local = [Example(e.message, e.call, _data.Location("mine.csv", n + 2)) for n, e in enumerate(examples[60:])]
    train, test = _data.split_examples(hub + local, tools, 0.25, 42)
    hub_test = [e for e in hub if e.origin.split == "test"]
    _, local_test = _data.split_examples(local, tools, 0.25, 42)
    assert test == hub_test + local_test and len(hub_test) == 12
    assert set(train) == set(hub + local) - set(test)
    assert _data.sources_with_test_split(hub + local) == ["user/data"]
    _, resplit = _data.split_examples(hub + local, tools, 0.25, 42, resplit=True)
    plain = [Example(e.message, e.call) for e in hub + local]  # the same rows without any split
    assert [e.message for e in resplit] == [e.message for e in _data.split_examples(plain, tools, 0.25, 42)[1]]
    assert set(resplit) != set(test)


def test_sources_are_recorded_by_base_name_and_content_hash(tmp_path):
    text = _bundled.BUNDLED_SEEDS_CSV
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "rows.csv").write_text(text, encoding="utf-8")
    first = _data.describe_source(str(tmp_path / "a" / "rows.csv"), _data.read_dataset_rows(str(tmp_path / "a" / "rows.csv")))
    second = _data.describe_source(str(tmp_path / "b" / "rows.csv"), _data.read_dataset_rows(str(tmp_path / "b" / "rows.csv")))
    assert first == second and first["name"].startswith("rows.csv (sha256 ") and first["rows"] == text.count("\n") - 1
    (tmp_path / "b" / "rows.csv").write_text(text.replace("speed", "Speed", 1), encoding="utf-8")
    changed = _data.describe_source(str(tmp_path / "b" / "rows.csv"), _data.read_dataset_rows(str(tmp_path / "b" / "rows.csv")))
    assert changed["sha256"] != first["sha256"] and str(tmp_path) not in json.dumps(first)
