"""Constrained decoding like LiteRT-LM's FunctionGemma constraint, for the PyTorch evaluation.

Single source: scripts carry a copy between `# --- begin _constrained.py` / `# --- end
_constrained.py` marker lines; edit this file, then run `python dev/sync_vendored.py`. torch is
imported inside the functions that need it.

The grammar is built from the declared tools, as the device builds its own:

- `calls`: the answer is one call,
  `<start_function_call>call:NAME{KEY:<escape>VALUE<escape>,...}<end_function_call><start_function_response>`;
  string enum values are strict alternatives, a string without enum is any text up to
  `<escape>`, booleans are `true`/`false`; keys come sorted like the training template renders
  them, required ones never skipped.
- `calls_or_text`: free text (every token but `<pad>`), which ends with a stop token (`<end_of_turn>`
  for prose) or switches to the call grammar at `<start_function_call>`; nothing after a call.

At the token level a token is allowed when its text continues a valid answer: every split is
fine (`sp`+`ort` as well as `sport`), a token may span grammar boundaries (`{query`), control
tokens are atomic symbols allowed only where the grammar has them. These are the rules measured on
LiteRT-LM's FST constraint (see README "On the device"). Deliberate differences, all of them
strings a one-call router rejects anyway: the FST also lets `calls` end at once with a stop token
(an empty answer), accepts several calls in a row and optional single spaces around `:` and `,`,
and orders keys as declared rather than sorted.

Cheaper decoding: `ConstrainedPolicy` projects the final hidden state only onto the allowed
tokens' rows of the output matrix (a few hundred of 262k inside a call) and appends tokens that
are the only choice (`<start_function_call>`, `<escape>` after a key, `<end_function_call>`, ...)
without computing any logits, in the same forward pass as the chosen token before them.
"""

import re

from _cli import DataError
from _format import END_CALL, ESCAPE, PAD, START_CALL, START_RESPONSE, STOP_TOKENS
from _inference import output_logits, stop_token_ids

MODES = ("none", "calls", "calls_or_text")
BYTE_TOKEN = re.compile(r"<0x([0-9A-Fa-f]{2})>")


class _Node:
    """A state of the character-level grammar. `edges` maps one character, or a control token
    (several characters, e.g. "<escape>"), to the next state. A `free` state (a string body)
    stays put on any plain text; a `text` state (free prose) on any token but <start_function_call>."""

    __slots__ = ("edges", "free", "text")

    def __init__(self, free: bool = False, text: bool = False):
        self.edges, self.free, self.text = {}, free, text


def _path(node: _Node, text: str, end: _Node | None = None) -> _Node:
    """Follow or create the states spelling `text` from `node`; the last one is `end` if given."""
    for index, char in enumerate(text):
        last = index == len(text) - 1
        target = node.edges.get(char)
        if target is None:
            target = end if last and end is not None else _Node()
            node.edges[char] = target
        elif last and end is not None and target is not end:
            raise DataError(f"--constrained: ambiguous grammar at {text!r} (two values share a spelling)")
        node = target
    return node


def _symbol(node: _Node, token: str, end: _Node | None = None) -> _Node:
    if token not in node.edges:
        node.edges[token] = end or _Node()
    return node.edges[token]


def _value(start: _Node, name: str, key: str, schema: dict, end: _Node) -> None:
    kind = str(schema.get("type", "")).lower()
    if kind == "string":
        opened = _symbol(start, ESCAPE)
        if "enum" in schema:
            for value in schema["enum"]:
                _symbol(_path(opened, value), ESCAPE, end)
        else:
            opened.free = True
            _symbol(opened, ESCAPE, end)
    elif kind == "boolean":
        for literal in ("true", "false"):
            _path(start, literal, end)
    else:
        raise DataError(f"--constrained: argument {key!r} of {name} is of type {kind}; the constraint handles "
                        "strings (enum or free) and booleans")


