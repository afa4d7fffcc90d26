"""validate_functiongemma_dataset.py as a user runs it: exit codes, line numbers, report."""

import csv
import json

import pytest

import _data
import _format
from conftest import load_script, many_tools

GOOD = [
    ("Where can I fill my bottle?", "find_nearby_poi", {"query": "water"}),
    ("speed", "get_ride_status", {"query": "speed"}),
    ("Is it windy?", "get_weather_forecast", {"query": "wind"}),
]


def write_csv(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["user_message", "tool_calls"])
        writer.writerows(rows)
    return path


def call_json(name, args):
    return json.dumps([{"name": name, "args": args}])


def test_bundled_default_is_valid(run_script, tmp_path):
    result = run_script("validate_functiongemma_dataset.py", "--json", tmp_path / "r.json")
    assert result.returncode == 0, result.stderr
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["errors"] == [] and report["rows"] >= 25
    assert set(report["tool_counts"]) == {"get_ride_status", "get_segment_ahead", "get_weather_forecast",
                                          "find_nearby_poi", "get_route_alternatives", "get_rider_profile"}
    assert all(count > 0 for count in report["tool_counts"].values())


def test_every_bad_case_is_an_error_on_its_line(run_script, tmp_path):
    rows = [[message, call_json(name, args)] for message, name, args in GOOD]  # lines 2-4
    bad = [
        ["", call_json("get_ride_status", {"query": "speed"})],  # 5 empty message
        ["broken json", '[{"name": "get_ride_status"'],  # 6 invalid JSON
        ["two calls", json.dumps([{"name": "get_ride_status", "args": {"query": "speed"}}] * 2)],  # 7
        ["teleport me", call_json("teleport", {"query": "home"})],  # 8 unknown tool
        ["no args", call_json("get_ride_status", {})],  # 9 missing argument
        ["extra", call_json("get_ride_status", {"query": "speed", "unit": "kmh"})],  # 10 extra argument
        ["typed", call_json("get_ride_status", {"query": 5})],  # 11 wrong type
        ["cadence?", call_json("get_ride_status", {"query": "cadence"})],  # 12 outside the enum
        ["Is it windy?", call_json("get_route_alternatives", {"query": "sheltered"})],  # 13 conflicts line 4
    ]
    dataset = write_csv(tmp_path / "bad.csv", rows + bad)
    result = run_script("validate_functiongemma_dataset.py", "--dataset", dataset, "--json", tmp_path / "r.json")
    assert result.returncode == 1
    report = json.loads((tmp_path / "r.json").read_text())
    by_line = {error["line"]: error["message"] for error in report["errors"]}
    expected = {5: "empty user_message", 6: "not valid JSON", 7: "exactly one call", 8: "unknown tool",
                9: "missing argument", 10: "unexpected argument", 11: "must be a string", 12: "not one of",
                13: "same message as"}
    assert sorted(by_line) == sorted(expected)
    for line, words in expected.items():
        assert words in by_line[line]
        assert f"bad.csv line {line}:" in result.stdout
    assert len(report["conflicts"]) == 1
    assert "Traceback" not in result.stderr


def test_report_keys_duplicates_and_coverage(run_script, tmp_path):
    rows = [[m, call_json(n, a)] for m, n, a in GOOD] + [["SPEED!", call_json("get_ride_status", {"query": "speed"})]]
    dataset = write_csv(tmp_path / "d.csv", rows)
    result = run_script("validate_functiongemma_dataset.py", "--dataset", dataset, "--json", tmp_path / "r.json",
                        "--output", tmp_path / "clean.csv")
    assert result.returncode == 0, result.stderr
    report = json.loads((tmp_path / "r.json").read_text())
    for key in ("rows", "errors", "warnings", "tool_counts", "value_counts", "uncovered_values", "duplicates",
                "conflicts"):
        assert key in report
    assert report["rows"] == 4 and report["tool_counts"]["get_ride_status"] == 2
    assert report["duplicates"][0]["kind"] == "normalised" and report["duplicates"][0]["line"].endswith("line 5")
    assert report["uncovered_values"]["get_rider_profile"] == ["fitness", "preferences", "all"]
    assert report["uncovered_values"]["get_ride_status"] == ["all", "distance", "elevation", "battery", "time"]
    assert report["value_counts"]["get_ride_status"] == {"all": 0, "speed": 2, "distance": 0, "elevation": 0,
                                                         "battery": 0, "time": 0}
    assert any("far below" in warning for warning in report["warnings"])
    clean = list(csv.DictReader(open(tmp_path / "clean.csv", encoding="utf-8")))
    assert [row["user_message"] for row in clean] == [m for m, _, _ in GOOD]


