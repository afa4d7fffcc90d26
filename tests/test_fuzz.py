"""Hostile and oversized input, found by fuzzing: whatever a dataset or tools file holds (random
bytes, truncations, JSON nested past the parser's recursion limit, huge fields, wrong types, control
and added tokens, mixed encodings), the readers the scripts call to read input (`read_dataset_rows`,
`check_dataset`, `load_tools`, `load_examples`, `parse_json`, the generators' and the judge's
`reply_field`) end in a result or a one-line DataError, never another exception, within a bounded
time. Then each class the fuzzing found ends the validator, training and evaluation in one line,
before any model loads: JSON nested deeper than MAX_JSON_DEPTH (a tools file, a tool_calls cell),
a token of the vocabulary that is no text in a message (<start_of_image>, [multimodal], <unused0>),
and tool declarations longer than the model's context (400 tools).

The seven property tests try FUZZ_EXAMPLES generated inputs each (TOKEN_EXAMPLES for the one that
tokenizes), 3,200 in all, in well under a minute; the twelve whole-script runs take a few minutes."""

import codecs
import csv
import io
import json
import time
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import _data
import _format
import _generation
from _cli import DataError
from conftest import many_tools

FUZZ_EXAMPLES = 500  # generated inputs per property test (the tokenizer's: TOKEN_EXAMPLES)
TOKEN_EXAMPLES = 200
# Generous per input (most take milliseconds): a slow CI machine must not make the test flaky, but a
# reader that scans quadratically or loops would still be caught.
FUZZ = settings(max_examples=FUZZ_EXAMPLES, deadline=timedelta(seconds=10),
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.large_base_example, HealthCheck.function_scoped_fixture])
TOOLS = _data.load_tools()
DEPTH = _data.MAX_JSON_DEPTH
SPEED = json.dumps([{"name": "get_ride_status", "args": {"query": "speed"}}])
WATER = json.dumps([{"name": "find_nearby_poi", "args": {"query": "water"}}])
# A token of the vocabulary that is no text, each spelled as a message might hold it.
NOT_TEXT = [*_data.CONTROL_TOKENS, "<unk>", "<mask>", "[multimodal]", "<start_of_image>", "<end_of_image>",
            "<unused0>", "<unused99>", "<unused6241>"]
TEXT_LIKE = ["<b>", "</td>", "\n\n\n", "\t\t", "<unused>", "start_of_image", "<start of image>", "[multimodal",
             "<UNUSED0>", "<unused-1>", "¿qué?", "20 km"]


def one_line(error: Exception) -> str:
    text = str(error)
    assert text and "\n" not in text and "\r" not in text, repr(text)
    assert "Traceback" not in text
    return text


# ----------------------------------------------------------------------------- generated input


def deep(depth: int, kind: str) -> str:
    """JSON text nested `depth` levels deep."""
    if kind == "list":
        return "[" * depth + "]" * depth
    if kind == "object":
        return '{"a":' * depth + "1" + "}" * depth
    return ('[{"name": "get_ride_status", "args": {"query": ' + "[" * depth + '"speed"' + "]" * depth + "}}]")


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                           lambda children: st.lists(children, max_size=4)
                           | st.dictionaries(st.text(max_size=8), children, max_size=4), max_leaves=12)
hostile_text = st.one_of(
    st.text(max_size=80),  # any unicode, control characters included
    st.builds(deep, st.integers(DEPTH - 2, 50_000), st.sampled_from(["list", "object", "argument"])),
    st.integers(20_000, 200_000).map(lambda n: "x" * n),  # huge, past the CSV reader's field limit too
    st.sampled_from(["1" * 5000, "-" + "9" * 4400, "1e999999", "NaN", "[NaN]", "[Infinity]", '{"a": -Infinity}',
                     "[1,]", "[", '"', "\\", "", " ", "null", "{}", "[[]]", '[{"name": null}]', SPEED, WATER]),
    json_values.map(json.dumps),  # JSON of the wrong types and shapes
    st.tuples(st.text(max_size=20), st.sampled_from(NOT_TEXT + TEXT_LIKE), st.text(max_size=20)).map("".join),
)
# Repeated entries make the usable choices likelier, so that many files get as far as their rows.
headers = st.sampled_from(["user_message,tool_calls"] * 4 + ["user_message,tool_calls,boundary",
                           "tool_calls,user_message", "user_message", "message,label", "", '"user_message,tool_calls'])
