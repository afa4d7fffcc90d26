"""The forms one request arrives in: renderings that keep its meaning, and the surface features a
model could learn instead of it.

A rider's request reaches the router as a speech recogniser or a keyboard writes it: lower case
without punctuation, or capitalised with a final "?"; sometimes with a filler or wake word in
front ("uh", "hey copilot", "oye"), numbers as digits or as words. None of that changes what the
rider asked for, so evaluation scores every row in several renderings (robust accuracy: right in
all of them), training sees every row in each of them over the run, and the validator warns when
a surface feature separates the rows that need no call from the others.

Single source: scripts carry a copy between `# --- begin _renderings.py` / `# --- end
_renderings.py` marker lines; edit this file, then run `python dev/sync_vendored.py`. Standard
library only.
"""

import hashlib
import random
import re
import statistics

RENDERINGS = ("as_written", "spoken", "typed", "filler", "numbers")
DEFAULT_RENDERINGS = ("as_written", "spoken", "typed")
RENDERING_HELP = {
    "as_written": "the message exactly as in the dataset",
    "spoken": "lower case, no punctuation, as speech recognisers commonly return it",
    "typed": "capitalised, ending in ? or .",
    "filler": "spoken, after a filler or wake word (uh, hey copilot, oye)",
    "numbers": "numbers switched between digits and words (20 km / twenty kilometres)",
}
# The renderings every training row is seen in over a run, one per epoch in turn.
AUGMENT_RENDERINGS = ("as_written", "spoken", "typed")
AUGMENT_FILLER_SHARE = 0.25  # of the spoken and typed variants: fillers on both kinds of row alike
AUGMENT_NUMBERS_SHARE = 0.5  # of the variants whose message holds a number

SPANISH_MARKERS = re.compile(r"[¿¡ñáéíóú]")
SPANISH_WORDS = {"qué", "que", "el", "la", "los", "las", "del", "de", "por", "para", "hay", "mi", "mis", "una",
                 "un", "sin", "con", "cerca", "ruta", "quiero", "tengo", "necesito", "llevo", "agua", "voy",
                 "velocidad", "viento", "comida", "ahora", "cómo", "dónde", "cuánto", "está", "es", "y",
                 "oye", "dime", "busca", "algún", "alguna", "te", "se", "yo", "muy", "más", "pues"}
FILLERS = {"en": ("uh", "um", "hey copilot", "ok so", "so", "hey", "right", "er"),
           "es": ("eh", "oye", "oye copiloto", "vale", "pues", "a ver", "mmm")}
# Words a recogniser or a rider puts before the request itself (the validator's filler share).
FILLER_START = re.compile(r"^(?:uh+|um+|er+m?|hmm+|mm+|eh+|hey|ok(?:ay)?|so|right|oye|vale|pues|a ver|bueno|"
                          r"hola|venga)\b(?=[\s,]+\w)", re.I)
QUESTION_WORDS = {
    "en": {"what", "whats", "what's", "where", "wheres", "where's", "when", "how", "hows", "how's", "who", "which",
           "why", "is", "are", "am", "can", "could", "will", "would", "do", "does", "did", "should", "any", "have",
           "has", "shall", "was", "were"},
    "es": {"qué", "dónde", "cuándo", "cómo", "cuánto", "cuánta", "cuántos", "cuántas", "cuál", "quién",
           "hay", "puedo", "puedes", "podemos", "voy", "vamos", "queda", "quedan", "falta", "faltan", "llueve",
           "va", "tengo", "estoy"},
}
END_PUNCTUATION = ".?!…"
NUMBER_WORDS = {
    "en": {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine",
           10: "ten", 11: "eleven", 12: "twelve", 15: "fifteen", 20: "twenty", 25: "twenty five", 30: "thirty",
           40: "forty", 50: "fifty", 60: "sixty", 70: "seventy", 80: "eighty", 90: "ninety", 100: "a hundred"},
    "es": {1: "uno", 2: "dos", 3: "tres", 4: "cuatro", 5: "cinco", 6: "seis", 7: "siete", 8: "ocho", 9: "nueve",
           10: "diez", 11: "once", 12: "doce", 15: "quince", 20: "veinte", 25: "veinticinco", 30: "treinta",
           40: "cuarenta", 50: "cincuenta", 60: "sesenta", 70: "setenta", 80: "ochenta", 90: "noventa",
           100: "cien"},
}
UNIT_WORDS = {"en": {"km": "kilometres", "k": "kilometres", "m": "metres", "min": "minutes"},
              "es": {"km": "kilómetros", "k": "kilómetros", "m": "metros", "min": "minutos"}}