def _call_grammar(tools: list[dict], after_start: _Node) -> None:
    """`call:NAME{...}<end_function_call><start_function_response>` for every tool, from the state
    after <start_function_call>."""
    names = _path(after_start, "call:")
    done = _Node()  # after <start_function_response>, a stop token: decoding ends there
    for tool in tools:
        function = tool["function"]
        parameters = function.get("parameters") or {}
        properties = parameters.get("properties") or {}
        required = set(parameters.get("required") or [])
        keys = sorted(properties)
        # states[p]: after the first p keys' turn (each key taken or skipped); keys follow in sorted order
        states = [_path(names, function["name"] + "{")] + [_Node() for _ in keys]
        for position, state in enumerate(states):
            for index in range(position, len(keys)):
                key = keys[index]
                separator = "," if position else ""
                _value(_path(state, f"{separator}{key}:"), function["name"], key, properties[key], states[index + 1])
                if key in required:  # a required key cannot be skipped
                    break
            if not required.intersection(keys[position:]):
                _symbol(_symbol(_path(state, "}"), END_CALL), START_RESPONSE, done)


def grammar(tools: list[dict], mode: str) -> _Node:
    """The start state of the answer grammar of `mode` ("calls" or "calls_or_text")."""
    if mode not in MODES[1:]:
        raise DataError(f"--constrained {mode!r}: choose one of {', '.join(MODES)}")
    start = _Node(text=mode == "calls_or_text")
    _call_grammar(tools, _symbol(start, START_CALL))
    return start


def token_texts(tokenizer, size: int) -> dict[int, str]:
    """Id -> text of every plain token below `size` (the model's output rows): SentencePiece's `▁`
    is a space, byte tokens of ASCII are their character; control/special tokens are left out."""
    specials = {index for index, token in tokenizer.added_tokens_decoder.items() if token.special}
    texts = {}
    for index, piece in enumerate(tokenizer.convert_ids_to_tokens(list(range(min(size, len(tokenizer)))))):
        if index in specials or piece is None:
            continue
        byte = BYTE_TOKEN.fullmatch(piece)
        if byte:
            if int(byte.group(1), 16) < 0x80:
                texts[index] = chr(int(byte.group(1), 16))
            continue  # a lone non-ASCII byte is no character of its own
        texts[index] = piece.replace("\u2581", " ")
    return texts


