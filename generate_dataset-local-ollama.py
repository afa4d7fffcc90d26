# /// script
# requires-python = ">=3.10"
# dependencies = [
#     "ollama>=0.5",
#     "tqdm>=4.66.3",
# ]
# ///
"""Expand the seed rows into a balanced tool-calling dataset with a local Ollama model.

Usage:
    ollama pull qwen2.5:7b
    uv run generate_dataset-local-ollama.py --output generated.csv          # 6 tools, all values, 5 styles, 3 each
    uv run generate_dataset-local-ollama.py --output generated.csv --host http://192.168.1.20:11434 \\
        --model llama3.1:8b --per-value 5 --styles standard terse spanish --seeds my-seeds.csv
    uv run generate_dataset-local-ollama.py --dry-run                       # the plan and the first prompts, no server call

For every enum value of every tool and every style it asks the model (Ollama /api/chat with a
JSON-schema `format`) for user messages, with that tool's seed rows as examples; a --no-call-share
of the plan (default 0.2) are messages none of the tools can serve (tool_calls []), asked for
with the tool list shown as what to avoid, and a --twin-share of those (default 0.33) are twins:
sampled call rows of each tool rewritten to keep their topic and most of their words but cross one
boundary (time, place, subject, action, object, remark) so that no tool serves them, written with
their boundary in a `boundary` column. Each candidate is
checked (valid row, not empty, not model chatter, not too long, not a normalised duplicate of a
seed or of a row already written, not a near duplicate of one of its label above --max-similarity),
then read blind by a judge model (--judge-model, default --model; --no-judge skips it) that must
name the intended call, and appended to --output at once. Re-running the same command
resumes: it only fills what the file still lacks. Timeouts, connection errors, 429 and 5xx are
retried with exponential back-off and jitter; 401/403 and an unknown model stop at once;
--max-failures bounds the failures of a run.
"""

from __future__ import annotations

import argparse
import json
import os



# The header's dependencies, checked first thing in main(): a notebook or another environment's
# python ignores the header (tests/test_versions.py keeps the two equal).
REQUIREMENTS = {
    "ollama": ">=0.5",
    "tqdm": ">=4.66.3",
}
DEFAULT_GENERATOR = "qwen2.5:7b"


def failure(error: Exception, args: argparse.Namespace, model: str) -> Exception | None:
    """The TransientError/FatalError a client exception means, or None if it is not a server failure."""
    import httpx
    import ollama
    import pydantic
    if isinstance(error, ollama.ResponseError):
        status = error.status_code
        if status in (401, 403):
            return FatalError(f"{args.host} refused the request (HTTP {status}): check the proxy's credentials")
        if status == 404:
            return FatalError(f"{args.host} has no model {model!r} (run `ollama pull {model}`): {error.error}")
        # The ollama client keeps no headers, so a Retry-After cannot be honoured here.
        if status == 429 or status >= 500:
            return TransientError(f"server busy or failing (HTTP {status}: {error.error})")
        return FatalError(f"{args.host} rejected the request (HTTP {status}): {error.error}")
    if isinstance(error, ConnectionError):  # what the ollama client raises when nothing listens
        return TransientError(f"cannot connect to Ollama at {args.host}; is `ollama serve` running?")
    if isinstance(error, httpx.TimeoutException):
        return TransientError(f"no reply within {args.timeout:g}s")
    if isinstance(error, httpx.TransportError):
        return TransientError(f"connection to {args.host} failed ({type(error).__name__})")
    if isinstance(error, (json.JSONDecodeError, pydantic.ValidationError)):  # a body that is not a chat response
        return TransientError(f"unreadable reply from {args.host}")
    return None


def connect(args: argparse.Namespace, model: str):
    """`ask(messages, schema, seed, temperature, max_tokens) -> text` over Ollama's /api/chat with a
    JSON-schema format (max_tokens unused: Ollama stops where the format's JSON ends)."""
    import ollama
    client = ollama.Client(host=args.host, timeout=args.timeout)

    def ask(messages: list[dict], schema: dict, seed: int, temperature: float, max_tokens: int) -> str:
        try:
            reply = client.chat(model=model, messages=messages, format=schema,
                                options={"temperature": temperature, "seed": seed})
        except Exception as error:
            meaning = failure(error, args, model)
            if meaning is None:
                raise
            raise meaning from None
        return reply.message.content or ""

    return ask


def build_parser():
    parser = script_parser("generate_dataset-local-ollama.py", __doc__,
                           exit_codes=GENERATION_EXIT_CODES,
                           job="--flavor cpu-basic -- --host https://OLLAMA_HOST:11434 --output generated.csv")
    server = add_generation_arguments(parser, DEFAULT_GENERATOR)
    server.add_argument("--host", default=os.environ.get("OLLAMA_HOST") or "http://localhost:11434",
                        help="Ollama server (default: $OLLAMA_HOST or http://localhost:11434)")
    return parser


def main(argv=None) -> int:
    require(REQUIREMENTS)
    return run_generation(build_parser().parse_args(argv), connect)


# --- begin _cli.py (vendored: what this script uses of it; edit _cli.py, then run python dev/sync_vendored.py) ---
"""The command line every script shares: one parser, the shared flags, one-line errors, exit codes,
JSON reports, installed versions, the Hub token and the one Hub upload.

Single source: scripts carry a copy between `# --- begin _cli.py` / `# --- end _cli.py` marker
lines; edit this file, then run `python dev/sync_vendored.py`. Standard library only.
"""

import argparse
import json
import operator
import os
import re
import sys

EXIT_CODES = {0: "done", 2: "bad usage or unreadable input (one line on stderr)", 130: "interrupted (Ctrl-C)"}
# Said above every `hf jobs uv run` line: what a Job writes to its own disk is gone when it ends.
JOB_NOTE = "In a Hugging Face Job (cloud hardware; its disk vanishes when it ends):"


class DataError(ValueError):
    """Bad user input (tools file, dataset, flags). Scripts print it as one line and exit 2."""


class OneLineParser(argparse.ArgumentParser):
    """Flag errors become a DataError: one line on stderr, exit 2, no usage dump."""

    def error(self, message):
        raise DataError(f"{message} (see --help)")


def script_parser(script: str, doc: str, *, exit_codes: dict[int, str], job: str) -> OneLineParser:
    """The parser every script starts from. --help shows the docstring's first paragraph, then
    the rest of it, the exit codes and a ready `hf jobs uv run` line (`job`: its flags and
    arguments, e.g. "--flavor t4-small --secrets HF_TOKEN -- --dataset USER/DATA")."""
    summary, _, details = doc.strip().partition("\n\n")
    codes = dict(sorted({**EXIT_CODES, **exit_codes}.items()))
    job_flags, _, job_arguments = job.partition("-- ")
    epilog = "\n".join([
        details.rstrip(), "",
        "Exit codes:", *(f"  {code:<4} {meaning}" for code, meaning in codes.items()), "",
        JOB_NOTE, f"  hf jobs uv run {job_flags}{script} -- {job_arguments}",
    ])
    # allow_abbrev=False: an abbreviation could silently mean another flag (--seed for --seeds)
    return OneLineParser(prog=script, description=summary, epilog=epilog, allow_abbrev=False,
                         formatter_class=argparse.RawDescriptionHelpFormatter)


def output_file(path: str) -> str:
    """argparse type of a file a script writes: its folder must exist, so a long run never fails at the end."""
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise argparse.ArgumentTypeError(f"{path} is a folder, expected a file name")
    if not os.path.isdir(folder):
        raise argparse.ArgumentTypeError(f"{path}: the folder {folder} does not exist")
    return path


def add_tools_argument(group) -> None:
    group.add_argument("--tools", metavar="JSON", help="tools JSON file or https URL (default: bundled cycling-copilot tools)")


def add_json_argument(parser, what: str) -> None:
    parser.add_argument("--json", type=output_file, metavar="PATH", help=f"write {what} as JSON to this file")


def write_json_report(path: str, data) -> None:
    """Every JSON file the scripts write (the --json reports, training's config and metrics):
    indented UTF-8; an unwritable path is one line."""
    try:
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2, ensure_ascii=False)
            handle.write("\n")
    except OSError as error:
        raise DataError(f"{path}: cannot write ({error.strerror or error})") from None


def run_main(main, argv=None) -> int:
    """Run `main(argv)`: DataError becomes one line on stderr and exit code 2.

    argv=None reads sys.argv, except in a notebook kernel, whose argv belongs to the kernel;
    there the code is returned instead of exiting the kernel."""
    in_notebook = "ipykernel" in sys.modules
    if argv is None:
        argv = [] if in_notebook else sys.argv[1:]
    try:
        code = main(argv) or 0
    except DataError as error:
        print(f"error: {error}", file=sys.stderr)
        code = 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        code = 130
    if in_notebook:
        return code
    sys.exit(code)


# Two-character operators first: ">=" must not be read as ">".
_COMPARISONS = {">=": operator.ge, "<=": operator.le, "==": operator.eq, "!=": operator.ne,
                ">": operator.gt, "<": operator.lt}


def release(version: str) -> tuple[int, ...]:
    """The numeric release of a version string: "5.24.0.dev0" and "2.13.0+cpu" give (5, 24, 0) and
    (2, 13, 0). Pre-release and local tags are ignored, so a development build counts as its release."""
    match = re.match(r"\d+(\.\d+)*", version.strip())
    if not match:
        raise ValueError(f"not a version: {version!r}")
    return tuple(int(part) for part in match.group().split("."))


def version_allowed(installed: str, specifier: str) -> bool:
    """Whether `installed` satisfies a PEP 440-style specifier such as ">=0.10,<0.11" ("" allows any)."""
    have = release(installed)
    for clause in filter(None, (part.strip() for part in specifier.split(","))):
        symbol = next((symbol for symbol in _COMPARISONS if clause.startswith(symbol)), None)
        if symbol is None:
            raise ValueError(f"unsupported version specifier {clause!r}")
        want = release(clause[len(symbol):])
        width = max(len(have), len(want))  # 5.24 == 5.24.0
        if not _COMPARISONS[symbol](have + (0,) * (width - len(have)), want + (0,) * (width - len(want))):
            return False
    return True


def require(requirements: dict[str, str]) -> None:
    """Stop with one line unless every distribution is installed in a version its specifier allows.

    `uv run` installs what a script's PEP 723 header declares; a script pasted into a notebook
    or run by another environment's python gets whatever is there, and an older library can
    fail deep inside or, worse, silently compute something else. Each script calls this first
    with its header's requirements ({"transformers": ">=5.24", ...})."""
    from importlib.metadata import PackageNotFoundError, version

    problems, needed = [], []
    for name, specifier in requirements.items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            installed = None
        if installed is None or not version_allowed(installed, specifier):
            problems.append(f"{name} {installed} is installed" if installed else f"{name} is not installed")
            needed.append(f"{name}{specifier}")
    if problems:
        raise DataError(f"{', '.join(problems)}; this script needs {', '.join(needed)}: "
                        "pip install -U " + " ".join(f"'{item}'" for item in needed))


def read_local_bytes(path: str) -> bytes:
    """A local file's bytes; missing or unreadable is one line."""
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as error:
        raise DataError(f"{path}: cannot read ({error.strerror or error})") from None
# --- end _cli.py ---


# --- begin _bundled.py (vendored: what this script uses of it; edit _bundled.py, then run python dev/sync_vendored.py) ---
"""The bundled cycling-copilot tools and seeds, generated from cycling-copilot-tools.json and
cycling-copilot-seeds.csv by dev/sync_vendored.py: edit those files, never this one."""