DIGITS_WITH_UNIT = re.compile(r"\b(\d+)(?:\s*(km|k|m|min))?\b", re.I)  # "20 kilómetros": no unit, the space kept


def language(message: str) -> str:
    """"es" or "en", deliberately crude: Spanish letters or punctuation, or a common Spanish word."""
    if SPANISH_MARKERS.search(message.casefold()):
        return "es"
    return "es" if SPANISH_WORDS & set(re.findall(r"\w+", message.casefold())) else "en"


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def spoken(message: str) -> str:
    """Lower case, no punctuation but the apostrophes inside words ("where's"), like a recogniser."""
    text = message.casefold()
    text = re.sub(r"(?<=\w)['’](?=\w)", "\x00", text)  # keep word-internal apostrophes
    text = re.sub(r"[^\w\s\x00]", " ", text).replace("\x00", "'").replace("_", " ")
    return _collapse(text)


def is_question(message: str) -> bool:
    stripped = message.strip()
    if stripped.endswith("?") or stripped.startswith("¿"):
        return True
    words = spoken(stripped).split()
    return bool(words) and words[0] in QUESTION_WORDS[language(message)]


def _capitalise(text: str) -> str:
    for index, character in enumerate(text):
        if character.isalpha():
            return text[:index] + character.upper() + text[index + 1:]
    return text


def typed(message: str) -> str:
    """Capitalised, ending in ? (a question; Spanish opens it with ¿) or . (anything else)."""
    question = is_question(message)
    text = _collapse(message).rstrip(" " + END_PUNCTUATION + ",;:")
    if not text:
        return message
    if question and language(message) == "es" and not text.startswith("¿"):
        text = "¿" + text.lstrip("¡")
    return _capitalise(text) + ("?" if question else ".")


def _stable_choice(options, message: str):
    """The same option for the same message on every machine (no PYTHONHASHSEED dependence)."""
    digest = hashlib.sha256(message.encode("utf-8")).digest()
    return options[digest[0] % len(options)]


def with_filler(message: str, filler: str | None = None, form: str = "spoken") -> str:
    """`message` after a filler or wake word, in the `form` ("spoken" or "typed") it arrives in."""
    filler = filler or _stable_choice(FILLERS[language(message)], message)
    if form == "spoken":
        return spoken(f"{filler} {message}")
    rest = typed(message)
    if not re.match(r"(?:¿|¡)?I\b", rest):  # "I" stays capital after the filler
        rest = re.sub(r"^([¿¡]?)(\w)", lambda match: match.group(1) + match.group(2).lower(), rest)
    return _capitalise(f"{filler}, {rest}")


def switch_numbers(message: str) -> str:
    """Digits as words ("20 km" -> "twenty kilometres"), or, with no digits, number words as digits."""
    lang = language(message)
    words, units = NUMBER_WORDS[lang], UNIT_WORDS[lang]
    if re.search(r"\d", message):
        def as_words(match):
            number, unit = int(match.group(1)), (match.group(2) or "").lower()
            if number not in words:
                return match.group(0)
            return words[number] + (f" {units[unit]}" if unit else "")
        return DIGITS_WITH_UNIT.sub(as_words, message)
    for number, word in sorted(words.items(), key=lambda item: -len(item[1])):
        message = re.sub(rf"\b{word}\b", str(number), message, flags=re.I)
    return message


def render(message: str, rendering: str) -> str:
    """One rendering of `message` (see RENDERINGS); deterministic."""
    if rendering == "as_written":
        return message
    if rendering == "spoken":
        return spoken(message)
    if rendering == "typed":
        return typed(message)
    if rendering == "filler":
        return with_filler(message)
    if rendering == "numbers":
        return switch_numbers(message)
    raise ValueError(f"unknown rendering {rendering!r}: choose from {', '.join(RENDERINGS)}")


# What meaning_key undoes: every filler and wake word (longest first, so "hey copilot" before "hey"),
# every number word of either language (longest first: "twenty five" before "twenty"), and a unit
# after a number as its abbreviation ("twenty kilometres", "20 km" and "20k" all read "20 km").
_FILLER_PHRASE = re.compile(r"^(?:" + "|".join(sorted({re.escape(filler) for fillers in FILLERS.values()
                                                        for filler in fillers}, key=len, reverse=True))
                            + r")\s+(?=\w)")
_NUMBER_WORDS = sorted(((word, number) for words in NUMBER_WORDS.values() for number, word in words.items()),
                       key=lambda item: -len(item[0]))
