"""_inference.py on the tiny random Gemma 3: loading, and the shared-prefix fast path equal to
plain per-row greedy `generate` token for token."""

import json
import random
import shutil

import pytest
import torch

import _cli
import _format
import _inference

WORDS = ["speed", "wind", "water", "¿qué", "tiempo", "route", "café", "climb", "battery", "next", "km", "rain"]


@pytest.fixture(scope="module")
def tiny(tiny_model_dir):
    return _inference.load_model(str(tiny_model_dir))


@pytest.fixture(scope="module")
def stopping(tiny_model_dir):
    """The tiny model with its stop tokens' (tied) embeddings scaled up, so rows stop after a few tokens
    and at different steps: the fast path then has to drop finished rows from the batch."""
    model, tokenizer = _inference.load_model(str(tiny_model_dir))
    with torch.no_grad():
        model.get_input_embeddings().weight[_inference.stop_token_ids(tokenizer)] *= 10
    return model, tokenizer


def random_messages(count: int, seed: int) -> list[str]:
    """Short and long user turns: some far longer than the sliding window of 16 by themselves."""
    rng = random.Random(seed)
    lengths = [1, 2, 5, 40, 3, 60, 8, 25, 13, 1, 30, 4]
    return [" ".join(rng.choice(WORDS) for _ in range(lengths[index % len(lengths)])) for index in range(count)]


def test_training_precision_is_fp32_on_cpu():
    assert _inference.training_precision() is torch.float32


def test_shared_prefix_length_leaves_every_row_a_token():
    assert _inference.shared_prefix_length([[1, 2, 3, 4], [1, 2, 3, 5]]) == 3
    assert _inference.shared_prefix_length([[1, 2, 3], [1, 2, 3, 4]]) == 2
    assert _inference.shared_prefix_length([[7, 2], [8, 2]]) == 0


def test_prompts_share_the_developer_turn_and_cross_the_sliding_window(tiny, tools):
    model, tokenizer = tiny
    sequences = _inference.prompt_ids(tokenizer, tools, random_messages(4, 0))
    prefix = _inference.shared_prefix_length(sequences)
    assert prefix > 10 * model.config.sliding_window
    assert sequences[0][:1] == [_format.CONTROL_TOKEN_IDS[_format.BOS]] and sequences[0].count(2) == 1


@pytest.mark.parametrize("batch_size", [1, 3, 8])
def test_fast_path_equals_per_row_generate(tiny, tools, batch_size):
    model, tokenizer = tiny
    messages = random_messages(11, batch_size)
    expected = _inference.generate_per_row(model, tokenizer, tools, messages, max_new_tokens=12, progress=False)
    assert _inference.generate_answers(model, tokenizer, tools, messages, batch_size=batch_size,
                                       max_new_tokens=12, progress=False) == expected


@pytest.mark.parametrize("batch_size", [1, 3, 8])
def test_fast_path_equals_per_row_generate_when_rows_stop_at_different_steps(stopping, tools, batch_size):
    model, tokenizer = stopping
    messages = random_messages(12, 101)
    expected = _inference.generate_per_row(model, tokenizer, tools, messages, max_new_tokens=20, progress=False)
    stopped = {len(tokenizer(answer, add_special_tokens=False)["input_ids"])
               for answer in expected if answer.endswith(_format.STOP_TOKENS)}
    assert len(stopped) >= 3 and not all(answer.endswith(_format.STOP_TOKENS) for answer in expected), expected
    answers = _inference.generate_answers(model, tokenizer, tools, messages, batch_size=batch_size,
                                          max_new_tokens=20, progress=False)
    assert answers == expected
    assert all(answer.count(stop) <= 1 for answer in answers for stop in _format.STOP_TOKENS)


def test_the_sliding_window_changes_the_answers(tiny_model_dir, tiny, tools, tmp_path):
    """Guard for the tests above: the window really matters on these prompts, so equality with
    plain generate shows the fast path applies it the way transformers does."""
    model, tokenizer = tiny
    wide = tmp_path / "wide-window"
    shutil.copytree(tiny_model_dir, wide)
    config = json.loads((wide / "config.json").read_text())
    config["sliding_window"] = 4096
    (wide / "config.json").write_text(json.dumps(config))
    wide_model, _ = _inference.load_model(str(wide))
    messages = random_messages(4, 7)
    narrow = _inference.generate_answers(model, tokenizer, tools, messages, max_new_tokens=8, progress=False)
    assert _inference.generate_answers(wide_model, tokenizer, tools, messages, max_new_tokens=8,
                                       progress=False) != narrow
    assert _inference.generate_per_row(wide_model, tokenizer, tools, messages, max_new_tokens=8,
                                       progress=False) != narrow