def test_no_call_rows_are_counted_and_their_share_checked(run_script, tmp_path):
    calls = [[m, call_json(n, a)] for m, n, a in GOOD]
    only_calls = write_csv(tmp_path / "calls.csv", calls)
    result = run_script("validate_functiongemma_dataset.py", "--dataset", only_calls, "--json", tmp_path / "r.json")
    assert result.returncode == 0, result.stderr
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["no_call_rows"] == 0
    assert any("the model will call a tool for every input" in warning for warning in report["warnings"])

    mixed = write_csv(tmp_path / "mixed.csv", calls + [["thanks", "[]"], ["play some music", "[]"]])
    result = run_script("validate_functiongemma_dataset.py", "--dataset", mixed, "--json", tmp_path / "r.json")
    assert result.returncode == 0, result.stderr
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["no_call_rows"] == 2 and report["tool_counts"]["get_ride_status"] == 1
    assert not any("more than half" in warning or "every input" in warning for warning in report["warnings"])
    assert "(no call)                    2   40.0% of the valid rows" in result.stdout

    mostly = write_csv(tmp_path / "mostly.csv", calls[:1] + [["thanks", "[]"], ["ok", "[]"]])
    result = run_script("validate_functiongemma_dataset.py", "--dataset", mostly, "--json", tmp_path / "r.json")
    warnings = json.loads((tmp_path / "r.json").read_text())["warnings"]
    assert result.returncode == 0 and any("2 of 3 rows are no-call rows, more than half" in w for w in warnings)


def test_a_message_labelled_as_call_and_as_no_call_is_an_error(run_script, tmp_path):
    dataset = write_csv(tmp_path / "d.csv", [[m, call_json(n, a)] for m, n, a in GOOD] + [["is it WINDY", "[]"]])
    result = run_script("validate_functiongemma_dataset.py", "--dataset", dataset, "--json", tmp_path / "r.json")
    assert result.returncode == 1
    errors = json.loads((tmp_path / "r.json").read_text())["errors"]
    assert [error["line"] for error in errors] == [5]
    assert "same message as" in errors[0]["message"] and "labelled both as a call and as no call" in errors[0]["message"]


def test_merges_several_datasets(run_script, tmp_path):
    first = write_csv(tmp_path / "a.csv", [[m, call_json(n, a)] for m, n, a in GOOD[:2]])
    second = write_csv(tmp_path / "b.csv", [[GOOD[2][0], call_json(GOOD[2][1], GOOD[2][2])],
                                            [GOOD[0][0], call_json("find_nearby_poi", {"query": "cafe"})]])
    result = run_script("validate_functiongemma_dataset.py", "--dataset", first, "--dataset", second,
                        "--json", tmp_path / "r.json")
    assert result.returncode == 1  # the conflict spans the two files
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["rows"] == 4
    assert report["errors"][0]["source"].endswith("b.csv") and report["errors"][0]["line"] == 3
    assert "a.csv line 2" in report["errors"][0]["message"]


def test_tokenizer_lengths_and_truncation(run_script, tmp_path, tokenizer_dir):
    dataset = write_csv(tmp_path / "d.csv", [[m, call_json(n, a)] for m, n, a in GOOD] + [["thanks", "[]"]]
                        + [["a much longer message " * 20, call_json("get_ride_status", {"query": "all"})]])
    result = run_script("validate_functiongemma_dataset.py", "--dataset", dataset, "--tokenizer", tokenizer_dir,
                        "--json", tmp_path / "r.json")
    assert result.returncode == 0, result.stderr
    longest = json.loads((tmp_path / "r.json").read_text())["max_tokens"]
    assert f"--max-length {longest} fits" in result.stdout
    result = run_script("validate_functiongemma_dataset.py", "--dataset", dataset, "--tokenizer", tokenizer_dir,
                        "--max-length", longest - 1, "--json", tmp_path / "r.json")
    assert result.returncode == 1
    errors = json.loads((tmp_path / "r.json").read_text())["errors"]
    assert [error["line"] for error in errors] == [6] and "truncated" in errors[0]["message"]