encodings = st.sampled_from(["utf-8"] * 4 + ["utf-8-sig", "utf-16", "utf-16-le", "utf-32", "latin-1", "cp1252"])
SEED_ROWS = [[row["user_message"], row["tool_calls"]] for _, row in _data.read_dataset_rows(None)[:200:10]]


@st.composite
def dataset_files(draw, sound_file: bool = False) -> bytes:
    """A dataset CSV as a user might hand it over, broken in the ways files break; with `sound_file`
    a well-formed UTF-8 CSV with the right header whose cells are hostile."""
    header = "user_message,tool_calls,boundary" if sound_file else draw(headers)
    hostile_row = st.lists(hostile_text | st.sampled_from(["hello", SPEED, "[]", "time"]), min_size=1,
                           max_size=3 if sound_file else 4)
    rows = draw(st.lists(st.sampled_from(SEED_ROWS) | hostile_row, min_size=int(sound_file), max_size=6))
    if sound_file:
        handle = io.StringIO()
        csv.writer(handle, lineterminator="\n").writerows(rows)
        return (header + "\n" + handle.getvalue()).encode("utf-8")
    if draw(st.booleans()):  # written by a CSV writer: the cells arrive whole
        handle = io.StringIO()
        csv.writer(handle, lineterminator=draw(st.sampled_from(["\n", "\r\n"]))).writerows(rows)
        text = header + "\n" + handle.getvalue()
    else:  # pasted together: broken quoting, stray fields
        text = header + "\n" + "\n".join(",".join(row) for row in rows)
    encoding = draw(encodings)
    data = text.encode(encoding, errors="replace")
    if not draw(st.integers(0, 3)):  # two encodings in one file
        data += draw(st.sampled_from(["é,ñ\n", "\u00e9t\u00e9,[]\n"])).encode(draw(encodings), errors="replace")
    if not draw(st.integers(0, 3)):  # cut off anywhere, even inside a multi-byte character
        data = data[:draw(st.integers(0, len(data)))]
    return data


@st.composite
def tools_files(draw) -> bytes:
    """A tools JSON file: the bundled tools with one part replaced by something hostile, or worse."""
    kind = draw(st.sampled_from(["mutated", "text", "bytes"]))
    if kind == "bytes":
        return draw(st.binary(max_size=2000))
    if kind == "text":
        text = draw(hostile_text)
    else:
        tools = json.loads(_data.BUNDLED_TOOLS_JSON)
        function = tools[draw(st.integers(0, len(tools) - 1))]["function"]
        place = draw(st.sampled_from(["name", "description", "parameters", "query", "enum", "type", "tool"]))
        marker = "\x00MARK\x00"
        if place == "query":
            function["parameters"]["properties"]["query"] = marker
        elif place == "enum":
            function["parameters"]["properties"]["query"]["enum"][0] = marker
        elif place == "type":
            function["parameters"]["properties"]["query"]["type"] = marker
        elif place == "tool":
            tools.append(marker)
        else:
            function[place] = marker
        replacement = draw(hostile_text | json_values.map(json.dumps))
        text = json.dumps(tools, ensure_ascii=False).replace(json.dumps(marker), replacement)
    data = text.encode(draw(encodings), errors="replace")
    if draw(st.booleans()):
        data = data[:draw(st.integers(0, len(data)))]
    return data


# ----------------------------------------------------------------------------- the readers


def read_as_the_scripts_do(path) -> str:
    """What the validator, training and evaluation do with a dataset file: read its rows, check them
    (row errors listed, one line each), then load it as training does. Returns how it ended."""
    try:
        rows = _data.read_dataset_rows(str(path))
    except DataError as error:
        one_line(error)
        return "unusable file"
    report = _data.check_dataset(rows, TOOLS)
    for error in report.errors:
        assert one_line(error).startswith(f"{path} line ")
        assert isinstance(error.to_json()["line"], int)
    try:
        examples, _ = _data.load_examples([str(path)], TOOLS)
    except DataError as error:
        one_line(error)
        assert report.errors or not report.examples
        return "row errors"
    assert not report.errors and examples == report.examples
    return "valid"