def test_bf16_fast_path_differs_from_per_row_generate_only_at_near_ties(tiny_model_dir, tools):
    """bf16 (training's held-out evaluation on a GPU): the fast path multiplies batched, differently
    shaped matrices (the prefix keys once for all rows, the rows packed), so its sums round in
    another order than one row's own `generate`, and bf16 keeps 8 bits of mantissa. Greedy decoding
    can then pick another token where the two best logits are closer than that rounding. Measured
    here: how many rows agree, and that each row that differs first does so at such a near tie
    (the fp32 logits of the two picks closer than bf16's own error on that position)."""
    bf16, tokenizer = _inference.load_model(str(tiny_model_dir), dtype=torch.bfloat16)
    fp32, _ = _inference.load_model(str(tiny_model_dir), dtype=torch.float32)
    messages = random_messages(16, 5)
    expected = _inference.generate_per_row(bf16, tokenizer, tools, messages, max_new_tokens=12, progress=False)
    answers = _inference.generate_answers(bf16, tokenizer, tools, messages, batch_size=8, max_new_tokens=12,
                                          progress=False)
    agreeing = sum(answer == reference for answer, reference in zip(answers, expected))
    print(f"bf16: fast path equals per-row generate on {agreeing} of {len(messages)} rows")
    assert agreeing >= len(messages) // 2
    for prompt, answer, reference in zip(_inference.prompt_ids(tokenizer, tools, messages), answers, expected):
        if answer == reference:
            continue
        ours, theirs = (tokenizer(text, add_special_tokens=False)["input_ids"] for text in (answer, reference))
        step = next(index for index, (a, b) in enumerate(zip(ours, theirs)) if a != b)
        context = torch.tensor([prompt + theirs[:step]])
        with torch.inference_mode():
            exact, rounded = (model(input_ids=context, logits_to_keep=1).logits[0, -1].float() for model in (fp32, bf16))
        bf16_error = (rounded - exact).abs().max()
        assert (exact[theirs[step]] - exact[ours[step]]).abs() <= 2 * bf16_error, (answer, reference)


def test_model_attention_is_restored_after_generation(tiny, tools):
    model, tokenizer = tiny
    _inference.generate_answers(model, tokenizer, tools, ["speed?"], max_new_tokens=2, progress=False)
    assert model.config._attn_implementation == "eager"
    assert _inference.generate_answers(model, tokenizer, tools, [], progress=False) == []


def test_full_model_loading(tiny):
    model, tokenizer = tiny
    assert not model.training
    assert model.config._attn_implementation == "eager"
    assert model.dtype is torch.float32
    assert model.get_input_embeddings().weight.shape[0] == model.config.vocab_size == 262144  # never resized
    assert _inference.stop_token_ids(tokenizer) == [1, 106, 50]


def make_adapter(tiny_model_dir, target, with_tokenizer: bool):
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer
    torch.manual_seed(1)
    base = AutoModelForCausalLM.from_pretrained(tiny_model_dir, dtype=torch.float32, attn_implementation="eager")
    # init_lora_weights=False: random B, so the adapter really changes the outputs
    peft_model = get_peft_model(base, LoraConfig(r=4, lora_alpha=8, target_modules=["q_proj", "v_proj"],
                                                 init_lora_weights=False))
    peft_model.save_pretrained(target)
    if with_tokenizer:
        AutoTokenizer.from_pretrained(tiny_model_dir).save_pretrained(target)
    return peft_model.merge_and_unload()


def test_adapter_loading_merges_into_the_base(tiny_model_dir, tiny, tmp_path):
    merged = make_adapter(tiny_model_dir, tmp_path / "adapter", with_tokenizer=False)
    assert json.loads((tmp_path / "adapter" / "adapter_config.json").read_text())["base_model_name_or_path"]
    model, tokenizer = _inference.load_model(str(tmp_path / "adapter"))  # tokenizer from the base
    assert "lora" not in " ".join(name for name, _ in model.named_parameters())
    assert model.config._attn_implementation == "eager" and not model.training
    ids = torch.tensor([[2, 105, 1437, 107]])
    with torch.no_grad():
        assert torch.allclose(model(ids).logits, merged(ids).logits, atol=1e-5)
        assert not torch.allclose(model(ids).logits, tiny[0](ids).logits, atol=1e-3)
    assert tokenizer.convert_tokens_to_ids("<start_function_call>") == 48


def test_adapter_with_unreachable_base_is_a_data_error(tiny_model_dir, tmp_path):
    adapter = tmp_path / "adapter"
    make_adapter(tiny_model_dir, adapter, with_tokenizer=True)
    config = json.loads((adapter / "adapter_config.json").read_text())
    config["base_model_name_or_path"] = str(tmp_path / "moved-away")
    (adapter / "adapter_config.json").write_text(json.dumps(config))
    with pytest.raises(_cli.DataError, match="moved-away: cannot load base model"):
        _inference.load_model(str(adapter))
    model, _ = _inference.load_model(str(adapter), base_model=str(tiny_model_dir))  # --base-model wins
    assert model.get_input_embeddings().weight.shape[0] == 262144


def test_unloadable_models_are_data_errors(tmp_path):
    with pytest.raises(_cli.DataError, match="no such model directory"):
        _inference.load_model(str(tmp_path / "missing" / "model"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(_cli.DataError, match="cannot load model") as error:
        _inference.load_model(str(tmp_path / "empty"))
    assert "\n" not in str(error.value)
