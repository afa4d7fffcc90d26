"""The evaluation-only probe sets in bench/ (see bench/probes.md): each one reads cleanly, none of
their messages is a training row (the bundled seeds, the public dataset when present) or appears in
two probe files, and boundary.csv is made of minimal pairs over every tool and boundary."""

import csv
import io
import json
import re
from collections import Counter
from pathlib import Path

import pytest

import _data
import _renderings
import stand_in

BENCH = Path(__file__).resolve().parent.parent / "bench"
PROBES = {name: BENCH / f"{name}.csv" for name in ("out-of-scope", "spoken-in-scope", "boundary")}
TOOL_NAMES = ["get_ride_status", "get_segment_ahead", "get_weather_forecast", "find_nearby_poi",
              "get_route_alternatives", "get_rider_profile"]
MIN_BOUNDARY_ROWS = 120
MIN_PAIRS_PER_TOOL = 8
MIN_PAIRS_PER_BOUNDARY = 8
MIN_TOOLS_PER_BOUNDARY = 4
# Deliberately crude, like tests/test_seeds.py: Spanish letters or punctuation, or a common Spanish
# word that no English probe row uses.
SPANISH_WORDS = {"qué", "que", "el", "la", "los", "las", "del", "de", "por", "para", "hay", "mi", "mis", "una",
                 "un", "con", "cerca", "ruta", "llevo", "cuanto", "cuantos", "cuanta", "como", "donde", "esta",
                 "es", "aqui", "tengo", "busca", "va", "viento", "tiempo", "bici", "proximos", "tramo"}


def is_spanish(message: str) -> bool:
    if re.search(r"[¿¡ñáéíóú]", message.casefold()):
        return True
    return bool(SPANISH_WORDS & set(re.findall(r"\w+", message.casefold())))


def is_spoken(message: str) -> bool:
    """As a speech recogniser returns it: lower case, no punctuation (apostrophes dropped)."""
    return message == message.lower() and not re.search(r"[^\w\s]", message)


@pytest.fixture(scope="module")
def probe_reports(tools):
    return {name: _data.check_dataset(_data.read_dataset_rows(str(path)), tools) for name, path in PROBES.items()}


@pytest.fixture(scope="module")
def boundary_examples(probe_reports):
    return probe_reports["boundary"].parsed


def keys(report) -> dict[str, str]:
    """Each message by its meaning key: what all its renderings share (case, punctuation, fillers and
    wake words, numbers as words or digits), so a probe row that is a rendering of a training row counts
    as that row: evaluation refuses such a row as seen."""
    return {_renderings.meaning_key(example.message): example.message for example in report.parsed}


@pytest.mark.parametrize("name", PROBES)
def test_probe_file_reads_cleanly(name, probe_reports, tools):
    report = probe_reports[name]
    assert [str(error) for error in report.errors] == []
    assert report.duplicates == [] and report.conflicts == []
    assert len(report.examples) == len(report.parsed) == report.rows > 0
    assert [(example.message, reason) for example in report.parsed
            if (reason := _data.suspect_reason(example.message, tools))] == []


@pytest.mark.parametrize("name", PROBES)
def test_no_probe_message_is_a_seed(name, probe_reports, tools):
    seeds = keys(_data.check_dataset(_data.read_dataset_rows(_data.BUNDLED), tools))
    assert sorted(message for key, message in keys(probe_reports[name]).items() if key in seeds) == []


@pytest.mark.parametrize("name", PROBES)
def test_no_probe_message_is_in_the_public_dataset(name, probe_reports):
    if not stand_in.PUBLIC_DATASET.exists():
        pytest.skip("the public dataset is not beside this checkout")
    public = {_renderings.meaning_key(row.get("user_message") or "")
              for _, row in _data.read_dataset_rows(str(stand_in.PUBLIC_DATASET))}
    assert sorted(message for key, message in keys(probe_reports[name]).items() if key in public) == []


