"""_constrained.py: the token-level grammar checked against a brute-force enumeration of every
tokenization of every allowed answer, and greedy constrained decoding on the tiny random Gemma 3
checked against a plain greedy walk over that enumeration."""

import functools
import re

import pytest
import torch

import _cli
import _constrained
import _data
import _format
import _inference
from _data import Call

START, END, ESC, RESPONSE = (_format.CONTROL_TOKEN_IDS[token] for token in (
    _format.START_CALL, _format.END_CALL, _format.ESCAPE, _format.START_RESPONSE))
END_OF_TURN = _format.CONTROL_TOKEN_IDS[_format.END_OF_TURN]
# Small enough to enumerate every tokenization: two names sharing a prefix, a parameterless tool.
SMALL_TOOLS = [
    {"type": "function", "function": {"name": "go", "description": "Go somewhere.", "parameters": {
        "type": "object", "properties": {"q": {"type": "string", "enum": ["a", "bc"]}}, "required": ["q"]}}},
    {"type": "function", "function": {"name": "gone", "description": "Stop.", "parameters": {"type": "object"}}},
]


@pytest.fixture(scope="module")
def tiny(tiny_model_dir):
    return _inference.load_model(str(tiny_model_dir))


def spellings(tokenizer):
    """text -> ids of the plain tokens spelling it, found from the vocabulary pieces and checked with
    the tokenizer's own decode (independently of `_constrained.token_texts`)."""
    vocabulary = tokenizer.get_vocab()

    @functools.lru_cache(maxsize=None)
    def ids(text: str) -> tuple[int, ...]:
        candidates = {vocabulary.get(text)}
        if len(text) == 1 and ord(text) < 0x80:
            candidates.add(vocabulary.get(f"<0x{ord(text):02X}>"))
        return tuple(sorted(i for i in candidates - {None} if tokenizer.decode([i]) == text))

    return ids


def every_tokenization(tokenizer, pieces: list) -> set[tuple[int, ...]]:
    """All token sequences of an answer given as control-token ids and runs of plain text."""
    spelled = spellings(tokenizer)

    @functools.lru_cache(maxsize=None)
    def split(text: str) -> tuple[tuple[int, ...], ...]:
        if not text:
            return ((),)
        return tuple((token,) + rest for end in range(1, len(text) + 1) for token in spelled(text[:end])
                     for rest in split(text[end:]))

    sequences = [()]
    for piece in pieces:
        options = [(piece,)] if isinstance(piece, int) else split(piece)
        sequences = [sequence + option for sequence in sequences for option in options]
    return set(sequences)


@pytest.fixture(scope="module")
def small_answers(tokenizer):
    """Every allowed complete answer of SMALL_TOOLS in `calls` mode, in every tokenization."""
    answers = set()
    for value in ("a", "bc"):
        answers |= every_tokenization(tokenizer, [START, "call:go{q:", ESC, value, ESC, "}", END, RESPONSE])
    answers |= every_tokenization(tokenizer, [START, "call:gone{}", END, RESPONSE])
    assert 10_000 < len(answers) < 100_000
    return answers


def continuations(answers) -> dict[tuple, set[int]]:
    nexts = {}
    for answer in answers:
        for length in range(len(answer)):
            nexts.setdefault(answer[:length], set()).add(answer[length])
    return nexts


def test_allowed_tokens_are_exactly_the_continuations_of_every_tokenization(tokenizer, small_answers):
    """At every prefix of every allowed answer the constraint allows exactly the next tokens of the
    enumerated answers (so any split is fine, tokens may span `{q` or `{}`, and nothing else is
    allowed), and it accepts each enumerated answer: its language is exactly the enumeration."""
    constraint = _constrained.ToolCallConstraint(tokenizer, SMALL_TOOLS, "calls")
    nexts = continuations(small_answers)
    nodes = {(): constraint.start}
    for prefix in sorted(nexts, key=len):
        ids, banned = constraint.allowed(nodes[prefix])
        assert banned is None and set(ids.tolist()) == nexts[prefix], prefix
        for token in nexts[prefix]:
            if token != RESPONSE:
                nodes[prefix + (token,)] = constraint.advance(nodes[prefix], token)
    assert all(constraint.accepts(list(answer)) for answer in small_answers)
    assert len(nexts[(START,)]) > 4  # c, ca, cal, call (and the byte token of c)