def test_the_rendered_prompt_size_is_reported_estimated_or_exact(run_script, tmp_path, tokenizer_dir):
    dataset = write_csv(tmp_path / "d.csv", [[m, call_json(n, a)] for m, n, a in GOOD] + [["thanks", "[]"]])
    result = run_script("validate_functiongemma_dataset.py", "--dataset", dataset, "--json", tmp_path / "r.json")
    assert result.returncode == 0, result.stderr
    size = json.loads((tmp_path / "r.json").read_text())["prompt_tokens"]
    declarations = len(_format.developer_turn(_data.load_tools()))  # characters
    assert size == {"declarations": -(-declarations // 4), "longest_row": size["longest_row"],
                    "total": -(-declarations // 4) + size["longest_row"], "exact": False}
    assert (f"rendered prompt: about {size['declarations']:,} tokens of tool declarations, about "
            f"{size['longest_row']} more for the longest row, about {size['total']:,} in all (estimated at 4 "
            "characters a token; --tokenizer counts exactly)\n") in result.stdout
    result = run_script("validate_functiongemma_dataset.py", "--dataset", dataset, "--tokenizer", tokenizer_dir,
                        "--json", tmp_path / "r.json")
    assert result.returncode == 0, result.stderr
    report = json.loads((tmp_path / "r.json").read_text())
    exact = report["prompt_tokens"]
    assert exact["exact"] and exact["declarations"] == 545  # README's figure for the bundled tools
    assert exact["total"] == report["max_tokens"]  # the longest row rendered whole, tokenized whole
    assert (f"rendered prompt: 545 tokens of tool declarations, {exact['longest_row']} more for the longest row, "
            f"{exact['total']} in all (exact, --tokenizer)\n") in result.stdout
    assert not any("tokens, more than 1,024" in warning for warning in report["warnings"])


def test_tool_declarations_too_long_are_warned_about_or_refused(run_script, tmp_path, tokenizer_dir, tiny_model_dir):
    dataset = write_csv(tmp_path / "d.csv", [[m, call_json(n, a)] for m, n, a in GOOD] + [["thanks", "[]"]])
    tools = tmp_path / "tools.json"
    tools.write_text(json.dumps(many_tools(12)), encoding="utf-8")  # 2,800 tokens: over the phone's 1,024
    result = run_script("validate_functiongemma_dataset.py", "--dataset", dataset, "--tools", tools,
                        "--tokenizer", tokenizer_dir, "--json", tmp_path / "r.json")
    assert result.returncode == 0, result.stderr
    report = json.loads((tmp_path / "r.json").read_text())
    total = report["prompt_tokens"]["total"]
    assert 1024 < total < 4096
    assert (f"warning: the tool declarations and the longest row take {total:,} tokens, more than 1,024 "
            "(export_litertlm.py's default --kv-cache-max-len): the phone prefills the declarations for every "
            "request; declare fewer tools or shorter descriptions, or export with a larger --kv-cache-max-len"
            ) in result.stdout.splitlines()
    tools.write_text(json.dumps(many_tools(40)), encoding="utf-8")  # 8,000 tokens: over the tiny model's 4,096
    result = run_script("validate_functiongemma_dataset.py", "--dataset", dataset, "--tools", tools,
                        "--tokenizer", tiny_model_dir)
    assert result.returncode == 2 and "Traceback" not in result.stderr and result.stdout == ""
    assert result.stderr.splitlines() == [
        f"error: {tools}: the tool declarations take 8,015 tokens and the longest row ({dataset} line 2) 32 more, "
        f"8,047 in all, more than the 4,096 tokens of the model's context (max_position_embeddings in "
        f"{tiny_model_dir}/config.json): declare fewer tools or shorter descriptions"]
    result = run_script("validate_functiongemma_dataset.py", "--dataset", dataset, "--tools", tools)
    assert result.returncode == 0, result.stderr  # an estimate of 9,500 fits FunctionGemma's 32,768: warned
    assert "warning: the tool declarations and the longest row take about " in result.stdout


def test_the_warning_size_is_exports_default_kv_cache():
    export = load_script("export_litertlm.py")
    assert export.build_parser().get_default("kv_cache_max_len") == _format.PROMPT_WARNING_TOKENS == 1024


@pytest.mark.parametrize("args, words", [
    (["--dataset", "/nonexistent/data.csv"], "cannot read"),
    (["--tools", "/nonexistent/tools.json"], "cannot read"),
    (["--dataset", "not a dataset id"], "not a Hub dataset id"),
    (["--no-such-flag"], "unrecognized arguments"),
    (["--max-length", "10"], "needs --tokenizer"),
    (["--no-call-reply", "ok<end_of_turn>"], "--no-call-reply contains the control token <end_of_turn>"),
])
def test_bad_usage_exits_2_with_one_line(run_script, args, words):
    result = run_script("validate_functiongemma_dataset.py", *args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert words in result.stderr.strip().splitlines()[-1]  # the reason is the last (often only) line


def test_unreadable_csv_and_output_overwrite(run_script, tmp_path):
    bad = tmp_path / "wrong.csv"
    bad.write_text("message,label\nhi,x\n")
    result = run_script("validate_functiongemma_dataset.py", "--dataset", bad)
    assert result.returncode == 2 and "missing column" in result.stderr
    good = write_csv(tmp_path / "good.csv", [[m, call_json(n, a)] for m, n, a in GOOD])
    before = good.read_text()
    result = run_script("validate_functiongemma_dataset.py", "--dataset", good, "--output", good)
    assert result.returncode == 2 and good.read_text() == before


@pytest.mark.parametrize("flag", ["--output-repo", "--push-to-hub"])  # the one name, and the old one kept working
def test_output_repo_without_token_is_refused(run_script, tmp_path, flag):
    result = run_script("validate_functiongemma_dataset.py", flag, "me/data",
                        env={"HF_TOKEN": "", "HF_HOME": str(tmp_path)})
    assert result.returncode == 2 and "token" in result.stderr


def test_every_script_names_a_hub_repo_to_write_output_repo(run_script):
    for script in ("validate_functiongemma_dataset.py", "train_functiongemma.py", "export_litertlm.py"):
        result = run_script(script, "--help")
        assert result.returncode == 0 and "--output-repo REPO" in result.stdout and "--push-to-hub" not in result.stdout


def test_suspect_rows_are_warned_with_lines_and_dropped_on_request(run_script, tmp_path):
    rows = [[m, call_json(n, a)] for m, n, a in GOOD] + [  # lines 2-4
        ["Requesting find_nearby_poi with water (Standard natural language questions. Varied phrasing. variant 0)",
         call_json("find_nearby_poi", {"query": "water"})],  # line 5: names the tool
        ["any bike_shop close?", call_json("find_nearby_poi", {"query": "bike_shop"})],  # line 6: the value
        ["Is there a bike shop close?", call_json("find_nearby_poi", {"query": "bike_shop"})],  # line 7: fine
    ]
    dataset = write_csv(tmp_path / "d.csv", rows)
    result = run_script("validate_functiongemma_dataset.py", "--dataset", dataset, "--json", tmp_path / "r.json",
                        "--output", tmp_path / "kept.csv", "--drop-suspect")
    assert result.returncode == 0, result.stderr
    report = json.loads((tmp_path / "r.json").read_text())
    assert [(row["line"], row["reason"]) for row in report["suspect"]] == [
        (f"{dataset} line 5", "names the function name 'find_nearby_poi' verbatim"),
        (f"{dataset} line 6", "names the enum value 'bike_shop' verbatim")]
    assert f"warning: {dataset} line 5: suspect row, names the function name" in result.stdout
    assert f"warning: {dataset} line 6: suspect row" in result.stdout and "line 7: suspect" not in result.stdout
    kept = [row["user_message"] for row in csv.DictReader(open(tmp_path / "kept.csv", encoding="utf-8"))]
    assert kept == [m for m, _, _ in GOOD] + ["Is there a bike shop close?"]
    assert "(2 suspect rows left out)" in result.stdout
    result = run_script("validate_functiongemma_dataset.py", "--dataset", dataset, "--output", tmp_path / "all.csv")
    assert len(list(csv.DictReader(open(tmp_path / "all.csv", encoding="utf-8")))) == 6


JUDGE_ENV = {"HF_TOKEN": "hf_test_token_never_printed", "HF_HUB_OFFLINE": "0", "NO_PROXY": "127.0.0.1,localhost"}


def test_judge_model_lists_the_rows_it_reads_otherwise_with_their_lines(run_script, tmp_path):
    from fake_servers import ChatServer
    truth = [*GOOD,  # lines 2-4
             ("How far have I gone?", "get_ride_status", {"query": "distance"}),
             ("any rain later on the route?", "get_weather_forecast", {"query": "ahead"}),
             ("find me a quieter way", "get_route_alternatives", {"query": "avoid_main_roads"}),
             ("thanks!", None, None),
             ("where can I get a coffee", "find_nearby_poi", {"query": "cafe"})]  # lines 5-9
    planted = {5: ("get_ride_status", {"query": "speed"}),  # distance labelled speed
               7: ("get_route_alternatives", {"query": "flatter"}),
               8: ("find_nearby_poi", {"query": "water"})}  # a no-call row labelled water
    rows = []
    for line, (message, name, args) in enumerate(truth, 2):
        name, args = planted.get(line, (name, args))
        rows.append([message, call_json(name, args) if name else "[]"])
    rows.append(rows[3])  # line 10: line 5 again, asked about once
    dataset = write_csv(tmp_path / "d.csv", rows)
    labels = {message: f"{name}:{args['query']}" if name else "none" for message, name, args in truth}
    with ChatServer("openai", labels=labels) as server:
        result = run_script("validate_functiongemma_dataset.py", "--dataset", dataset, "--min-per-value", 0,
                            "--judge-model", "judge-x", "--base-url", server.url, "--json", tmp_path / "r.json",
                            "--retry-delay", "0.01", env=JUDGE_ENV)
    assert result.returncode == 0, result.stderr  # listed, not errors
    assert [request["body"]["model"] for request in server.requests] == ["judge-x"] * len(truth)
    assert "judge-x: 9 rows read blind, 4 read otherwise (44.4%)" in result.stdout
    listed = result.stdout.split("read otherwise (44.4%)\n")[1].splitlines()
    assert listed == [
        f"  {dataset} line 5: labelled get_ride_status:speed, the judge reads get_ride_status:distance "
        "('How far have I gone?')",
        f"  {dataset} line 7: labelled get_route_alternatives:flatter, the judge reads "
        "get_route_alternatives:avoid_main_roads ('find me a quieter way')",
        f"  {dataset} line 8: labelled find_nearby_poi:water, the judge reads (no call) ('thanks!')",
        f"  {dataset} line 10: labelled get_ride_status:speed, the judge reads get_ride_status:distance "
        "('How far have I gone?')"]
    judged = json.loads((tmp_path / "r.json").read_text())["judge"]
    assert [row["line"] for row in judged["disagreements"]] == [f"{dataset} line {line}" for line in (5, 7, 8, 10)]
    assert (judged["rows"], judged["requests"]) == (9, 8)


class ProxyRecorder:
    """An HTTP proxy on 127.0.0.1 that records every connection asked of it and refuses it: with
    HTTPS_PROXY pointing here, a request to the Hugging Face router (the judge's default server) or
    to the Hub is recorded while the recorder is up."""

    def __init__(self):
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        recorder = self
        self.requests = []

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def refuse(self):
                recorder.requests.append(f"{self.command} {self.path}")
                self.send_error(502)

            do_CONNECT = do_GET = do_POST = refuse

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def test_without_judge_model_no_judge_request_is_sent(run_script, tmp_path):
    """Every request the validator could send goes through the recording proxy. With --judge-model
    (and no --base-url: the router) the judge's requests arrive there; without it none do, counted
    while the proxy is up, and the report has no judge."""
    dataset = write_csv(tmp_path / "d.csv", [[m, call_json(n, a)] for m, n, a in GOOD])
    with ProxyRecorder() as proxy:
        env = {**JUDGE_ENV, "HTTPS_PROXY": proxy.url, "HTTP_PROXY": proxy.url, "https_proxy": proxy.url,
               "http_proxy": proxy.url, "NO_PROXY": "", "no_proxy": ""}
        judged = run_script("validate_functiongemma_dataset.py", "--dataset", dataset, "--judge-model", "judge-x",
                            "--max-failures", 1, "--retry-delay", "0.01", "--timeout", 5, env=env)
        assert judged.returncode == 2 and judged.stderr.strip().splitlines()[-1].startswith(
            "error: --judge-model judge-x: stopped after 1 failures"), judged.stderr
        asked = len(proxy.requests)
        assert asked >= 1 and all(request.startswith("CONNECT ") for request in proxy.requests), proxy.requests
        offline = run_script("validate_functiongemma_dataset.py", "--dataset", dataset, "--min-per-value", 0,
                             "--json", tmp_path / "offline.json", env=env)
        assert offline.returncode == 0, offline.stderr
        assert len(proxy.requests) == asked, proxy.requests[asked:]
    assert "judge" not in json.loads((tmp_path / "offline.json").read_text())
    assert "read blind" not in offline.stdout


def test_judge_model_that_fails_is_one_line(run_script, tmp_path):
    from fake_servers import ChatServer
    dataset = write_csv(tmp_path / "d.csv", [[m, call_json(n, a)] for m, n, a in GOOD])
    with ChatServer("openai", judge_script=[("status", 500)] * 3) as server:
        result = run_script("validate_functiongemma_dataset.py", "--dataset", dataset, "--judge-model", "judge-x",
                            "--base-url", server.url, "--max-failures", 2, "--retry-delay", "0.01", env=JUDGE_ENV)
    assert result.returncode == 2 and len(server.requests) == 2
    assert result.stderr.strip().splitlines()[-1] == (
        "error: --judge-model judge-x: stopped after 2 failures (--max-failures); last: judge: server error (HTTP 500)")
    alone = run_script("validate_functiongemma_dataset.py", "--base-url", "http://127.0.0.1:9/v1")
    assert alone.returncode == 2
    assert alone.stderr.strip().splitlines() == ["error: --base-url needs --judge-model (see --help)"]


def test_near_misses_are_counted_per_tool_and_a_tool_with_few_is_named(run_script, tmp_path):
    dataset = tmp_path / "twins.csv"
    with open(dataset, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["user_message", "tool_calls", "boundary"])
        writer.writerows([("how far have I ridden", call_json("get_ride_status", {"query": "distance"}), ""),
                          ("how far did I ride last Tuesday", "[]", "time"),
                          ("how far has my brother ridden", "[]", "subject"),
                          ("Where can I fill my bottle?", call_json("find_nearby_poi", {"query": "water"}), ""),
                          ("thanks", "[]", "")])
    result = run_script("validate_functiongemma_dataset.py", "--dataset", dataset, "--min-per-value", 0,
                        "--json", tmp_path / "r.json")
    assert result.returncode == 0, result.stderr
    near = json.loads((tmp_path / "r.json").read_text())["near_misses"]
    assert near["tools"]["get_ride_status"] == {"call_rows": 1, "near_misses": 2, "by_boundary": {"time": 1, "subject": 1}}
    assert near["tools"]["find_nearby_poi"] == {"call_rows": 1, "near_misses": 0, "by_boundary": {}}
    assert near["tools"]["get_rider_profile"] == {"call_rows": 0, "near_misses": 0, "by_boundary": {}}
    assert [warning.split(":")[0] for warning in near["warnings"]] == ["get_ride_status", "find_nearby_poi"]
    assert "  get_ride_status              2   of 1 call rows; time 1, subject 1" in result.stdout
    assert "warning: find_nearby_poi: 0 near misses" in result.stdout


def test_the_bundled_seeds_have_near_misses_of_every_tool_and_last_rounds_did_not(run_script, tmp_path):
    result = run_script("validate_functiongemma_dataset.py", "--json", tmp_path / "r.json")
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["near_misses"]["warnings"] == [] and report["warnings"] == []
    assert all(counts["near_misses"] >= 15 for counts in report["near_misses"]["tools"].values())
    # last round's seeds: the same file without its twins (the rows that carry a boundary)
    rows = [row for _, row in _data.read_dataset_rows(_data.BUNDLED) if not row["boundary"]]
    write_csv(tmp_path / "old.csv", [(row["user_message"], row["tool_calls"]) for row in rows])
    result = run_script("validate_functiongemma_dataset.py", "--dataset", tmp_path / "old.csv")
    named = {line.split(":")[1].strip() for line in result.stdout.splitlines() if "near misses (no-call" in line}
    assert {"get_segment_ahead", "get_route_alternatives"} <= named and len(named) >= 4, result.stdout