def test_no_message_is_in_two_probe_files(probe_reports):
    files_of: dict[str, list[str]] = {}
    for name, report in probe_reports.items():
        for key in keys(report):
            files_of.setdefault(key, []).append(name)
    assert {key: names for key, names in files_of.items() if len(names) > 1} == {}


def test_out_of_scope_and_spoken_in_scope_are_what_probes_md_says(probe_reports):
    out_of_scope, spoken = probe_reports["out-of-scope"].parsed, probe_reports["spoken-in-scope"].parsed
    assert (len(out_of_scope), len(spoken)) == (76, 79)
    assert [example.message for example in out_of_scope if example.call is not None] == []
    assert [example.message for example in spoken if example.call is None] == []
    assert [example.message for example in spoken if not is_spoken(example.message)] == []


def test_boundary_file_is_written_with_every_field_quoted():
    text = PROBES["boundary"].read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)
    assert text == buffer.getvalue()
    assert text.splitlines()[0] == '"user_message","tool_calls","boundary"'
    for message, tool_calls, _ in rows[1:]:
        calls = json.loads(tool_calls)
        assert tool_calls == json.dumps(calls), message
        assert calls == [] or (len(calls) == 1 and list(calls[0]) == ["name", "args"]
                               and list(calls[0]["args"]) == ["query"]), message


def test_boundary_rows_are_minimal_pairs(boundary_examples):
    assert len(boundary_examples) >= MIN_BOUNDARY_ROWS and len(boundary_examples) % 2 == 0
    assert {example.boundary for example in boundary_examples} == set(_data.BOUNDARIES)
    for call_row, twin in zip(boundary_examples[::2], boundary_examples[1::2]):
        where = f"{call_row.origin}: {call_row.message!r} / {twin.message!r}"
        assert call_row.call is not None and twin.call is None, where
        assert call_row.boundary == twin.boundary != "", where
        assert is_spanish(call_row.message) == is_spanish(twin.message), where
        assert is_spoken(call_row.message) == is_spoken(twin.message), where


def test_boundary_pairs_cover_every_tool_and_boundary_in_both_languages(boundary_examples, tools):
    call_rows = boundary_examples[::2]
    per_tool = Counter(example.call.name for example in call_rows)
    per_boundary = Counter(example.boundary for example in call_rows)
    tools_per_boundary = {boundary: {example.call.name for example in call_rows if example.boundary == boundary}
                          for boundary in _data.BOUNDARIES}
    languages = {boundary: {is_spanish(example.message) for example in call_rows if example.boundary == boundary}
                 for boundary in _data.BOUNDARIES}
    assert sorted(per_tool) == sorted(TOOL_NAMES)
    assert {(example.call.name, example.call.args["query"]) for example in call_rows} == {
        (name, value) for name, values in _data.enum_values(tools).items() for value in values}
    assert {name: count for name, count in per_tool.items() if count < MIN_PAIRS_PER_TOOL} == {}
    assert {name: count for name, count in per_boundary.items() if count < MIN_PAIRS_PER_BOUNDARY} == {}
    assert {name: sorted(found) for name, found in tools_per_boundary.items()
            if len(found) < MIN_TOOLS_PER_BOUNDARY} == {}
    assert languages == {boundary: {False, True} for boundary in _data.BOUNDARIES}


def test_boundary_rows_mix_languages_and_written_forms(boundary_examples):
    spanish = sum(is_spanish(example.message) for example in boundary_examples) / len(boundary_examples)
    spoken = sum(is_spoken(example.message) for example in boundary_examples) / len(boundary_examples)
    assert 0.3 <= spanish <= 0.45
    assert 0.4 <= spoken <= 0.6
    # a typed row is written as typed: capitalised and punctuated
    assert [example.message for example in boundary_examples if not is_spoken(example.message)
            and not (example.message[0].isupper() or example.message[0] in "¿¡")
            or not is_spoken(example.message) and not re.search(r"[.?!]$", example.message)] == []
