"""The bundled seeds are a coverage set: every (tool, value) reachable, in English and Spanish."""

import re
from collections import Counter
from pathlib import Path

import pytest

import _common

SEEDS_PATH = Path(__file__).resolve().parent.parent / "cycling-copilot-seeds.csv"
MIN_ROWS_PER_VALUE = 4
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
    return _common.check_dataset(_common.read_dataset_rows(_common.BUNDLED), tools)


def pair(example: _common.Example) -> tuple[str, str]:
    return example.call.name, example.call.args["query"]


def test_language_heuristic_tells_the_languages_apart():
    assert is_spanish("¿Cuántos kilómetros llevo?")
    assert is_spanish("Busca una ruta más corta")
    assert not is_spanish("Is the next bit gravel or tarmac?")
    assert not is_spanish("Take me somewhere pretty")


def test_bundled_copy_equals_the_csv_file():
    assert _common.BUNDLED_SEEDS_CSV == SEEDS_PATH.read_text(encoding="utf-8")


def test_seeds_are_clean(seed_report):
    assert seed_report.errors == []
    assert seed_report.duplicates == []
    assert seed_report.conflicts == []
    assert len(seed_report.examples) == seed_report.rows


def test_every_tool_value_has_enough_rows(seed_report, tools):
    counts = Counter(pair(example) for example in seed_report.examples)
    expected = {(name, value) for name, values in _common.enum_values(tools).items() for value in values}
    thin = {key: counts[key] for key in expected if counts[key] < MIN_ROWS_PER_VALUE}
    assert expected, "the bundled tools declare no enum values"
    assert thin == {}
    assert set(counts) <= expected


def test_every_tool_has_english_and_spanish_rows(seed_report, tools):
    languages = {}
    for example in seed_report.examples:
        languages.setdefault(example.call.name, set()).add("es" if is_spanish(example.message) else "en")
    assert languages == {tool["function"]["name"]: {"en", "es"} for tool in tools}
