"""Scripted chat servers for the generator tests: real HTTP on 127.0.0.1, real wire protocols.

`ChatServer("openai")` answers POST /v1/chat/completions like an OpenAI-compatible server (the
Hugging Face router); `ChatServer("ollama")` answers POST /api/chat like Ollama. Each request
takes the next behaviour of `script`, then `default`:

    "good"          well-formed messages derived from the request (its function, value, style, count;
                    for a no-call request, which names no function, out-of-scope chatter; for a twin
                    request, the first words of each request it shows, moved across its boundary)
    "bad_json"      content that is not JSON
    "wrong_shape"   JSON without a "messages" list
    "not_text"      a "messages" list of non-strings
    "meta"          model chatter: a preamble, a numbered line, self-reference, empty, too long, multi-line
    "duplicates"    a seed message from the prompt, then one new message twice
    "near_duplicates"  the longest seed message of the value + " now", a new message, that message + " please"
    ("status", code[, headers])   an HTTP error with that protocol's error body
    ("slow", seconds)             wait, then answer "good" (for client timeouts)
    "garbage"       HTTP 200 with a body that is not JSON (a broken proxy)

A twin request (its prompt names a "Boundary to cross") takes the next of `twin_script` instead, then
`default`: "leaky_twin" answers, first, a request the prompt shows, barely changed ("... right now"),
which still means that request's call (the judge reads it so), then "good" twins.

A judge request (its schema asks for a "label") takes the next of `judge_script` instead ("good",
"bad_json", "wrong_shape", "unknown_label", "status", "slow", "garbage" as above), then answers
`judge(message, label, labels, index)`: `label` is what the server knows the message means (the
`tool:value` or "none" it generated the message for; a leaky twin: its source's call), or `labels[message]`, else None), `labels`
the schema's enum, `index` the judge request's number from 0. The default judge agrees. Every
judge request first waits `judge_delay` seconds; `judged` records (message, answer) in order.
"""

import itertools
import json
import random
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import _data

META_CANDIDATES = ["Here are 3 messages for you:", "1. speed please", "As an AI, I would say this",
                   "", '""', "x" * 300, "first line\nsecond line"]


# How a "good" twin crosses each boundary (made-up but plausible: the fake judge reads them as none).
TWIN_TURNS = {"time": "on last Sunday's ride", "place": "over in the next valley", "subject": "for my friend Ana",
              "action": "but save it to share later", "object": "and my heart rate instead",
              "remark": "no need to check, just saying"}


def request_fields(body: dict) -> dict:
    """Function, value, style and count asked for, read from the generator's prompt (function and
    value None for a no-call request; a twin request: its function, and its boundary as `twin`)."""
    prompt = body["messages"][-1]["content"]
    twin = re.search(r"^Boundary to cross: (\w+)", prompt, re.M)
    function = re.search(r"^Function: (\S+)$", prompt, re.M) or re.search(r"^Function of the requests: (\w+)", prompt, re.M)
    value = re.search(r'^Argument: \S+ = "(.*)"', prompt, re.M)
    style = re.search(r"^Style: (\w+)", prompt, re.M)
    return {
        "function": function.group(1) if function else None,
        "value": value.group(1) if value else None,
        "twin": twin.group(1) if twin else None,
        "style": style.group(1) if style else twin.group(1),
        "sources": re.findall(r'^- "(.*)" \[(.*)\]$', prompt, re.M) if twin else [],
        "count": int(re.search(r"^Write (\d+) different", prompt, re.M).group(1)),
        "examples": re.findall(r'^- "(.*)" \[', prompt, re.M),
        "value_examples": [message for message, label in re.findall(r'^- "(.*)" \[(.*)\]$', prompt, re.M)
                           if value and label == value.group(1)],
    }


def judge_fields(body: dict) -> dict | None:
    """The message and the allowed labels of a judge request; None for a generation request."""
    if "format" in body:
        schema = body["format"]
    else:  # OpenAI's json_schema, or TGI's {"type": "json", "value": schema} (huggingface_hub with a base_url)
        response_format = body["response_format"]
        schema = response_format["json_schema"]["schema"] if "json_schema" in response_format else response_format["value"]
    if "label" not in schema["properties"]:
        return None
    message = re.search(r"^Message: (.*)$", body["messages"][-1]["content"], re.M).group(1)
    return {"message": json.loads(message), "labels": schema["properties"]["label"]["enum"]}