_UNITS = {"km": ("km", "k", "kilometres", "kilómetros"), "m": ("m", "metres", "metros"),
          "min": ("min", "minutes", "minutos")}
_NUMBER_UNIT = re.compile(r"\b(\d+) ?(" + "|".join(sorted((word for words in _UNITS.values() for word in words),
                                                        key=len, reverse=True)) + r")\b")
_UNIT_KEY = {word: unit for unit, words in _UNITS.items() for word in words}


def meaning_key(message: str) -> str:
    """What every rendering of `message` has in common: the unit the split keeps on one side and the
    held-out check compares. Case, punctuation and spacing are ignored (like the de-duplication key,
    `_data.normalise_message`), fillers and wake words in front are dropped, numbers are digits and a
    unit after a number its abbreviation. So "So, where is the water?" and "Where is the water?" share
    a key, as do "What's on the next 20 km?" and "what's on the next twenty kilometres": meaning_key
    of any `render` or `augmented_variants` form of a message equals meaning_key of the message."""
    text = re.sub(r"[\W_]+", " ", message.casefold()).strip()
    while match := _FILLER_PHRASE.match(text) or FILLER_START.match(text):
        text = text[match.end():].lstrip(" ,")
    for word, number in _NUMBER_WORDS:
        text = re.sub(rf"\b{word}\b", str(number), text)
    return _NUMBER_UNIT.sub(lambda match: f"{match.group(1)} {_UNIT_KEY[match.group(2)]}", text)


def augmented_variants(message: str, rng: random.Random) -> list[str]:
    """The message in each of AUGMENT_RENDERINGS, for training: the spoken and typed ones sometimes
    after a filler or wake word, and numbers sometimes switched between digits and words."""
    variants = []
    for rendering in AUGMENT_RENDERINGS:
        text = message
        if re.search(r"\d", text) or any(re.search(rf"\b{word}\b", text, re.I)
                                         for word in NUMBER_WORDS[language(text)].values()):
            if rng.random() < AUGMENT_NUMBERS_SHARE:
                text = switch_numbers(text)
        if rendering != "as_written" and rng.random() < AUGMENT_FILLER_SHARE:
            text = with_filler(text, rng.choice(FILLERS[language(text)]), form=rendering)
        else:
            text = render(text, rendering)
        variants.append(text)
    return variants


# ----------------------------------------------------------------------------- surface shortcuts

SURFACE_FEATURES = {
    "lower_case_start": "start in lower case",
    "no_end_punctuation": "end without punctuation",
    "filler_start": "start with a filler or wake word",
    "spanish": "are in Spanish",
}
SHORTCUT_SHARE_GAP = 0.25  # a feature this much more common in one kind of row can stand in for the label
SHORTCUT_LENGTH_RATIO = 2.0  # median length in words, one kind against the other


def surface_features(message: str) -> dict[str, bool]:
    stripped = message.strip().lstrip("¿¡\"'“‘(")
    first_letter = next((character for character in stripped if character.isalpha()), "")
    return {"lower_case_start": first_letter.islower(),
            "no_end_punctuation": not message.strip().rstrip("\"')”’").endswith(tuple(END_PUNCTUATION)),
            "filler_start": bool(FILLER_START.match(stripped)),
            "spanish": language(message) == "es"}


def surface_shares(messages: list[str]) -> dict:
    """Share of `messages` with each surface feature, and their median length in words."""
    features = [surface_features(message) for message in messages]
    shares = {name: sum(row[name] for row in features) / len(features) if features else None
              for name in SURFACE_FEATURES}
    shares["median_words"] = statistics.median(len(message.split()) for message in messages) if messages else None
    return shares


def shortcut_report(call_messages: list[str], no_call_messages: list[str]) -> dict:
    """Surface shares of both kinds of row, and a warning per feature that separates them."""
    calls, no_calls = surface_shares(call_messages), surface_shares(no_call_messages)
    warnings = []
    if call_messages and no_call_messages:
        for name, what in SURFACE_FEATURES.items():
            if abs(no_calls[name] - calls[name]) >= SHORTCUT_SHARE_GAP:
                warnings.append(f"no-call rows: {no_calls[name]:.0%} {what}, call rows: {calls[name]:.0%}: "
                                f"a model can learn that instead of the meaning")
        short, long = sorted((calls["median_words"], no_calls["median_words"]))
        if short and long / short >= SHORTCUT_LENGTH_RATIO:
            warnings.append(f"no-call rows: median {no_calls['median_words']:g} words, call rows: "
                            f"{calls['median_words']:g}: a model can learn the length instead of the meaning")
    return {"call_rows": calls, "no_call_rows": no_calls, "warnings": warnings}