def reference_walk(model, tokenizer, tools, message: str, answers) -> list[int]:
    """Greedy over the enumerated answers: at each step the highest-logit next token among the
    answers continuing what was chosen so far, from a plain full forward pass (no cache, full
    vocabulary projection, no batching)."""
    prompt = _inference.prompt_ids(tokenizer, tools, [message])[0]
    nexts = continuations(answers)
    chosen = ()
    while chosen not in answers:
        candidates = sorted(nexts[chosen])
        with torch.no_grad():
            logits = model(torch.tensor([prompt + list(chosen)])).logits[0, -1]
        chosen += (candidates[int(logits[candidates].argmax())],)
    return list(chosen)


class Recording(_constrained.ConstrainedPolicy):
    """The constrained policy, also keeping each row's appended tokens, batch by batch."""

    def __init__(self, model, constraint):
        super().__init__(model, constraint)
        self.batches = []

    def begin(self, rows, max_new_tokens):
        chunks = super().begin(rows, max_new_tokens)
        self.batches.append([list(chunk) for chunk in chunks])
        return chunks

    def choose(self, hidden, rows):
        chunks = super().choose(hidden, rows)
        for row, chunk in zip(rows, chunks):
            self.batches[-1][row].extend(chunk)
        return chunks


@pytest.mark.parametrize("batch_size", [1, 3])
def test_greedy_constrained_decoding_equals_the_greedy_walk_over_all_allowed_answers(
        tiny, small_answers, batch_size):
    """What this proves: the batched, shared-prefix, sliced-logit decoding with forced tokens
    appended in one pass picks token for token what greedy choice over the brute-force set of allowed
    answers picks, on a random model (near-uniform logits, so any masking or indexing slip shows).
    It is greedy, like LiteRT-LM: neither returns the answer of highest total probability, which can
    start with a token of lower probability; the reference is therefore the greedy walk, not the
    argmax over complete answers."""
    model, tokenizer = tiny
    messages = ["speed?", "where can I get water", "¿viento?", "go", "stop here please"]
    constraint = _constrained.ToolCallConstraint(tokenizer, SMALL_TOOLS, "calls")
    policy = Recording(model, constraint)
    answers = _inference.generate_answers(model, tokenizer, SMALL_TOOLS, messages, batch_size=batch_size,
                                          max_new_tokens=32, progress=False, policy=policy)
    expected = [reference_walk(model, tokenizer, SMALL_TOOLS, message, small_answers) for message in messages]
    # generate_answers orders rows by prompt length; map the recorded batches back through the texts
    recorded = [tokens for batch in policy.batches for tokens in batch]
    assert sorted(recorded) == sorted(expected)
    assert answers == [tokenizer.decode(tokens, skip_special_tokens=False) for tokens in expected]
    assert len({tuple(tokens) for tokens in expected}) > 1  # the rows really chose differently


def test_bundled_tools_every_constrained_answer_parses_within_the_budget(tiny, tools):
    """The random model spells values letter by letter; even with a tight budget it finishes a call."""
    model, tokenizer = tiny
    messages = ["speed?", "where can I get water", "¿va a llover?", "battery", "next 10k", "my profile"]
    policy = _constrained.constrained_policy(model, tokenizer, tools, "calls")
    for budget in (18, 32):
        answers = _inference.generate_answers(model, tokenizer, tools, messages, batch_size=4,
                                              max_new_tokens=budget, progress=False, policy=policy)
        for answer in answers:
            assert _format.parse_output(answer, tools).failure is None, answer
            assert len(tokenizer(answer, add_special_tokens=False)["input_ids"]) <= budget
    with pytest.raises(_cli.DataError, match="--max-new-tokens 5 is shorter than the shortest"):
        _inference.generate_answers(model, tokenizer, tools, messages[:1], max_new_tokens=5, progress=False,
                                    policy=policy)


