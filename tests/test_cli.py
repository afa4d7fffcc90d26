"""The command line all scripts share: one input reader that refuses every unusable input in one
line (exit 2, before any model loads), one parser (README's flag tables are its --help), optional
dependencies checked up front, and private Hub pushes."""

import argparse
import csv
import io
import json
import os
import subprocess
import sys
import zipfile

import pytest

import _data
from conftest import ROOT
from fake_hub import FakeHub

sys.path.insert(0, str(ROOT / "dev"))
import flag_tables  # noqa: E402

SCRIPTS = flag_tables.SCRIPTS
HEADER = "user_message,tool_calls"
SPEED = '"[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]"'


def rows(*lines: str) -> str:
    """A dataset CSV: the header, one valid row (line 2), then `lines` (line 3 on)."""
    return "\n".join([HEADER, f'"how fast am I going?",{SPEED}', *lines]) + "\n"


def xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/worksheets/sheet1.xml", "<worksheet/>")
    return buffer.getvalue()


# name: (file contents, None for no file, "folder" for a directory; words the one line must hold)
BAD_FILES = {
    "missing": (None, ["cannot read (No such file or directory)"]),
    "unreadable": ("folder", ["cannot read (Is a directory)"]),
    "utf16_bom": (rows().encode("utf-16"), ["UTF-16", "re-save it as UTF-8"]),
    "utf16_no_bom": (rows().encode("utf-16-le"), ["UTF-16", "re-save it as UTF-8"]),
    "latin1": (rows(f'"¿qué tiempo hace?",{SPEED}').encode("cp1252"), ["not UTF-8", "line 3", "Latin-1"]),
    "binary": (xlsx_bytes(), ["binary file", "spreadsheet"]),
    "empty": (b"", ["the file is empty"]),
    "header_only": (f"{HEADER}\n".encode(), ["no data rows, only the header"]),
    "wrong_header": (b"message,label\nhi,x\n", ["wrong header", "user_message", "found 'message,label'"]),
    "broken_quoting": (rows('"speed, [{""name"": ""get_ride_status""}]').encode(), ["line 3", "broken CSV quoting"]),
    "extra_field": (rows(f"hello, world,{SPEED}").encode(), ["line 3", "3 fields, the header has 2"]),
}
# Rows the reader can read but no script may use: the validator lists them (exit 1), the others stop (exit 2).
BAD_ROWS = {
    "nul_in_message": (rows(f'"spe\0ed?",{SPEED}').encode(), ["line 3", "control character U+0000 (NUL)"]),
    "control_in_message": (rows(f'"speed\x1b[0m",{SPEED}').encode(), ["line 3", "control character U+001B"]),
    "too_long": (rows(f'"{"a" * 501}",{SPEED}').encode(), ["line 3", "501 characters, longer than the limit of 500"]),
}
BAD_TOOLS = {
    "tools_shape": (b'{"tools": []}', ["expected a non-empty JSON list of tools"]),
    "tools_utf16": ('[{"type": "function"}]'.encode("utf-16"), ["UTF-16"]),
    "tools_binary": (bytes(range(256)) * 4, ["binary file"]),
}


def write_input(tmp_path, name, content, suffix=".csv"):
    path = tmp_path / f"{name}{suffix}"
    if content == "folder":
        path.mkdir()
    elif content is not None:
        path.write_bytes(content)
    return path


def run(script, *args, env=None, cwd=None):
    return subprocess.run([sys.executable, str(ROOT / script), *map(str, args)], capture_output=True, text=True,
                          timeout=300, cwd=cwd or ROOT, env={**os.environ, **(env or {})})


def command(script, flag, path, tmp_path):
    """How each script is pointed at one input; the model is never loaded (the input fails first)."""
    model = ["--model", tmp_path / "never-loaded"]
    return {
        "validate_functiongemma_dataset.py": [flag, path],
        "train_functiongemma.py": [*model, flag, path, "--output-dir", tmp_path / "run"],
        "evaluate_functiongemma.py": [*model, flag, path],
        "export_litertlm.py": [*model, flag, path, "--output-dir", tmp_path / "out"],
        "generate_dataset.py": [{"--dataset": "--seeds"}.get(flag, flag), path, "--dry-run",
                                "--output", tmp_path / "generated.csv"],
    }[script]


def assert_one_line(result, words, code=2):
    assert result.returncode == code, (result.returncode, result.stdout[-1000:], result.stderr[-2000:])
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for word in words:
        assert word in lines[0], (word, lines[0])


USERS = ["validate_functiongemma_dataset.py", "train_functiongemma.py", "evaluate_functiongemma.py",
         "export_litertlm.py", "generate_dataset.py"]


