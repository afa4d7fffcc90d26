"""generate_dataset.py and generate_dataset-local-ollama.py against real HTTP servers on 127.0.0.1.

The scripts run as subprocesses with their real clients (huggingface_hub's InferenceClient, the
official ollama client); tests/fake_servers.py speaks the wire protocols and is scripted per test.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

import _data
import _generation
import _renderings
import fake_servers
from fake_servers import ChatServer

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "hf_test_token_never_printed"
SCRIPTS = {
    "openai": ("generate_dataset.py", "--base-url"),
    "ollama": ("generate_dataset-local-ollama.py", "--host"),
}
FAST = ["--retry-delay", "0.01", "--timeout", "5"]
# The conftest puts the test process offline; the HF client must reach the local server.
ENV = {"HF_TOKEN": TOKEN, "HF_HUB_OFFLINE": "0", "NO_PROXY": "127.0.0.1,localhost"}


def command(protocol: str, server_url: str, *args) -> list[str]:
    script, flag = SCRIPTS[protocol]
    return [sys.executable, str(ROOT / script), flag, server_url, *map(str, args)]


def run(protocol: str, server_url: str, *args, env=None, timeout=300):
    return subprocess.run(command(protocol, server_url, *args), cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **ENV, **(env or {})}, timeout=timeout)


def read_rows(path: Path) -> list[tuple[_data.Location, dict]]:
    return _data.read_csv_rows(path.read_text(encoding="utf-8"), str(path))


def pair_counts(path: Path) -> Counter:
    return Counter(_data.parse_row(row, TOOLS).call for _, row in read_rows(path))


def last_line(text: str) -> str:
    return [line for line in text.splitlines() if line.strip()][-1]


TOOLS = _data.load_tools()
PAIRS = [_data.Call.make(name, {"query": value})
         for name, values in _data.enum_values(TOOLS).items() for value in values]
protocols = pytest.mark.parametrize("protocol", list(SCRIPTS))
# --per-value 1 with all five styles plans 145 call rows; at the default --no-call-share 0.2 they
# are 80% of 181 rows, and the other 36 are no-call rows: at the default --twin-share 0.33, 12 twins
# (2 per tool, 2 per boundary), and 24 over the no-call styles, 4 each.
NO_CALL_ROWS = 36
TWIN_ROWS = 12
BOUNDARIES = list(_data.BOUNDARIES)


def full_plan(per_style: int = len(_generation.STYLES), no_call: int = NO_CALL_ROWS) -> Counter:
    return Counter({**{call: per_style for call in PAIRS}, None: no_call})


@protocols
def test_fills_the_balanced_plan_and_the_output_validates(protocol, tmp_path, run_script):
    output = tmp_path / "generated.csv"
    with ChatServer(protocol) as server:
        result = run(protocol, server.url, "--output", output, "--per-value", 1, *FAST)
    assert result.returncode == 0, result.stderr
    styles = len(_generation.STYLES)
    assert pair_counts(output) == full_plan()  # 6 tools x every value x 5 styles, and the no-call bucket
    report = _data.check_dataset(read_rows(output), TOOLS)
    assert (report.errors, report.duplicates, len(report.examples)) == ([], [], len(PAIRS) * styles + NO_CALL_ROWS)
    validated = run_script("validate_functiongemma_dataset.py", "--dataset", output, "--min-per-value", 1,
                           "--json", tmp_path / "report.json")
    assert validated.returncode == 0, validated.stderr
    report_json = json.loads((tmp_path / "report.json").read_text())
    assert report_json["errors"] == [] and report_json["uncovered_values"] == {}
    share_warnings = [w for w in report_json["warnings"] if "are no-call rows" in w or "no rows with tool_calls []" in w]
    assert report_json["no_call_rows"] == NO_CALL_ROWS and share_warnings == [], report_json["warnings"]
    # One request per (tool, value, style), per no-call style and per twin slot (tool, boundary), each with
    # a JSON schema for the reply.
    assert len(server.generation_requests()) == len(PAIRS) * styles + len(_generation.NO_CALL_STYLES) + TWIN_ROWS
    # The twins come last, a boundary column holds their boundary: 2 per boundary, round robin over the tools.
    twin_prompts = [request["body"]["messages"][-1]["content"] for request in server.twin_requests()]
    assert server.generation_requests()[-TWIN_ROWS:] == server.twin_requests()
    assert [re.findall(r"^(?:Function of the requests|Boundary to cross): (\w+)", prompt, re.M)
            for prompt in twin_prompts] == [
        [tool, boundary] for tool, pair in zip(_data.enum_values(TOOLS), [BOUNDARIES[0:2], BOUNDARIES[2:4], BOUNDARIES[4:6]] * 2)
        for boundary in pair]
    assert read_rows(output)[0][1].keys() == {"user_message", "tool_calls", "boundary"}
    boundaries = Counter(row["boundary"] for _, row in read_rows(output))
    assert boundaries == {"": len(PAIRS) * styles + NO_CALL_ROWS - TWIN_ROWS, **{name: 2 for name in BOUNDARIES}}
    assert all(row["tool_calls"] == "[]" for _, row in read_rows(output) if row["boundary"])
    # The judge (on by default, the generator's model) read every written row, one request each, and
    # nothing else: the judge agrees, and the extra candidates are never looked at.
    rows = [row["user_message"] for _, row in read_rows(output)]
    assert [message for message, _ in server.judged] == rows
    # Each label's rows alternate spoken and typed: no form goes with a label, calls and no-calls alike.
    forms = {}
    for _, row in read_rows(output):
        message = row["user_message"]
        form = "spoken" if message == _renderings.spoken(message) else "typed" if message == _renderings.typed(message) else None
        forms.setdefault(row["tool_calls"], Counter())[form] += 1
    assert all(set(counts) == {"spoken", "typed"} and abs(counts["spoken"] - counts["typed"]) <= 1
               for counts in forms.values()), forms
    assert {request["body"]["model"] for request in server.requests} == {
        {"openai": "meta-llama/Llama-3.3-70B-Instruct", "ollama": "qwen2.5:7b"}[protocol]}
    # Blind: every judge prompt is the same but for its message line, and shows no intended label.
    judge_prompts = {re.sub(r"(?m)^Message: .*$", "", request["body"]["messages"][-1]["content"])
                     for request in server.judge_requests()}
    assert len(judge_prompts) == 1 and "Function:" not in judge_prompts.pop()
    no_call_prompts = [request["body"]["messages"][-1]["content"]
                       for request in server.generation_requests()[-TWIN_ROWS - 6:-TWIN_ROWS]]
    for prompt, style in zip(no_call_prompts, _generation.NO_CALL_STYLES):
        assert prompt.startswith("Kind: messages that none of the functions below can serve")
        assert f"Style: {style}: {_generation.NO_CALL_STYLES[style]}" in prompt
        avoid = prompt.split("must NOT ask for")[1].split("Real messages")[0]
        assert all(f"- {name}: " in avoid for name in _data.enum_values(TOOLS)) and "(values: water, cafe" in avoid
        assert prompt.count(" [no call]") == _generation.MAX_EXAMPLES_IN_PROMPT and '- "thanks" [no call]' in prompt
    first = server.requests[0]["body"]
    if protocol == "openai":
        assert server.requests[0]["headers"]["authorization"] == f"Bearer {TOKEN}"
        assert "messages" in json.dumps(first["response_format"])
    else:
        assert first["format"]["required"] == ["messages"]
    assert TOKEN not in result.stdout + result.stderr
    assert "get_rider_profile" in result.stdout and "preferences" in result.stdout  # the final table
    no_call = NO_CALL_ROWS - TWIN_ROWS
    assert f"  (no call){' ' * 37}{no_call:>6}{no_call:>8}\n" + "".join(
        f"  {'(no call) twins':<26}{name:<20}{2:>6}{2:>8}\n" for name in BOUNDARIES) in result.stdout


@protocols
def test_unusable_replies_and_candidates_are_rejected_with_reasons(protocol, tmp_path):
    output = tmp_path / "generated.csv"
    script = ["bad_json", "wrong_shape", "not_text", "meta", "duplicates"]
    with ChatServer(protocol, script=script) as server:
        result = run(protocol, server.url, "--output", output, "--per-value", 2, "--styles", "standard",
                     "--no-call-share", 0, *FAST)
    assert result.returncode == 0, result.stderr
    rejected = dict(item.rsplit(" ", 1) for item in
                    result.stdout.split("rejected candidates: ")[1].splitlines()[0].split(", "))
    assert rejected == {"malformed_json": "1", "wrong_shape": "1", "not_text": "2", "meta_text": "3",
                        "empty": "2", "too_long": "1", "multi_line": "1", "duplicate": "2"}
    messages = [row["user_message"] for _, row in read_rows(output)]
    seed_keys = {_data.normalise_message(row["user_message"]) for _, row in _data.read_dataset_rows(None)}
    assert not {_data.normalise_message(message) for message in messages} & seed_keys
    assert not any(message.startswith(("Here are", "1.", "As an AI", "xxx", '"')) for message in messages)
    assert pair_counts(output) == {call: 2 for call in PAIRS}
    assert "failed requests and unusable replies: 2" in result.stdout  # bad_json, wrong_shape


@protocols
def test_retries_429_500_and_timeouts_then_finishes(protocol, tmp_path):
    output = tmp_path / "generated.csv"
    script = [("status", 429, {"Retry-After": "1"}), ("status", 500), ("status", 503), ("slow", 4), "garbage"]
    with ChatServer(protocol, script=script) as server:
        result = run(protocol, server.url, "--output", output, "--per-value", 1, "--styles", "terse",
                     "--no-call-share", 0, "--retry-delay", "0.01", "--timeout", "1")
    assert result.returncode == 0, result.stderr
    assert len(server.generation_requests()) == len(PAIRS) + len(script)
    assert pair_counts(output) == {call: 1 for call in PAIRS}
    assert "HTTP 429" in result.stderr and "HTTP 500" in result.stderr and "HTTP 503" in result.stderr
    assert "no reply within 1s" in result.stderr and "unreadable reply" in result.stderr
    if protocol == "openai":  # the ollama client drops response headers, so only here
        assert "retrying in 1.00s (Retry-After)" in result.stderr


def test_a_model_that_only_chatters_gives_up_and_says_what_is_missing(tmp_path):
    output = tmp_path / "generated.csv"
    with ChatServer("ollama", default="meta") as server:
        result = run("ollama", server.url, "--output", output, "--per-value", 1, "--styles", "standard", *FAST)
    assert result.returncode == 1
    # 29 call rows (one style) and 7 no-call rows (20% of 36): 2 twins (a third), 5 over the first 5 no-call styles
    slots = len(PAIRS) + 5 + 2
    assert len(server.requests) == slots * _generation.MAX_IDLE_REPLIES
    assert not output.exists() and f"{output}: nothing written" in result.stdout
    assert "giving up on get_rider_profile=all (standard)" in result.stderr
    assert "giving up on (no call) (near_miss)" in result.stderr and "(no call) (spanish)" not in result.stderr
    assert "giving up on (no call) twin of get_ride_status (time)" in result.stderr
    assert "giving up on (no call) twin of get_segment_ahead (place)" in result.stderr
    assert last_line(result.stderr).startswith(f"error: {len(PAIRS) + 7} planned rows still missing")


@protocols
def test_refused_credentials_stop_at_once(protocol, tmp_path):
    output = tmp_path / "generated.csv"
    with ChatServer(protocol, default=("status", 401)) as server:
        result = run(protocol, server.url, "--output", output, *FAST)
    assert result.returncode == 1
    assert len(server.requests) == 1
    assert last_line(result.stderr).startswith("error:") and "HTTP 401" in last_line(result.stderr)
    assert "Traceback" not in result.stderr and TOKEN not in result.stdout + result.stderr
    assert not output.exists()


@protocols
def test_failure_budget_stops_the_run_with_the_reason(protocol, tmp_path):
    with ChatServer(protocol, default=("status", 500)) as server:
        result = run(protocol, server.url, "--output", tmp_path / "out.csv", "--max-failures", 3, *FAST)
    assert result.returncode == 1
    assert len(server.requests) == 3
    assert "stopped after 3 failures" in last_line(result.stderr) and "HTTP 500" in last_line(result.stderr)


@protocols
def test_no_server_listening_is_retried_then_reported(protocol, tmp_path):
    with ChatServer(protocol) as server:
        url = server.url  # a port that nothing listens on once the server is closed
    result = run(protocol, url, "--output", tmp_path / "out.csv", "--max-failures", 2, *FAST)
    assert result.returncode == 1
    assert "retrying in" in result.stderr
    assert "stopped after 2 failures" in last_line(result.stderr)
    assert ("cannot connect to Ollama" if protocol == "ollama" else "cannot reach") in last_line(result.stderr)


@protocols
def test_killed_run_resumes_to_exactly_the_plan(protocol, tmp_path):
    output = tmp_path / "generated.csv"
    with ChatServer(protocol, default=("slow", 0.03)) as server:
        process = subprocess.Popen(command(protocol, server.url, "--output", output, "--per-value", 1, *FAST),
                                   cwd=ROOT, env={**os.environ, **ENV},
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            if output.exists() and output.read_text(encoding="utf-8").count("\n") > 40:
                break
            time.sleep(0.02)
        assert process.poll() is None, "the run finished before it could be killed"
        process.send_signal(signal.SIGKILL)
        process.wait()
        before = output.read_text(encoding="utf-8")
        planned = len(PAIRS) * len(_generation.STYLES) + NO_CALL_ROWS
        assert 40 <= before.count("\n") - 1 < planned
        # A torn last line, as a power cut mid-write would leave: the next run cuts it off.
        with open(output, "a", encoding="utf-8") as handle:
            handle.write('"half a row')
        result = run(protocol, server.url, "--output", output, "--per-value", 1, *FAST)
    assert result.returncode == 0, result.stderr
    assert "cutting off an incomplete last line" in result.stderr
    after = output.read_text(encoding="utf-8")
    assert after.startswith(before)  # nothing accepted before the kill is lost or rewritten
    report = _data.check_dataset(read_rows(output), TOOLS)
    assert report.errors == [] and report.duplicates == [] and report.rows == planned
    assert pair_counts(output) == full_plan()
    again = run(protocol, server.url, "--output", output, "--per-value", 1, *FAST)  # server is closed now
    assert again.returncode == 0 and output.read_text(encoding="utf-8") == after


@protocols
def test_dry_run_calls_no_server(protocol, tmp_path):
    output = tmp_path / "generated.csv"
    with ChatServer(protocol) as server:
        result = run(protocol, server.url, "--output", output, "--dry-run", env={"HF_TOKEN": ""})
    assert result.returncode == 0, result.stderr
    assert server.requests == [] and not output.exists()
    calls = len(PAIRS) * len(_generation.STYLES) * 3
    no_call = round(calls * 0.2 / 0.8)  # 109, a third of them (36) twins: one per tool and boundary
    assert f"= {calls} call rows + {no_call} no-call rows (73 in 6 styles, 36 twins) = {calls + no_call} rows; the " \
           f"output holds 0, {calls + no_call} to generate" in result.stdout
    table = result.stdout.split("twins planned (no-call rewrites of a tool's call rows across one boundary), "
                                "per tool and boundary:\n")[1].splitlines()[:8]
    assert table == [
        "  tool                       twins  time  place  subject  action  object  remark",
        *(f"  {tool:<26}     6     1      1        1       1       1       1" for tool in _data.enum_values(TOOLS)),
        "  total                         36     6      6        6       6       6       6"]
    twin = result.stdout.split("\nfirst twin request ((no call) twin of get_ride_status, time), no server called:\n")[1]
    twin = twin.split("\n--- response schema")[0]
    assert "Function of the requests: get_ride_status: Current ride numbers" in twin
    assert "Boundary to cross: time: a past ride or another day" in twin
    assert "across the time boundary (a past ride or another day)" in twin
    # three call rows of the tool to rewrite (a request asks for its missing row and 2 more), each a seed
    seeds = {row["user_message"]: row["tool_calls"] for _, row in _data.read_dataset_rows(None)}
    shown = re.findall(r'^- "(.*)" \[(\w+)\]$', twin, re.M)
    assert len(shown) == 3 and all(json.loads(seeds[message]) == [{"name": "get_ride_status", "args": {"query": value}}]
                                   for message, value in shown)
    assert "Function: get_ride_status" in result.stdout and '"messages"' in result.stdout
    assert "first no-call request ((no call), chit_chat)" in result.stdout
    assert "Kind: messages that none of the functions below can serve" in result.stdout
    judge = result.stdout.split("\njudge request for each candidate")[1]
    assert 'Message: "' in judge and '"enum": ["get_ride_status:all", ' in judge and "Function:" not in judge


def test_no_call_share_sets_the_no_call_bucket():
    slots = _generation.plan_slots(TOOLS, ["standard", "terse"], 3, 0.25)  # 174 call rows are 75%
    no_call = [slot for slot in slots if slot.call is None]
    assert [(slot.style, slot.target) for slot in no_call] == [  # 58 rows are 25% of 232
        ("chit_chat", 10), ("other_apps", 10), ("near_tool", 10), ("fragment", 10), ("near_miss", 9), ("spanish", 9)]
    assert [slot.name for slot in no_call] == ["(no call)"] * 6 and slots[-1] is no_call[-1]
    assert not [slot for slot in _generation.plan_slots(TOOLS, ["standard"], 1, 0) if slot.call is None]


def test_twins_are_planned_per_tool_and_spread_over_the_boundaries():
    slots = _generation.plan_slots(TOOLS, list(_generation.STYLES), 1, 0.2, 0.33)
    twins = [slot for slot in slots if slot.boundary]
    assert slots[-len(twins):] == twins  # filled last, once the call rows they rewrite are written
    # 12 of the 36 no-call rows: 2 per tool, the boundaries round robin over all twins, 2 each
    assert [(slot.tool, slot.boundary, slot.target) for slot in twins] == [
        ("get_ride_status", "time", 1), ("get_ride_status", "place", 1),
        ("get_segment_ahead", "subject", 1), ("get_segment_ahead", "action", 1),
        ("get_weather_forecast", "object", 1), ("get_weather_forecast", "remark", 1),
        ("find_nearby_poi", "time", 1), ("find_nearby_poi", "place", 1),
        ("get_route_alternatives", "subject", 1), ("get_route_alternatives", "action", 1),
        ("get_rider_profile", "object", 1), ("get_rider_profile", "remark", 1)]
    assert all(slot.call is None and slot.style == slot.boundary and slot.name == f"(no call) twin of {slot.tool}"
               for slot in twins)
    assert [(slot.style, slot.target) for slot in slots if slot.call is None and not slot.boundary] == [
        (style, 4) for style in _generation.NO_CALL_STYLES]
    # the defaults (3 per value, every style): 36 of 109 no-call rows, each tool across each boundary once
    assert _generation.planned_twins(_generation.plan_slots(TOOLS, list(_generation.STYLES), 3, 0.2, 0.33)) == {
        tool: {boundary: 1 for boundary in BOUNDARIES} for tool in _data.enum_values(TOOLS)}
    # 7 twins over the boundaries chosen (in BOUNDARIES order): within one of each other per tool and in total
    assert _generation.planned_twins(_generation.plan_slots(TOOLS, ["standard"], 1, 0.2, 1, ["action", "time", "place"])) == {
        "get_ride_status": {"time": 1, "place": 1}, "get_segment_ahead": {"action": 1},
        "get_weather_forecast": {"time": 1}, "find_nearby_poi": {"place": 1},
        "get_route_alternatives": {"action": 1}, "get_rider_profile": {"time": 1}}
    assert not [slot for slot in _generation.plan_slots(TOOLS, ["standard"], 1, 0.2, 0) if slot.boundary]
    assert not [slot for slot in _generation.plan_slots(TOOLS, ["standard"], 1, 0, 1) if slot.call is None]


def test_twins_in_the_output_are_credited_per_boundary_in_plan_order():
    slots = _generation.plan_slots(TOOLS, ["standard"], 1, 0.3, 1)  # 12 twins, the 12 no-call rows
    speed = _data.Call.make("get_ride_status", {"query": "speed"})
    held = ([_data.Example(f"t{index}", None, boundary="time") for index in range(3)]
            + [_data.Example("p", None, boundary="place"), _data.Example("chat", None),
               _data.Example("fast", speed, boundary="time")])  # a call row's boundary names its twin's: a call row
    _generation.credit_existing(slots, held)
    assert [(slot.tool, slot.boundary, slot.done) for slot in slots if slot.boundary and slot.done] == [
        ("get_ride_status", "time", 1), ("get_ride_status", "place", 1), ("find_nearby_poi", "time", 1)]
    assert [slot.done for slot in slots if slot.call == speed] == [1]
    assert sum(slot.missing for slot in slots) == 29 - 1 + 12 - 3


@pytest.mark.parametrize("share", ["1.5", "-0.1"])
def test_twin_share_out_of_range_is_one_line(tmp_path, share):
    result = run("ollama", "http://127.0.0.1:9", "--output", tmp_path / "out.csv", "--twin-share", share, *FAST)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"error: --twin-share must be between 0 and 1, got {float(share)}"]


def test_dry_run_prints_the_twins_per_tool_and_boundary(tmp_path):
    plan = tmp_path / "plan.json"
    result = run("ollama", "http://127.0.0.1:9", "--output", tmp_path / "out.csv", "--dry-run", "--per-value", 1,
                 "--styles", "standard", "--no-call-share", 0.3, "--twin-share", 1, "--boundaries", "action", "time",
                 "place", "--json", plan)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:10] == [
        "plan: 29 (tool, value) pairs x 1 styles (standard) x 1 = 29 call rows + 12 no-call rows (12 twins) = 41 rows; "
        "the output holds 0, 41 to generate",
        "twins planned (no-call rewrites of a tool's call rows across one boundary), per tool and boundary:",
        "  tool                       twins  time  place  action",
        "  get_ride_status                2     1      1       0",
        "  get_segment_ahead              2     1      0       1",
        "  get_weather_forecast           2     0      1       1",
        "  find_nearby_poi                2     1      1       0",
        "  get_route_alternatives         2     1      0       1",
        "  get_rider_profile              2     0      1       1",
        "  total                         12     4      4       4"]
    assert "first no-call request" not in result.stdout  # every no-call row is a twin
    assert "\nfirst twin request ((no call) twin of get_ride_status, time), no server called:\n" in result.stdout
    summary = json.loads(plan.read_text())
    assert summary["twins"] == {"planned": {
        "get_ride_status": {"time": 1, "place": 1}, "get_segment_ahead": {"time": 1, "action": 1},
        "get_weather_forecast": {"place": 1, "action": 1}, "find_nearby_poi": {"time": 1, "place": 1},
        "get_route_alternatives": {"time": 1, "action": 1}, "get_rider_profile": {"place": 1, "action": 1}},
        "per_tool": {}, "per_boundary": {}}
    assert summary["missing"][-1] == {"tool": "get_rider_profile", "value": None, "style": "action",
                                      "boundary": "action", "rows": 1}


def twin_counts(generated: int, rejected: dict | None = None) -> dict:
    rejected = rejected or {}
    return {"generated": generated, "failed_checks": 0, "near_duplicates": 0, "judge_rejected": sum(rejected.values()),
            "judge_read_instead": rejected, "kept": generated - sum(rejected.values())}


# 29 call rows (one style) and 12 no-call rows (30% of 41), all twins: 2 per tool, 2 per boundary
TWIN_RUN = ["--per-value", 1, "--styles", "standard", "--no-call-share", 0.3, "--twin-share", 1]
TWIN_SLOTS = [("get_ride_status", "time"), ("get_ride_status", "place"), ("get_segment_ahead", "subject"),
              ("get_segment_ahead", "action"), ("get_weather_forecast", "object"), ("get_weather_forecast", "remark"),
              ("find_nearby_poi", "time"), ("find_nearby_poi", "place"), ("get_route_alternatives", "subject"),
              ("get_route_alternatives", "action"), ("get_rider_profile", "object"), ("get_rider_profile", "remark")]


def twin_slots_asked(requests: list[dict]) -> list[tuple[str, str]]:
    return [(fields["function"], fields["twin"]) for fields in
            (fake_servers.request_fields(request["body"]) for request in requests)]


@protocols
def test_twins_are_written_with_their_boundary_and_a_twin_the_judge_reads_as_a_call_is_rejected(protocol, tmp_path):
    output, report = tmp_path / "generated.csv", tmp_path / "report.json"
    # The first twin reply starts with a "twin" that still asks for its source's call.
    with ChatServer(protocol, twin_script=["leaky_twin"]) as server:
        result = run(protocol, server.url, "--output", output, *TWIN_RUN, "--json", report, *FAST)
    assert result.returncode == 0, result.stderr
    rows = [row for _, row in read_rows(output)]
    assert list(rows[0]) == ["user_message", "tool_calls", "boundary"]
    assert [row["boundary"] for row in rows] == [""] * len(PAIRS) + [boundary for _, boundary in TWIN_SLOTS]
    assert all(row["tool_calls"] == "[]" for row in rows[len(PAIRS):])
    examples, _ = _data.load_examples([str(output)], TOOLS)  # the dataset reader keeps the boundary
    assert Counter(example.boundary for example in examples if example.call is None) == {name: 2 for name in BOUNDARIES}
    # One request per twin slot, each showing call rows of its tool (seeds, with their value) to rewrite.
    twin_requests = server.twin_requests()
    assert twin_slots_asked(twin_requests) == TWIN_SLOTS
    seeds = {example.message: example.call for example in _data.load_examples(None, TOOLS)[0]}
    for request, (tool, _) in zip(twin_requests, TWIN_SLOTS):
        shown = fake_servers.request_fields(request["body"])["sources"]
        assert len(shown) == 3 and all(seeds[message] == _data.Call.make(tool, {"query": value}) for message, value in shown)
    # The judge read the planted twin as its source's call: rejected; every other twin as none: written.
    source, value = fake_servers.request_fields(twin_requests[0]["body"])["sources"][0]
    leaky = f"get_ride_status:{value}"
    judged = server.judged[len(PAIRS):]
    assert [answer for _, answer in judged] == [leaky] + ["none"] * len(TWIN_SLOTS)
    assert _data.normalise_message(judged[0][0]) == _data.normalise_message(f"{source} right now")
    assert [row["user_message"] for row in rows[len(PAIRS):]] == [message for message, _ in judged[1:]]
    assert "rejected candidates: judge_disagreed 1\n" in result.stdout
    # The quality report per tool and per boundary, printed and in --json.
    per_tool = {tool: twin_counts(2) for tool in _data.enum_values(TOOLS)}
    per_tool["get_ride_status"] = twin_counts(3, {leaky: 1})
    per_boundary = {name: twin_counts(2) for name in BOUNDARIES}
    per_boundary["time"] = twin_counts(3, {leaky: 1})
    summary = json.loads(report.read_text())
    assert summary["twins"] == {"planned": {tool: {boundary: 1 for slot_tool, boundary in TWIN_SLOTS if slot_tool == tool}
                                            for tool in _data.enum_values(TOOLS)},
                                "per_tool": per_tool, "per_boundary": per_boundary}
    assert summary["quality"]["(no call) twins of get_ride_status"] == {**per_tool["get_ride_status"],
                                                                       "near_duplicate_examples": []}
    table = quality_table(result.stdout)
    assert {label: numbers for label, numbers in table.items() if "twins" in label} == {
        f"(no call) twins of {tool}": [3, 0, 0, 1, 2] if tool == "get_ride_status" else [2, 0, 0, 0, 2]
        for tool in _data.enum_values(TOOLS)}
    assert table["total"] == [42, 0, 0, 1, 41]
    assert f"  {'(no call) twins of get_ride_status':<43}         3       0         0      1     2  {leaky} 1\n" in result.stdout
    assert result.stdout.split("the twins per boundary:\n")[1].splitlines()[:7] == [
        f"  {'boundary':<43} generated  checks  near-dup  judge  kept  judge read instead",
        f"  {'time':<43}         3       0         0      1     2  {leaky} 1",
        *(f"  {name:<43}         2       0         0      0     2" for name in BOUNDARIES[1:])]
    assert "".join(f"  {'(no call) twins':<26}{name:<20}{2:>6}{2:>8}\n" for name in BOUNDARIES) in result.stdout


def test_resuming_an_output_adds_the_boundary_column_and_fills_only_the_missing_twins(tmp_path):
    output = tmp_path / "generated.csv"
    with ChatServer("ollama") as server:
        # an output written without twins has no boundary column
        first = run("ollama", server.url, "--output", output, *TWIN_RUN, "--no-call-share", 0, *FAST)
        assert first.returncode == 0, first.stderr
        before = output.read_text(encoding="utf-8")
        assert before.splitlines()[0] == '"user_message","tool_calls"' and before.count("\n") == 1 + len(PAIRS)
        asked = len(server.generation_requests())
        # a plan with twins: the column is added (empty on the rows already there) before the first twin
        second = run("ollama", server.url, "--output", output, *TWIN_RUN, *FAST)
        assert second.returncode == 0, second.stderr
        assert twin_slots_asked(server.generation_requests()[asked:]) == TWIN_SLOTS  # no call row asked again
        assert f"{output}: added a boundary column for the twins (empty on the {len(PAIRS)} rows already there)" \
            in second.stderr
        lines = output.read_text(encoding="utf-8").splitlines()
        assert lines[0] == '"user_message","tool_calls","boundary"'
        assert lines[1:1 + len(PAIRS)] == [f'{line},""' for line in before.splitlines()[1:]]
        assert [row["boundary"] for _, row in read_rows(output)] == [""] * len(PAIRS) + [b for _, b in TWIN_SLOTS]
        # Cut all but the first 3 twins, and tear a line: only the 9 missing twins are asked for, in plan order.
        kept = "\n".join(lines[:1 + len(PAIRS) + 3]) + "\n"
        output.write_text(kept + '"half a twin","[]","ti', encoding="utf-8")
        asked = len(server.generation_requests())
        third = run("ollama", server.url, "--output", output, *TWIN_RUN, *FAST)
        assert third.returncode == 0, third.stderr
        assert twin_slots_asked(server.generation_requests()[asked:]) == TWIN_SLOTS[3:]
        assert "added a boundary column" not in third.stderr and "cutting off an incomplete last line" in third.stderr
    after = output.read_text(encoding="utf-8")
    assert after.startswith(kept)
    assert [row["boundary"] for _, row in read_rows(output)] == [""] * len(PAIRS) + [b for _, b in TWIN_SLOTS]
    assert _data.check_dataset(_data.read_dataset_rows(str(output)), TOOLS).errors == []
    again = run("ollama", server.url, "--output", output, *TWIN_RUN, *FAST)  # the server is closed: nothing to do
    assert again.returncode == 0 and output.read_text(encoding="utf-8") == after
    assert "".join(f"  {'(no call) twins':<26}{name:<20}{2:>6}{2:>8}\n" for name in BOUNDARIES) in again.stdout


@pytest.mark.parametrize("share", ["1", "-0.1"])
def test_no_call_share_out_of_range_is_one_line(tmp_path, share):
    result = run("ollama", "http://127.0.0.1:9", "--output", tmp_path / "out.csv", "--no-call-share", share, *FAST)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"error: --no-call-share must be at least 0 and below 1, got {float(share)}"]


def test_missing_token_is_one_line(tmp_path):
    result = run("openai", "http://127.0.0.1:9/v1", "--output", tmp_path / "out.csv",
                 env={"HF_TOKEN": "", "HF_HOME": str(tmp_path / "hf-home")})
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == ["error: no Hugging Face token: set HF_TOKEN or run `hf auth login`"]


def test_an_invalid_row_in_the_output_is_reported_not_overwritten(tmp_path):
    output = tmp_path / "generated.csv"
    output.write_text('user_message,tool_calls\n"warp speed","[{""name"": ""warp"", ""args"": {}}]"\n')
    result = run("ollama", "http://127.0.0.1:9", "--output", output, *FAST)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"error: {output} line 2: unknown tool 'warp'; fix or remove that row, or choose another --output"]


def test_existing_rows_are_credited_to_styles_in_plan_order():
    slots = _generation.plan_slots(TOOLS, ["standard", "terse", "spanish"], 2)
    speed = _data.Call.make("get_ride_status", {"query": "speed"})
    held = [_data.Example(f"m{index}", speed) for index in range(5)]
    _generation.credit_existing(slots, held)
    assert [(slot.style, slot.done) for slot in slots if slot.call == speed] == [
        ("standard", 2), ("terse", 2), ("spanish", 1)]
    assert sum(slot.missing for slot in slots) == len(PAIRS) * 6 - 5
    with_no_call = _generation.plan_slots(TOOLS, ["standard"], 3, 0.4)  # 87 call rows, 58 no-call rows
    _generation.credit_existing(with_no_call, held + [_data.Example(f"chat {index}", None) for index in range(12)])
    assert [slot.done for slot in with_no_call if slot.call is None] == [10, 2, 0, 0, 0, 0]
    assert [slot.done for slot in with_no_call if slot.call == speed] == [3]


@pytest.mark.parametrize("candidate, reason", [
    ("How fast am I going?", None), ("   ", "empty"), ('"…"', "empty"), (42, "not_text"),
    ("5:30 in and how fast am I now?", None), ("Sure is windy, what's my speed", None),
    ("Sure! Here are five:", "meta_text"), ("Example 2: speed?", "meta_text"), ("Some options:", "meta_text"),
    ("Here are some ideas", "meta_text"), ('"How fast am I?"', "meta_text"), ("«¿A qué velocidad voy?»", "meta_text"), ("2) speed please", "meta_text"), ("- speed", "meta_text"),
    ("call get_ride_status now", "meta_text"), ("As an AI I can't ride", "meta_text"),
    ("a\nb", "multi_line"), ("a" * 201, "too_long"), ("<a seed>", "duplicate"), ("<a seed, shouted>", "duplicate"),
])
def test_candidate_rejection_reasons(candidate, reason):
    slot = _generation.plan_slots(TOOLS, ["standard"], 1)[1]
    seeds = [row["user_message"] for _, row in _data.read_dataset_rows(None)]
    seen = {_data.normalise_message(message) for message in seeds}
    candidate = {"<a seed>": seeds[0], "<a seed, shouted>": f" ¡{seeds[0].upper()}!! "}.get(candidate, candidate)
    assert _generation.rejection(candidate, slot, TOOLS, seen) == reason


@pytest.mark.parametrize("candidate, reason", [
    ("put on some jazz", None), ("¿quién ganó ayer?", None), ("play some music", "duplicate"),
    ("<a call seed>", "duplicate"), ("get_weather_forecast please", "meta_text"), ("Here are some ideas", "meta_text"),
])
def test_no_call_candidate_rejection_reasons(candidate, reason):
    slot = next(slot for slot in _generation.plan_slots(TOOLS, ["standard"], 1, 0.5) if slot.call is None)
    messages = [row["user_message"] for _, row in _data.read_dataset_rows(None)]
    seen = {_data.normalise_message(message) for message in messages}
    candidate = {"<a call seed>": messages[0]}.get(candidate, candidate)
    assert _generation.rejection(candidate, slot, TOOLS, seen) == reason


def test_retry_after_accepts_seconds_and_http_dates():
    assert _generation.retry_after_seconds("2.5") == 2.5
    assert 50 < _generation.retry_after_seconds(
        time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 60))) <= 60
    assert _generation.retry_after_seconds(None) is None and _generation.retry_after_seconds("soon") is None


def test_default_router_gets_openai_style_requests_and_offline_mode_stops_cleanly(tmp_path):
    """Without --base-url the client posts to the router's own chat-completions route (checked
    offline: HF_HUB_OFFLINE makes huggingface_hub refuse the request and name the URL)."""
    result = run("openai", "https://router.huggingface.co/v1", "--output", tmp_path / "out.csv",
                 env={"HF_HUB_OFFLINE": "1"})
    assert result.returncode == 1
    assert last_line(result.stderr).startswith("error: Cannot reach https://router.huggingface.co/v1/chat/completions")
    assert "Traceback" not in result.stderr and "retrying" not in result.stderr


def test_router_refuses_a_token_that_is_not_a_hugging_face_token(tmp_path):
    result = run("openai", "https://router.huggingface.co/v1", "--output", tmp_path / "out.csv",
                 env={"HF_TOKEN": "sk-not-hf"})
    assert result.returncode == 2 and "sk-not-hf" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "error: the Hugging Face router needs a Hugging Face token (hf_...) in HF_TOKEN"]


def ctrl_c_after_ten_rows(url: str, output, *args, ready=lambda: True) -> None:
    """Start the Ollama generator, press Ctrl-C once `output` holds more than ten rows and `ready()`
    holds, and check it stopped with the one line "interrupted" and exit 130."""
    # Like a terminal: Ctrl-C reaches the script even if something earlier in this test
    # process set SIGINT to "ignore", which children would otherwise inherit.
    process = subprocess.Popen(command("ollama", url, "--output", output, "--per-value", 1, *args, *FAST),
                               cwd=ROOT, env={**os.environ, **ENV}, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not (output.exists() and output.read_text().count("\n") > 10 and ready()):
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130 and last_line(stderr) == "interrupted"


def test_ctrl_c_keeps_every_accepted_row(tmp_path):
    output = tmp_path / "generated.csv"
    # replies slow enough that the run is still going when the test, on a busy machine, sends Ctrl-C
    with ChatServer("ollama", default=("slow", 0.15)) as server:
        ctrl_c_after_ten_rows(server.url, output)
        interrupted = read_rows(output)
        assert 10 <= len(interrupted) < len(PAIRS) * len(_generation.STYLES) + NO_CALL_ROWS
        assert _data.check_dataset(interrupted, TOOLS).errors == []
        result = run("ollama", server.url, "--output", output, "--per-value", 1, *FAST)
    assert result.returncode == 0, result.stderr
    assert pair_counts(output) == full_plan()


def quality_table(stdout: str, after: str = "this run's candidates") -> dict[str, list[int]]:
    """A printed table of a run's candidates (the first after `after`): label -> [generated, checks,
    near-dup, judge, kept]."""
    lines = stdout.split(after)[1].splitlines()[2:]
    table = {}
    for line in lines:
        if not line.startswith("  "):
            break
        label, *numbers = re.split(r" {2,}", line.strip())
        table[label] = [int(number) for number in numbers[:5]]
    return table


@protocols
def test_a_judge_that_disagrees_keeps_only_agreed_rows_and_reports_each_value(protocol, tmp_path):
    output, report = tmp_path / "generated.csv", tmp_path / "report.json"
    # The judge reads every 4th candidate as the next label of its enum (a no-call one as the first label).
    with ChatServer(protocol, judge=fake_servers.every(4)) as server:
        result = run(protocol, server.url, "--output", output, "--per-value", 1, "--styles", "standard",
                     "--judge-model", "judge-model-x", "--json", report, *FAST)
    assert result.returncode == 0, result.stderr
    assert pair_counts(output) == full_plan(per_style=1, no_call=7)  # 29 call rows, 7 no-call rows
    # 36 kept and every 4th of the judged rejected: 47 judged (the 47th is kept), 11 rejected.
    def meant(message: str) -> str:
        return server.labels[_data.normalise_message(message)]

    agreed = [message for message, answer in server.judged if answer == meant(message)]
    rejected = [(message, answer) for message, answer in server.judged if answer != meant(message)]
    assert (len(server.judged), len(rejected)) == (47, 11)
    assert [row["user_message"] for _, row in read_rows(output)] == agreed  # only agreed rows, in judging order
    assert {request["body"]["model"] for request in server.judge_requests()} == {"judge-model-x"}
    assert "judge-model-x" not in {request["body"]["model"] for request in server.generation_requests()}
    # Per label: what the judge read instead, as the server answered it.
    expected = {}
    for message, answer in rejected:
        label = meant(message)
        expected.setdefault(label, Counter())[answer if answer != "none" else "(no call)"] += 1
    quality = json.loads(report.read_text())["quality"]
    got = {}
    for key, counts in quality.items():
        label = "none" if key.startswith("(no call)") else key
        got.setdefault(label, Counter()).update(counts["judge_read_instead"])
        assert counts["judge_rejected"] == sum(counts["judge_read_instead"].values())
        assert counts["generated"] == counts["failed_checks"] + counts["near_duplicates"] + counts["judge_rejected"] + counts["kept"]
    assert {label: counts for label, counts in got.items() if counts} == expected
    assert sum(counts["kept"] for counts in quality.values()) == 36
    # Slots in plan order: all, speed and distance pass, elevation's first candidate is read as battery.
    assert quality["get_ride_status:elevation"] == {
        "generated": 2, "failed_checks": 0, "near_duplicates": 0, "judge_rejected": 1,
        "judge_read_instead": {"get_ride_status:battery": 1}, "kept": 1, "near_duplicate_examples": []}
    table = quality_table(result.stdout)
    assert table["get_ride_status:elevation"] == [2, 0, 0, 1, 1] and table["total"] == [47, 0, 0, 11, 36]
    assert "judge requests per kept row: 1.31 (47 judged, 36 kept)" in result.stdout
    assert "judge_disagreed 11" in result.stdout.split("rejected candidates: ")[1].splitlines()[0]
    assert json.loads(report.read_text())["judge_model"] == "judge-model-x"


def test_a_value_the_judge_always_reads_otherwise_is_named_at_the_end(tmp_path):
    def judge(message, label, labels, index):
        return "get_weather_forecast:wind" if label == "get_weather_forecast:ahead" else label

    output = tmp_path / "generated.csv"
    with ChatServer("ollama", judge=judge) as server:
        result = run("ollama", server.url, "--output", output, "--per-value", 1, "--styles", "standard",
                     "--no-call-share", 0, "--json", tmp_path / "report.json", *FAST)
    assert result.returncode == 1
    ahead = _data.Call.make("get_weather_forecast", {"query": "ahead"})
    assert pair_counts(output) == {call: 1 for call in PAIRS if call != ahead}
    assert "giving up on get_weather_forecast=ahead (standard)" in result.stderr
    # MAX_IDLE_REPLIES replies of 3 candidates each, all read as wind
    named = "get_weather_forecast:ahead (9 of 9 judged; read as get_weather_forecast:wind 9)"
    assert last_line(result.stdout) == ("the judge often reads these otherwise (ambiguous tool descriptions or "
                                        f"enum values?): {named}")
    assert json.loads((tmp_path / "report.json").read_text())["judge_disagrees_often"] == [named]
    assert last_line(result.stderr).startswith("error: 1 planned rows still missing")


@protocols
def test_judge_timeouts_errors_and_unusable_answers_are_retried(protocol, tmp_path):
    output = tmp_path / "generated.csv"
    judge_script = [("slow", 3), ("status", 500), "bad_json", "unknown_label", "garbage"]
    with ChatServer(protocol, judge_script=judge_script) as server:
        result = run(protocol, server.url, "--output", output, "--per-value", 1, "--styles", "terse",
                     "--no-call-share", 0, "--retry-delay", "0.01", "--timeout", "1")
    assert result.returncode == 0, result.stderr
    assert pair_counts(output) == {call: 1 for call in PAIRS}
    assert len(server.judge_requests()) == len(PAIRS) + len(judge_script)
    assert "judge: no reply within 1s; retrying in" in result.stderr
    assert "judge: " + ("server error (HTTP 500)" if protocol == "openai" else "server busy or failing (HTTP 500") \
        in result.stderr
    assert "judge: unusable reply (malformed_json)" in result.stderr
    assert "judge: unusable reply (unknown_label)" in result.stderr and "judge: unreadable reply" in result.stderr
    assert "failed requests and unusable replies: 5" in result.stdout


@protocols
def test_a_judge_that_never_answers_stops_the_run_on_the_failure_budget(protocol, tmp_path):
    output = tmp_path / "generated.csv"
    with ChatServer(protocol, judge_delay=3) as server:
        result = run(protocol, server.url, "--output", output, "--max-failures", 3, "--retry-delay", "0.01",
                     "--timeout", "1")
    assert result.returncode == 1
    assert (len(server.generation_requests()), len(server.judge_requests())) == (1, 3)
    assert last_line(result.stderr) == "error: stopped after 3 failures (--max-failures); last: judge: no reply within 1s"
    assert not output.exists()  # nothing unjudged is written


def test_ctrl_c_while_judging_resumes_without_judging_a_written_row_again(tmp_path):
    output = tmp_path / "generated.csv"
    # Fast generation, slow judge: Ctrl-C lands in the middle of judging.
    with ChatServer("ollama", judge_delay=0.1) as server:
        # Ctrl-C waits for a judge request in flight: on a busy machine it could otherwise land on a generation
        ctrl_c_after_ten_rows(server.url, output, "--styles", "standard", "terse",
                              ready=lambda: len(server.judged) < len(server.judge_requests()))
        assert server.requests[-1]["judge"]  # the run was waiting for the judge
        interrupted = [row["user_message"] for _, row in read_rows(output)]
        planned = len(PAIRS) * 2 + 15  # 15 no-call rows: 20% of 73
        assert 10 <= len(interrupted) < planned
        # the judge request Ctrl-C interrupted is still being answered: its row was never written
        deadline = time.monotonic() + 10
        while len(server.judged) < len(server.judge_requests()) and time.monotonic() < deadline:
            time.sleep(0.01)
        judged_before = len(server.judged)
        server.judge_delay = 0
        result = run("ollama", server.url, "--output", output, "--per-value", 1, "--styles", "standard", "terse",
                     *FAST)
    assert result.returncode == 0, result.stderr
    assert pair_counts(output) == full_plan(per_style=2, no_call=15)
    judged_after = [message for message, _ in server.judged[judged_before:]]
    rows = [row["user_message"] for _, row in read_rows(output)]
    assert rows[:len(interrupted)] == interrupted
    assert judged_after == rows[len(interrupted):]  # one judge request per new row, none for a written one
    assert "judge requests per kept row: 1.00" in result.stdout


@protocols
def test_near_duplicates_of_a_seed_or_a_written_row_are_rejected_with_their_neighbour(protocol, tmp_path):
    output, report = tmp_path / "generated.csv", tmp_path / "report.json"
    with ChatServer(protocol, script=["near_duplicates"]) as server:
        result = run(protocol, server.url, "--output", output, "--per-value", 2, "--styles", "standard",
                     "--no-call-share", 0, "--no-judge", "--json", report, *FAST)
    assert result.returncode == 0, result.stderr
    assert server.judge_requests() == []  # --no-judge
    assert pair_counts(output) == {call: 2 for call in PAIRS}
    seed = max(fake_servers.request_fields(server.requests[0]["body"])["value_examples"], key=len)
    assert seed == "Read me all my ride numbers: speed, distance, the lot"  # a bundled seed of get_ride_status:all
    first = json.loads(report.read_text())["quality"]["get_ride_status:all"]
    kept = read_rows(output)[0][1]["user_message"]
    similar = [row.pop("similarity") for row in first["near_duplicate_examples"]]
    # each candidate is judged as it would be written: a label's rows alternate spoken, typed, ...
    assert [(_data.normalise_message(row["message"]), row["nearest"]) for row in first["near_duplicate_examples"]] \
        == [(_data.normalise_message(f"{seed} now"), seed), (_data.normalise_message(f"{kept} please"), kept)]
    assert first["near_duplicate_examples"][0]["message"] == _renderings.spoken(f"{seed} now")
    assert all(0.75 < score < 1 for score in similar)
    assert (first["generated"], first["near_duplicates"], first["kept"]) == (4, 2, 2)
    assert "rejected candidates: near_duplicate 2\n" in result.stdout
    assert "(no judge, --max-similarity 0.75)" in result.stdout
    # --max-similarity 1 turns the check off: the first two candidates of the same reply are written.
    with ChatServer(protocol, script=["near_duplicates"]) as server:
        again = run(protocol, server.url, "--output", tmp_path / "off.csv", "--per-value", 2, "--styles", "standard",
                    "--no-call-share", 0, "--no-judge", "--max-similarity", 1, *FAST)
    assert again.returncode == 0, again.stderr
    written = [row["user_message"] for _, row in read_rows(tmp_path / "off.csv")][:2]
    assert written[0] == _renderings.spoken(f"{seed} now")
    assert [_data.normalise_message(message) for message in written] == [_data.normalise_message(f"{seed} now"),
                                                                          _data.normalise_message(kept)]
    assert "rejected candidates: none" in again.stdout


@pytest.mark.parametrize("first, second, near", [
    ("speed report", "Report speed", True), ("How's the time going?", "How is the time going?", True),
    ("Could you tell me about the upcoming section?", "Can you tell me about the upcoming section?", True),
    ("How long have I been cycling?", "How long have I been riding?", False),
    ("What's the terrain like in the next 5km?", "What's the road like in the next 10km?", False),
    ("gracias", "genial, gracias", False),
])
def test_similarity_at_the_default_threshold(first, second, near):
    score = _generation.similarity(_generation.char_ngrams(first), _generation.char_ngrams(second))
    assert (score > _generation.DEFAULT_MAX_SIMILARITY) is near


def test_near_duplicates_are_looked_up_within_one_label():
    speed, time_ = (_data.Call.make("get_ride_status", {"query": value}) for value in ("speed", "time"))
    near = _generation.NearDuplicates()
    near.add(speed, "what's my speed right now")
    near.add(None, "thanks a lot")
    assert near.nearest(speed, "what is my speed right now")[1] == "what's my speed right now"
    assert near.nearest(time_, "what's my speed right now") == (0.0, None)  # another label: a minimal pair
    assert near.nearest(None, "thanks a lot!")[0] == 1.0


def test_values_named_at_the_end_are_read_otherwise_well_above_the_runs_share():
    def quality(kept, instead):
        return _generation.Quality(generated=kept + sum(instead.values()), judge_rejected=Counter(instead), kept=kept)

    wind = "get_weather_forecast:wind"
    counts = {str(call): quality(4, {"get_ride_status:all": 1}) for call in PAIRS[1:21]}  # 20% each
    # 29%: not twice the run's share (27 of 116 judged, 23%)
    counts["(no call) other_apps"] = quality(5, {"get_ride_status:all": 2})
    counts["get_route_alternatives:sheltered"] = quality(4, {wind: 4, "get_route_alternatives:paved": 1})
    assert _generation.disagreements(counts) == [
        f"get_route_alternatives:sheltered (5 of 9 judged; read as {wind} 4, get_route_alternatives:paved 1)"]
    counts["get_route_alternatives:sheltered"] = quality(40, {wind: 1})  # one is not often
    assert _generation.disagreements(counts) == []

@pytest.mark.parametrize("value", ["0", "1.5"])
def test_max_similarity_out_of_range_is_one_line(tmp_path, value):
    result = run("ollama", "http://127.0.0.1:9", "--output", tmp_path / "out.csv", "--max-similarity", value, *FAST)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"error: --max-similarity must be above 0 and at most 1, got {float(value)}"]


@pytest.mark.skipif(shutil.which("uv") is None, reason="uv is not installed")
@protocols
def test_runs_alone_with_uv_from_its_own_header(protocol, tmp_path):
    """Copied into an empty folder and run with `uv run`: the PEP 723 header brings every dependency."""
    script, flag = SCRIPTS[protocol]
    shutil.copy(ROOT / script, tmp_path / script)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("VIRTUAL_ENV", "UV_PROJECT"))}
    with ChatServer(protocol) as server:
        result = subprocess.run(["uv", "run", "--no-project", script, flag, server.url, "--output", "out.csv",
                                 "--per-value", "1", "--styles", "spanish", *FAST], cwd=tmp_path,
                                capture_output=True, text=True, timeout=900, env={**env, **ENV})
    assert result.returncode == 0, result.stderr[-2000:]
    assert pair_counts(tmp_path / "out.csv") == full_plan(per_style=1, no_call=7)  # 7: 20% of 36