def tokens_of(tokenizer, text: str) -> list[int]:
    return tokenizer(text, add_special_tokens=False)["input_ids"]


def test_calls_or_text_allows_prose_ended_by_end_of_turn_or_a_call_and_nothing_after_it(tokenizer, tools):
    calls = _constrained.ToolCallConstraint(tokenizer, tools, "calls")
    either = _constrained.ToolCallConstraint(tokenizer, tools, "calls_or_text")
    call = tokens_of(tokenizer, _format.render_completion(Call.make("find_nearby_poi", {"query": "water"})))
    prose = tokens_of(tokenizer, "Sorry, I can't do that on a ride.") + [END_OF_TURN]
    assert either.accepts(prose) and not calls.accepts(prose)
    assert either.accepts(call) and calls.accepts(call)
    assert either.accepts(tokens_of(tokenizer, "Sure.") + call)  # text, then the call (as the device allows)
    assert not either.accepts(call[:-1] + [END_OF_TURN])  # a call ends with <start_function_response>
    assert not either.accepts(call[:-1] + tokens_of(tokenizer, "ok") + [RESPONSE])  # nothing after the call
    for wrong in ['call:find_nearby_poi{query:<escape>pizza<escape>}', 'call:order_pizza{query:<escape>water<escape>}',
                  'call:find_nearby_poi{query:water}', 'call:find_nearby_poi{query:<escape>water<escape>,x:1}']:
        answer = tokens_of(tokenizer, f"{_format.START_CALL}{wrong}{_format.END_CALL}{_format.START_RESPONSE}")
        assert not either.accepts(answer) and not calls.accepts(answer), wrong



def shortest_call(constraint) -> int:
    """Tokens of the shortest complete call, <start_function_call> included."""
    return 1 + constraint.distance(constraint.advance(constraint.start, START))


def test_calls_or_text_opens_a_call_only_when_the_budget_holds_one(tokenizer, tools):
    """In prose, <start_function_call> is allowed exactly while the tokens left hold the shortest
    complete call; prose (any plain token, then a stop) stays allowed below that."""
    either = _constrained.ToolCallConstraint(tokenizer, tools, "calls_or_text")
    shortest = shortest_call(either)
    for remaining in (shortest - 1, shortest, shortest + 1):
        ids, banned = either.options(either.start, remaining)
        too_short = {START} if remaining < shortest else set()
        assert ids is None and set(banned.tolist()) == {either.pad} | too_short, remaining  # the rest: prose
    ids, _ = either.options(either.start, 1)
    assert START not in ids and END_OF_TURN in ids  # one token left: only a stop


@pytest.mark.parametrize("offset", [-1, 0])
def test_calls_or_text_at_the_budget_edge_calls_in_full_or_answers_in_prose(tiny, tools, offset):
    """A bias on <start_function_call> (a negative call margin) makes the random model open a call
    wherever it may. With the budget one token short of the shortest call it must not open one (it
    did, and decoding crashed on a state with no token left to fit); with exactly that budget it
    makes the call. Either way every answer fits the budget and parses like the device does."""
    model, tokenizer = tiny
    vocab_size = model.get_output_embeddings().weight.shape[0]
    constraint = _constrained.ToolCallConstraint(tokenizer, tools, "calls_or_text", vocab_size)
    policy = Recording(model, constraint)
    budget = shortest_call(constraint) + offset
    messages = ["speed?", "where can I get water", "¿va a llover?", "battery"]
    _inference.apply_call_margin(model, tokenizer, -1000.0)
    try:
        answers = _inference.generate_answers(model, tokenizer, tools, messages, batch_size=3,
                                              max_new_tokens=budget, progress=False, policy=policy)
    finally:
        _inference.apply_call_margin(model, tokenizer, 0)
    for tokens in (tokens for batch in policy.batches for tokens in batch):
        assert len(tokens) <= budget and tokens[-1] in constraint.stops
    for answer in answers:
        assert _format.parse_output(answer, tools).failure == ("no_call" if offset < 0 else None), answer


