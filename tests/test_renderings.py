"""_renderings: the forms one request arrives in keep its meaning, and the surface shortcuts a
dataset offers a model are measured."""

import random

import pytest

import _data
import _renderings
from _renderings import render


@pytest.mark.parametrize("message, spoken, typed", [
    ("Where can I get water?", "where can i get water", "Where can I get water?"),
    ("keep me off the gravel", "keep me off the gravel", "Keep me off the gravel."),
    ("how's my battery doing", "how's my battery doing", "How's my battery doing?"),
    ("¿Dónde hay agua cerca?", "dónde hay agua cerca", "¿Dónde hay agua cerca?"),
    ("qué tal el viento", "qué tal el viento", "¿Qué tal el viento?"),
    ("  Ruta más llana, por favor!! ", "ruta más llana por favor", "Ruta más llana, por favor."),
    ("bike_shop near me...", "bike shop near me", "Bike_shop near me."),
])
def test_spoken_and_typed_forms(message, spoken, typed):
    assert render(message, "spoken") == spoken
    assert render(message, "typed") == typed
    assert render(message, "as_written") == message
    # each form is a fixed point: rendering it again changes nothing
    assert render(spoken, "spoken") == spoken and render(typed, "typed") == typed


def test_renderings_keep_the_words_and_so_the_meaning():
    """Spoken and typed differ from the message only in case and punctuation: the dataset's
    de-duplication key (which ignores both) is unchanged."""
    for message in ["Where can I get water?", "¿Qué velocidad llevo?", "take the back roads", "I'm done, thanks!"]:
        key = _data.normalise_message(message)
        assert _data.normalise_message(render(message, "spoken")) == key
        assert _data.normalise_message(render(message, "typed")) == key


def test_filler_and_numbers():
    assert _renderings.with_filler("Where is water?", "hey copilot") == "hey copilot where is water"
    assert _renderings.with_filler("Where is water?", "uh", form="typed") == "Uh, where is water?"
    assert _renderings.with_filler("I need a bike shop", "um", form="typed") == "Um, I need a bike shop."
    assert _renderings.with_filler("¿Dónde hay agua?", "oye", form="typed") == "Oye, ¿dónde hay agua?"
    # the filler is chosen by the message's sha256, never Python's per-process hash: the same on every run
    assert render("Where is water?", "filler") == "hey where is water"
    assert render("Where can I get water?", "filler") == "uh where can i get water"
    assert render("¿Dónde hay agua?", "filler") == "vale dónde hay agua"  # a Spanish one for a Spanish message
    assert render("What's on the next 20 km?", "numbers") == "What's on the next twenty kilometres?"
    assert render("¿Qué hay en los próximos 10 km?", "numbers") == "¿Qué hay en los próximos diez kilómetros?"
    assert render("the next twenty minutes", "numbers") == "the next 20 minutes"
    assert render("What's on the next 37 km?", "numbers") == "What's on the next 37 km?"  # no word for it: kept
    with pytest.raises(ValueError, match="unknown rendering 'shouted'"):
        render("hi", "shouted")


def test_language_heuristic():
    assert _renderings.language("¿Cuántos kilómetros llevo?") == "es"
    assert _renderings.language("busca una ruta más corta") == "es"
    assert _renderings.language("Is the next bit gravel or tarmac?") == "en"


def test_augmented_variants_are_the_three_forms_and_deterministic():
    message = "Where can I refill my bottle?"
    first = _renderings.augmented_variants(message, random.Random(7))
    assert first == _renderings.augmented_variants(message, random.Random(7))
    assert len(_renderings.AUGMENT_RENDERINGS) == 3
    # as written, spoken, typed; under seed 7 the typed one after a filler, under seed 8 both
    assert first == [message, "where can i refill my bottle", "Uh, where can I refill my bottle?"]
    assert _renderings.augmented_variants(message, random.Random(8)) == [
        message, "right where can i refill my bottle", "Uh, where can I refill my bottle?"]
    # over many rows, fillers land on a share of the spoken and typed variants, never on as_written
    rng = random.Random(0)
    variants = [_renderings.augmented_variants(message, rng) for _ in range(400)]
    with_filler = [sum(_renderings.FILLER_START.match(row[index]) is not None for row in variants) / 400
                   for index in range(3)]
    assert with_filler[0] == 0
    assert all(abs(share - _renderings.AUGMENT_FILLER_SHARE) < 0.07 for share in with_filler[1:]), with_filler


