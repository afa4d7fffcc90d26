"""The bundled seeds are a coverage set: every (tool, value) reachable, in English and Spanish, and
out-of-scope requests (tool_calls []) of every kind a voice router hears, in both languages."""

import re
from collections import Counter
from pathlib import Path

import pytest

import _bundled
import _data
import stand_in

SEEDS_PATH = Path(__file__).resolve().parent.parent / "cycling-copilot-seeds.csv"
MIN_ROWS_PER_VALUE = 4
MIN_NO_CALL_ROWS = 60
MIN_NO_CALL_ROWS_PER_CATEGORY = 8
SPANISH_WORDS = {"qué", "que", "el", "la", "los", "las", "del", "de", "por", "para", "hay", "mi", "mis",
                 "una", "un", "sin", "con", "cerca", "ruta", "quiero", "tengo", "necesito", "llevo", "agua",
                 "velocidad", "viento", "comida", "atajo", "solo", "ahora", "altitud", "cómo", "dónde", "cuánto", "está", "es"}


def is_spanish(message: str) -> bool:
    """Deliberately crude: Spanish punctuation/letters, or a common Spanish word."""
    if re.search(r"[¿¡ñáéíóú]", message.casefold()):
        return True
    return bool(SPANISH_WORDS & set(re.findall(r"\w+", message.casefold())))


@pytest.fixture(scope="module")
def seed_report(tools):
    return _data.check_dataset(_data.read_dataset_rows(_data.BUNDLED), tools)


def pair(example: _data.Example) -> tuple[str, str]:
    return example.call.name, example.call.args["query"]


# Words that mark each kind of out-of-scope request, checked in this order (a near-miss may say
# "thanks"); a short message with none of them is a fragment. Deliberately crude, like is_spanish.
NO_CALL_CATEGORIES = {
    "other apps' jobs": {"play", "music", "song", "call", "text", "navigate", "timer", "wake", "photo", "podcast",
                         "volume", "message", "rock", "llama", "mensaje", "temporizador", "foto", "canción", "calle"},
    "questions near a tool": {"calories", "heart", "cadence", "watts", "capital", "pressure", "news", "score", "won",
                              "date", "calorías", "pulsaciones", "cadencia", "vatios", "presión", "partido"},
    "near-misses of real requests": {"water", "reroute", "route", "café", "coffee", "weather", "forecast", "bike",
                                     "road", "hungry", "agua", "ruta", "comido", "tiempo", "taller", "previsión",
                                     "distancia"},
    "chit-chat and acknowledgements": {"thanks", "ok", "cool", "mind", "best", "morning", "got", "perfect", "nice",
                                       "cheers", "haha", "joke", "gracias", "vale", "buenos", "genial", "perfecto",
                                       "crack", "acuerdo", "olvídalo"},
}
FRAGMENT = "fragments and ASR noise"
MAX_FRAGMENT_WORDS = 4


def no_call_category(message: str) -> str | None:
    words = re.findall(r"\w+", message.casefold())
    for category, markers in NO_CALL_CATEGORIES.items():
        if markers & set(words):
            return category
    return FRAGMENT if len(words) <= MAX_FRAGMENT_WORDS else None


def test_no_call_category_heuristic_tells_the_kinds_apart():
    assert no_call_category("put on something by Queen") is None  # no marker: a new kind of row needs its words
    assert no_call_category("no thanks, I'll keep this route") == "near-misses of real requests"
    assert no_call_category("ok thanks") == "chit-chat and acknowledgements"
    assert no_call_category("so the uh") == FRAGMENT
    assert no_call_category("so the uh the thing I wanted") is None


def test_language_heuristic_tells_the_languages_apart():
    assert is_spanish("¿Cuántos kilómetros llevo?")
    assert is_spanish("Busca una ruta más corta")
    assert not is_spanish("Is the next bit gravel or tarmac?")
    assert not is_spanish("Take me somewhere pretty")


def test_bundled_copy_equals_the_csv_file():
    assert _bundled.BUNDLED_SEEDS_CSV == SEEDS_PATH.read_text(encoding="utf-8")


def test_seeds_are_clean(seed_report):
    assert seed_report.errors == []
    assert seed_report.duplicates == []
    assert seed_report.conflicts == []
    assert len(seed_report.examples) == seed_report.rows


def test_every_tool_value_has_enough_rows(seed_report, tools):
    counts = Counter(pair(example) for example in seed_report.examples if example.call)
    expected = {(name, value) for name, values in _data.enum_values(tools).items() for value in values}
    thin = {key: counts[key] for key in expected if counts[key] < MIN_ROWS_PER_VALUE}
    assert expected, "the bundled tools declare no enum values"
    assert thin == {}
    assert set(counts) <= expected


def test_every_tool_has_english_and_spanish_rows(seed_report, tools):
    languages = {}
    for example in seed_report.examples:
        if example.call:
            languages.setdefault(example.call.name, set()).add("es" if is_spanish(example.message) else "en")
    assert languages == {tool["function"]["name"]: {"en", "es"} for tool in tools}


def test_out_of_scope_rows_cover_every_kind_in_both_languages(seed_report):
    no_call = [example.message for example in seed_report.examples if example.call is None]
    assert len(no_call) >= MIN_NO_CALL_ROWS
    uncategorised = [message for message in no_call if no_call_category(message) is None]
    assert uncategorised == []
    languages = {}
    for message in no_call:
        languages.setdefault(no_call_category(message), Counter())["es" if is_spanish(message) else "en"] += 1
    assert set(languages) == set(NO_CALL_CATEGORIES) | {FRAGMENT}
    for category, counts in languages.items():
        assert sum(counts.values()) >= MIN_NO_CALL_ROWS_PER_CATEGORY and set(counts) == {"en", "es"}, (category, counts)


def test_no_out_of_scope_message_is_also_a_call_row(seed_report):
    """Normalised, no no-call message equals a call row's (check_dataset would drop both as a conflict)."""
    calls = {_data.normalise_message(example.message) for example in seed_report.parsed if example.call}
    no_call = {_data.normalise_message(example.message) for example in seed_report.parsed if example.call is None}
    assert no_call and calls and not no_call & calls


@pytest.mark.skipif(not Path(stand_in.PUBLIC_DATASET).exists(), reason="the public dataset is not beside the checkout")
def test_out_of_scope_rows_do_not_collide_with_the_public_dataset(tools):
    report = _data.check_dataset(_data.read_dataset_rows(str(stand_in.PUBLIC_DATASET))
                                 + _data.read_dataset_rows(_data.BUNDLED), tools)
    assert report.conflicts == [] and report.errors == []