@pytest.mark.parametrize("script", USERS)
@pytest.mark.parametrize("case", list(BAD_FILES) + list(BAD_ROWS) + list(BAD_TOOLS))
def test_every_unusable_input_is_one_line_and_exit_2(script, case, tmp_path):
    content, words = {**BAD_FILES, **BAD_ROWS, **BAD_TOOLS}[case]
    flag = "--tools" if case in BAD_TOOLS else "--dataset"
    path = write_input(tmp_path, case, content, ".json" if case in BAD_TOOLS else ".csv")
    result = run(script, *command(script, flag, path, tmp_path))
    if case in BAD_ROWS and script == "validate_functiongemma_dataset.py":
        # the validator lists row errors with their line and exits 1 ("errors found")
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        error = [line for line in result.stdout.splitlines() if line.startswith("error: ")]
        assert len(error) == 1 and all(word in error[0] for word in words), result.stdout
        assert error[0].startswith(f"error: {path} line 3: ")
        return
    assert_one_line(result, words)
    assert str(path) in result.stderr
    assert not (tmp_path / "run").exists() and not (tmp_path / "out").exists()


def test_utf8_with_bom_is_fine(tmp_path, tools):
    path = write_input(tmp_path, "bom", rows(f'"¿qué tiempo hace?",{SPEED}').encode("utf-8-sig"))
    examples, report = _data.load_examples([str(path)], tools)
    assert [example.message for example in examples] == ["how fast am I going?", "¿qué tiempo hace?"]
    assert report.sources[0]["name"].startswith("bom.csv (sha256 ") and str(tmp_path) not in report.sources[0]["name"]


@pytest.mark.parametrize("case", ["utf16_bom", "latin1", "binary", "wrong_header", "broken_quoting",
                                  "nul_in_message"])
def test_generator_output_file_is_read_the_same_way(case, tmp_path):
    content, words = {**BAD_FILES, **BAD_ROWS}[case]
    output = write_input(tmp_path, case, content)
    before = output.read_bytes()
    result = run("generate_dataset.py", "--output", output, "--dry-run")
    assert_one_line(result, words)
    assert output.read_bytes() == before


@pytest.mark.parametrize("content", [b"", f"{HEADER}\n".encode()])
def test_generator_output_may_be_empty_or_only_a_header(content, tmp_path):
    """An output file is the generator's resume state: empty or a bare header means nothing written yet."""
    output = write_input(tmp_path, "generated", content)
    result = run("generate_dataset.py", "--output", output, "--dry-run", "--json", tmp_path / "plan.json")
    assert result.returncode == 0, result.stderr
    plan = json.loads((tmp_path / "plan.json").read_text())
    assert plan["planned_rows"] == plan["missing_rows"] > 0 and plan["failures"] == 0


# ----------------------------------------------------------------------------- one parser


@pytest.fixture(scope="module")
def parsers():
    return {script: flag_tables.build_parser(script) for script in SCRIPTS}