BUNDLED_TOOLS_JSON = r'''[
  {
    "type": "function",
    "function": {
      "name": "get_ride_status",
      "description": "Current ride numbers: speed, distance, elevation, battery or elapsed time.",
      "parameters": {
        "properties": {
          "query": {
            "description": "Which number; all for a summary.",
            "enum": ["all", "speed", "distance", "elevation", "battery", "time"],
            "type": "string"
          }
        },
        "required": [
          "query"
        ],
        "type": "object"
      }
    }
  },
  {
    "type": "function",
    "function": {
      "name": "get_segment_ahead",
      "description": "The upcoming stretch of the planned route: climbs, turns, surface.",
      "parameters": {
        "properties": {
          "query": {
            "description": "How far ahead to look.",
            "enum": ["5km", "10km", "20km", "next_section"],
            "type": "string"
          }
        },
        "required": [
          "query"
        ],
        "type": "object"
      }
    }
  },
  {
    "type": "function",
    "function": {
      "name": "get_weather_forecast",
      "description": "Weather here now, later along the route, or the wind.",
      "parameters": {
        "properties": {
          "query": {
            "description": "current here, ahead on the route, or wind.",
            "enum": ["current", "ahead", "wind"],
            "type": "string"
          }
        },
        "required": [
          "query"
        ],
        "type": "object"
      }
    }
  },
  {
    "type": "function",
    "function": {
      "name": "find_nearby_poi",
      "description": "Find a nearby place to stop.",
      "parameters": {
        "properties": {
          "query": {
            "description": "Kind of place.",
            "enum": ["water", "cafe", "food", "bike_shop", "rest_area", "shelter", "any"],
            "type": "string"
          }
        },
        "required": [
          "query"
        ],
        "type": "object"
      }
    }
  },
  {
    "type": "function",
    "function": {
      "name": "get_route_alternatives",
      "description": "Re-route the ride with a constraint.",
      "parameters": {
        "properties": {
          "query": {
            "description": "What the new route should favour.",
            "enum": ["flatter", "shorter", "paved", "scenic", "sheltered", "avoid_main_roads"],
            "type": "string"
          }
        },
        "required": [
          "query"
        ],
        "type": "object"
      }
    }
  },
  {
    "type": "function",
    "function": {
      "name": "get_rider_profile",
      "description": "The rider's usual fitness level and riding preferences.",
      "parameters": {
        "properties": {
          "query": {
            "description": "fitness, preferences, or all.",
            "enum": ["fitness", "preferences", "all"],
            "type": "string"
          }
        },
        "required": [
          "query"
        ],
        "type": "object"
      }
    }
  }
]
'''
BUNDLED_SEEDS_CSV = r'''"user_message","tool_calls","boundary"
"speedo reading?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"How quick am I rolling at the moment","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"¿Qué velocidad llevo en este llano?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"velocidad actual","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"Feels like I'm crawling on this drag, what's my speed","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"Am I holding 30 km/h on the flat or not?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"km covered so far","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"¿Cuántos kilómetros llevo?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"How many miles have I put in since we left","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"distance done","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"Dime la distancia recorrida hasta ahora","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"Hey, quick one, how far have I ridden since leaving the house?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"What altitude are we at","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"How high up am I right now?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"¿A qué altitud estamos?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"altitud","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"How many metres of climbing have I done on this ride","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"elevation gained so far","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"Is my e-bike going to die before home?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"nivel de batería del motor","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"How much juice is left in the motor?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"charge left on the e-bike?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"¿Me queda carga suficiente en la batería?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"Should I drop to eco mode? How's the charge looking","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"How long have I been in the saddle today","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"elapsed time","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"¿Cuánto tiempo llevo pedaleando?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"How many hours have we been out?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"Tiempo transcurrido de la salida","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"What's the clock on this ride so far?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"Give me the full rundown of this ride","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]",""
"stats","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]",""
"Resumen de la salida, por favor","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]",""
"Read me all my ride numbers: speed, distance, the lot","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]",""
"¿Cómo va la ruta en general? Dame todos los datos","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]",""
"Quick overview of today's ride so far","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]",""
"What's the next 5k like","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"5k ahead?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"¿Qué hay en los próximos cinco kilómetros?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"Anything tricky within the next five km?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"Show me the road for the coming 5 km","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"Próximos 5 km: ¿subida o bajada?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"10 km preview","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"What's coming in the next ten kilometres","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"10k ahead?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"Describe the next 10 km of the route, turns and surface","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"¿Cómo son los próximos diez kilómetros?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"Qué me espera en los siguientes 10 km","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"Anything nasty in the next twenty kilometres?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"20k ahead?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"Give me the big picture for the next 20 km","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"Is there a long climb somewhere in the next 20km?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"¿Qué me espera en los próximos 20 kilómetros?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"Avance de los siguientes veinte km de la ruta","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"¿Qué viene en el próximo tramo?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"What comes after this descent?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"next section?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"Is the next bit gravel or tarmac?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"Any sharp turns on the upcoming stretch?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"Cómo es el siguiente segmento","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"¿Hace frío aquí ahora mismo?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"How cold is it out here right now?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"conditions right here?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"Is it actually raining here or is that just spray off the road?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"Temperatura ahora mismo","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"What's the weather doing where I am at the moment","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"Will I get soaked later on the route?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"Any storms further along the route this afternoon?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"weather ahead","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"¿Va a llover más adelante en la ruta?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"Should I keep the rain jacket handy for the second half of the ride?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"El pronóstico para el resto del recorrido","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"what's the wind doing","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"Which way is the wind blowing?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"How strong are the gusts today?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"¿De dónde sopla el viento?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"viento","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"Will I have a tailwind on the way back?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"I'm out of water","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"agua","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"Where can I refill my bottles?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"Fountain nearby?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"Necesito rellenar los bidones","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"So thirsty, is there a tap anywhere close","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"Espresso stop nearby?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"Café cerca","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"Find me a coffee shop for a quick cortado","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"Could murder a flat white right now","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"¿Hay alguna cafetería por aquí?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"cafe stop","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"I'm starving","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"I'm bonking, I need real food, not gels","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"Where can I grab a proper lunch?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"comida","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"Tengo hambre, ¿dónde puedo comer algo?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"Somewhere to eat a sandwich around here?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"My derailleur just snapped","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"My chain snapped","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"Se me ha roto un radio, necesito un taller","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"nearest bike mechanic","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"I need a new inner tube and I've already used my spare","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"Pinché y no llevo cámara de repuesto","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"Somewhere to sit down for ten minutes?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"rest stop","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"Need a bench to stretch my back","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"área de descanso más cercana","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"¿Dónde puedo parar a descansar un rato?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"Find a picnic spot where I can lie down for a bit","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"It's hailing, I need cover now","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"storm shelter nearby","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"Where can I get under a roof until the storm passes?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"Lightning's close, I need somewhere to hide","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"Está diluviando, ¿dónde me puedo refugiar?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"Un refugio cerca, rápido","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"Any place at all to stop around here?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]",""
"Whatever's closest, I just need to stop","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]",""
"What's nearby?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]",""
"points of interest near me","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]",""
"¿Qué hay cerca para parar?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]",""
"Cualquier sitio para parar me vale","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]",""
"My legs are cooked, avoid the hills","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"flatter route","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"No more climbing today please","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"Quiero una ruta sin tanto desnivel","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"Evita las cuestas, estoy reventado","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"Find me a way back with less climbing","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"Cut the ride short, I need to get back","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"shortcut?","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"Running late, trim some kilometres off the route","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"Atajo","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"Busca una ruta más corta, tengo prisa","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"I'm losing daylight, give me a shorter loop","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"No more gravel, tarmac only","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"paved roads only","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"Keep me on asphalt, I'm on skinny tyres","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"Solo asfalto, por favor","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"Sácame de esta pista de tierra","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"This dirt track is shaking my bike apart, find smooth road","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"Take me somewhere pretty","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"scenic route","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"Route me along the coast for the views","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"Ruta bonita","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"Llévame por un camino con buenas vistas","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"I'm in no hurry, show me the nicest roads","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"Route me out of this headwind","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]",""
"sheltered route please","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]",""
"Find a route that's protected from the wind","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]",""
"Llévame por un camino más resguardado del viento","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]",""
"Take the road through the woods, out of these crosswinds","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]",""
"Cambia la ruta, este viento lateral me está matando","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]",""
"Quiero evitar las carreteras principales","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"Too many lorries here, get me off the main road","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"quiet roads only","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"Route me around the highway","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"Sin carreteras nacionales","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"These cars are passing scary close, find me back lanes","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"How fit am I these days?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"What's my FTP?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"¿Cuál es mi nivel de forma?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"fitness level","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"Am I in better shape than last month?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"¿Cómo ando de forma últimamente?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"What kind of rides do I usually like?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"my preferences","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"Do I prefer road or gravel?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"What distance and terrain do I normally go for?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"¿Qué tipo de rutas prefiero?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"Mis preferencias de ruta","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"Muéstrame mi perfil completo de ciclista","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"Tell me everything you know about me as a cyclist","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"full rider profile","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"Who am I as a rider? Fitness, likes, everything","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"Resumen de mi perfil: forma física y gustos","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"Load my whole profile","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"uh how fast am i going right now","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"whats my speed on this bit?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"hey copilot how quick are we rolling","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"oye a cuánto voy","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"¿qué velocidad llevo ahora?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"vale pues dime a qué velocidad voy","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"what speed am i doing now","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"¿A cuántos kilómetros por hora voy?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"how many k have i done?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"um how far have we come so far","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"¿cuántos km llevamos?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"cuántos kilómetros llevo hoy","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"How much distance have I covered today?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"eh cuánta distancia llevo hecha","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"how much climbing have i done","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"whats the altitude here?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"cuánto desnivel llevo acumulado","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"a ver a qué altura estamos","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"how high are we above sea level","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"What's my total climbing for today?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"a qué altitud voy ahora","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"uh hows the battery doing","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"how much charge is left in the motor","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"¿cuánta batería me queda?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"oye la batería me llega hasta casa","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"What percentage is the e-bike battery on?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"cuánta carga le queda al motor","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"how long have we been riding?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"hey copilot how long have i been out today","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"¿cuánto rato llevo en la bici?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"eh cuántas horas llevamos rodando","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"how long since we set off","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"¿Cuánto tiempo llevamos fuera de casa?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"Hey copilot, what's my ride time so far?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"give me all my numbers","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]",""
"uh quick summary of the ride so far","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]",""
"dame un resumen de cómo voy","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]",""
"oye léeme todos los datos de la salida","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]",""
"Read out all my ride data.","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]",""
"Dame todas las cifras de la salida.","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]",""
"whats the next five k look like?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"uh anything hard in the next 5 km","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"¿qué me espera en los próximos cinco km?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"oye cómo son los siguientes cinco kilómetros","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"whats coming up in the next 5k","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"¿Cómo es la carretera en los próximos 5 km?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"Is the next five kilometres mostly uphill?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"what have i got in the next ten k","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"hey copilot preview the next 10 km","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"qué me toca en los próximos diez km","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"cómo viene la ruta en los siguientes 10 km","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"What does the route do over the next 10 kilometres?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"oye qué hay en los siguientes diez kilómetros","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"whats the road like for the next twenty k","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"um any big climbs in the next 20 km","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"¿qué perfil tienen los próximos 20 km?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"oye hay algún puerto en los próximos veinte kilómetros","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"show me the next twenty kilometres of the route","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"¿Hay alguna subida fuerte en los próximos veinte kilómetros?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"whats after this bit?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"uh is the next stretch gravel","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"qué viene después de esta bajada","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"oye cómo es el siguiente tramo","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"any turns coming up on this next part","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"What's the surface like on the upcoming stretch?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"What does the road do after this village?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"cómo es el tramo que viene","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"hows the weather right here","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"is it cold out right now?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"¿qué tiempo hace aquí?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"oye qué temperatura hace ahora","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"What's it like outside right now, weather-wise?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"cómo está el cielo aquí ahora mismo","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"um whats the weather like here at the moment","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"is it going to rain later on","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"hey copilot any rain further along","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"¿va a llover luego en la ruta?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"vale pues qué tiempo me espera más adelante","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"Is the weather going to turn later along the route?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"qué tiempo hará en la segunda mitad de la ruta","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"hows the wind?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"uh which way is the wind coming from","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"¿cómo sopla el viento?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"oye cuánto viento hace hoy","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"is there much wind today","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"¿Qué fuerza tiene el viento hoy?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"Is the wind picking up or dying down?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"uh wheres the nearest tap","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"need to fill my bottles","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"¿dónde hay una fuente?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"oye necesito agua","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"Both bottles are empty, any fountains around?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"¿Hay algún grifo de agua potable cerca?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"wheres a good coffee stop?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"hey copilot find me a cafe","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"hay algún bar para tomar un café","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"oye me tomaría un cortado por aquí","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"Is there a coffee place around here?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"busca una cafetería cerca","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"hey copilot i fancy a cappuccino somewhere close","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"i need something to eat","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"uh anywhere to get a sandwich","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"¿dónde puedo comer algo?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"vale pues busca sitio para comer","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"Where's the nearest place to get a proper meal?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"busca un restaurante por aquí","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"Oye, ¿hay algún sitio para comer un bocadillo?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"i need a bike shop","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"uh rear mech is busted find a mechanic","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"necesito un taller de bicis","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"oye se me ha roto la cadena","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"need a mechanic my wheel is buckled","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"¿Hay alguna tienda de bicis cerca? Necesito una cubierta.","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"where can i sit down?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"uh somewhere to rest for a bit","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"¿dónde puedo sentarme un rato?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"busca un sitio para descansar","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"Is there a lay-by or bench where I can take a breather?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"necesito parar a descansar un poco","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"find me somewhere to sit and rest my legs","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"i need to get out of this rain","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"hey copilot somewhere to shelter quick","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"dónde me resguardo de la tormenta","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"oye está granizando busca dónde meterme","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"Where can I wait out this downpour?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"busca algún sitio techado que viene la tormenta","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"anywhere to stop around here?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]",""
"uh whats close by","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]",""
"¿qué hay por aquí cerca?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]",""
"cualquier sitio para parar","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]",""
"what places are around me","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]",""
"¿Qué sitios hay cerca de aquí?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]",""
"get me a way round with fewer hills","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"uh no more big climbs please","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"llévame por lo llano","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"evita las subidas, porfa","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"Can you find a route home that skips the climbs?","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"busca un camino más llano","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"reroute me around that big hill","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"cut it short i need to get home","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"uh whats the quickest way back","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"acorta la ruta","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"vale pues recorta unos kilómetros","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"Can you knock a few kilometres off the ride?","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"venga busca un atajo para volver","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"get me off the gravel","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"uh tarmac only from here","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"sácame de la tierra","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"oye solo carretera asfaltada","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"keep me on smooth tarmac the rest of the way","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"¿Puedes evitar los caminos sin asfaltar?","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"take the pretty way","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"hey copilot route me somewhere with views","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"llévame por el camino más bonito","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"a ver llévame por la costa para ver el paisaje","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"Give me a more beautiful way home, I'm not in a rush.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"quiero una ruta con paisaje","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"route me past the lake for the views","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"uh route me somewhere less windy","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]",""
"take the road through the trees away from the wind","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]",""
"busca una ruta sin tanto viento","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]",""
"oye llévame por donde no pegue el viento","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]",""
"This crosswind is brutal, can you find a more protected road?","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]",""
"oye busca una ruta protegida del viento","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]",""
"take the back roads","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"uh keep me off the busy roads","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"sácame de la nacional","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"vale pues llévame por carreteras secundarias","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"Take me on quieter lanes away from the traffic.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"llévame por caminos con menos tráfico","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"um avoid the big roads from here on","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"hows my fitness looking?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"uh am i getting any fitter","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"¿cómo estoy de forma?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"Oye, ¿qué tal mi forma física?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"how strong am i compared to a few weeks ago","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"¿Estoy en buena forma ahora mismo?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"what do i normally like to ride","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"remind me what kind of routes i like","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"¿qué rutas me suelen gustar?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"oye recuérdame mis preferencias","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"Which kind of terrain do I usually prefer?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"qué tipo de salidas me gustan","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"what sort of roads do i enjoy riding","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"tell me about my rider profile","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"uh pull up my whole profile","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"enséñame mi perfil entero","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"oye qué sabes de mí como ciclista","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"Show me everything in my rider profile.","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"a ver enséñame todo mi perfil","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"Hey copilot, is it windy out there?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"Okay, let's skip the big hills on the way home.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"So, where can I top up my bottles?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"Vale, ¿cuántos kilómetros van ya?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"Bueno, ¿qué viene ahora en la ruta?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"Oye, ¿hay algún sitio para resguardarme de la lluvia?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"Hey, what sort of riding do I like?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"thanks","[]",""
"ok","[]",""
"Cool.","[]",""
"never mind","[]",""
"you're the best","[]",""
"Good morning!","[]",""
"got it","[]",""
"perfect thank you","[]",""
"nice one","[]",""
"alright cheers mate","[]",""
"haha love it","[]",""
"Tell me a joke!","[]",""
"¡Gracias!","[]",""
"vale","[]",""
"¡Buenos días!","[]",""
"genial, gracias","[]",""
"perfecto","[]",""
"eres un crack","[]",""
"de acuerdo","[]",""
"olvídalo","[]",""
"Play some music.","[]",""
"skip this song","[]",""
"Call Ana.","[]",""
"text Mark I'm late","[]",""
"Navigate to 221 Baker Street.","[]",""
"set a timer for ten minutes","[]",""
"wake me up at six tomorrow","[]",""
"Take a photo.","[]",""
"play the next episode of my podcast","[]",""
"turn the volume up","[]",""
"read me my last message","[]",""
"pon algo de rock","[]",""
"Llama a mamá.","[]",""
"manda un mensaje a Pedro que llego tarde","[]",""
"pon un temporizador de cinco minutos","[]",""
"Haz una foto.","[]",""
"siguiente canción","[]",""
"llévame a la calle Mayor 12","[]",""
"pon mi podcast de historia","[]",""
"how many calories have I burned","[]",""
"What's my heart rate?","[]",""
"what's my cadence right now","[]",""
"How many watts am I pushing?","[]",""
"What's the capital of France?","[]",""
"What pressure should I run my tyres at?","[]",""
"any news today","[]",""
"what's the score of the match","[]",""
"how many calories in a banana","[]",""
"Who won the Tour de France last year?","[]",""
"what's today's date","[]",""
"cuántas calorías he quemado","[]",""
"a cuántas pulsaciones voy","[]",""
"qué cadencia llevo","[]",""
"¿Cuántos vatios estoy moviendo?","[]",""
"¿Cuál es la capital de Francia?","[]",""
"¿A qué presión inflo las ruedas?","[]",""
"cómo va el partido","[]",""
"¿Cuántas calorías tiene un plátano?","[]",""
"uh","[]",""
"um so","[]",""
"the the","[]",""
"hey copilot","[]",""
"can you","[]",""
"eh","[]",""
"mmm","[]",""
"what was I","[]",""
"hhh shh","[]",""
"hold on","[]",""
"so uh yeah","[]",""
"is it the","[]",""
"oye","[]",""
"a ver","[]",""
"oye copiloto","[]",""
"puedes","[]",""
"qué era lo que","[]",""
"ehh pues","[]",""
"espera espera","[]",""
"y el el","[]",""
"I already had water.","[]",""
"no need to reroute","[]",""
"the café was great","[]",""
"don't tell me the weather","[]",""
"I don't need a bike shop anymore.","[]",""
"forget the forecast","[]",""
"we already stopped for coffee","[]",""
"no thanks I'll stay on this road","[]",""
"I'm not hungry yet","[]",""
"I love this route!","[]",""
"ya he comido","[]",""
"No hace falta cambiar la ruta.","[]",""
"Ya tengo agua.","[]",""
"El café estaba buenísimo.","[]",""
"no me digas el tiempo","[]",""
"ya no necesito un taller","[]",""
"olvida la previsión","[]",""
"no quiero saber la distancia","[]",""
"nearly there now","[]",""
"That descent was fun!","[]",""
"my legs are cooked","[]",""
"What a view.","[]",""
"last climb done","[]",""
"Made it to the top!","[]",""
"feeling strong today","[]",""
"we're flying on this bit","[]",""
"Great ride so far.","[]",""
"just saw a deer","[]",""
"The sun's finally out.","[]",""
"that was a long climb","[]",""
"This is my favourite stretch.","[]",""
"my knee feels fine today","[]",""
"New personal best on that hill!","[]",""
"i'm really enjoying this","[]",""
"Just crossed the bridge.","[]",""
"we're halfway","[]",""
"uh nearly at the top now","[]",""
"so yeah that descent was fun","[]",""
"okay that was a tough one","[]",""
"Phew, what a climb.","[]",""
"Beautiful morning for it.","[]",""
"the tailwind on that stretch was amazing","[]",""
"ya casi estamos","[]",""
"¡Qué bajada más buena!","[]",""
"tengo las piernas reventadas","[]",""
"Menudas vistas.","[]",""
"ya he coronado el puerto","[]",""
"hoy voy fino","[]",""
"¡Qué gozada de carretera!","[]",""
"vamos volando","[]",""
"llevo un buen ritmo","[]",""
"ha salido el sol","[]",""
"bueno esta subida ha sido durísima","[]",""
"me encanta este tramo","[]",""
"Ya llevamos la mitad.","[]",""
"Acabo de ver un zorro.","[]",""
"¡Qué día más bueno hace!","[]",""
"oye qué bien se rueda hoy","[]",""
"uf qué subida","[]",""
"pues ya hemos pasado lo peor","[]",""
"I already found water.","[]",""
"No need to change the route, thanks.","[]",""
"I don't want a café.","[]",""
"Don't look for a bike shop, I fixed it.","[]",""
"we've already eaten","[]",""
"I don't need the forecast.","[]",""
"I filled my bottles at the last village","[]",""
"The puncture's fixed, all good.","[]",""
"Don't reroute me.","[]",""
"forget the café we'll push on","[]",""
"no I don't want to stop","[]",""
"I've already checked the wind.","[]",""
"we found a place to eat","[]",""
"Cancel the reroute.","[]",""
"Don't tell me my speed, it's depressing.","[]",""
"I don't care about the elevation.","[]",""
"The rain has passed, no need for shelter.","[]",""
"uh no I'm fine for water","[]",""
"hey copilot don't change anything","[]",""
"Ya he encontrado agua.","[]",""
"No quiero parar en un café.","[]",""
"no me busques taller, ya lo he arreglado","[]",""
"ya hemos comido","[]",""
"No cambies la ruta.","[]",""
"no hace falta refugio ya ha parado de llover","[]",""
"vale ya he rellenado los bidones","[]",""
"no me digas la velocidad","[]",""
"ya sé cómo sopla el viento","[]",""
"eh no necesito parar","[]",""
"déjalo, ya no tengo hambre","[]",""
"pues no me interesa el desnivel","[]",""
"vale pues no cambies nada","[]",""
"Play my cycling playlist.","[]",""
"pause the music","[]",""
"Turn on my rear light.","[]",""
"turn off the front light","[]",""
"Start a timer for twenty minutes.","[]",""
"Take a selfie!","[]",""
"record a video","[]",""
"Navigate to 14 Church Lane.","[]",""
"directions to Hyde Park","[]",""
"Send Tom my location.","[]",""
"Answer the call.","[]",""
"Hang up the call.","[]",""
"reply to Sarah on WhatsApp","[]",""
"Remind me to buy inner tubes tonight.","[]",""
"set an alarm for seven","[]",""
"Start recording on Strava.","[]",""
"Read my emails.","[]",""
"Turn the volume down.","[]",""
"shuffle my liked songs","[]",""
"Open Spotify.","[]",""
"What's this song?","[]",""
"add milk to my shopping list","[]",""
"ring my wife","[]",""
"uh play something upbeat","[]",""
"hey copilot call home","[]",""
"okay skip this track","[]",""
"Llama a Javi.","[]",""
"pon música","[]",""
"Para la música.","[]",""
"Enciende la luz trasera.","[]",""
"apaga las luces","[]",""
"Pon una alarma a las siete.","[]",""
"¡Hazme un selfie!","[]",""
"Graba un vídeo.","[]",""
"llévame a la calle Alcalá 40","[]",""
"Manda mi ubicación a Lucía.","[]",""
"Contesta la llamada.","[]",""
"cuelga la llamada","[]",""
"Recuérdame comprar cámaras esta noche.","[]",""
"sube el volumen","[]",""
"oye léeme los correos","[]",""
"abre Spotify","[]",""
"vale pon la radio","[]",""
"¿Qué canción es esta?","[]",""
"Responde a Pablo por WhatsApp.","[]",""
"oye pon algo de música","[]",""
"vale pues llama a mi madre","[]",""
"What's my cadence?","[]",""
"How many watts was that?","[]",""
"what's my average power","[]",""
"Heart rate?","[]",""
"am I in zone two","[]",""
"What gear am I in?","[]",""
"which cog am I on","[]",""
"When's sunset?","[]",""
"how long until it gets dark","[]",""
"How many calories was that climb?","[]",""
"What should my tyre pressure be?","[]",""
"What's the sea temperature today?","[]",""
"how many miles to Madrid from here","[]",""
"What's the weather in Paris?","[]",""
"what's my max heart rate","[]",""
"How's my left right balance?","[]",""
"what time is sunset today","[]",""
"what's the speed limit here","[]",""
"Which gear should I use for this climb?","[]",""
"uh what's my cadence at","[]",""
"hey copilot what's my heart rate doing","[]",""
"um how many calories so far","[]",""
"cadencia media","[]",""
"oye cuántos vatios he hecho en la subida","[]",""
"¿Mis pulsaciones?","[]",""
"¿En qué zona de pulso voy?","[]",""
"qué marcha llevo","[]",""
"¿En qué piñón voy?","[]",""
"¿A qué hora es la puesta de sol?","[]",""
"cuántas calorías llevo","[]",""
"¿A cuánto está el agua del mar?","[]",""
"¿A cuántos kilómetros está Valencia?","[]",""
"oye qué tiempo hace en Bilbao","[]",""
"¿Qué potencia media llevo?","[]",""
"cuál es el límite de velocidad aquí","[]",""
"oye cuántas pulsaciones llevo","[]",""
"eh a qué hora anochece","[]",""
"How do I fix a slipped chain?","[]",""
"how do you patch a tube","[]",""
"What's the capital of Portugal?","[]",""
"who won the Giro this year","[]",""
"What's 17 times 23?","[]",""
"What's the best chain lube?","[]",""
"should I wax my chain","[]",""
"How do I adjust my brakes?","[]",""
"why does my bike creak","[]",""
"What year did the Tour start?","[]",""
"What does bonking mean?","[]",""
"tell me a fun fact","[]",""
"uh how do I change a tube","[]",""
"¿Cómo arreglo una cadena salida?","[]",""
"cómo se parchea una cámara","[]",""
"¿Cuál es la capital de Portugal?","[]",""
"quién ganó la Vuelta el año pasado","[]",""
"a ver qué es una pájara","[]",""
"multiplica ocho por siete","[]",""
"pues cómo se ajustan los frenos","[]",""
"por qué me cruje la bici","[]",""
"oye quién ganó el Tour","[]",""
"Tell Marco to wait at the top.","[]",""
"text my sister I'm running late","[]",""
"tell the group to slow down","[]",""
"Ask Jess if she wants to stop.","[]",""
"let Dad know I'm on my way","[]",""
"Marco, wait up!","[]",""
"hey guys hold on","[]",""
"Let Jo know we'll be late.","[]",""
"tell Mum I'll be home by six","[]",""
"Tell the others I'll catch up.","[]",""
"go on without me","[]",""
"Guys, wait for me at the bridge.","[]",""
"car back","[]",""
"on your left","[]",""
"ask Carla where she parked","[]",""
"Dile a Marco que espere arriba.","[]",""
"oye dile a mi hermana que llego tarde","[]",""
"pregúntale a Lucía si quiere parar","[]",""
"avisa a los demás de que voy detrás","[]",""
"¡Esperadme!","[]",""
"chicos coche detrás","[]",""
"Oye Javi, ¿tienes un gel?","[]",""
"dile a mamá que ya voy para casa","[]",""
"Avisa a Carlos de que llegamos en media hora.","[]",""
"id tirando que ya os pillo","[]",""
"Marta, ¿me pasas el bidón?","[]",""
"¡Cuidado, bache!","[]",""
"wait","[]",""
"Hmm, okay.","[]",""
"what was it","[]",""
"hang on a sec","[]",""
"um where","[]",""
"the the uh","[]",""
"and then","[]",""
"yeah","[]",""
"Sorry?","[]",""
"Hello?","[]",""
"uh huh","[]",""
"what about","[]",""
"one sec","[]",""
"er","[]",""
"Okay so...","[]",""
"espera","[]",""
"eh… bueno","[]",""
"a ver a ver","[]",""
"y luego","[]",""
"pues nada","[]",""
"¿Perdona?","[]",""
"mmm vale","[]",""
"es que","[]",""
"o sea","[]",""
"y el","[]",""
"¿Qué?","[]",""
"pues eso","[]",""
"Thanks a lot!","[]",""
"Cheers.","[]",""
"You're a legend.","[]",""
"how are you","[]",""
"Good night.","[]",""
"sounds good","[]",""
"Are you there?","[]",""
"Can you hear me?","[]",""
"what's your name","[]",""
"Who made you?","[]",""
"I'm bored.","[]",""
"That's wrong.","[]",""
"You're useless.","[]",""
"Thank you so much.","[]",""
"OK, great.","[]",""
"Brilliant.","[]",""
"no thanks","[]",""
"muchas gracias","[]",""
"¿Cómo estás?","[]",""
"¿Me oyes?","[]",""
"¿Cómo te llamas?","[]",""
"buenas noches","[]",""
"Qué majo eres.","[]",""
"Estoy aburrido.","[]",""
"eso está mal","[]",""
"no, nada","[]",""
"venga, gracias","[]",""
"¿Quién te ha hecho?","[]",""
"Cuéntame un chiste.","[]",""
"¡Hasta luego!","[]",""
"How far did I ride last Tuesday?","[]","time"
"what was my top speed on sundays ride","[]","time"
"How long was yesterday's ride?","[]","time"
"cuántos kilómetros hice el sábado","[]","time"
"¿Cuánto desnivel acumulé la semana pasada?","[]","time"
"how much climbing did i do last month","[]","time"
"what altitude is madrid at","[]","place"
"¿A qué altitud está Granada?","[]","place"
"How fast is Marco going?","[]","subject"
"how far has my brother ridden today","[]","subject"
"¿Cuánta batería le queda a la bici de Lucía?","[]","subject"
"cuánto tiempo lleva pedaleando mi hermana","[]","subject"
"Reset my distance to zero.","[]","action"
"share my speed with the group","[]","action"
"guarda los datos de esta salida","[]","action"
"Borra el tiempo de esta salida.","[]","action"
"switch the motor to eco mode","[]","action"
"How much battery does my phone have left?","[]","object"
"hows my phone battery","[]","object"
"¿Cuánta batería le queda al móvil?","[]","object"
"cuánta batería tiene el reloj","[]","object"
"What's the battery on my lights at?","[]","object"
"how much charge is left in my headphones","[]","object"
"whats the pressure in my back tyre","[]","object"
"My speed has been great today.","[]","remark"
"the battery is holding up really well","[]","remark"
"Llevo ya muchísimos kilómetros.","[]","remark"
"hoy voy rapidísimo","[]","remark"
"what's my top speed on this ride","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"How long is today's ride so far?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"cuántos kilómetros he hecho hoy","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"¿Cuánto desnivel he acumulado hoy?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"How much battery does my e-bike have left?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"¿Cuánta batería le queda a mi bici?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"what were the last ten kilometres like","[]","time"
"¿Cómo eran los últimos cinco kilómetros?","[]","time"
"What's the next 20 km of tomorrow's route like?","[]","time"
"qué me espera en los próximos diez km de la ruta del domingo","[]","time"
"how hilly was the stretch we just did","[]","time"
"whats the climb up mont ventoux like","[]","place"
"¿Cómo es la subida al Angliru?","[]","place"
"Describe the next 5 km of the Paris-Roubaix course.","[]","place"
"what does my friends route look like over the next 20 km","[]","subject"
"¿Qué le espera a Lucía en su próximo tramo?","[]","subject"
"Save the next 10 km as a segment.","[]","action"
"share the next twenty k with the group","[]","action"
"marca el siguiente tramo como favorito","[]","action"
"Rate the last section five stars.","[]","action"
"comparte el próximo tramo con el grupo","[]","action"
"whats the next 10 km like for phone signal","[]","object"
"¿Hay cobertura en los próximos veinte kilómetros?","[]","object"
"whats the speed limit on the next 5 km","[]","object"
"The next section looks steep.","[]","remark"
"uf los próximos diez kilómetros son todo subida","[]","remark"
"this next bit is going to hurt","[]","remark"
"Qué ganas de llegar al siguiente tramo.","[]","remark"
"Lovely, 20 km of downhill coming up.","[]","remark"
"what are the next ten kilometres like","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"¿Cómo son los próximos cinco kilómetros?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"What's the next 20 km of today's route like?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"how hilly is the stretch coming up","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"¿Es dura la subida que viene?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"is the next section steep","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"Will it snow on Thursday?","[]","time"
"what was the weather like yesterday","[]","time"
"¿Va a llover mañana?","[]","time"
"qué tiempo hará el fin de semana","[]","time"
"How windy was it this morning?","[]","time"
"will it be windy tomorrow","[]","time"
"What's the weather like in Seville right now?","[]","place"
"is it raining in london","[]","place"
"¿Hace viento en Tarifa?","[]","place"
"qué temperatura hace en madrid ahora","[]","place"
"Is it raining where my wife is?","[]","subject"
"is it cold where my sister lives","[]","subject"
"¿Llueve donde está mi madre?","[]","subject"
"Send the forecast to the group.","[]","action"
"set an alert for when the rain starts","[]","action"
"comparte el pronóstico con lucía","[]","action"
"Guarda la previsión de esta tarde.","[]","action"
"What's the pollen count?","[]","object"
"how high is the uv index right now","[]","object"
"¿Cómo está la calidad del aire?","[]","object"
"a qué hora sube la marea","[]","object"
"how many hours of daylight are left","[]","object"
"It's pouring down now.","[]","remark"
"wow the wind is brutal today","[]","remark"
"menudo calor hace hoy","[]","remark"
"Por fin ha dejado de llover.","[]","remark"
"the rain jacket was a good call","[]","remark"
"will it snow later on the route","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"What's the weather like here right now?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"¿Va a llover luego en el recorrido?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"is it raining here","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"¿Hace viento aquí ahora?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"how windy is it now","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"Where did we stop for coffee last Sunday?","[]","time"
"what was that cafe we went to yesterday","[]","time"
"¿Dónde comimos el sábado?","[]","time"
"dónde rellené los bidones la semana pasada","[]","time"
"find a cafe in lyon","[]","place"
"Is there a bike shop in Girona?","[]","place"
"¿Hay alguna fuente en el centro de Sevilla?","[]","place"
"busca un restaurante en barcelona para esta noche","[]","place"
"Where is Marco stopping for lunch?","[]","subject"
"find a cafe near my wifes office","[]","subject"
"¿Dónde ha parado a comer Lucía?","[]","subject"
"Call the nearest bike shop.","[]","action"
"book a table at the cafe","[]","action"
"Rate this café five stars.","[]","action"
"reserva mesa en el restaurante","[]","action"
"Llama al taller de bicis.","[]","action"
"save this fountain for next time","[]","action"
"Find me a hotel for tonight.","[]","object"
"is there a pharmacy nearby","[]","object"
"¿Hay una gasolinera cerca?","[]","object"
"busca un cajero cerca","[]","object"
"Where's the nearest train station?","[]","object"
"is there a hospital near here","[]","object"
"what a lovely little fountain","[]","remark"
"Hay muchas fuentes por esta zona.","[]","remark"
"this town has loads of cafes","[]","remark"
"Qué buena pinta tiene esa panadería.","[]","remark"
"where can we stop for coffee","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"Is there a bike shop near here?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"¿Dónde podemos comer por aquí?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"find a cafe near me","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"dónde puedo rellenar los bidones","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"Find the nearest bike shop.","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"Was yesterday's route flatter than this one?","[]","time"
"plan a scenic route for tomorrow","[]","time"
"¿Qué ruta hicimos el domingo?","[]","time"
"busca una ruta más llana para el sábado","[]","time"
"Which way did we go home last week?","[]","time"
"Find a flatter route around Mallorca.","[]","place"
"plan me a scenic ride in the dolomites","[]","place"
"¿Cuál es la ruta más corta de Madrid a Toledo?","[]","place"
"Find a shorter route for Ana.","[]","subject"
"give my dad a flatter way home","[]","subject"
"busca una ruta más llana para mi hermano","[]","subject"
"Save this route.","[]","action"
"share the route with the group","[]","action"
"Delete the scenic route I saved.","[]","action"
"guarda esta ruta en favoritos","[]","action"
"Valora esta ruta con cinco estrellas.","[]","action"
"export this route to my garmin","[]","action"
"Find me a route with more hills.","[]","object"
"make the ride longer","[]","object"
"llévame por la ruta más larga","[]","object"
"Give me a route with more gravel.","[]","object"
"Busca una ruta con más subidas.","[]","object"
"the back roads are so quiet today","[]","remark"
"Qué ruta más bonita.","[]","remark"
"this shortcut was a great idea","[]","remark"
"Esta carretera tiene unas vistas preciosas.","[]","remark"
"Find a flatter route than this one.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"take me the scenic way home","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"busca una ruta más llana para volver","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"Find a shorter route for me.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"give me a flatter way home","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"llévame por la ruta más corta","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"How fit was I last summer?","[]","time"
"what was my ftp a year ago","[]","time"
"¿Qué tal estaba de forma el año pasado?","[]","time"
"qué rutas me gustaban hace dos años","[]","time"
"What kind of rides do people like in Girona?","[]","place"
"qué rutas gustan en mallorca","[]","place"
"How fit is my sister?","[]","subject"
"what kind of rides does marco like","[]","subject"
"¿Cuál es el nivel de forma de Lucía?","[]","subject"
"qué rutas le gustan a mi padre","[]","subject"
"show me anas rider profile","[]","subject"
"Set my fitness level to beginner.","[]","action"
"change my preferences to gravel","[]","action"
"Delete my rider profile.","[]","action"
"actualiza mis preferencias a carretera","[]","action"
"Comparte mi perfil con el club.","[]","action"
"share my ftp with my coach","[]","action"
"what size is my bike frame","[]","object"
"¿Cuál es mi talla de maillot?","[]","object"
"whats my resting heart rate","[]","object"
"I've got a lot fitter this year.","[]","remark"
"i really love gravel rides","[]","remark"
"Estoy en baja forma.","[]","remark"
"me encantan las rutas de montaña","[]","remark"
"How fit am I right now?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"what kind of rides do i like","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"¿Qué nivel de forma tengo ahora?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"qué rutas me gustan a mí","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"show me my rider profile","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"whats my ftp these days","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"how far have i ridden so far","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"What's my speed on this ride?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"How long have I been riding today?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"¿Cuánto desnivel llevo en esta salida?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"how much climbing have i done on this ride","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"what altitude am i at","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"¿Cuánto tiempo llevo pedaleando hoy?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"hows the bike battery","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"cuánta batería le queda al motor de la bici","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"What's the e-bike battery at?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"how much charge is left on my bike","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"Is my battery holding up?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"¿Cuántos kilómetros llevo ya?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"what are the next five kilometres like","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"¿Cómo es la próxima subida de la ruta?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"What does the route do in the next ten km?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"qué me espera en los próximos veinte km","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"Is the next bit going to hurt?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"how steep is the next section","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"¿Qué viene en los próximos diez kilómetros?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"Describe the next 5 km of my route.","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"cómo es el siguiente tramo de la ruta","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"any climbs in the next twenty k","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"What's the surface like on the next 20 km?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"¿Los próximos cinco kilómetros son de subida?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"will it snow on the route later","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"What's the weather doing here right now?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"¿Va a llover más tarde en la ruta?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"qué tiempo hace aquí ahora","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"is it cold here right now","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"¿Llueve aquí ahora mismo?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"How windy is it right now?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"will it be windy later on the ride","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"qué temperatura hace aquí","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"Is the wind strong right now?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"¿Hace viento ahora?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"is it going to pour later on the route","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"where can we stop for coffee now","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"Is there a café near here?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"¿Dónde podemos comer cerca?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"where can i refill my bottles near here","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"Is there a fountain near here?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"busca un restaurante cerca para comer","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"Where can I stop for lunch nearby?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"find a bike shop near here","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"¿Hay un taller de bicis cerca?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"somewhere near here to sit for a bit","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"Where can I shelter near here?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"is there anywhere to stop near here","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]",""
"¿Hay alguna fuente cerca?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"Find me a flatter route home.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"plan a scenic route home","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"¿Hay una ruta más corta para volver?","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"busca una ruta más llana desde aquí","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"Find a route with fewer hills.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"give me a scenic way back","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"Find me a route with less gravel.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"make the ride shorter","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"llévame por la ruta más bonita","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"Busca una ruta con menos subidas.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"keep me on the quiet back roads","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"Find a route out of this wind.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]",""
"¿Me buscas una ruta por carreteras tranquilas?","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"How fit am I these days, really?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"whats my ftp now","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"¿Qué tal estoy de forma ahora?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"qué rutas me gustan","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"qué tipo de rutas prefiero yo","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"show me my profile","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"What's my fitness level right now?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"what preferences do i have","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"¿Cuál es mi perfil de ciclista?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"how fit am i","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"Do I like gravel rides?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"¿Qué sabes de mis gustos?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"read me my speed","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"¿A qué velocidad voy ahora?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"How much farther have I gone since lunch?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"cuánto llevo recorrido","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"What's my elapsed time?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"cuánto rato llevo montando","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"How high have we climbed today?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"give me the ride summary","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]",""
"¿Me lees todos los datos de la salida?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]",""
"whats the motor battery on","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"whats the next stretch like","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"¿Qué tal es el próximo tramo?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"Anything steep in the next 5 km?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"cómo son los siguientes veinte kilómetros","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"What's ahead in the next ten k?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"is the next part paved or gravel","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"Is it going to rain on the second half of the route?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"qué viento hace","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"¿Qué tiempo hace aquí fuera?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"any storms ahead on the route","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"How hot is it here right now?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"is it blowing hard out there","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"I need water, anywhere close?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"dónde hay una cafetería","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"¿Hay algún sitio para comer por aquí?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"where can i get my chain fixed","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"Somewhere to lie down for a bit?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"busca dónde resguardarme de la lluvia","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"What's around here to stop at?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]",""
"need somewhere to fill up my bottle","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"get me off the main road","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"¿Puedes llevarme por asfalto?","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"Find a route out of the wind, please.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]",""
"take a shorter way back","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"busca una ruta más bonita","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"Find me a way with no big climbs.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"what routes do i usually ride","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"¿Cómo ando de forma física?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"Read me my full cyclist profile.","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"enséñame mi perfil","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"how's my fitness these days","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"How many metres have I climbed on this ride?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"dime la velocidad en millas por hora","[{""name"": ""get_ride_status"", ""args"": {""query"": ""speed""}}]",""
"cuánta batería le queda a la bici eléctrica","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"How much charge is left in my e-bike battery?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""battery""}}]",""
"Give me all my numbers for this ride.","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]",""
"dame todos los datos de esta salida","[{""name"": ""get_ride_status"", ""args"": {""query"": ""all""}}]",""
"how many metres above sea level are we","[{""name"": ""get_ride_status"", ""args"": {""query"": ""elevation""}}]",""
"¿Cuánto tiempo llevo en esta salida?","[{""name"": ""get_ride_status"", ""args"": {""query"": ""time""}}]",""
"whats my distance on this ride","[{""name"": ""get_ride_status"", ""args"": {""query"": ""distance""}}]",""
"Stop the clock on this ride.","[]","action"
"send my wife how far ive ridden so far","[]","action"
"Set an alert for when the e-bike battery drops to 20 percent.","[]","action"
"pon la velocidad en millas por hora","[]","action"
"guarda cuánto desnivel llevo acumulado","[]","action"
"Post all my ride data to the club chat.","[]","action"
"How many calories have I burned on this ride?","[]","object"
"whats my cadence on this bit","[]","object"
"¿qué pulsaciones llevo ahora?","[]","object"
"cuántos vatios llevo en este llano","[]","object"
"How much charge is left in my power meter?","[]","object"
"cuánta batería le queda al cambio electrónico","[]","object"
"What's the surface like in the next ten km?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"¿Cuántas curvas hay en los próximos diez kilómetros?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"hay mucha subida en el siguiente tramo","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"are there sharp turns on the next section","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"how many turns are on the next stretch","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"¿Hay curvas cerradas en los próximos cinco kilómetros?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"Talk me through the next 5 km.","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""5km""}}]",""
"Dime cómo empieza el próximo tramo.","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""next_section""}}]",""
"What are the climbs like in the next 20 km?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"cómo es el perfil de los próximos veinte kilómetros","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"any gravel in the next twenty k","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""20km""}}]",""
"Are there any turns in the next 10 km?","[{""name"": ""get_segment_ahead"", ""args"": {""query"": ""10km""}}]",""
"download the next twenty kilometres of the route","[]","action"
"Time me over the next 5 km.","[]","action"
"Avísame cuando empiece el próximo tramo.","[]","action"
"envía el perfil de los próximos 20 km a marta","[]","action"
"Add a waypoint to the next 10 km of the route.","[]","action"
"Comparte lo que viene en los próximos diez kilómetros con Pablo.","[]","action"
"What's the traffic like in the next ten km?","[]","object"
"are there street lights on the next section","[]","object"
"¿Cuántos semáforos hay en los próximos diez kilómetros?","[]","object"
"hay mucho tráfico en el siguiente tramo","[]","object"
"how many other riders are on the next stretch","[]","object"
"Are there loose dogs in the next five kilometres?","[]","object"
"How warm is it here in Fahrenheit?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"¿Hay riesgo de tormenta aquí ahora mismo?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"va a hacer mucho frío más adelante en la ruta","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"Is the rain bad here right now?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"whats the weather going to be like later on the route","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"Are there gusts over 40 km/h today?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"¿Hay avisos de lluvia en la ruta?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"¿De qué lado viene el viento ahora?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"how hard is the wind blowing right now","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""wind""}}]",""
"¿Qué tiempo va a hacer más adelante en la ruta?","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""ahead""}}]",""
"is it sunny here right now","[{""name"": ""get_weather_forecast"", ""args"": {""query"": ""current""}}]",""
"Share what the weather's like here right now with my group.","[]","action"
"manda el pronóstico del resto del recorrido a mi pareja","[]","action"
"Switch the temperature to Fahrenheit.","[]","action"
"text tom which way the wind is blowing","[]","action"
"Set a wind alert for gusts over 40 km/h.","[]","action"
"desactiva los avisos de lluvia en la ruta","[]","action"
"log how windy it is today in my diary","[]","action"
"how cold is the lake right now","[]","object"
"¿Qué temperatura tiene el agua del pantano?","[]","object"
"¿Hay riesgo de incendio aquí ahora mismo?","[]","object"
"hay mucho polen más adelante en la ruta","[]","object"
"whats the uv going to be like later on the route","[]","object"
"Are the midges bad here right now?","[]","object"
"busca un bar cercano para comer un bocadillo","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"Where can I get a flat white nearby?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"¿Dónde está la fuente más cercana?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""water""}}]",""
"whats the address of the nearest cafe","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"¿Cuál es la cafetería más cercana?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""cafe""}}]",""
"Is there a bench near here where I can rest?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"busca un banco para sentarme un rato","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"any picnic area nearby","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""rest_area""}}]",""
"¿Hay algún sitio cubierto cerca para esperar a que pare de llover?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"find me somewhere dry to wait out the storm","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"Anywhere I can get out of the hail near here?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""shelter""}}]",""
"¿Hay algo cerca donde parar?","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]",""
"show me places to stop nearby","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""any""}}]",""
"necesito un taller para arreglar la rueda","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"Where's the nearest bike shop? My tyre's shredded.","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""bike_shop""}}]",""
"I could do with a bowl of pasta somewhere close","[{""name"": ""find_nearby_poi"", ""args"": {""query"": ""food""}}]",""
"Order me a flat white at the nearest café.","[]","action"
"pide un bocadillo para recoger en el bar más cercano","[]","action"
"book a repair at the nearest bike shop","[]","action"
"Comparte dónde está la fuente más cercana con el grupo.","[]","action"
"send the address of the nearest cafe to marco","[]","action"
"add the nearest cafe to my favourites","[]","action"
"wheres the nearest bus stop","[]","object"
"busca un hostal cerca para dormir","[]","object"
"Is there a campsite near here?","[]","object"
"¿Hay una farmacia por aquí?","[]","object"
"where can i charge my bike battery near here","[]","object"
"¿Hay alguna tienda de móviles cerca?","[]","object"
"find a car mechanic near here","[]","object"
"Find me a route with fewer cars.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"busca una ruta que pase por menos cuestas","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"llévame por una ruta con menos coches","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""avoid_main_roads""}}]",""
"Busca una ruta con menos tierra.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"Show me the scenic route.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"Find a shorter way home, I'm short on time.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"busca un camino más corto para volver","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"switch to a shorter route","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""shorter""}}]",""
"¿Hay una ruta más resguardada del viento?","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]",""
"find a route where the wind wont hit me so hard","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""sheltered""}}]",""
"Stick to paved roads from here.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"llévame solo por asfalto","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"Take me along the river, it's prettier.","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""scenic""}}]",""
"i want a flatter route","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""flatter""}}]",""
"take the paved route","[{""name"": ""get_route_alternatives"", ""args"": {""query"": ""paved""}}]",""
"Send the scenic route to Laura.","[]","action"
"upload the shorter route to strava","[]","action"
"guarda la ruta más llana para volver","[]","action"
"Comparte con Lucía la ruta por carreteras tranquilas.","[]","action"
"vale pues avisa al grupo de que vamos por carreteras secundarias","[]","action"
"Rename the flatter route to Sunday loop.","[]","action"
"rate the paved route five stars","[]","action"
"Find me a route with more cafés.","[]","object"
"busca una ruta que pase por más fuentes","[]","object"
"i want a harder route","[]","object"
"give me a hillier way home","[]","object"
"Busca una ruta con más tierra.","[]","object"
"Find me a route with street lights.","[]","object"
"Is my FTP up to 250 yet?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"¿Tengo un nivel de forma avanzado?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"is gravel in my preferences","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"pull up everything in my rider profile","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"Dime todo lo que sabes de mi perfil de ciclista.","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"whats in my rider profile","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""all""}}]",""
"¿Qué tipo de terreno prefiero?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""preferences""}}]",""
"am i fitter than last season","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"¿Cómo está mi FTP ahora?","[{""name"": ""get_rider_profile"", ""args"": {""query"": ""fitness""}}]",""
"Update my FTP to 250 watts.","[]","action"
"pon mi nivel de forma en avanzado","[]","action"
"Export my rider profile.","[]","action"
"add gravel to my preferences","[]","action"
"Borra mis preferencias de ruta.","[]","action"
"Email my rider profile to my coach.","[]","action"
"whats my weight these days","[]","object"
"¿Cómo ando de tensión últimamente?","[]","object"
"What's my blood sugar level right now?","[]","object"
"show me my medical profile","[]","object"
"¿Qué sabes de mis alergias?","[]","object"
"what injuries do i have","[]","object"
'''
# --- end _bundled.py ---