class ToolCallConstraint:
    """The grammar of `mode` over a tokenizer's vocabulary: which token ids may follow a state
    (`allowed`) and where each leads (`advance`). Both are computed once per state and cached."""

    def __init__(self, tokenizer, tools: list[dict], mode: str, vocab_size: int | None = None):
        import torch
        size = vocab_size or len(tokenizer)
        self.start = grammar(tools, mode)
        self.texts = token_texts(tokenizer, size)
        self.by_text = {}
        for index, text in self.texts.items():
            self.by_text.setdefault(text, []).append(index)
        self.longest = max(len(text) for text in self.texts.values())
        self.symbols = {token: tokenizer.convert_tokens_to_ids(token) for token in (START_CALL, END_CALL, ESCAPE, START_RESPONSE)}
        self.symbol_names = {index: token for token, index in self.symbols.items()}
        self.pad = tokenizer.convert_tokens_to_ids(PAD)
        self.stops = set(stop_token_ids(tokenizer))
        self.size = size
        # banned in a free string: every control/special token but the closing <escape>
        self.not_plain = torch.tensor(sorted(set(range(size)) - set(self.texts) - {self.symbols[ESCAPE]}),
                                      dtype=torch.long)
        self._allowed, self._moves, self._exits_cache = {}, {}, {}

    def allowed(self, node: _Node):
        """(ids, banned): the sorted LongTensor of allowed ids, or ids None and every id but `banned`."""
        key = id(node)
        if key not in self._allowed:
            self._allowed[key] = self._compute_allowed(node)
        return self._allowed[key]

    def _compute_allowed(self, node: _Node):
        import torch
        if node.text:
            return None, torch.tensor([self.pad])
        if node.free:
            return None, self.not_plain
        found = {self.symbols[token] for token in node.edges if token in self.symbols}
        stack = [(node, "")]
        while stack:  # every character path up to the longest token: the plain tokens spelling one
            state, text = stack.pop()
            for char, target in state.edges.items():
                if len(char) != 1:
                    continue
                spelled = text + char
                found.update(self.by_text.get(spelled, ()))
                if len(spelled) < self.longest and not target.free:
                    stack.append((target, spelled))
        if not found:
            raise RuntimeError("constrained decoding reached a state with no allowed token")
        return torch.tensor(sorted(found), dtype=torch.long), None

    def advance(self, node: _Node, token: int) -> _Node:
        key = (id(node), token)
        if key not in self._moves:
            self._moves[key] = self._compute_move(node, token)
        return self._moves[key]

    def _compute_move(self, node: _Node, token: int) -> _Node:
        if node.text and token != self.symbols[START_CALL]:
            return node
        if token in self.symbol_names:
            return node.edges[self.symbol_names[token]]
        if node.free:
            return node
        for char in self.texts[token]:
            node = node.edges[char]
        return node

    def distance(self, node: _Node) -> int:
        """The fewest tokens that complete an answer from `node` (a stop token included)."""
        return int(self._exits(node)[1].min())

    def _exits(self, node: _Node):
        """(ids, costs): the tokens that lead out of `node` (all its allowed ones; for a state that
        stays put on plain tokens, those that leave it: stops and <start_function_call>, or
        <escape>), and for each the fewest tokens of an answer through it."""
        import torch
        key = id(node)
        if key not in self._exits_cache:
            ids, _ = self.allowed(node)
            if ids is None:
                leaving = sorted(self.stops | {self.symbols[START_CALL]}) if node.text else [self.symbols[ESCAPE]]
                ids = torch.tensor(leaving, dtype=torch.long)
            costs = torch.tensor([1 if token in self.stops else 1 + self.distance(self.advance(node, token))
                                  for token in ids.tolist()])
            self._exits_cache[key] = ids, costs
        return self._exits_cache[key]

    def options(self, node: _Node, remaining: int):
        """`allowed`, narrowed to the tokens after which an answer still fits in `remaining` tokens
        (`begin` checks the first state, so some token always fits and no answer is ever cut)."""
        import torch
        ids, banned = self.allowed(node)
        exits, costs = self._exits(node)
        if ids is None and remaining >= 1 + int(costs.min()):  # a plain token (staying put) leaves room to finish
            # ...but an exit may not: in prose, a call too long for the budget must not be opened
            return ids, torch.cat([banned, exits[costs > remaining]])
        if ids is not None and remaining >= int(costs.max()):
            return ids, banned
        return exits[costs <= remaining], None

    def forced(self, node: _Node) -> tuple[list[int], _Node]:
        """The tokens that are the only choice from `node` on, and the state after them."""
        tokens = []
        while True:
            ids, _ = self.allowed(node)
            if ids is None or len(ids) != 1:
                return tokens, node
            token = int(ids[0])
            tokens.append(token)
            if token in self.stops:
                return tokens, node
            node = self.advance(node, token)

    def accepts(self, tokens: list[int]) -> bool:
        """Whether the token sequence is a complete answer of the grammar (ends with a stop)."""
        node = self.start
        for position, token in enumerate(tokens):
            ids, banned = self.allowed(node)
            allowed = (token < self.size and token not in set(banned.tolist())) if ids is None else token in set(ids.tolist())
            if not allowed:
                return False
            if token in self.stops:
                return position == len(tokens) - 1
            node = self.advance(node, token)
        return False