@FUZZ
@given(dataset_files() | dataset_files(sound_file=True))
def test_any_dataset_file_ends_in_rows_or_one_line(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("fuzz") / "rows.csv"
    path.write_bytes(data)
    started = time.perf_counter()
    event(read_as_the_scripts_do(path))  # --hypothesis-show-statistics counts the outcomes
    assert time.perf_counter() - started < 10


@FUZZ
@given(st.binary(max_size=3000))
def test_random_bytes_as_a_dataset_or_tools_file_end_in_one_line(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("bytes")
    (folder / "rows.csv").write_bytes(data)
    read_as_the_scripts_do(folder / "rows.csv")
    (folder / "tools.json").write_bytes(data)
    try:
        _data.load_tools(str(folder / "tools.json"))
    except DataError as error:
        assert one_line(error).startswith(str(folder / "tools.json"))


@FUZZ
@given(tools_files())
def test_any_tools_file_ends_in_tools_or_one_line(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("tools") / "tools.json"
    path.write_bytes(data)
    try:
        tools = _data.load_tools(str(path))
    except DataError as error:
        assert one_line(error).startswith(str(path))
        return
    # accepted: every text it renders is free of the format's and Gemma's reserved tokens
    for tool in tools:
        for what, text in _data.tool_texts(tool["function"]):
            assert _data.control_token_problem(text, what) is None
    _format.developer_turn(tools)


def nested_list(depth: int) -> list:
    """A list nested `depth` deep, built without recursion."""
    value = []
    for _ in range(depth - 1):
        value = [value]
    return value


@FUZZ
@given(st.lists(st.fixed_dictionaries({"user_message": hostile_text | json_values,
                                       "tool_calls": json_values | hostile_text | st.integers(1, 5000).map(nested_list)},
                                      optional={"boundary": json_values}), max_size=5))
def test_hub_dataset_rows_of_any_type_end_in_row_errors(rows):
    """A Hub dataset's rows arrive as Python values of any type (lists nested deep included)."""
    located = [(_data.Location("user/data", index + 1, "row", "train"), row) for index, row in enumerate(rows)]
    report = _data.check_dataset(located, TOOLS)
    for error in report.errors:
        assert one_line(error).startswith("user/data [train] row ")
    _data.describe_source("user/data", located)


@FUZZ
@given(hostile_text)
def test_parse_json_returns_a_value_or_one_line(text):
    try:
        value = _data.parse_json(text, "x")
    except DataError as error:
        assert one_line(error).startswith("x is ")
        return
    assert _data.value_depth(value) <= DEPTH
    json.dumps(value)  # as deep as a parsed value can be, it is safe to write back


@FUZZ
@given(hostile_text | st.none() | json_values.map(lambda value: json.dumps({"messages": value, "label": value})))
def test_server_replies_end_in_a_value_or_a_rejection(text):
    """The generators' and the judge's structured replies: a value or BadReply, never an exception."""
    for key, kind in (("messages", list), ("label", str)):
        try:
            value = _generation.reply_field(text, key, kind)
        except _generation.BadReply as error:
            assert str(error) in ("malformed_json", "wrong_shape")
        else:
            assert isinstance(value, kind)


def test_the_classes_fuzzing_found_in_each_reader(tmp_path):
    """Each class on its own, with the exact line: deep JSON (past the parser's ~1,000-level recursion
    limit), a number the parser cannot convert, NaN, a field past the CSV reader's limit."""
    tools = tmp_path / "tools.json"
    tools.write_text("\n" + deep(30_000, "list"), encoding="utf-8")
    with pytest.raises(DataError) as error:
        _data.load_tools(str(tools))
    assert str(error.value) == (f"{tools}: the tools file is JSON nested more than {DEPTH} levels deep "
                                f"(at line 2 column {DEPTH + 1}): refused before parsing")
    rows = tmp_path / "rows.csv"
    cells = [deep(30_000, "argument"), "1" * 5000, "[NaN]", deep(DEPTH, "list"), deep(DEPTH + 1, "object")]
    with open(rows, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows([["user_message", "tool_calls"]]
                                                         + [[f"row {n}", cell] for n, cell in enumerate(cells)])
    report = _data.check_dataset(_data.read_dataset_rows(str(rows)), TOOLS)
    errors = [str(error) for error in report.errors]
    prefix = len('[{"name": "get_ride_status", "args": {"query": ')  # 3 levels deep
    assert errors[0] == (f"{rows} line 2: tool_calls is JSON nested more than {DEPTH} levels deep "
                         f"(at char {prefix + DEPTH - 2}): refused before parsing")
    assert errors[1].startswith(f"{rows} line 3: tool_calls is not usable JSON (ValueError: Exceeds the limit")
    assert errors[2:] == [
        f"{rows} line 4: tool_calls is not usable JSON (ValueError: NaN is not JSON)",
        f'{rows} line 5: the call must be an object like {{"name": ..., "args": {{...}}}}',  # 64 deep: parsed
        f"{rows} line 6: tool_calls is JSON nested more than {DEPTH} levels deep (at char {5 * DEPTH + 1}): "
        "refused before parsing"]
    rows.write_text(f'user_message,tool_calls\n"speed","[]"\n"{"x" * 200_000}",[]\n', encoding="utf-8")
    with pytest.raises(DataError) as error:
        _data.read_dataset_rows(str(rows))
    assert str(error.value) == f"{rows} line 3: a field longer than 131,072 characters (a quote that never closes?)"
    with pytest.raises(DataError, match=f"tool_calls is nested more than {DEPTH} levels deep"):
        _data.parse_row({"user_message": "hi", "tool_calls": nested_list(100_000)}, TOOLS)
    assert _generation.reply_field(json.dumps({"messages": ["ok"]}), "messages", list) == ["ok"]
    for reply in (deep(100_000, "object"), '{"messages": ' + deep(5000, "list") + "}", '{"messages": [NaN]}'):
        with pytest.raises(_generation.BadReply, match="malformed_json"):
            _generation.reply_field(reply, "messages", list)


def test_the_depth_scan_skips_strings_and_is_linear():
    assert _data.json_too_deep(json.dumps({"a": "[" * 10_000, "b": "\\\"[[[" * 1000})) is None
    assert _data.json_too_deep("[" * DEPTH + "]" * DEPTH) is None
    assert _data.json_too_deep(" " + "[" * (DEPTH + 1)) == DEPTH + 1
    assert _data.json_too_deep('"' + "[" * 1000) is None  # an unclosed string holds the rest
    started = time.perf_counter()  # backslash-quote runs would make a naive string pattern quadratic
    for text in ('"' + '\\"' * 200_000, '"\\"' * 200_000, "[" * 1_000_000):
        _data.json_too_deep(text)
    assert time.perf_counter() - started < 10


# ----------------------------------------------------------------------------- tokens that are no text


def not_text_tokens(tokenizer) -> list[str]:
    return sorted(tokenizer.convert_ids_to_tokens(index) for index in _format.token_ids_not_text(tokenizer))


@settings(FUZZ, max_examples=TOKEN_EXAMPLES)
@given(st.data())
def test_every_token_of_the_vocabulary_that_is_no_text_is_refused_before_a_tokenizer_loads(tokenizer, data):
    """The built-in list knows every added token of the FunctionGemma tokenizer that is no text: a
    message holding one is refused by the row check alone; text the built-in check passes turns into
    no such token."""
    token = data.draw(st.sampled_from(not_text_tokens(tokenizer)))
    letters = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=6)  # no control characters
    pieces = st.lists(letters | st.sampled_from(TEXT_LIKE + ["<", ">", "[", "]", "unused", "3"]),
                      max_size=6).map("".join)
    before, after = data.draw(pieces), data.draw(pieces)
    message = f"{before}{token}{after}"
    with pytest.raises(DataError, match="contains .*(control token|reserved token)"):
        _data.parse_row({"user_message": message, "tool_calls": "[]"}, TOOLS)
    harmless = before + after
    if _data.control_token_problem(harmless, "x") is None:
        assert _format.special_tokens_in(tokenizer, [harmless]) == [None], harmless


def test_the_tokenizer_check_covers_added_tokens_that_are_not_special(tokenizer, tools):
    """<start_of_image>, <end_of_image> and [multimodal] are added tokens the stand-in (like Gemma's)
    does not mark special: the old check, special ids only, let them through."""
    decoder = tokenizer.added_tokens_decoder
    plain = {token.content for token in decoder.values() if not token.special}
    assert {"<start_of_image>", "<end_of_image>", "[multimodal]"} <= plain
    assert {"<b>", "</td>", "\n", "\t\t"} <= plain  # text all the same
    refused = set(not_text_tokens(tokenizer))
    assert {"<start_of_image>", "<end_of_image>", "[multimodal]", "<unused0>", "<mask>", "<unk>",
            *_data.CONTROL_TOKENS} <= refused
    assert not refused & {"<b>", "</td>", "\n", "\t\t"}
    for token in {token.content for token in decoder.values()}:  # the built-in list agrees with the tokenizer
        assert (_data.control_token_problem(token, "x") is not None) == (token in refused), repr(token)
    examples = [_data.Example(f"look {token} here", None, _data.Location("rows.csv", 2))
                for token in ("<start_of_image>", "[multimodal]", "<unused0>")]
    assert [problem for _, problem in _format.check_special_tokens(tokenizer, tools, examples, None,
                                                                   raise_for_rows=False)] == [
        f"the message contains {token}, {_format.NOT_TEXT}" for token in ("<start_of_image>", "[multimodal]",
                                                                          "<unused0>")]


def test_the_prompt_length_is_exact_and_quiet(tokenizer, tokenizer_dir, tools, seed_examples):
    """The declarations are tokenized once, each row's own part apart: the parts add up to the whole
    rendered row, and a text longer than the tokenizer's maximum logs nothing (the check says it)."""
    length = _format.prompt_length(tools, seed_examples[:40], tokenizer=tokenizer)
    for example, tokens in zip(seed_examples[:40], length.rows):
        prompt, completion = _format.tokenize_example(tokenizer, tools, example)
        assert len(prompt) + len(completion) == length.declarations + tokens
    from transformers import AutoTokenizer
    short = AutoTokenizer.from_pretrained(tokenizer_dir, model_max_length=100)  # like a real model's limit
    warned = "sequence-length-is-longer-than-the-specified-maximum"  # set when transformers logs it
    assert _format.prompt_length(tools, seed_examples[:2], tokenizer=short).declarations == 545
    assert not short.deprecation_warnings.get(warned)
    short([_format.developer_turn(tools)], add_special_tokens=False)  # what a plain call does
    assert short.deprecation_warnings.get(warned)
    with pytest.raises(DataError) as error:
        _format.check_prompt_fits(length, 500, "the model's context", "tools.json")
    assert str(error.value) == (f"tools.json: the tool declarations take 545 tokens and the longest row "
                                f"({length.longest[1].origin}) {length.longest[0]} more, {length.total} in all, more "
                                "than the 500 tokens of the model's context: declare fewer tools or shorter descriptions")
    _format.check_prompt_fits(length, length.total, "the model's context", "tools.json")  # fits exactly


# ----------------------------------------------------------------------------- each class, whole scripts

ROW = "how fast am I going?"
SPEED_CELL = '"' + SPEED.replace('"', '""') + '"'  # as a CSV cell


def classes(tmp_path) -> dict[str, tuple[str, object, str]]:
    """class -> (flag, file, what the one line says)."""
    deep_tools = tmp_path / "deep-tools.json"
    deep_tools.write_text(deep(30_000, "list"), encoding="utf-8")
    deep_cell = tmp_path / "deep-cell.csv"
    deep_cell.write_text(f'user_message,tool_calls\n"{ROW}",{SPEED_CELL}\n"thanks","{deep(30_000, "list")}"\n',
                         encoding="utf-8")
    image = tmp_path / "image.csv"
    image.write_text(f'user_message,tool_calls\n"{ROW}",{SPEED_CELL}\n"look <start_of_image> here",[]\n',
                     encoding="utf-8")
    many = tmp_path / "400-tools.json"
    many.write_text(json.dumps(many_tools(400), indent=1), encoding="utf-8")
    depth = f"JSON nested more than {DEPTH} levels deep (at char {DEPTH + 1}): refused before parsing"
    return {
        "deep_tools": ("--tools", deep_tools, f"{deep_tools}: the tools file is {depth}"),
        "deep_cell": ("--dataset", deep_cell, f"{deep_cell} line 3: tool_calls is {depth}"),
        "added_token": ("--dataset", image, f"{image} line 3: the message contains <start_of_image>, a reserved "
                                            "token of Gemma's vocabulary, not text: text cannot carry the model's tokens"),
        "400_tools": ("--tools", many, f"{many}: the tool declarations take "),
    }


def single_error_line(result, code: int) -> str:
    assert result.returncode == code, (result.returncode, result.stdout[-1000:], result.stderr[-2000:])
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0].removeprefix("error: ")


@pytest.mark.parametrize("case", ["deep_tools", "deep_cell", "added_token", "400_tools"])
def test_each_class_ends_the_validator_in_one_line(run_script, case, tmp_path):
    flag, path, says = classes(tmp_path)[case]
    result = run_script("validate_functiongemma_dataset.py", flag, path, timeout=300)
    if case in ("deep_cell", "added_token"):  # a row error: listed with its line, exit 1
        assert result.returncode == 1 and "Traceback" not in result.stderr + result.stdout, result.stderr
        assert result.stderr == ""
        assert [line for line in result.stdout.splitlines() if line.startswith("error: ")] == [f"error: {says}"]
        return
    line = single_error_line(result, 2)
    assert line.startswith(says), line
    if case == "400_tools":  # no tokenizer: an estimate, held to FunctionGemma's context
        assert "estimated at 4 characters a token: --tokenizer counts exactly" in line
        assert line.endswith("more than the 32,768 tokens of the context of google/functiongemma-270m-it: "
                             "declare fewer tools or shorter descriptions")


@pytest.mark.parametrize("case", ["deep_tools", "deep_cell", "added_token", "400_tools"])
def test_each_class_ends_training_before_the_model_loads(run_script, case, tiny_model_dir, tmp_path):
    flag, path, says = classes(tmp_path)[case]
    result = run_script("train_functiongemma.py", "--model", tiny_model_dir, flag, path,
                        "--output-dir", tmp_path / "run", timeout=600)
    line = single_error_line(result, 2)
    if case in ("deep_cell", "added_token"):
        assert line == f"1 invalid row(s): {says}. Run validate_functiongemma_dataset.py for the full list"
    else:
        assert line.startswith(says), line
    if case == "400_tools":  # exact, with the tiny model's context read from its config.json
        assert line.endswith(f"more than the 4,096 tokens of the model's context (max_position_embeddings in "
                             f"{tiny_model_dir}/config.json): declare fewer tools or shorter descriptions")
    assert "method " not in result.stdout  # printed once the model has loaded
    assert not (tmp_path / "run").exists()


@pytest.mark.parametrize("case", ["deep_tools", "deep_cell", "added_token", "400_tools"])
def test_each_class_ends_evaluation_before_the_model_loads(run_script, case, tiny_model_dir, tmp_path):
    flag, path, says = classes(tmp_path)[case]
    result = run_script("evaluate_functiongemma.py", "--model", tiny_model_dir, "--split", "all", flag, path,
                        timeout=600)
    line = single_error_line(result, 2)
    if case in ("deep_cell", "added_token"):
        assert line == f"1 invalid row(s): {says}. Run validate_functiongemma_dataset.py for the full list"
    else:
        assert line.startswith(says), line
    if case == "400_tools":
        assert line.endswith(f"more than the 4,096 tokens of the context of {tiny_model_dir} (max_position_embeddings "
                             f"in {tiny_model_dir}/config.json): declare fewer tools or shorter descriptions")
    assert result.stdout == ""