# --- begin _renderings.py (vendored: what this script uses of it; edit _renderings.py, then run python dev/sync_vendored.py) ---
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
import re

RENDERINGS = ("as_written", "spoken", "typed", "filler", "numbers")

SPANISH_MARKERS = re.compile(r"[¿¡ñáéíóú]")
SPANISH_WORDS = {"qué", "que", "el", "la", "los", "las", "del", "de", "por", "para", "hay", "mi", "mis", "una",
                 "un", "sin", "con", "cerca", "ruta", "quiero", "tengo", "necesito", "llevo", "agua", "voy",
                 "velocidad", "viento", "comida", "ahora", "cómo", "dónde", "cuánto", "está", "es", "y",
                 "oye", "dime", "busca", "algún", "alguna", "te", "se", "yo", "muy", "más", "pues"}
FILLERS = {"en": ("uh", "um", "hey copilot", "ok so", "so", "hey", "right", "er"),
           "es": ("eh", "oye", "oye copiloto", "vale", "pues", "a ver", "mmm")}
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
# --- end _renderings.py ---


# --- begin _data.py (vendored: what this script uses of it; edit _data.py, then run python dev/sync_vendored.py) ---
"""The dataset contract: tools files, rows, loading, de-duplication and the held-out split.

Single source: scripts carry a copy between `# --- begin _data.py` / `# --- end _data.py` marker
lines; edit this file, then run `python dev/sync_vendored.py`. Standard library only (`datasets`
is imported only to read a Hub dataset).
"""