def test_readme_flag_tables_are_the_help_of_each_script():
    result = subprocess.run([sys.executable, str(ROOT / "dev" / "flag_tables.py"), "--check"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_readme_tables_list_each_flag_with_its_help(parsers):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for script, parser in parsers.items():
        block = text.split(f"<!-- flags: {script} -->\n", 1)[1].split("<!-- end flags -->", 1)[0]
        listed = [line.split(" | ")[0].strip("| `").split()[0] for line in block.splitlines()[2:]]
        flags = [action.option_strings[-1] for action in parser._actions
                 if not isinstance(action, argparse._HelpAction)]
        assert listed == flags, script
        assert all(action.help for action in parser._actions), script  # every flag explains itself


def test_every_script_shares_one_parser_and_its_data_flags(parsers):
    for script, parser in parsers.items():
        assert type(parser).__name__ == "OneLineParser" and not parser.allow_abbrev, script
        assert "Exit codes:\n  0    " in parser.epilog and "  2    bad usage or unreadable input" in parser.epilog
        job = parser.epilog.rsplit("\n", 1)[1]
        assert job.startswith("  hf jobs uv run --flavor ") and f" {script} -- " in job, job
        helps = {action.option_strings[-1]: action.help for action in parser._actions if action.option_strings}
        if script.startswith("generate_"):
            assert "--seed" not in helps and "sampling seed" in helps["--sampling-seed"]
        elif script in ("evaluate_functiongemma.py", "export_litertlm.py"):  # a trained model's record comes first
            assert helps["--seed"] == "seed of the shared held-out split, the same in every script (default the model's one, else 42)"
            assert helps["--dataset"].endswith("(default: the model's heldout.csv, else bundled seeds)")
            assert helps["--tools"].endswith("(default: the model's tools.json, else bundled cycling-copilot tools)")
        else:
            assert helps["--seed"] == "seed of the shared held-out split, the same in every script (default 42)"
            assert helps["--dataset"] == parsers["train_functiongemma.py"]._option_string_actions["--dataset"].help
            assert helps["--tools"] == "tools JSON file or https URL (default: bundled cycling-copilot tools)"
        assert helps["--json"].startswith("write ") and helps["--json"].endswith(" as JSON to this file")


@pytest.mark.parametrize("script", ["validate_functiongemma_dataset.py", "evaluate_functiongemma.py",
                                    "export_litertlm.py", "generate_dataset.py"])
def test_usage_errors_are_one_line_without_the_usage_block(script, tmp_path):
    assert_one_line(run(script, "--no-such-flag"), ["unrecognized arguments: --no-such-flag"])
    assert_one_line(run(script, "--json", tmp_path / "missing" / "r.json"), ["--json", "does not exist"])


def test_generator_seed_is_not_an_abbreviation_of_seeds():
    assert_one_line(run("generate_dataset.py", "--seed", "7", "--dry-run"), ["unrecognized arguments: --seed 7"])


def test_export_json_is_a_path_and_model_has_a_default(parsers):
    export = parsers["export_litertlm.py"]._option_string_actions
    assert export["--json"].metavar == "PATH" and export["--model"].default == "google/functiongemma-270m-it"


# ----------------------------------------------------------------------------- optional dependencies


def test_plot_without_matplotlib_fails_before_the_model_loads(tmp_path, tiny_model_dir):
    """matplotlib is not in evaluate's dependencies: a folder shadowing it stands for an env without it."""
    shadow = tmp_path / "no-matplotlib" / "matplotlib"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("raise ModuleNotFoundError(\"No module named 'matplotlib'\")\n")
    result = run("evaluate_functiongemma.py", "--model", tiny_model_dir, "--plot", tmp_path / "c.png",
                 env={"PYTHONPATH": str(shadow.parent)})
    assert_one_line(result, ["--plot needs the matplotlib package: uv run --with matplotlib evaluate_functiongemma.py"])
    assert "loading" not in result.stderr
    header = (ROOT / "evaluate_functiongemma.py").read_text().split("# ///", 2)[1]
    assert "matplotlib" not in header


# ----------------------------------------------------------------------------- the validator's push


GOOD_ROWS = rows('"windy?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]"')


@pytest.mark.parametrize("public", [False, True], ids=["private", "public"])
def test_validator_pushes_a_private_dataset_unless_public(tmp_path, public):
    dataset = write_input(tmp_path, "rows", GOOD_ROWS.encode())
    with FakeHub(token="hf_validatorSECRET") as hub:
        result = run("validate_functiongemma_dataset.py", "--dataset", dataset, "--output-repo", "alice/rows",
                     *(["--public"] if public else []), env=hub.env(tmp_path / "home"))
        assert result.returncode == 0, result.stderr
        repo = hub.repos["alice/rows"]
    assert repo["type"] == "dataset" and repo["private"] is (not public)
    assert {"train.csv", "test.csv"} <= set(repo["files"])
    assert ("public" if public else "private") in result.stdout
    assert "hf_validatorSECRET" not in result.stdout + result.stderr


def test_validator_refuses_an_existing_public_dataset_without_public(tmp_path):
    dataset = write_input(tmp_path, "rows", GOOD_ROWS.encode())
    with FakeHub() as hub:
        hub.add_repo("alice/rows", kind="dataset", private=False)
        result = run("validate_functiongemma_dataset.py", "--dataset", dataset, "--output-repo", "alice/rows",
                     env=hub.env(tmp_path / "home"))
        commits = len(hub.repos["alice/rows"]["commits"])
    assert_one_line(result, ["alice/rows is a public repo: pass --public"])
    assert commits == 1


def test_written_rows_record_sources_without_paths(tmp_path, tools):
    dataset = write_input(tmp_path, "rows", GOOD_ROWS.encode())
    examples, _ = _data.load_examples([str(dataset)], tools)
    _data.write_examples_csv(str(tmp_path / "out.csv"), examples, with_source=True)
    with open(tmp_path / "out.csv", encoding="utf-8", newline="") as handle:
        sources = [row["source"] for row in csv.DictReader(handle)]
    digest = __import__("hashlib").sha256(dataset.read_bytes()).hexdigest()[:12]
    assert sources == [f"rows.csv (sha256 {digest}) line 2", f"rows.csv (sha256 {digest}) line 3"]


def test_push_helper_never_uploads_a_file_holding_the_token(tmp_path, monkeypatch):
    import _cli
    monkeypatch.setenv("HF_TOKEN", "hf_neverUploadMe")
    (tmp_path / "notes.txt").write_text("debug: token=hf_neverUploadMe\n")
    with FakeHub(token="hf_neverUploadMe") as hub:
        monkeypatch.setenv("HF_ENDPOINT", hub.url)
        with pytest.raises(_cli.DataError, match="refusing to upload notes.txt: it contains the Hugging Face token"):
            _cli.push_to_hub({"README.md": b"# fine\n", "notes.txt": str(tmp_path / "notes.txt")}, "alice/x", "m")
        assert hub.requests == [] and hub.repos == {}