class ConstrainedPolicy:
    """A `generate_answers` policy: greedy under `constraint`, logits only for allowed tokens,
    forced tokens appended without logits."""

    def __init__(self, model, constraint: ToolCallConstraint):
        self.model, self.constraint = model, constraint
        self.nodes, self.left = {}, {}

    def begin(self, rows: int, max_new_tokens: int) -> list[list[int]]:
        """Fresh rows; each answer must fit in `max_new_tokens` (so it always parses)."""
        shortest = self.constraint.distance(self.constraint.start)
        if shortest > max_new_tokens:
            raise DataError(f"--max-new-tokens {max_new_tokens} is shorter than the shortest constrained "
                            f"answer ({shortest} tokens)")
        tokens, node = self.constraint.forced(self.constraint.start)
        self.nodes = {row: node for row in range(rows)}
        self.left = {row: max_new_tokens - len(tokens) for row in range(rows)}
        return [list(tokens) for _ in range(rows)]

    def choose(self, hidden, rows: list[int]) -> list[list[int]]:
        import torch
        allowed = [self.constraint.options(self.nodes[row], self.left[row]) for row in rows]
        chosen = [0] * len(rows)
        sliced = [position for position, (ids, _) in enumerate(allowed) if ids is not None]
        if sliced:
            union = torch.unique(torch.cat([allowed[position][0] for position in sliced]))
            logits = output_logits(self.model, hidden[sliced], union.to(hidden.device))
            permitted = torch.zeros(logits.shape, dtype=torch.bool)
            for line, position in enumerate(sliced):
                permitted[line, torch.searchsorted(union, allowed[position][0])] = True
            best = logits.masked_fill(~permitted.to(logits.device), float("-inf")).argmax(dim=-1).cpu()
            for line, position in enumerate(sliced):
                chosen[position] = int(union[best[line]])
        full = [position for position, (ids, _) in enumerate(allowed) if ids is None]
        if full:
            logits = output_logits(self.model, hidden[full])
            for line, position in enumerate(full):
                logits[line, allowed[position][1].to(logits.device)] = float("-inf")
            for position, token in zip(full, logits.argmax(dim=-1).tolist()):
                chosen[position] = token
        chunks = []
        for row, token in zip(rows, chosen):
            if token in self.constraint.stops:
                chunks.append([token])
                continue
            forced, self.nodes[row] = self.constraint.forced(self.constraint.advance(self.nodes[row], token))
            chunks.append([token] + forced)
            self.left[row] -= len(chunks[-1])
        return chunks


def constrained_policy(model, tokenizer, tools: list[dict], mode: str):
    """The `generate_answers` policy of `--constrained MODE`: None for "none" (plain greedy)."""
    if mode == "none":
        return None
    vocab_size = model.get_output_embeddings().weight.shape[0]
    return ConstrainedPolicy(model, ToolCallConstraint(tokenizer, tools, mode, vocab_size))


def _regex_escape(text: str) -> str:
    return re.sub(r"([\\.+*?()|\[\]{}^$])", r"\\\1", text)


def call_regex(tools: list[dict], mode: str) -> str:
    """The same answer grammar as a regular expression, for LiteRT-LM's LL_GUIDANCE constraint
    (`ResponseFormat.regex`). Free text is `[^<]*` there (llguidance matches control tokens by
    their text, so prose may not spell a `<`); a free string `[^<]*` too. Text ends with a stop
    token written out in the regex: llguidance forbids every token the regex does not spell, and
    a text-only regex left the device unable to end a no-call reply with `<end_of_turn>`."""
    def value(schema: dict) -> str:
        if str(schema.get("type", "")).lower() == "boolean":
            return "(true|false)"
        inner = "(" + "|".join(_regex_escape(v) for v in schema["enum"]) + ")" if "enum" in schema else "[^<]*"
        return _regex_escape(ESCAPE) + inner + _regex_escape(ESCAPE)

    def arguments(function: dict) -> str:
        parameters = function.get("parameters") or {}
        properties = parameters.get("properties") or {}
        required = set(parameters.get("required") or [])
        keys = sorted(properties)

        def after(position: int) -> str:  # the rest of the argument list after `position` keys' turn
            options = []
            for index in range(position, len(keys)):
                separator = "," if position else ""
                options.append(f"{separator}{_regex_escape(keys[index])}:{value(properties[keys[index]])}"
                               + after(index + 1))
                if keys[index] in required:
                    break
            if not required.intersection(keys[position:]):
                options.append("")
            return options[0] if len(options) == 1 else "(" + "|".join(options) + ")"

        return after(0)

    grammar(tools, mode)  # the same checks (mode, supported types) as the token-level constraint
    calls = "|".join(_regex_escape(tool["function"]["name"]) + r"\{" + arguments(tool["function"]) + r"\}"
                     for tool in tools)
    call = (_regex_escape(START_CALL) + "call:(" + calls + ")" + _regex_escape(END_CALL)
            + _regex_escape(START_RESPONSE))
    stop = "|".join(_regex_escape(token) for token in STOP_TOKENS)
    return call if mode == "calls" else f"[^<]*({stop}|{call})"