import codecs
import csv
import hashlib
import io
import json
import os
import re
import unicodedata
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

BUNDLED = "bundled"  # the name users see for the embedded default tools and seeds
# A row whose tool_calls is [] means "no tool applies": the model answers in prose and calls nothing.
# This label stands for "no call" wherever a call's label would (split strata, per-value tables,
# the confusion matrix).
NO_CALL_LABEL = "(no call)"
JSON_TYPES = {"string": str, "integer": int, "number": (int, float), "boolean": bool,
              "array": list, "object": dict}
RESERVED_PARAMETER_NAMES = {"description", "type", "properties", "required", "nullable"}
# What FunctionGemma's declaration format renders (_format.render_declaration): anything else in
# a schema would silently never reach the model, so parse_tools refuses it.
RENDERED_PARAMETERS_KEYS = {"type", "properties", "required"}
RENDERED_SCHEMA_KEYS = {"type", "description", "enum"}
COLUMNS = ("user_message", "tool_calls")
# An optional column: the line a no-call row crosses to fall outside every tool while keeping a
# tool's topic (a near miss, "twin" of a call row), or, on a call row, the line its no-call twin
# crosses. Evaluation reports false calls per boundary; the validator counts near misses per tool.
BOUNDARY_COLUMN = "boundary"
BOUNDARIES = {
    "time": "a past ride or another day",
    "place": "somewhere else than here or the route",
    "subject": "someone else's numbers or plans",
    "action": "a change, save, share, booking or call instead of a read or a search",
    "object": "a neighbour of the tool's topic that no value covers",
    "remark": "a statement about the topic that asks for nothing",
}
# The text of FunctionGemma's control tokens (_format.CONTROL_TOKEN_IDS holds their ids). The
# tokenizer turns this text into the token itself wherever it appears, so no text rendered into a
# prompt or an answer (a message, a tool's name and descriptions, an enum value, an argument, the
# no-call reply) may hold it: a message could end its own turn or write a call for the model.
BOS, EOS, PAD = "<bos>", "<eos>", "<pad>"
START_OF_TURN, END_OF_TURN = "<start_of_turn>", "<end_of_turn>"
START_DECLARATION, END_DECLARATION = "<start_function_declaration>", "<end_function_declaration>"
START_CALL, END_CALL = "<start_function_call>", "<end_function_call>"
START_RESPONSE, END_RESPONSE = "<start_function_response>", "<end_function_response>"
ESCAPE = "<escape>"
CONTROL_TOKENS = (PAD, EOS, BOS, START_DECLARATION, END_DECLARATION, START_CALL, END_CALL, START_RESPONSE,
                  END_RESPONSE, ESCAPE, START_OF_TURN, END_OF_TURN)
# The other tokens of Gemma's vocabulary that are no text: each is one token id that the tokenizer
# makes of this text wherever it appears (its added tokens besides the format's, the HTML tags and
# the runs of line breaks and tabs, which are text), so it is refused like a control token before
# any tokenizer loads: the image tokens, the multimodal placeholder, <unk>, <mask> and the 6,000-odd
# <unused0>, <unused1>, ... ids. With a tokenizer, _format.check_special_tokens refuses whatever else
# it holds that is no text.
RESERVED_TOKENS = ("<unk>", "<mask>", "[multimodal]", "<start_of_image>", "<end_of_image>", "<unusedN>")
RESERVED_TOKEN_PATTERN = re.compile("|".join(r"<unused\d+>" if token == "<unusedN>" else re.escape(token)
                                             for token in RESERVED_TOKENS))
# JSON nested deeper than this is refused before it is parsed (the parser would run out of stack
# near 1,000 levels): a tools file is 7 levels deep (list, tool, function, parameters, properties,
# parameter, enum), a tool_calls cell 3.
MAX_JSON_DEPTH = 64
MAX_USER_MESSAGE_CHARS = 500  # a spoken or typed request; far longer is a broken row (a CSV field gone astray)
# What a spreadsheet or archive saved under a .csv/.json name starts with.
BINARY_SIGNATURES = {b"PK\x03\x04": "a ZIP archive: an .xlsx/.ods spreadsheet? export it as CSV UTF-8",
                     b"\xd0\xcf\x11\xe0": "an old Office document (.xls)? export it as CSV UTF-8",
                     b"\x1f\x8b": "gzip-compressed", b"%PDF": "a PDF", b"PAR1": "Parquet", b"\x89PNG": "a PNG image",
                     b"SQLite format 3\x00": "an SQLite database"}


# ----------------------------------------------------------------------------- reading inputs


def read_bytes(source: str) -> bytes:
    """Bytes of a local file or an http(s) URL; missing or unreadable is one line."""
    if source.startswith(("https://", "http://")):
        try:
            with urllib.request.urlopen(source, timeout=30) as response:
                return response.read()
        except OSError as error:
            raise DataError(f"{source}: cannot download ({error})") from None
    return read_local_bytes(source)