def test_shortcut_report_names_a_form_that_separates_the_kinds():
    calls = ["Where can I get water?", "How fast am I going?", "Take the flatter route.", "¿Qué viento hace?"]
    no_calls = ["thanks", "ok cool", "never mind", "play some music"]
    report = _renderings.shortcut_report(calls, no_calls)
    assert report["no_call_rows"]["lower_case_start"] == 1.0 and report["call_rows"]["lower_case_start"] == 0.0
    assert report["no_call_rows"]["no_end_punctuation"] == 1.0
    assert ("no-call rows: 100% start in lower case, call rows: 0%: a model can learn that instead of the meaning"
            in report["warnings"][0])
    assert any("end without punctuation" in warning for warning in report["warnings"])
    assert any("call rows: 25%" in warning and "in Spanish" in warning for warning in report["warnings"])
    # the same rows with the forms spread over both kinds: only the language and length remain
    balanced = _renderings.shortcut_report([calls[0], "how fast am i going", "Take the flatter route.",
                                            "oye qué viento hace"],
                                           ["Thanks.", "cool thanks", "Never mind.", "uh play some music"])
    assert not any("lower case" in warning or "punctuation" in warning or "filler" in warning
                   for warning in balanced["warnings"]), balanced["warnings"]
    assert _renderings.shortcut_report(calls, [])["warnings"] == []


def test_filler_start_needs_a_request_after_it():
    assert _renderings.surface_features("uh where is water")["filler_start"]
    assert _renderings.surface_features("Hey copilot, where is water?")["filler_start"]
    assert not _renderings.surface_features("ok")["filler_start"]  # an acknowledgement, not a filler
    assert not _renderings.surface_features("so")["filler_start"]


@pytest.mark.parametrize("message, key", [
    ("So, where is the water?", "where is the water"),
    ("Where is the water?", "where is the water"),
    ("hey copilot where is the water", "where is the water"),
    ("Ok so, uh, where is the water?", "where is the water"),
    ("What's on the next 20 km?", "what s on the next 20 km"),
    ("what's on the next twenty kilometres", "what s on the next 20 km"),
    ("Anything in the next 20k?", "anything in the next 20 km"),
    ("Oye copiloto, ¿qué hay en los próximos diez kilómetros?", "qué hay en los próximos 10 km"),
    ("¿Qué hay en los próximos 10 km?", "qué hay en los próximos 10 km"),
    ("How far is 37 km?", "how far is 37 km"),  # no word for 37: digits either way
    ("uh", "uh"), ("so", "so"), ("ok so", "so"),  # a filler alone is the message itself
])
def test_meaning_key_drops_case_punctuation_fillers_and_the_way_numbers_are_written(message, key):
    assert _renderings.meaning_key(message) == key


def test_meaning_key_keeps_what_changes_the_meaning():
    keys = {_renderings.meaning_key(message) for message in [
        "Where is the water?", "Where is the food?", "where is the water now", "What's on the next 20 km?",
        "What's on the next 10 km?", "What's on the next 20 minutes?", "Is there water?"]}
    assert len(keys) == 7


def test_every_rendering_of_a_message_shares_its_meaning_key():
    """The split's unit (every rendering on one side) holds only if no rendering, fillers and number
    switches of training's variants included, changes the key: checked on every bundled seed."""
    messages = [row["user_message"] for _, row in _data.read_dataset_rows(_data.BUNDLED)]
    messages += ["What's on the next 20 km?", "20k ahead?", "¿Qué me espera en los próximos 20 kilómetros?",
                 "Is there a climb in the next 25km?", "uh ok so 100 m to go"]
    changed = []
    for message in messages:
        forms = [render(message, rendering) for rendering in _renderings.RENDERINGS]
        forms += [variant for seed in range(4) for variant in _renderings.augmented_variants(message, random.Random(seed))]
        forms += [_renderings.with_filler(text, filler, form) for text in (message, _renderings.switch_numbers(message))
                  for filler in _renderings.FILLERS[_renderings.language(message)] for form in ("spoken", "typed")]
        changed += [(message, form) for form in forms if _renderings.meaning_key(form) != _renderings.meaning_key(message)]
    assert len(messages) > 1000 and changed == []


def test_a_number_before_a_unit_word_keeps_its_space():
    """"20 kilómetros" has no abbreviated unit: its number becomes a word, the space stays."""
    assert render("¿Qué me espera en los próximos 20 kilómetros?", "numbers") == \
        "¿Qué me espera en los próximos veinte kilómetros?"