def agree(message, label, labels, index):
    return label or "none"


def every(n: int):
    """A judge that reads every n-th judged message (index n-1, 2n-1, ...) as the next label of the
    enum (a message meant for no call: as the first label)."""
    def judge(message, label, labels, index):
        label = label or "none"
        if index % n != n - 1:
            return label
        return labels[0] if label == "none" else labels[(labels.index(label) + 1) % (len(labels) - 1)]
    return judge


def nonce(number: int) -> str:
    """Three made-up words, different for each number: keeps "good" messages apart in character 3-grams."""
    rng = random.Random(number)
    return " ".join("".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(3))
                    for _ in range(3))


class ChatServer:
    def __init__(self, protocol: str, script=(), default="good", judge=agree, judge_script=(), judge_delay=0.0,
                 labels=None, twin_script=()):
        assert protocol in ("openai", "ollama")
        self.protocol = protocol
        self.script = list(script)
        self.twin_script = list(twin_script)
        self.default = default
        self.judge = judge
        self.judge_script = list(judge_script)
        self.judge_delay = judge_delay
        # normalised message -> "tool:value" or "none": a judge reads the meaning, whatever the casing
        self.labels = {_data.normalise_message(message): label for message, label in (labels or {}).items()}
        self.judge_count = itertools.count()
        self.judged = []  # (message, answer) of each answered judge request
        self.requests = []  # {"path", "headers", "body", "judge"} in arrival order
        self.numbers = itertools.count(1)  # keeps "good" messages unique for the server's lifetime
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address
        return f"http://{host}:{port}" + ("/v1" if self.protocol == "openai" else "")

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def next_behaviour(self, twin: bool = False):
        with self.lock:
            if twin and self.twin_script:
                return self.twin_script.pop(0)
            return self.script.pop(0) if self.script else self.default

    def twin_requests(self) -> list[dict]:
        return [request for request in self.generation_requests()
                if "\nBoundary to cross: " in request["body"]["messages"][-1]["content"]]

    def generation_requests(self) -> list[dict]:
        return [request for request in self.requests if not request["judge"]]

    def judge_requests(self) -> list[dict]:
        return [request for request in self.requests if request["judge"]]

    def judge_content(self, behaviour, fields: dict) -> str:
        if behaviour == "bad_json":
            return '{"label": "get_'
        if behaviour == "wrong_shape":
            return json.dumps({"labels": []})
        if behaviour == "unknown_label":
            return json.dumps({"label": "get_coffee:now"})
        assert behaviour == "good", behaviour
        with self.lock:
            index = next(self.judge_count)
            answer = self.judge(fields["message"], self.labels.get(_data.normalise_message(fields["message"])), fields["labels"], index)
            self.judged.append((fields["message"], answer))
        return json.dumps({"label": answer})

    def good_messages(self, fields: dict) -> list[str]:
        with self.lock:
            numbers = [next(self.numbers) for _ in range(fields["count"])]
        if fields["twin"]:
            # the first words of a shown request (of each in turn), turned across the boundary
            sources = [message for message, _ in fields["sources"]] or ["Tell me"]
            messages = [f"{' '.join(sources[index % len(sources)].split()[:4])} {TWIN_TURNS[fields['twin']]}, "
                        f"twin {number} {nonce(number)}" for index, number in enumerate(numbers)]
            with self.lock:
                self.labels.update((_data.normalise_message(message), "none") for message in messages)
            return messages
        if fields["function"] is None:
            if fields["style"] == "spanish":
                messages = [f"Solo charlaba, nada más, intento {number} {nonce(number)}" for number in numbers]
            else:
                messages = [f"Just chatting, nothing to look up, {fields['style']} take {number} {nonce(number)}"
                            for number in numbers]
            with self.lock:
                self.labels.update((_data.normalise_message(message), "none") for message in messages)
            return messages
        words = fields["value"].replace("_", " ")
        if fields["style"] == "spanish":
            messages = [f"¿Puedes mirar {words} ahora? intento {number} {nonce(number)}" for number in numbers]
        else:
            messages = [f"Could you check {words} for me, {fields['style']} take {number} {nonce(number)}"
                        for number in numbers]
        with self.lock:
            self.labels.update((_data.normalise_message(message), f"{fields['function']}:{fields['value']}")
                               for message in messages)
        return messages

    def content(self, behaviour, fields: dict) -> str:
        if behaviour == "good":
            return json.dumps({"messages": self.good_messages(fields)})
        if behaviour == "bad_json":
            return '{"messages": ["unterminated'
        if behaviour == "wrong_shape":
            return json.dumps({"items": self.good_messages(fields)})
        if behaviour == "not_text":
            return json.dumps({"messages": [3, {"text": "speed"}]})
        if behaviour == "meta":
            return json.dumps({"messages": META_CANDIDATES})
        if behaviour == "duplicates":
            new = self.good_messages({**fields, "count": 1})[0]
            return json.dumps({"messages": [fields["examples"][0], new, new]})
        if behaviour == "leaky_twin":
            message, value = fields["sources"][0]
            leaky = f"{message} right now"
            with self.lock:
                self.labels[_data.normalise_message(leaky)] = f"{fields['function']}:{value}"
            return json.dumps({"messages": [leaky, *self.good_messages(fields)]})
        if behaviour == "near_duplicates":
            new = self.good_messages({**fields, "count": 1})[0]
            return json.dumps({"messages": [max(fields["value_examples"], key=len) + " now", new, new + " please"]})
        raise ValueError(f"unknown behaviour {behaviour!r}")

    def reply_body(self, body: dict, content: str) -> dict:
        if self.protocol == "ollama":
            return {"model": body["model"], "created_at": "2026-01-01T00:00:00Z",
                    "message": {"role": "assistant", "content": content},
                    "done": True, "done_reason": "stop"}
        return {"id": "chatcmpl-test", "object": "chat.completion", "created": 0, "model": body["model"],
                "system_fingerprint": "test",
                "choices": [{"index": 0, "finish_reason": "stop", "logprobs": None,
                             "message": {"role": "assistant", "content": content}}],
                "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}

    def error_body(self, code: int) -> dict:
        message = f"scripted error {code}"
        if self.protocol == "ollama":
            return {"error": message}
        return {"error": {"message": message, "type": "scripted", "code": code}}

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output quiet
                pass

            def send_json(self, code: int, payload: dict, headers: dict | None = None):
                data = json.dumps(payload).encode()
                try:
                    self.send_response(code)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for key, value in (headers or {}).items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
                    pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                judging = judge_fields(body) if self.path.endswith(("/chat/completions", "/api/chat")) else None
                server.requests.append({"path": self.path, "headers": {key.lower(): value for key, value in self.headers.items()}, "body": body,
                                        "judge": judging is not None})
                expected = "/v1/chat/completions" if server.protocol == "openai" else "/api/chat"
                if self.path != expected:
                    return self.send_json(404, server.error_body(404))
                if judging is not None:
                    time.sleep(server.judge_delay)
                    with server.lock:
                        behaviour = server.judge_script.pop(0) if server.judge_script else "good"
                else:
                    behaviour = server.next_behaviour(twin="\nBoundary to cross: " in body["messages"][-1]["content"])
                if isinstance(behaviour, tuple) and behaviour[0] == "status":
                    return self.send_json(behaviour[1], server.error_body(behaviour[1]),
                                          behaviour[2] if len(behaviour) > 2 else None)
                if behaviour == "garbage":
                    data = b"<html>upstream hiccup</html>"
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    return self.wfile.write(data)
                if isinstance(behaviour, tuple) and behaviour[0] == "slow":
                    time.sleep(behaviour[1])
                    behaviour = "good"
                if judging is not None:
                    return self.send_json(200, server.reply_body(body, server.judge_content(behaviour, judging)))
                content = server.content(behaviour, request_fields(body))
                self.send_json(200, server.reply_body(body, content))

        return Handler