def looks_binary(head: bytes) -> bool:
    """Text has almost no control bytes; one stray NUL in a message is left to the row checks."""
    controls = sum(byte < 32 and byte not in b"\t\n\r\f" or byte == 127 for byte in head)
    return controls > max(2, len(head) // 20)


def utf16_without_bom(head: bytes) -> bool:
    """Mostly-ASCII UTF-16 has a NUL in every other byte."""
    even, odd = head[0::2], head[1::2]
    return len(head) >= 4 and (odd.count(0) > 0.3 * len(odd) > even.count(0) * 10
                               or even.count(0) > 0.3 * len(even) > odd.count(0) * 10)


def decode_text(data: bytes, origin: str) -> str:
    """UTF-8 text of an input (a UTF-8 byte-order mark is dropped), else one line saying what the
    bytes look like and how to fix them."""
    for bom, name in ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
                      (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16")):
        if data.startswith(bom):
            raise DataError(f"{origin}: the file is {name} (it starts with a {name} byte-order mark): "
                            "re-save it as UTF-8")
    head = data[:4096]
    if utf16_without_bom(head):
        raise DataError(f"{origin}: the file looks like UTF-16 (a NUL byte in every other byte): re-save it as UTF-8")
    for signature, kind in BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise DataError(f"{origin}: a binary file ({kind}), not UTF-8 text")
    if looks_binary(head):
        raise DataError(f"{origin}: a binary file (control bytes), not UTF-8 text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise DataError(f"{origin}: not UTF-8 (byte 0x{data[error.start]:02X} on line {line}); it looks like "
                        "Latin-1 / Windows-1252: re-save it as UTF-8") from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise DataError(f"{origin}: the file is empty")
    return text


def read_text(source: str) -> str:
    """UTF-8 text of a local file or an https:// URL, or one line saying why it is unusable."""
    return decode_text(read_bytes(source), source)


def public_file_name(source: str) -> str:
    """A local file's or URL's base name: no folders, no query string."""
    return os.path.basename(urllib.parse.urlsplit(source).path.rstrip("/")) or "data"


def public_name(source: str, data: bytes) -> str:
    """How a local file or URL is named in anything that may be published: its base name and a
    content hash, never its path."""
    return f"{public_file_name(source)} (sha256 {hashlib.sha256(data).hexdigest()[:12]})"


# ----------------------------------------------------------------------------- tools


def parse_tools(text: str, origin: str) -> list[dict]:
    """Check a tools list in the standard {"type":"function","function":{...}} form."""
    tools = parse_json(text, f"{origin}: the tools file")
    if not isinstance(tools, list) or not tools:
        raise DataError(f"{origin}: expected a non-empty JSON list of tools")
    seen = set()
    for index, tool in enumerate(tools):
        where = f"{origin}: tool {index + 1}"
        function = tool.get("function") if isinstance(tool, dict) else None
        if not isinstance(tool, dict) or tool.get("type") != "function" or not isinstance(function, dict):
            raise DataError(f'{where}: expected {{"type": "function", "function": {{...}}}}')
        name = function.get("name")
        problem = control_token_problem(name, "the function name") if isinstance(name, str) else None
        if problem:
            raise DataError(f"{where}: {problem}")
        if not isinstance(name, str) or not re.fullmatch(r"[a-zA-Z_][a-zA-Z0-9_.-]*", name):
            raise DataError(f"{where}: missing or invalid function name {name!r}")
        if name in seen:
            raise DataError(f"{where}: duplicate function name {name!r}")
        seen.add(name)
        if not isinstance(function.get("description", ""), str):
            raise DataError(f"{where} ({name}): description must be a string")
        parameters = function.get("parameters", {"type": "object"})
        if not isinstance(parameters, dict) or str(parameters.get("type", "object")).lower() != "object":
            raise DataError(f"{where} ({name}): parameters must be a JSON schema of type object")
        properties = parameters.get("properties", {})
        if not isinstance(properties, dict):
            raise DataError(f"{where} ({name}): parameters.properties must be an object")
        unrendered(where, name, "parameters", parameters, RENDERED_PARAMETERS_KEYS)
        for key, schema in properties.items():
            if key in RESERVED_PARAMETER_NAMES:
                raise DataError(f"{where} ({name}): parameter name {key!r} is reserved by the FunctionGemma template")
            if not isinstance(schema, dict) or str(schema.get("type", "")).lower() not in JSON_TYPES:
                raise DataError(f"{where} ({name}): parameter {key!r} needs a type out of {sorted(JSON_TYPES)}")
            unrendered(where, name, f"parameter {key!r}", schema, RENDERED_SCHEMA_KEYS)
            enum = schema.get("enum")
            if enum is not None and (not isinstance(enum, list) or not enum
                                     or not all(isinstance(value, str) for value in enum)):
                raise DataError(f"{where} ({name}): enum of {key!r} must be a non-empty list of strings")
        required = parameters.get("required", [])
        if not isinstance(required, list) or any(key not in properties for key in required):
            raise DataError(f"{where} ({name}): required lists a parameter that is not declared")
        for what, text in tool_texts(function):
            problem = control_token_problem(text, what)
            if problem:
                raise DataError(f"{where} ({name}): {problem}")
    return tools


def control_token_problem(text: str, what: str) -> str | None:
    """Why `text` (`what` it is, e.g. "the message") cannot be rendered into a prompt or an answer:
    it holds the text of a control token or of another reserved token of Gemma's vocabulary (the
    first one named); None if it holds none."""
    found = [(text.find(token), token) for token in CONTROL_TOKENS if token in text]
    reserved = RESERVED_TOKEN_PATTERN.search(text)
    if reserved:
        found.append((reserved.start(), reserved.group()))
    if not found:
        return None
    token = min(found)[1]
    if token in CONTROL_TOKENS:
        return f"{what} contains the control token {token}: text cannot carry the format's tokens"
    return (f"{what} contains {token}, a reserved token of Gemma's vocabulary, not text: "
            "text cannot carry the model's tokens")


def json_too_deep(text: str) -> int | None:
    """Where (0-based) JSON text first nests deeper than MAX_JSON_DEPTH, or None: its brackets
    counted without parsing it (strings skipped, an unclosed one to the end), in linear time."""
    depth = 0
    for token in _JSON_TOKEN.finditer(text):
        bracket = token.group()
        if bracket in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return token.start()
        elif bracket in "]}":
            depth -= 1
    return None


def text_position(text: str, position: int) -> str:
    """A 0-based position as a reader finds it: "char N" in one-line text, else "line L column C"."""
    if "\n" not in text:
        return f"char {position + 1}"
    line, column = text.count("\n", 0, position) + 1, position - text.rfind("\n", 0, position)
    return f"line {line} column {column}"


# A string (or an unclosed one, to the end of the text) or a bracket.
_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*(?:"|\\?\Z)|[\[\]{}]', re.S)


def value_depth(value) -> int:
    """How deep a parsed value (lists and dicts, e.g. a Hub dataset's cell) nests, without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (list, tuple, dict)):
            deepest = max(deepest, depth)
            if deepest > MAX_JSON_DEPTH:
                break
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def _not_json(constant: str):
    raise ValueError(f"{constant} is not JSON")


def parse_json(text: str, what: str):
    """The value of JSON text (`what` it is, e.g. "tool_calls"), or DataError in one line: not JSON,
    nested deeper than MAX_JSON_DEPTH (refused before parsing), or beyond the parser (a number of
    thousands of digits, NaN, memory)."""
    deep = json_too_deep(text)
    if deep is not None:
        raise DataError(f"{what} is JSON nested more than {MAX_JSON_DEPTH} levels deep (at "
                        f"{text_position(text, deep)}): refused before parsing")
    try:
        return json.loads(text, parse_constant=_not_json)
    except json.JSONDecodeError as error:
        raise DataError(f"{what} is not valid JSON ({error.msg} at {text_position(text, error.pos)})") from None
    except (ValueError, RecursionError, MemoryError) as error:
        detail = (str(error).splitlines() or [""])[0][:120]
        raise DataError(f"{what} is not usable JSON ({type(error).__name__}: {detail})") from None


def tool_texts(function: dict) -> list[tuple[str, str]]:
    """(field, text) of every text of a checked function that its declaration renders: its name
    and description, and each parameter's name, description and enum values."""
    texts = [("the function name", function["name"]), ("the description", function.get("description", ""))]
    for key, schema in function.get("parameters", {}).get("properties", {}).items():
        texts += [(f"the name of parameter {key!r}", key),
                  (f"the description of parameter {key!r}", schema.get("description", ""))]
        texts += [(f"the enum value {value!r} of parameter {key!r}", value) for value in schema.get("enum") or []]
    return [(what, text) for what, text in texts if isinstance(text, str)]


def unrendered(where: str, name: str, part: str, schema: dict, rendered: set[str]) -> None:
    """DataError naming a schema key the declaration format would drop (array items, nested
    properties, nullable, defaults, ...): the model would be trained on a tool it never sees whole."""
    dropped = sorted(set(schema) - rendered)
    if dropped:
        raise DataError(f"{where} ({name}): {part} uses {', '.join(dropped)}, which FunctionGemma's declaration "
                        f"format cannot express (it renders only {', '.join(sorted(rendered))}); "
                        "remove it or describe it in the description")


def load_tools(source: str | None = None) -> list[dict]:
    """Tools from a JSON file or URL; None or "bundled" means the cycling-copilot tools."""
    if source in (None, BUNDLED):
        return parse_tools(BUNDLED_TOOLS_JSON, "bundled tools")
    return parse_tools(read_text(source), source)


def tools_by_name(tools: list[dict]) -> dict[str, dict]:
    return {tool["function"]["name"]: tool["function"] for tool in tools}


def routing_argument(function: dict) -> str | None:
    """The parameter that routes a request: the function's first enum parameter, if any."""
    properties = function.get("parameters", {}).get("properties", {})
    return next((key for key, schema in properties.items() if "enum" in schema), None)


def enum_values(tools: list[dict]) -> dict[str, list[str]]:
    """tool name -> allowed values of its routing argument (empty without one)."""
    values = {}
    for name, function in tools_by_name(tools).items():
        argument = routing_argument(function)
        values[name] = function["parameters"]["properties"][argument]["enum"] if argument else []
    return values


# ----------------------------------------------------------------------------- calls


@dataclass(frozen=True)
class Call:
    name: str
    arguments: tuple  # sorted (key, value) pairs, so calls compare and hash

    @classmethod
    def make(cls, name: str, arguments: dict) -> "Call":
        return cls(name, tuple(sorted(arguments.items())))

    @property
    def args(self) -> dict:
        return dict(self.arguments)

    def to_json(self) -> str:
        return json.dumps([{"name": self.name, "args": self.args}], ensure_ascii=False)


def routing_label(call: Call | None, tools: list[dict]) -> str:
    """`tool:value` of the call's routing argument (`tool` alone without one, NO_CALL_LABEL for a
    no-call row): the unit the split stratifies by, coverage counts and per-value accuracy is keyed
    by, so `get_ride_status:all` and `get_rider_profile:all` never mix."""
    if call is None:
        return NO_CALL_LABEL
    function = tools_by_name(tools).get(call.name, {})
    argument = routing_argument(function)
    return f"{call.name}:{call.args[argument]}" if argument in call.args else call.name


def tool_calls_json(call: "Call | None") -> str:
    """The dataset's tool_calls cell: the call as a one-element list, or [] for no call."""
    return call.to_json() if call is not None else "[]"


def check_arguments(function: dict, arguments: dict) -> str | None:
    """Why `arguments` do not fit the function's schema, or None."""
    parameters = function.get("parameters", {})
    properties = parameters.get("properties", {})
    missing = [key for key in parameters.get("required", []) if key not in arguments]
    if missing:
        return f"missing argument {missing[0]!r} for {function['name']}"
    for key, value in arguments.items():
        if key not in properties:
            return f"unexpected argument {key!r} for {function['name']}"
        schema = properties[key]
        expected = JSON_TYPES[str(schema["type"]).lower()]
        if not isinstance(value, expected) or (isinstance(value, bool) and expected is not bool):
            return f"argument {key!r} of {function['name']} must be a {str(schema['type']).lower()}, got {value!r}"
        if "enum" in schema and value not in schema["enum"]:
            return f"value {value!r} of {key!r} is not one of {function['name']}'s {schema['enum']}"
    return None


# ----------------------------------------------------------------------------- dataset rows


@dataclass(frozen=True)
class Location:
    """Where a row came from: a CSV's 1-based line (header is line 1) or a Hub split's row."""
    source: str
    line: int
    unit: str = "line"  # "row" for Hub datasets
    split: str | None = None  # a Hub dataset's split ("train", "test", ...)
    public: str = ""  # the source's name where it may be published (see public_name), if not `source`

    def __str__(self) -> str:
        split = f" [{self.split}]" if self.split else ""
        return f"{self.source}{split} {self.unit} {self.line}"

    def published(self) -> str:
        """The location without any local path: what written and uploaded files record."""
        split = f" [{self.split}]" if self.split else ""
        return f"{self.public or self.source}{split} {self.unit} {self.line}"


@dataclass(frozen=True)
class Example:
    message: str
    call: Call | None  # None: no tool applies (tool_calls [])
    origin: Location | None = None
    boundary: str = ""  # one of BOUNDARIES, or "" (see BOUNDARY_COLUMN)


@dataclass
class RowError:
    origin: Location
    message: str

    def to_json(self) -> dict:
        split = {"split": self.origin.split} if self.origin.split else {}
        return {"source": self.origin.source, **split, "line": self.origin.line, "message": self.message}

    def __str__(self) -> str:
        return f"{self.origin}: {self.message}"


def message_problem(message: str) -> str | None:
    """Why a user message cannot be a row, beyond being empty: control characters, a control
    token's text, length."""
    for position, character in enumerate(message, 1):
        if unicodedata.category(character) == "Cc" and character not in "\t\n\r":
            name = " (NUL)" if character == "\0" else ""
            return f"control character U+{ord(character):04X}{name} at character {position} of user_message"
    problem = control_token_problem(message, "the message")
    if problem:
        return problem
    if len(message) > MAX_USER_MESSAGE_CHARS:
        return f"user_message is {len(message)} characters, longer than the limit of {MAX_USER_MESSAGE_CHARS}"
    return None


def parse_row(row: dict, tools: list[dict], origin: Location | None = None) -> Example:
    """One dataset row (user_message, tool_calls JSON) -> Example; DataError says what is wrong.

    tool_calls holds exactly one call, or is [] when no tool applies (Example.call is then None)."""
    message = row.get("user_message")
    if message is not None and not isinstance(message, str):
        raise DataError(f"user_message is not text (a {type(message).__name__})")
    if not isinstance(message, str) or not message.strip():
        raise DataError("empty user_message")
    problem = message_problem(message)
    if problem:
        raise DataError(problem)
    boundary = str(row.get(BOUNDARY_COLUMN) or "").strip()
    if boundary and boundary not in BOUNDARIES:
        raise DataError(f"{BOUNDARY_COLUMN} {boundary[:40]!r} is none of {', '.join(BOUNDARIES)} (or empty)")
    raw_calls = row.get("tool_calls")
    if isinstance(raw_calls, str):
        calls = parse_json(raw_calls, "tool_calls")
    else:  # a Hub dataset's list
        calls = raw_calls
        depth = value_depth(calls)
        if depth > MAX_JSON_DEPTH:
            raise DataError(f"tool_calls is nested more than {MAX_JSON_DEPTH} levels deep: refused")
    if calls == []:
        return Example(message.strip(), None, origin, boundary)
    if not isinstance(calls, list) or len(calls) != 1:
        count = len(calls) if isinstance(calls, list) else "no list of"
        raise DataError(f"tool_calls must be a JSON list with exactly one call, or [] when no tool applies; "
                        f"got {count} calls")
    call = calls[0]
    if not isinstance(call, dict) or not isinstance(call.get("name"), str):
        raise DataError('the call must be an object like {"name": ..., "args": {...}}')
    functions = tools_by_name(tools)
    if call["name"] not in functions:
        raise DataError(f"unknown tool {call['name']!r}")
    arguments = call.get("args", call.get("arguments", {}))
    if not isinstance(arguments, dict):
        raise DataError(f"args of {call['name']} must be an object")
    problem = check_arguments(functions[call["name"]], arguments)
    if problem:
        raise DataError(problem)
    for key, value in arguments.items():  # a free-text argument is rendered too (enum values are checked above)
        problem = control_token_problem(json.dumps(value, ensure_ascii=False), f"the value of argument {key!r}")
        if problem:
            raise DataError(problem)
    return Example(message.strip(), Call.make(call["name"], arguments), origin, boundary)


def read_csv_rows(text: str, origin: str, public: str = "") -> list[tuple[Location, dict]]:
    """(location, row) pairs of a dataset CSV (maybe none); locations use 1-based CSV line numbers
    (header is line 1). A wrong header or broken quoting is one line naming where."""
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        header = reader.fieldnames or []
    except csv.Error as error:
        raise DataError(f"{origin} line 1: broken CSV header ({error})") from None
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise DataError(f"{origin}: wrong header, missing column(s) {', '.join(missing)}; expected a CSV with "
                        f"columns {','.join(COLUMNS)}, found {','.join(header)[:80]!r}")
    rows, line = [], reader.line_num
    try:
        for row in reader:
            if None in row:
                raise DataError(f"{origin} line {line + 1}: {len(header) + len(row[None])} fields, the header has "
                                f"{len(header)} (a comma in an unquoted field?)")
            rows.append((Location(origin, line + 1, public=public), row))
            line = reader.line_num
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise DataError(f"{origin} line {line + 1}: a field longer than {csv.field_size_limit():,} characters "
                            "(a quote that never closes?)") from None
        raise DataError(f"{origin} line {line + 1}: broken CSV quoting ({error}); "
                        'quote fields holding commas or quotes, and double the quotes inside them ("")') from None
    return rows


def read_dataset_rows(source: str | None = None) -> list[tuple[Location, dict]]:
    """Raw rows of a local CSV, a CSV URL, a Hub dataset id (all splits), or the bundled seeds."""
    if source in (None, BUNDLED):
        return read_csv_rows(BUNDLED_SEEDS_CSV, "bundled seeds")
    if os.path.exists(source) or source.lower().endswith(".csv"):
        data = read_bytes(source)
        rows = read_csv_rows(decode_text(data, source), source, public_name(source, data))
        if not rows:
            raise DataError(f"{source}: no data rows, only the header")
        return rows
    if not re.fullmatch(r"[\w.-]+/[\w.-]+", source):
        raise DataError(f"{source}: no such file, and not a Hub dataset id (user/name)")
    try:
        import datasets
    except ImportError:
        raise DataError(f"{source}: loading a Hub dataset needs the `datasets` package") from None
    try:
        splits = datasets.load_dataset(source)
    except Exception as error:  # network, auth, missing repo: all become one clear line
        raise DataError(f"{source}: cannot load Hub dataset ({type(error).__name__}: {error})".splitlines()[0]) from None
    rows = []
    for split_name in sorted(splits):
        missing = [column for column in COLUMNS if column not in splits[split_name].column_names]
        if missing:
            raise DataError(f"{source} [{split_name}]: missing column(s) {', '.join(missing)}; "
                            f"expected columns {','.join(COLUMNS)}")
        for index, row in enumerate(splits[split_name]):
            rows.append((Location(source, index + 1, "row", split_name), row))
    if not rows:
        raise DataError(f"{source}: the Hub dataset has no rows")
    return rows


def normalise_message(text: str) -> str:
    """Key for near-duplicate detection: case, accents' spacing, punctuation and spaces ignored."""
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()


# A generator's prompt copied into the data instead of a rider's words, e.g. "Requesting
# find_nearby_poi with water (Standard natural language questions. Varied phrasing. variant 0)".
GENERATION_PROMPT = re.compile(r"\([^()]*\b(?:variant|phrasing|style|paraphrase)s?\b|\bvariant\s*\d+\b", re.I)


def suspect_reason(message: str, tools: list[dict]) -> str | None:
    """Why a row looks like free accuracy rather than speech, or None: the message names a declared
    function or an identifier-like enum value (one with `_`, like `bike_shop`) verbatim, or it reads
    like a generation prompt. Such a row scores without understanding anything when held out."""
    for name, values in enum_values(tools).items():
        for word in [name] + [value for value in values if "_" in value]:
            if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", message, re.I):
                kind = "function name" if word == name else "enum value"
                return f"names the {kind} {word!r} verbatim"
    if GENERATION_PROMPT.search(message):
        return "reads like a generation prompt, not speech"
    return None


@dataclass
class DatasetReport:
    """What validation found. `parsed` holds every valid row, `examples` the de-duplicated ones
    without conflicts (what training and evaluation use), `sources` what was read (see
    `describe_source`)."""
    rows: int = 0
    parsed: list = field(default_factory=list)  # Example
    examples: list = field(default_factory=list)  # Example
    errors: list = field(default_factory=list)  # RowError
    duplicates: list = field(default_factory=list)  # {"line", "duplicate_of", "kind", "message"}
    conflicts: list = field(default_factory=list)  # {"message", "lines", "calls"}
    sources: list = field(default_factory=list)  # {"name" (publishable), "kind": bundled/file/hub, "rows", "sha256"}


def check_dataset(rows: list[tuple[Location, dict]], tools: list[dict]) -> DatasetReport:
    """Validate rows; keep the first of each normalised duplicate; a message labelled with two
    different calls is an error on the later row and neither row is kept."""
    report = DatasetReport(rows=len(rows))
    first_seen: dict[str, Example] = {}
    for origin, row in rows:
        try:
            example = parse_row(row, tools, origin)
        except DataError as error:
            report.errors.append(RowError(origin, str(error)))
            continue
        report.parsed.append(example)
        key = normalise_message(example.message)
        earlier = first_seen.setdefault(key, example)
        if earlier is example:
            continue
        if earlier.call != example.call:
            labels = [tool_calls_json(earlier.call), tool_calls_json(example.call)]
            report.conflicts.append({"message": example.message, "lines": [str(earlier.origin), str(origin)],
                                     "calls": labels})
            as_call_and_no_call = (earlier.call is None) != (example.call is None)
            report.errors.append(RowError(origin, f"same message as {earlier.origin} but labelled {labels[1]} "
                                          f"instead of {labels[0]}"
                                          + (" (labelled both as a call and as no call)" if as_call_and_no_call else "")))
        else:
            kind = "exact" if earlier.message == example.message else "normalised"
            report.duplicates.append({"line": str(origin), "duplicate_of": str(earlier.origin), "kind": kind,
                                      "message": example.message})
    conflicted = {normalise_message(conflict["message"]) for conflict in report.conflicts}
    report.examples = [example for key, example in first_seen.items() if key not in conflicted]
    return report


def describe_source(source: str | None, rows: list[tuple[Location, dict]]) -> dict:
    """A dataset source as recorded next to a model: its name (a local file by base name only, never
    a path), its row count and the sha256 of its rows as read (split, message, tool_calls each)."""
    name = source or BUNDLED
    public = rows[0][0].public if rows else ""
    if public:
        name = public
    elif name != BUNDLED and os.path.exists(name):
        name = os.path.basename(name)
    kind = "bundled" if source in (None, BUNDLED) else "file" if public else "hub"
    digest = hashlib.sha256()
    for origin, row in rows:
        cells = [origin.split, row.get("user_message"), row.get("tool_calls")]
        if value_depth(cells[2]) > MAX_JSON_DEPTH:  # a Hub row parse_row refuses; json.dumps would recurse
            cells[2] = "(nested too deep)"
        digest.update(json.dumps(cells, ensure_ascii=False, sort_keys=True, default=repr).encode() + b"\n")
    return {"name": name, "kind": kind, "rows": len(rows), "sha256": digest.hexdigest()}


def load_examples(sources: list[str] | None, tools: list[dict]) -> tuple[list[Example], DatasetReport]:
    """Merge datasets (bundled seeds when none), validate, de-duplicate; DataError on any error row."""
    rows, described = [], []
    for source in sources or [BUNDLED]:
        source_rows = read_dataset_rows(source)
        described.append(describe_source(source, source_rows))
        rows.extend(source_rows)
    report = check_dataset(rows, tools)
    report.sources = described
    if report.errors:
        shown = "; ".join(str(error) for error in report.errors[:3])
        more = f" (and {len(report.errors) - 3} more)" if len(report.errors) > 3 else ""
        raise DataError(f"{len(report.errors)} invalid row(s): {shown}{more}. "
                        "Run validate_functiongemma_dataset.py for the full list")
    if not report.examples:
        raise DataError("the dataset has no rows")
    return report.examples, report
# --- end _data.py ---


# --- begin _generation.py (vendored: what this script uses of it; edit _generation.py, then run python dev/sync_vendored.py) ---
"""Balanced, validated, resumable dataset expansion shared by the two dataset generators.

Single source: `generate_dataset.py` (Hugging Face Inference Providers) and
`generate_dataset-local-ollama.py` (Ollama) carry a copy between `# --- begin _generation.py` /
`# --- end _generation.py` marker lines; edit this file, then run `python dev/sync_vendored.py`.
A script adds only its client: `connect(args)` returns `ask(messages, schema, seed) -> str`, which
raises `TransientError` (worth retrying) or `FatalError` (stop at once) for server failures.

Plan: `--per-value` rows for every (tool, enum value, style), plus a no-call bucket of
`--no-call-share` of all rows (tool_calls []: requests none of the tools can serve). `--twin-share`
of that bucket are twins (near misses): rewrites of a tool's call rows that keep the topic and most
of the words but cross one of `_data.BOUNDARIES`, spread evenly over the tools and, round robin,
over the `--boundaries`; the rest is spread over NO_CALL_STYLES. One request asks for the messages
of one (tool, value, style), of one no-call style (the prompt lists the tools as what to avoid), or
of one (tool, boundary) twin slot (the prompt shows sampled call rows of the tool to rewrite); the
label is the script's, the model only writes the user message.

Resuming: the output CSV is the only state, so nothing can disagree with it after a crash. Rows
are whole lines written with one `os.write` and fsync'ed; a torn last line (power loss) is cut off
on the next run. The dataset format has no style column, so a re-run counts the rows per
(tool, value), the no-call rows, and the twins per boundary (the `boundary` column, written when the
plan holds twins; an older output without it gets it, empty on its rows, before its first twin is
appended), and credits them to that label's slots in plan order, the order the slots are filled in.
Totals per label and per boundary are therefore exact; the style mix and the twins' tools are exact
too unless an earlier run gave up on a slot part way (the next slots of that label then absorb its share).

Forms: kept rows are written alternately spoken (lower case, no punctuation, as a speech
recogniser returns them) and typed (capitalised, ending in ? or .), label by label, call and
no-call rows alike (the judge and the near-duplicate check see the row as written): whatever form the model writes in, the data cannot teach the router that a
form goes with a label (the validator's surface-shortcut warning).

Checking: a candidate that parses, is no chatter, is short enough and is no normalised duplicate
must also not be a near duplicate (character 3-gram Jaccard similarity above --max-similarity) of
a seed or a written row of the same label; then, unless --no-judge, a judge model reads it blind
(`judge_request`: the tools and their values, not the intended label) and names the one call it
asks for, or none, and the candidate is kept only when that is the intended label. Judge requests
share the generation's retries and failure budget; a resumed run only judges new candidates. The
validator carries this module for `--judge-model` (the same blind request, `judge_label`) and the
OpenAI-compatible client (`openai_connect`).
"""

import csv
import io
import json
import os
import random
import re
import shutil
import sys
import time
from collections import Counter
from dataclasses import dataclass, field

WRITTEN_FORMS = ("spoken", "typed")  # a label's kept rows alternate between them
STYLES = {
    "standard": "a plain, natural request or question in English, the way most riders would say it",
    "terse": "a terse voice command in English, one to four words, as if spoken mid-effort",
    "indirect": ("indirect intent in English: describe the situation or the need without naming the "
                 "thing to check (like \"my legs are done\" asking for a flatter route)"),
    "spanish": "natural, colloquial Spanish, as a rider from Spain or Latin America would say it",
    "chatty": "chatty, informal English: one or two relaxed sentences with some filler words",
}
# The kinds of out-of-scope input a voice router on a bike hears (the bundled seeds' no-call rows).
NO_CALL_STYLES = {
    "chit_chat": "chit-chat and acknowledgements in English: thanks, ok, greetings, praise, small talk",
    "other_apps": ("another app's job, in English: music, phone calls, messages, navigation to a street "
                   "address, timers, alarms, photos, volume"),
    "near_tool": ("a question in English close to the functions' topics but outside what their values "
                  "cover (calories burned, heart rate, cadence, tyre pressure), or general knowledge"),
    "fragment": ("a fragment or speech-recognition noise in English: a filler word, the wake word alone, "
                 "half a sentence cut off"),
    "near_miss": ("a near-miss in English: it mentions a function's topic but asks for nothing "
                  "(\"I already had water\", \"no need to reroute\", \"forget the forecast\")"),
    "spanish": ("any of these kinds (chit-chat, another app's job, a near question, a fragment, a "
                "near-miss) in natural, colloquial Spanish"),
}
DEFAULT_TWIN_SHARE = 0.33  # of the no-call rows: a third are twins of call rows
MAX_MESSAGE_CHARS = 200
GENERATION_EXIT_CODES = {0: "the plan is filled",
                         1: "stopped by server failures, or planned rows still missing (re-run to resume)"}
MAX_PER_REQUEST = 10
EXTRA_PER_REQUEST = 2  # ask for a few more than missing: some candidates get rejected
MAX_IDLE_REPLIES = 3  # usable replies in a row that add no row before a slot is given up
MAX_EXAMPLES_IN_PROMPT = 12  # seeds of the requested value
MAX_AVOID_IN_PROMPT = 15
SYSTEM_PROMPT = ("You write training data for the voice and chat assistant of a bike computer. Each "
                 "message is one thing a cyclist might say or type to it during a ride. Answer with "
                 'JSON only, shaped {"messages": ["...", "..."]}: no commentary, no numbering.')
# Model chatter instead of a rider's message: list markers, preambles, labels, self-reference.
META_TEXT = re.compile(
    r"^\s*(?:\d+[.)]\s|[-*•]\s|#)"
    r"|^\s*(?:(?:sure|certainly|of course|okay|ok)\W+)?here (?:are|is)\b"
    r"|^\s*(?:example|message|note)\s*\d*\s*:|:\s*$|^\s*[\"“«].*[\"”»]\s*$"
    r"|\bas an ai\b|\blanguage model\b|\buser_message\b|\btool_calls?\b|\bjson\b",
    re.IGNORECASE)


class TransientError(Exception):
    """A failure worth retrying (timeout, connection, 429, 5xx); `retry_after` in seconds if the server said."""

    def __init__(self, reason: str, retry_after: float | None = None):
        super().__init__(reason)
        self.retry_after = retry_after


class FatalError(Exception):
    """A failure retrying cannot fix (refused credentials, unknown model)."""


class BadReply(Exception):
    """A reply that does not match the schema; the message is the rejection reason."""


class GenerationStopped(Exception):
    """The run stops; the message says why (one line)."""


# ----------------------------------------------------------------------------- plan


@dataclass
class Slot:
    """Target rows of one (tool, value, style), of one no-call style (tool None), or of the twins of one
    tool across one boundary (no call; `style` is the boundary), and how many the output holds."""
    tool: str | None
    argument: str | None
    value: str | None
    style: str
    target: int
    done: int = 0
    boundary: str = ""  # a twin slot's boundary (one of BOUNDARIES), else ""

    @property
    def missing(self) -> int:
        return max(0, self.target - self.done)

    @property
    def call(self) -> Call | None:
        return Call.make(self.tool, {self.argument: self.value}) if self.tool and not self.boundary else None

    @property
    def name(self) -> str:
        if self.boundary:
            return f"{NO_CALL_LABEL} twin of {self.tool}"
        return f"{self.tool}={self.value}" if self.tool else NO_CALL_LABEL

    @property
    def key(self) -> tuple:
        """What a written row of this slot is counted by: its call, and a no-call row's boundary."""
        return row_key(self.call, self.boundary)


def row_key(call: Call | None, boundary: str) -> tuple:
    """A row's key for crediting and holdings: (call, "") for a call row (whatever its boundary column
    says), (None, boundary) for a no-call row: a twin counts by its boundary, any other no-call row by ""."""
    return (call, "") if call is not None else (None, boundary)


def planned_argument(function: dict) -> str:
    """The routing argument the plan balances over; the generator fills no other argument."""
    key = routing_argument(function)
    if key is None:
        raise DataError(f"tool {function['name']} has no enum argument to balance the dataset over")
    others = [name for name in function["parameters"].get("required", []) if name != key]
    if others:
        raise DataError(f"tool {function['name']}: required argument {others[0]!r} has no enum; "
                        "the generator only fills one enum argument per tool")
    return key


def share_of(total: int, parts: int, index: int) -> int:
    """Part `index` of `total` spread evenly over `parts`, the first ones taking the remainder."""
    return total // parts + (index < total % parts)


def plan_slots(tools: list[dict], styles: list[str], per_value: int, no_call_share: float = 0.0,
               twin_share: float = 0.0, boundaries: list[str] | None = None) -> list[Slot]:
    """Slots in fill order: tools and values as declared, styles as given, then the no-call bucket,
    `no_call_share` of all planned rows: spread evenly over NO_CALL_STYLES, but for `twin_share` of it,
    the twins, which come last: spread evenly over the tools as declared and, round robin over all the
    twins, over `boundaries` (default: all of BOUNDARIES), one slot per (tool, boundary)."""
    if per_value < 1:
        raise DataError(f"--per-value must be at least 1, got {per_value}")
    if not 0 <= no_call_share < 1:
        raise DataError(f"--no-call-share must be at least 0 and below 1, got {no_call_share}")
    if not 0 <= twin_share <= 1:
        raise DataError(f"--twin-share must be between 0 and 1, got {twin_share}")
    boundaries = list(BOUNDARIES) if boundaries is None else [name for name in BOUNDARIES if name in boundaries]
    slots = []
    functions = tools_by_name(tools)
    for name, function in functions.items():
        argument = planned_argument(function)
        for value in function["parameters"]["properties"][argument]["enum"]:
            slots.extend(Slot(name, argument, value, style, per_value) for style in styles)
    no_call_rows = round(len(slots) * per_value * no_call_share / (1 - no_call_share))
    twin_rows = round(no_call_rows * twin_share) if boundaries else 0
    for index, style in enumerate(NO_CALL_STYLES):
        target = share_of(no_call_rows - twin_rows, len(NO_CALL_STYLES), index)
        if target:
            slots.append(Slot(None, None, None, style, target))
    turn = 0  # the boundary of the next twin, round robin over all of them: spread per tool and in total
    for index, name in enumerate(functions):
        targets = Counter()
        for _ in range(share_of(twin_rows, len(functions), index)):
            targets[boundaries[turn % len(boundaries)]] += 1
            turn += 1
        slots.extend(Slot(name, None, None, boundary, targets[boundary], boundary=boundary)
                     for boundary in boundaries if targets[boundary])
    return slots


def planned_twins(slots: list[Slot]) -> dict[str, dict[str, int]]:
    """tool -> boundary -> planned twin rows, in plan order."""
    planned = {}
    for slot in slots:
        if slot.boundary:
            planned.setdefault(slot.tool, {})[slot.boundary] = slot.target
    return planned


# ----------------------------------------------------------------------------- output file


@dataclass
class OutputState:
    """What the output CSV already holds."""
    examples: list  # Example, in file order
    torn_bytes: int = 0  # length of an incomplete last line (cut off before appending)
    columns: list = field(default_factory=list)  # its header ([] when there is none yet)


def read_output(path: str, tools: list[dict]) -> OutputState:
    """Rows already in the output; DataError names the line of a row that is not valid."""
    if not os.path.exists(path):
        return OutputState([])
    data = read_local_bytes(path)
    complete = data[:data.rfind(b"\n") + 1]
    state = OutputState([], torn_bytes=len(data) - len(complete))
    if not complete.strip():
        # Nothing but a torn first line may be cut off: anything else is not ours to truncate.
        if data.strip() and not b'"user_message","tool_calls","boundary"'.startswith(data):
            decode_text(data, path)  # says what the file is, if it is not text
            raise DataError(f"{path}: not a dataset CSV written by this generator; choose another --output")
        return state
    text = decode_text(complete, path)
    rows = read_csv_rows(text, path)  # checks the header first
    state.columns = next(csv.reader(io.StringIO(text, newline="")))
    for origin, row in rows:
        try:
            state.examples.append(parse_row(row, tools, origin))
        except DataError as error:
            raise DataError(f"{origin}: {error}; fix or remove that row, or choose another --output") from None
    return state


def credit_existing(slots: list[Slot], examples: list) -> None:
    """Credit rows in the file to their (tool, value)'s slots, the no-call rows to the no-call styles
    and the twins to their boundary's slots, in plan order (see the module doc)."""
    available = Counter(row_key(example.call, example.boundary) for example in examples)
    for slot in slots:
        slot.done = min(slot.target, available[slot.key])
        available[slot.key] -= slot.done


class RowWriter:
    """Appends whole CSV rows: one os.write per row, then fsync, so a kill never leaves half a row.

    A new file's header is user_message,tool_calls, and boundary when `boundary` (the plan holds
    twins); an existing file keeps its header, and a file without the boundary column gets it (its
    rows an empty one: rewritten once into a new file that replaces it) before its first twin."""

    def __init__(self, path: str, torn_bytes: int, columns: list[str] | None = None, boundary: bool = False):
        self.path = path
        self.torn_bytes = torn_bytes
        self.columns = list(columns or [])
        self.boundary = boundary
        self.descriptor = None

    def _open(self) -> None:
        if self.torn_bytes:
            os.truncate(self.path, os.path.getsize(self.path) - self.torn_bytes)
            self.torn_bytes = 0
        self.descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        if os.fstat(self.descriptor).st_size == 0:
            self.columns = list(COLUMNS) + ([BOUNDARY_COLUMN] if self.boundary else [])
            self._write_line(self.columns)

    def _add_boundary_column(self) -> None:
        """Rewrite the file with a boundary column (empty on its rows), atomically: a kill leaves the
        old file or the new one."""
        self.close()
        rows = read_csv_rows(decode_text(read_local_bytes(self.path), self.path), self.path)
        columns = self.columns + [BOUNDARY_COLUMN]
        buffer = io.StringIO()
        writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([row.get(column) or "" for column in columns] for _, row in rows)
        temporary = f"{self.path}.boundary.tmp"
        with open(temporary, "w", encoding="utf-8", newline="") as handle:
            handle.write(buffer.getvalue())
            handle.flush()
            os.fsync(handle.fileno())
        shutil.copymode(self.path, temporary)
        os.replace(temporary, self.path)
        self.columns = columns
        log(f"{self.path}: added a {BOUNDARY_COLUMN} column for the twins (empty on the {len(rows)} rows "
            "already there)")
        self.descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND)

    def _write_line(self, fields: list[str]) -> None:
        buffer = io.StringIO()
        csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n").writerow(fields)
        data = buffer.getvalue().encode("utf-8")
        while data:
            data = data[os.write(self.descriptor, data):]
        os.fsync(self.descriptor)

    def write(self, message: str, call: Call | None, boundary: str = "") -> None:
        if self.descriptor is None:
            self._open()
        if boundary and BOUNDARY_COLUMN not in self.columns:
            self._add_boundary_column()
        fields = {"user_message": message, "tool_calls": tool_calls_json(call), BOUNDARY_COLUMN: boundary}
        self._write_line([fields.get(column, "") for column in self.columns])

    def close(self) -> None:
        if self.descriptor is not None:
            os.close(self.descriptor)
            self.descriptor = None


# ----------------------------------------------------------------------------- prompt and reply


def reply_schema(count: int) -> dict:
    return {
        "type": "object",
        "properties": {"messages": {"type": "array", "items": {"type": "string"},
                                    "minItems": 1, "maxItems": count}},
        "required": ["messages"],
        "additionalProperties": False,
    }


def build_request(slot: Slot, function: dict, count: int, seeds: list, avoid: list[str]) -> list[dict]:
    """Chat messages asking for `count` user messages of one (tool, value, style)."""
    schema = function["parameters"]["properties"][slot.argument]
    others = [value for value in schema["enum"] if value != slot.value]
    # All seeds of the value, then a few of each other value for contrast.
    examples = [seed for seed in seeds if seed.call == slot.call][:MAX_EXAMPLES_IN_PROMPT]
    for value in others:
        examples += [seed for seed in seeds if seed.call == Call.make(slot.tool, {slot.argument: value})][:2]
    example_lines = [f'- {json.dumps(seed.message, ensure_ascii=False)} [{seed.call.args[slot.argument]}]'
                     for seed in examples]
    avoid_lines = [f"- {json.dumps(message, ensure_ascii=False)}" for message in avoid]
    lines = [
        f"Function: {slot.tool}",
        f"What it does: {function.get('description', '')}",
        f'Argument: {slot.argument} = "{slot.value}" ({schema.get("description", "")})',
        f"Other values of {slot.argument}, which the messages must NOT mean: {', '.join(others) or 'none'}",
        f"Style: {slot.style}: {STYLES[slot.style]}",
        "",
        f"Real messages for {slot.tool} (the {slot.argument} each one maps to in brackets):",
        *(example_lines or ["- (none yet)"]),
    ]
    if avoid_lines:
        lines += ["", f'Already written for "{slot.value}" (do not repeat or closely paraphrase):', *avoid_lines]
    lines += [
        "",
        f"Write {count} different messages in that style that clearly ask for {slot.tool} with "
        f'{slot.argument}="{slot.value}". Vary the wording and the situation. Each message is a single '
        f"line under {MAX_MESSAGE_CHARS} characters, has no quotes around it, no numbering, and never "
        "names the function.",
    ]
    return [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": "\n".join(lines)}]


def function_lines(tools: list[dict]) -> list[str]:
    """One line per tool: its name, description and enum values."""
    lines = []
    for name, function in tools_by_name(tools).items():
        values = [value for schema in function.get("parameters", {}).get("properties", {}).values()
                  for value in schema.get("enum", [])]
        lines.append(f"- {name}: {function.get('description', '')}" + (f" (values: {', '.join(values)})" if values else ""))
    return lines


def build_no_call_request(slot: Slot, tools: list[dict], count: int, seeds: list, avoid: list[str]) -> list[dict]:
    """Chat messages asking for `count` user messages of one no-call style: the tools are shown as what to avoid."""
    no_call_seeds = [seed for seed in seeds if seed.call is None]
    # spread over the seeds: they are written kind by kind
    examples = no_call_seeds[::max(1, len(no_call_seeds) // MAX_EXAMPLES_IN_PROMPT)][:MAX_EXAMPLES_IN_PROMPT]
    lines = [
        "Kind: messages that none of the functions below can serve; the assistant answers them in words "
        "and calls nothing",
        f"Style: {slot.style}: {NO_CALL_STYLES[slot.style]}",
        "",
        "The assistant's functions, which the messages must NOT ask for (nor any of their values):",
        *function_lines(tools),
        "",
        "Real messages of this kind (of every style):",
        *([f"- {json.dumps(seed.message, ensure_ascii=False)} [no call]" for seed in examples] or ["- (none yet)"]),
    ]
    if avoid:
        lines += ["", "Already written (do not repeat or closely paraphrase):",
                  *(f"- {json.dumps(message, ensure_ascii=False)}" for message in avoid)]
    lines += [
        "",
        f"Write {count} different messages in that style that a cyclist might say to the assistant and that "
        "none of these functions can serve. Vary the wording and the situation. Each message is a single line "
        f"under {MAX_MESSAGE_CHARS} characters, has no quotes around it, no numbering, and never names a function.",
    ]
    return [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": "\n".join(lines)}]


def twin_sources(slot: Slot, seeds: list, written: dict, count: int, rng: random.Random) -> list[tuple[str, Call]]:
    """`count` (or all, if fewer) call rows of a twin slot's tool to rewrite, sampled: its seed rows, or,
    for a tool without any, the rows written for it (the call slots are filled first)."""
    pool = [(seed.message, seed.call) for seed in seeds if seed.call is not None and seed.call.name == slot.tool]
    if not pool:
        pool = [(message, call) for call, messages in written.items()
                if call is not None and call.name == slot.tool for message in messages]
    return rng.sample(pool, min(count, len(pool)))


def build_twin_request(slot: Slot, tools: list[dict], count: int, sources: list[tuple[str, Call]],
                       avoid: list[str]) -> list[dict]:
    """Chat messages asking for `count` twins of one tool's call rows across one boundary: rewrites that keep
    a row's topic and most of its words but that no tool can serve."""
    argument = routing_argument(tools_by_name(tools)[slot.tool])
    description = tools_by_name(tools)[slot.tool].get("description", "")
    lines = [
        "Kind: near misses (\"twins\") of real requests for one function: each keeps a request's topic and most of "
        "its words but crosses one boundary, so that none of the functions below can serve it; the assistant "
        "answers them in words and calls nothing",
        f"Function of the requests: {slot.tool}: {description}",
        f"Boundary to cross: {slot.boundary}: {BOUNDARIES[slot.boundary]}",
        "",
        "The assistant's functions, which the messages must NOT ask for (nor any of their values):",
        *function_lines(tools),
        "",
        f"Real requests for {slot.tool} to rewrite (the {argument} each one asks for in brackets):",
        *([f"- {json.dumps(message, ensure_ascii=False)} [{call.args.get(argument, '')}]" for message, call in sources]
          or ["- (none yet: write requests this function could serve, then cross the boundary)"]),
    ]
    if avoid:
        lines += ["", "Already written (do not repeat or closely paraphrase):",
                  *(f"- {json.dumps(message, ensure_ascii=False)}" for message in avoid)]
    lines += [
        "",
        f"Write {count} different messages, each a rewrite of a different request above: keep its topic, its "
        f"language and most of its words, but move it across the {slot.boundary} boundary ({BOUNDARIES[slot.boundary]}) "
        "so that it no longer asks for anything these functions do. A rewrite that one of the functions could still "
        f"serve is wrong. Each message is a single line under {MAX_MESSAGE_CHARS} characters, has no quotes around "
        "it, no numbering, and never names a function.",
    ]
    return [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": "\n".join(lines)}]


def request_for(slot: Slot, tools: list[dict], count: int, seeds: list, avoid: list[str],
                rng: random.Random | None = None, written: dict | None = None) -> list[dict]:
    """The request of a slot; a twin slot's shows call rows of its tool sampled with `rng` (see twin_sources)."""
    if slot.boundary:
        sources = twin_sources(slot, seeds, written or {}, count, rng or random.Random(0))
        return build_twin_request(slot, tools, count, sources, avoid)
    if slot.call is None:
        return build_no_call_request(slot, tools, count, seeds, avoid)
    return build_request(slot, tools_by_name(tools)[slot.tool], count, seeds, avoid)


def reply_field(text: str, key: str, kind: type):
    """`key` of a structured-output reply; BadReply when the reply is not JSON or not the schema's shape."""
    try:  # refused like any JSON input: nested too deep, huge numbers, NaN (_data.parse_json)
        reply = parse_json(text, "the reply")
    except (DataError, TypeError):
        raise BadReply("malformed_json") from None
    if not isinstance(reply, dict) or not isinstance(reply.get(key), kind):
        raise BadReply("wrong_shape")
    return reply[key]


def parse_reply(text: str) -> list:
    """The candidate messages of a reply; BadReply when it is not the schema's shape."""
    return reply_field(text, "messages", list)


def rejection(candidate, slot: Slot, tools: list[dict], seen: set[str]) -> str | None:
    """Why a candidate message cannot become a row, or None."""
    if not isinstance(candidate, str):
        return "not_text"
    message = candidate.strip()
    if not normalise_message(message):
        return "empty"
    if "\n" in message:
        return "multi_line"
    if len(message) > MAX_MESSAGE_CHARS:
        return "too_long"
    if META_TEXT.search(message) or suspect_reason(message, tools):
        return "meta_text"
    if control_token_problem(message, "the message"):
        return "control_token"
    try:
        parse_row({"user_message": message, "tool_calls": tool_calls_json(slot.call)}, tools)
    except DataError:
        return "invalid_row"
    if normalise_message(message) in seen:
        return "duplicate"
    return None


# ----------------------------------------------------------------------------- near duplicates and the judge

# Above this character 3-gram Jaccard similarity to a seed or a written row of the same label, a
# candidate is a near duplicate. Measured (README): no two bundled seeds of one label exceed 0.50,
# no public row exceeds 0.68 against a seed; above 0.75 public pairs differ only by word order or
# filler ("speed report" / "Report speed", "How's the time going?" / "How is the time going?").
DEFAULT_MAX_SIMILARITY = 0.75
NGRAM = 3
JUDGE_SYSTEM_PROMPT = ("You route what a cyclist says or types to the voice and chat assistant of a bike "
                       "computer. The assistant answers each message with at most one call of its functions. "
                       'Answer with JSON only, shaped {"label": "..."}.')
JUDGE_NO_CALL = "none"  # the judge's answer for "no call"; NO_CALL_LABEL in reports
JUDGE_SEED = 0
JUDGE_TEMPERATURE = 0.1  # near greedy; some servers refuse 0
JUDGE_MAX_TOKENS = 64
# A label is named at the end of the report when the judge reads at least this share of its judged
# candidates otherwise, twice the run's share or more, and at least JUDGE_DISAGREES_MIN of them.
JUDGE_DISAGREES_OFTEN = 0.25
JUDGE_DISAGREES_MIN = 2


def char_ngrams(message: str) -> frozenset[str]:
    """The character 3-grams of the normalised message, padded with a space at each end."""
    key = f" {normalise_message(message)} "
    return frozenset(key[index:index + NGRAM] for index in range(max(1, len(key) - NGRAM + 1)))


def similarity(first: frozenset[str], second: frozenset[str]) -> float:
    """Jaccard similarity of two n-gram sets."""
    return len(first & second) / len(first | second) if first or second else 1.0


class NearDuplicates:
    """The messages of each label (a Call, or None for no call) with their n-grams."""

    def __init__(self):
        self.by_label: dict = {}

    def add(self, call: Call | None, message: str) -> None:
        self.by_label.setdefault(call, []).append((message, char_ngrams(message)))

    def nearest(self, call: Call | None, message: str) -> tuple[float, str | None]:
        """The most similar message of the label and its similarity (0, None when there is none)."""
        grams = char_ngrams(message)
        best = (0.0, None)
        for other, other_grams in self.by_label.get(call, []):
            score = similarity(grams, other_grams)
            if score > best[0]:
                best = (score, other)
        return best


def judge_labels(tools: list[dict]) -> list[str]:
    """Every answer the judge may give: `tool:value` per routing value (`tool` for a tool without
    one, as `routing_label` writes them), then JUDGE_NO_CALL."""
    labels = []
    for name, function in tools_by_name(tools).items():
        argument = routing_argument(function)
        if argument is None:
            labels.append(name)
            continue
        labels += [routing_label(Call.make(name, {argument: value}), tools)
                   for value in function["parameters"]["properties"][argument]["enum"]]
    return labels + [JUDGE_NO_CALL]


def judge_schema(tools: list[dict]) -> dict:
    return {"type": "object", "properties": {"label": {"type": "string", "enum": judge_labels(tools)}},
            "required": ["label"], "additionalProperties": False}


def judge_request(message: str, tools: list[dict]) -> list[dict]:
    """Chat messages asking which one call a message means: the tools and their values, never the
    intended label (the same request for generated candidates and for a dataset's rows)."""
    lines = ["The assistant's functions:"]
    for name, function in tools_by_name(tools).items():
        lines.append(f"- {name}: {function.get('description', '')}")
        argument = routing_argument(function)
        if argument is not None:
            schema = function["parameters"]["properties"][argument]
            lines.append(f"  {argument}: {schema.get('description', '')} Values: {', '.join(schema['enum'])}")
    lines += [
        "",
        f"Message: {json.dumps(message, ensure_ascii=False)}",
        "",
        "Which one call does this message ask the assistant for? Answer with its label, the function and "
        'the value joined by a colon (like "find_nearby_poi:water"), or "none" when none of the functions '
        "serves it (chit-chat, another app's job, a question outside their values, a fragment, or a message "
        "that mentions a topic but asks for nothing).",
    ]
    return [{"role": "system", "content": JUDGE_SYSTEM_PROMPT}, {"role": "user", "content": "\n".join(lines)}]


def parse_judgement(text: str, labels: list[str]) -> str:
    """The judge's label (NO_CALL_LABEL for none); BadReply when the reply is not one of `labels`."""
    label = reply_field(text, "label", str).strip()
    if label not in labels:
        raise BadReply("unknown_label")
    return NO_CALL_LABEL if label == JUDGE_NO_CALL else label


def judge_label(judge, message: str, tools: list[dict], budget: "FailureBudget") -> str:
    """The label the judge reads in a message (`routing_label` form), asked until it answers: failures
    are retried and counted like the generation's (GenerationStopped when the budget is spent)."""
    request, schema, labels = judge_request(message, tools), judge_schema(tools), judge_labels(tools)
    while True:
        try:
            label = parse_judgement(judge(request, schema, JUDGE_SEED, JUDGE_TEMPERATURE, JUDGE_MAX_TOKENS), labels)
        except TransientError as error:
            budget.failed(f"judge: {error}", error.retry_after)
            continue
        except FatalError as error:
            raise GenerationStopped(f"judge: {error}") from None
        except BadReply as error:
            budget.failed(f"judge: unusable reply ({error}) for {message!r}", wait=False)
            continue
        budget.succeeded()
        return label


@dataclass
class Quality:
    """What became of one label's candidates in this run (a no-call style counts apart, the twins per tool
    and per boundary)."""
    generated: int = 0  # candidates looked at (a reply's extras left once the slot is full are not)
    failed_checks: int = 0  # chatter, too long, exact duplicate, ... (see `rejection`)
    near_duplicates: list = field(default_factory=list)  # {"message", "nearest", "similarity"}
    judge_rejected: Counter = field(default_factory=Counter)  # the judge's label instead -> count
    kept: int = 0

    @property
    def judged(self) -> int:
        return self.kept + sum(self.judge_rejected.values())

    def add(self, other: "Quality") -> None:
        self.generated += other.generated
        self.failed_checks += other.failed_checks
        self.near_duplicates += other.near_duplicates
        self.judge_rejected += other.judge_rejected
        self.kept += other.kept

    def to_json(self, examples: bool = True) -> dict:
        return {"generated": self.generated, "failed_checks": self.failed_checks,
                "near_duplicates": len(self.near_duplicates), "judge_rejected": sum(self.judge_rejected.values()),
                "judge_read_instead": dict(self.judge_rejected.most_common()), "kept": self.kept,
                **({"near_duplicate_examples": self.near_duplicates} if examples else {})}


def quality_key(slot: "Slot", tools: list[dict]) -> str:
    """A call slot's `tool:value`; a no-call slot's `(no call) style`; a twin slot's `(no call) twins of tool`."""
    if slot.boundary:
        return f"{NO_CALL_LABEL} twins of {slot.tool}"
    return routing_label(slot.call, tools) if slot.call else f"{NO_CALL_LABEL} {slot.style}"


def merged_quality(counts) -> Quality:
    total = Quality()
    for each in counts:
        total.add(each)
    return total


def by_label(quality: dict) -> dict[str, Quality]:
    """The run's counts (keyed (quality_key, boundary)) per label, in plan order: a tool's twins as one."""
    view = {}
    for (key, _), counts in quality.items():
        view.setdefault(key, Quality()).add(counts)
    return view


def by_boundary(quality: dict) -> dict[str, Quality]:
    """The run's counts of the twins per boundary, in BOUNDARIES order."""
    view = {}
    for (_, boundary), counts in quality.items():
        if boundary:
            view.setdefault(boundary, Quality()).add(counts)
    return {boundary: view[boundary] for boundary in BOUNDARIES if boundary in view}


def disagreements(quality: dict[str, Quality]) -> list[str]:
    """The labels the judge often reads otherwise (see JUDGE_DISAGREES_OFTEN), each with how often and as what."""
    judged = sum(counts.judged for counts in quality.values())
    run_share = sum(sum(counts.judge_rejected.values()) for counts in quality.values()) / judged if judged else 0
    named = []
    for key, counts in quality.items():
        rejected = sum(counts.judge_rejected.values())
        if rejected >= JUDGE_DISAGREES_MIN and rejected >= max(JUDGE_DISAGREES_OFTEN, 2 * run_share) * counts.judged:
            instead = ", ".join(f"{label} {count}" for label, count in counts.judge_rejected.most_common())
            named.append(f"{key} ({rejected} of {counts.judged} judged; read as {instead})")
    return named


def print_quality_table(heading: str, rows: list[tuple[str, Quality]], width: int) -> None:
    print(f"  {heading:<{width}}{'generated':>10}{'checks':>8}{'near-dup':>10}{'judge':>7}{'kept':>6}  judge read instead")
    for key, counts in rows:
        instead = ", ".join(f"{label} {count}" for label, count in counts.judge_rejected.most_common())
        print(f"  {key:<{width}}{counts.generated:>10}{counts.failed_checks:>8}{len(counts.near_duplicates):>10}"
              f"{sum(counts.judge_rejected.values()):>7}{counts.kept:>6}  {instead if key != 'total' else ''}".rstrip())


def print_quality(quality: dict, judge_model: str | None, max_similarity: float) -> None:
    """The per-label table of this run's candidates (`quality` keyed (quality_key, boundary)), the twins'
    per boundary, then the labels the judge often reads otherwise."""
    labels = by_label(quality)
    shown = {key: counts for key, counts in labels.items() if counts.generated}
    if not shown:
        return
    total = merged_quality(shown.values())
    judge = f"judge {judge_model}" if judge_model else "no judge"
    width = max(40, *(len(key) + 2 for key in shown))
    print(f"\nthis run's candidates ({judge}, --max-similarity {max_similarity:g}):")
    print_quality_table("label", [*shown.items(), ("total", total)], width)
    boundaries = {boundary: counts for boundary, counts in by_boundary(quality).items() if counts.generated}
    if boundaries:
        print("the twins per boundary:")
        print_quality_table("boundary", list(boundaries.items()), width)
    if judge_model and total.kept:
        print(f"judge requests per kept row: {total.judged / total.kept:.2f} "
              f"({total.judged} judged, {total.kept} kept)")
    named = disagreements(labels)
    if named:
        print("the judge often reads these otherwise (ambiguous tool descriptions or enum values?): "
              + "; ".join(named))


# ----------------------------------------------------------------------------- retries


class FailureBudget:
    """Exponential back-off with jitter between retries; a bounded total of failures per run."""

    def __init__(self, max_failures: int, base_delay: float, rng: random.Random, max_delay: float = 60.0):
        self.max_failures, self.base_delay, self.max_delay = max_failures, base_delay, max_delay
        self.rng = rng
        self.total = 0
        self.in_a_row = 0

    def succeeded(self) -> None:
        self.in_a_row = 0

    def failed(self, reason: str, retry_after: float | None = None, wait: bool = True) -> None:
        """Count a failure, stop the run when the budget is spent, else sleep before the retry."""
        self.total += 1
        self.in_a_row += 1
        if self.total >= self.max_failures:
            raise GenerationStopped(f"stopped after {self.total} failures (--max-failures); last: {reason}")
        if not wait:
            log(f"{reason}; asking again")
            return
        delay = min(self.max_delay, self.base_delay * 2 ** (self.in_a_row - 1))
        delay = self.rng.uniform(delay / 2, delay)
        if retry_after is not None:
            delay = max(delay, retry_after)
        honoured = " (Retry-After)" if retry_after is not None and delay == retry_after else ""
        log(f"{reason}; retrying in {delay:.2f}s{honoured}")
        time.sleep(delay)


def log(line: str) -> None:
    """A line on stderr that does not break the progress bar."""
    from tqdm.auto import tqdm
    tqdm.write(line, file=sys.stderr)


GENERATION_TEMPERATURE = 0.9
TOKENS_PER_MESSAGE = 60


# ----------------------------------------------------------------------------- run


def add_request_arguments(group) -> None:
    """Timeout, failure budget and back-off of a script's requests (the generators', the validator's judge)."""
    group.add_argument("--timeout", type=float, default=120.0, metavar="SECONDS",
                       help="seconds to wait for one reply (default 120)")
    group.add_argument("--max-failures", type=int, default=20, metavar="N",
                       help="stop after this many failed requests or unusable replies in total (default 20)")
    group.add_argument("--retry-delay", type=float, default=1.0, metavar="SECONDS",
                       help="first back-off delay in seconds, doubled per failure in a row (default 1)")


def check_request_arguments(args: argparse.Namespace) -> None:
    if args.max_failures < 1 or args.timeout <= 0 or args.retry_delay < 0:
        raise DataError("--max-failures must be at least 1, --timeout positive and --retry-delay not negative")


def add_generation_arguments(parser: argparse.ArgumentParser, default_model: str):
    """The flags both generators share; returns the "server" group for the client's own flag."""
    data = parser.add_argument_group("data")
    data.add_argument("--seeds", action="append", metavar="CSV_OR_HUB_ID",
                      help="seed CSV path, CSV URL or Hub dataset id; repeat to merge (default: bundled seeds)")
    add_tools_argument(data)
    plan = parser.add_argument_group("plan")
    plan.add_argument("--per-value", type=int, default=3, metavar="N",
                      help="rows per (tool, value, style) (default %(default)s)")
    plan.add_argument("--styles", nargs="+", choices=list(STYLES), default=list(STYLES), metavar="STYLE",
                      help=f"message styles, any of {', '.join(STYLES)} (default: all)")
    plan.add_argument("--no-call-share", type=float, default=0.2, metavar="FRACTION",
                      help="fraction of all planned rows that no tool can serve (tool_calls []), in the styles "
                           f"{', '.join(NO_CALL_STYLES)} (default %(default)s; 0: none)")
    plan.add_argument("--twin-share", type=float, default=DEFAULT_TWIN_SHARE, metavar="FRACTION",
                      help="fraction of the no-call rows that are twins: rewrites of a sampled call row of a tool "
                           "that keep its topic and most of its words but cross one --boundaries boundary so that "
                           "no tool serves them, spread evenly over the tools and the boundaries, written with "
                           "their boundary in a boundary column (default %(default)s; 0: none)")
    plan.add_argument("--boundaries", nargs="+", choices=list(BOUNDARIES), default=list(BOUNDARIES),
                      metavar="BOUNDARY",
                      help="the boundaries twins cross, any of " + "; ".join(
                          f"{name} ({description})" for name, description in BOUNDARIES.items()) + " (default: all)")
    plan.add_argument("--dry-run", action="store_true",
                      help="print the plan (the twins per tool and boundary), the first call, no-call and twin "
                           "prompts and the judge's prompt; call no server")
    server = parser.add_argument_group("server")
    server.add_argument("--model", default=default_model, help="generator model (default %(default)s)")
    server.add_argument("--sampling-seed", type=int, default=42, metavar="N",
                        help="sampling seed sent with each request (default 42)")
    add_request_arguments(server)
    checks = parser.add_argument_group("checks")
    checks.add_argument("--judge-model", metavar="MODEL",
                        help="model that re-labels each candidate blind, on the same server; a candidate is kept "
                             "only when it reads the intended label (default: --model)")
    checks.add_argument("--no-judge", action="store_true", help="keep candidates without asking a judge")
    checks.add_argument("--max-similarity", type=float, default=DEFAULT_MAX_SIMILARITY, metavar="SIMILARITY",
                        help="reject a candidate whose character 3-gram Jaccard similarity to a seed or a written "
                             "row of the same label is above this (default %(default)s; 1: off)")
    output = parser.add_argument_group("output")
    output.add_argument("--output", type=output_file, default="generated-dataset.csv", metavar="CSV",
                        help="CSV to append to (user_message,tool_calls, and boundary when the plan holds twins); "
                             "re-run to resume (default %(default)s)")
    add_json_argument(output, "the plan, what the output holds, what was rejected and this run's quality per label")
    return server


def print_plan(slots: list[Slot], styles: list[str]) -> None:
    pairs = Counter((slot.tool, slot.value) for slot in slots if slot.call)
    no_call = [slot for slot in slots if slot.call is None and not slot.boundary]
    no_call_target = sum(slot.target for slot in slots if slot.call is None)
    twins = planned_twins(slots)
    twin_target = sum(sum(per_tool.values()) for per_tool in twins.values())
    target = sum(slot.target for slot in slots)
    missing = sum(slot.missing for slot in slots)
    kinds = f"{len(no_call)} styles"
    if twin_target:
        kinds = ", ".join(([f"{no_call_target - twin_target} in {kinds}"] if no_call else []) + [f"{twin_target} twins"])
    print(f"plan: {len(pairs)} (tool, value) pairs x {len(styles)} styles ({', '.join(styles)}) "
          f"x {slots[0].target} = {target - no_call_target} call rows + {no_call_target} no-call rows "
          f"({kinds}) = {target} rows; the output holds {target - missing}, {missing} to generate")
    if twins:
        print_twin_plan(twins)


def print_twin_plan(twins: dict[str, dict[str, int]]) -> None:
    """The planned twins per tool and boundary, with totals."""
    boundaries = [name for name in BOUNDARIES if any(name in per_tool for per_tool in twins.values())]
    width = max(26, *(len(tool) + 2 for tool in twins))
    print("twins planned (no-call rewrites of a tool's call rows across one boundary), per tool and boundary:")
    print(f"  {'tool':<{width}}{'twins':>6}" + "".join(f"{name:>{len(name) + 2}}" for name in boundaries))
    totals = Counter()
    for tool, per_tool in twins.items():
        totals.update(per_tool)
        print(f"  {tool:<{width}}{sum(per_tool.values()):>6}"
              + "".join(f"{per_tool.get(name, 0):>{len(name) + 2}}" for name in boundaries))
    print(f"  {'total':<{width}}{sum(totals.values()):>6}"
          + "".join(f"{totals[name]:>{len(name) + 2}}" for name in boundaries))


def print_holdings(path: str, slots: list[Slot], tools: list[dict]) -> None:
    """Table of what the output file holds per (tool, value), no-call rows and twins per boundary, against the plan."""
    if not os.path.exists(path):
        print(f"\n{path}: nothing written")
        return
    held = Counter(row_key(example.call, example.boundary) for example in read_output(path, tools).examples)
    targets = Counter()
    for slot in slots:
        label = f"{NO_CALL_LABEL} twins" if slot.boundary else slot.tool or NO_CALL_LABEL
        targets[(label, slot.value or slot.boundary, slot.key)] += slot.target
    print(f"\n{path}: {sum(held.values())} rows")
    print(f"  {'tool':<26}{'value':<20}{'rows':>6}{'target':>8}")
    for (tool, value, key), target in targets.items():
        short = max(0, target - held[key])
        print(f"  {tool:<26}{value:<20}{held[key]:>6}{target:>8}{f'  missing {short}' if short else ''}")


@dataclass
class Checks:
    """What a candidate must pass after `rejection`: not a near duplicate, then the judge (if any)."""
    near: NearDuplicates
    max_similarity: float
    judge: object = None  # the judge's `ask`, or None
    quality: dict = field(default_factory=dict)  # (quality_key, boundary) -> Quality, in plan order

    def verdict(self, message: str, slot: Slot, tools: list[dict], budget: FailureBudget,
                counts: Quality) -> str | None:
        """Why the candidate is not kept ("near_duplicate", "judge_disagreed"), or None."""
        score, nearest = self.near.nearest(slot.call, message)
        if score > self.max_similarity:
            counts.near_duplicates.append({"message": message, "nearest": nearest, "similarity": round(score, 3)})
            return "near_duplicate"
        if self.judge is not None:
            label = judge_label(self.judge, message, tools, budget)
            if label != routing_label(slot.call, tools):
                counts.judge_rejected[label] += 1
                return "judge_disagreed"
        return None


def fill_slots(slots, tools, seeds, ask, writer, seen, written, budget, rejected, seed, checks: Checks) -> None:
    """Ask for each slot's missing rows until it is full or the model stops adding new ones."""
    from tqdm.auto import tqdm
    rng = random.Random(seed)
    requests = 0
    with tqdm(total=sum(slot.missing for slot in slots), unit="row", desc="generating") as progress:
        for slot in slots:
            idle = 0
            while slot.missing and idle < MAX_IDLE_REPLIES:
                count = min(MAX_PER_REQUEST, slot.missing + EXTRA_PER_REQUEST)
                earlier = written.setdefault(slot.call, [])  # a twin is a no-call row like the others
                avoid = rng.sample(earlier, min(MAX_AVOID_IN_PROMPT, len(earlier)))
                request = request_for(slot, tools, count, seeds, avoid, rng, written)
                requests += 1
                try:
                    candidates = parse_reply(ask(request, reply_schema(count), seed + requests,
                                                 GENERATION_TEMPERATURE, 100 + TOKENS_PER_MESSAGE * count))
                except TransientError as error:
                    budget.failed(str(error), error.retry_after)
                    continue
                except FatalError as error:
                    raise GenerationStopped(str(error)) from None
                except BadReply as error:
                    rejected[str(error)] += 1
                    budget.failed(f"unusable reply ({error}) for {slot.name}", wait=False)
                    continue
                budget.succeeded()
                added = 0
                counts = checks.quality.setdefault((quality_key(slot, tools), slot.boundary), Quality())
                for candidate in candidates:
                    if not slot.missing:
                        break
                    counts.generated += 1
                    reason = rejection(candidate, slot, tools, seen)
                    if reason:
                        rejected[reason] += 1
                        counts.failed_checks += 1
                        continue
                    message = render(candidate.strip(), WRITTEN_FORMS[len(earlier) % len(WRITTEN_FORMS)])
                    reason = checks.verdict(message, slot, tools, budget, counts)
                    if reason:
                        rejected[reason] += 1
                        continue
                    writer.write(message, slot.call, slot.boundary)
                    seen.add(normalise_message(message))
                    earlier.append(message)
                    checks.near.add(slot.call, message)
                    counts.kept += 1
                    slot.done += 1
                    added += 1
                    progress.update(1)
                idle = 0 if added else idle + 1
            if slot.missing:
                log(f"giving up on {slot.name} ({slot.style}) after {MAX_IDLE_REPLIES} replies "
                    f"without a new row; {slot.missing} missing")


def run_summary(args, slots: list[Slot], tools: list[dict], rejected: Counter, failures: int, stopped: str | None,
                quality: dict | None = None) -> dict:
    """The --json report: the plan against the output, the rejections, the failures, and what became of
    this run's candidates per label (`quality` keyed (quality_key, boundary)), and of the twins per tool
    and per boundary."""
    quality = quality or {}
    labels = {key: counts for key, counts in by_label(quality).items() if counts.generated}
    per_tool = {}
    for slot in slots:
        counts = quality.get((quality_key(slot, tools), slot.boundary)) if slot.boundary else None
        if counts is not None:
            per_tool.setdefault(slot.tool, Quality()).add(counts)
    return {"output": args.output, "planned_rows": sum(slot.target for slot in slots),
            "missing_rows": sum(slot.missing for slot in slots),
            "missing": [{"tool": slot.tool, "value": slot.value, "style": slot.style, "boundary": slot.boundary or None,
                         "rows": slot.missing} for slot in slots if slot.missing],
            "rejected": dict(rejected.most_common()), "failures": failures, "stopped": stopped,
            "judge_model": None if args.no_judge else args.judge_model or args.model,
            "max_similarity": args.max_similarity,
            "quality": {key: counts.to_json() for key, counts in labels.items()},
            "twins": {"planned": planned_twins(slots),
                      "per_tool": {tool: counts.to_json(examples=False) for tool, counts in per_tool.items()
                                   if counts.generated},
                      "per_boundary": {boundary: counts.to_json(examples=False)
                                       for boundary, counts in by_boundary(quality).items() if counts.generated}},
            "judge_disagrees_often": disagreements(labels)}


def run_generation(args: argparse.Namespace, connect) -> int:
    """The whole run for a client; `connect(args, model)` returns the client's `ask` function."""
    check_request_arguments(args)
    if not 0 < args.max_similarity <= 1:
        raise DataError(f"--max-similarity must be above 0 and at most 1, got {args.max_similarity}")
    tools = load_tools(args.tools)
    seeds, _ = load_examples(args.seeds, tools)
    slots = plan_slots(tools, args.styles, args.per_value, args.no_call_share, args.twin_share, args.boundaries)
    state = read_output(args.output, tools)
    credit_existing(slots, state.examples)
    print_plan(slots, args.styles)
    if args.dry_run:
        for kind, bucket in (("call", [slot for slot in slots if slot.call]),
                             ("no-call", [slot for slot in slots if slot.call is None and not slot.boundary]),
                             ("twin", [slot for slot in slots if slot.boundary])):
            if not bucket:
                continue
            first = next((slot for slot in bucket if slot.missing), bucket[0])
            count = min(MAX_PER_REQUEST, first.missing + EXTRA_PER_REQUEST)
            print(f"\nfirst {kind} request ({first.name}, {first.style}), no server called:")
            for message in request_for(first, tools, count, seeds, [], random.Random(args.sampling_seed)):
                print(f"--- {message['role']}\n{message['content']}")
            print(f"--- response schema\n{json.dumps(reply_schema(count))}")
        if not args.no_judge and seeds:
            print(f"\njudge request for each candidate (here the seed {seeds[0].message!r}; the intended label "
                  f"is never shown), no server called:")
            for message in judge_request(seeds[0].message, tools):
                print(f"--- {message['role']}\n{message['content']}")
            print(f"--- response schema\n{json.dumps(judge_schema(tools))}")
        if args.json:
            write_json_report(args.json, run_summary(args, slots, tools, Counter(), 0, None))
        return 0
    if state.torn_bytes:
        log(f"{args.output}: cutting off an incomplete last line ({state.torn_bytes} bytes)")
    ask = connect(args, args.model)
    judge_model = None if args.no_judge else args.judge_model or args.model
    checks = Checks(NearDuplicates(), args.max_similarity, connect(args, judge_model) if judge_model else None,
                    {(quality_key(slot, tools), slot.boundary): Quality() for slot in slots})
    seen = {normalise_message(example.message) for example in seeds + state.examples}
    written = {}
    for example in state.examples:
        written.setdefault(example.call, []).append(example.message)
    for example in seeds + state.examples:
        checks.near.add(example.call, example.message)
    writer = RowWriter(args.output, state.torn_bytes, state.columns, any(slot.boundary for slot in slots))
    budget = FailureBudget(args.max_failures, args.retry_delay, random.Random(args.sampling_seed))
    rejected = Counter()
    stopped = None
    try:
        fill_slots(slots, tools, seeds, ask, writer, seen, written, budget, rejected, args.sampling_seed, checks)
    except GenerationStopped as error:
        stopped = str(error)
    finally:
        writer.close()
    print_holdings(args.output, slots, tools)
    missing = sum(slot.missing for slot in slots)
    print("rejected candidates: " + (", ".join(f"{reason} {count}" for reason, count in rejected.most_common())
                                     or "none"))
    print(f"failed requests and unusable replies: {budget.total}")
    print_quality(checks.quality, judge_model, args.max_similarity)
    if args.json:
        write_json_report(args.json, run_summary(args, slots, tools, rejected, budget.total, stopped, checks.quality))
    if stopped:
        print(f"error: {stopped}", file=sys.stderr)
        return 1
    if missing:
        print(f"error: {missing} planned rows still missing (the model kept repeating itself, writing unusable "
              "text or text the judge read otherwise); re-run the same command to fill them", file=sys.stderr)
        return 1
    return 0
# --- end _generation.py ---


if __name__ == "__main__":
    run_main(main)