def test_optional_boolean_and_free_string_arguments(tokenizer):
    tools = _data.parse_tools("""[{"type": "function", "function": {"name": "note", "parameters": {
        "type": "object", "properties": {"urgent": {"type": "boolean"}, "text": {"type": "string"},
        "tag": {"type": "string", "enum": ["x", "y"]}}, "required": ["text"]}}}]""", "test tools")
    constraint = _constrained.ToolCallConstraint(tokenizer, tools, "calls")

    def accepts(arguments: str) -> bool:
        return constraint.accepts(tokens_of(tokenizer, f"{_format.START_CALL}call:note{{{arguments}}}"
                                                      f"{_format.END_CALL}{_format.START_RESPONSE}"))
    assert accepts("text:<escape>buy milk, then\nbread<escape>")
    assert accepts("tag:<escape>x<escape>,text:<escape>a<escape>,urgent:true")  # keys sorted, as rendered
    assert accepts("text:<escape>a<escape>,urgent:false")
    assert not accepts("urgent:true,text:<escape>a<escape>")  # out of order
    assert not accepts("tag:<escape>x<escape>")  # the required text is missing
    assert not accepts("text:<escape>a<end_of_turn>b<escape>")  # control tokens never inside a string
    with pytest.raises(_cli.DataError, match="argument 'n' of count is of type integer"):
        _constrained.grammar([{"type": "function", "function": {"name": "count", "parameters": {
            "type": "object", "properties": {"n": {"type": "integer"}}}}}], "calls")


def test_output_logits_slice_equals_the_model_logits_with_softcapping(tmp_path):
    import stand_in
    capped = stand_in.tiny_gemma3(tmp_path / "capped", final_logit_softcapping=0.5)
    model, _ = _inference.load_model(str(capped))
    ids = torch.tensor([[2, 105, 1437, 107, 48]])
    with torch.no_grad():
        expected = model(ids).logits[:, -1]
        hidden = model.get_decoder()(ids).last_hidden_state[:, -1]
        assert expected.abs().max() <= 0.5  # the cap is in force
        assert torch.allclose(_inference.output_logits(model, hidden), expected, atol=1e-6)
        columns = torch.tensor([1, 48, 52, 262143])
        assert torch.allclose(_inference.output_logits(model, hidden, columns), expected[:, columns], atol=1e-6)


def test_regex_for_the_device_accepts_the_same_calls(tools):
    """The LL_GUIDANCE regex (Rust regex syntax; only constructs Python's `re` shares)."""
    calls = re.compile(_constrained.call_regex(tools, "calls"), re.S)
    either = re.compile(_constrained.call_regex(tools, "calls_or_text"), re.S)
    for name, values in _data.enum_values(tools).items():
        for value in values:
            answer = _format.render_completion(Call.make(name, {"query": value}))
            assert calls.fullmatch(answer) and either.fullmatch(answer)
    assert not calls.fullmatch(_format.render_completion(Call.make("find_nearby_poi", {"query": "pizza"})))
    no_call = _format.render_completion(None)  # the reply, then <end_of_turn>: the device must be let stop
    assert either.fullmatch(no_call) and not calls.fullmatch(no_call)
    assert not either.fullmatch(no_call.removesuffix(_format.END_OF_TURN))
