"""Shared-prefix training (_shared_prefix.py): same loss and gradients as one full sequence per row
(without dropout, which makes it take the standard path)."""

import pytest
import torch

import _format
import _shared_prefix
import stand_in
import train_functiongemma as train

RELATIVE = 1e-4


def load_model(model_dir, lora: bool, dropout: float = 0.0):
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    torch.manual_seed(0)
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32, attn_implementation="eager")
    if lora:
        # Random B as well as A (init_lora_weights=False), so that every adapter weight gets a gradient.
        model = get_peft_model(model, LoraConfig(r=4, lora_alpha=8, lora_dropout=dropout, target_modules="all-linear",
                                                 init_lora_weights=False, task_type="CAUSAL_LM"))
    model.train()
    return model


def encoded_rows(tokenizer, tools, examples):
    return [_format.tokenize_example(tokenizer, tools, example) for example in examples]


def uneven_examples(examples, count):
    """Rows whose suffixes (user turn + answer) all have different lengths."""
    chosen, lengths = [], set()
    for example in examples:
        size = len(example.message) + len(_format.render_completion(example.call))
        if size not in lengths:
            chosen.append(example)
            lengths.add(size)
        if len(chosen) == count:
            return chosen
    raise AssertionError("not enough distinct rows")


def padded_batch(rows):
    """Right-padded input_ids, attention_mask and labels (prompt masked) like TRL's collator."""
    length = max(len(prompt) + len(completion) for prompt, completion in rows)
    input_ids, attention_mask, labels = [], [], []
    for prompt, completion in rows:
        padding = length - len(prompt) - len(completion)
        input_ids.append(prompt + completion + [0] * padding)
        attention_mask.append([1] * (len(prompt) + len(completion)) + [0] * padding)
        labels.append([-100] * len(prompt) + completion + [-100] * padding)
    return torch.tensor(input_ids), torch.tensor(attention_mask), torch.tensor(labels)


def take_gradients(model) -> dict:
    gradients = {name: parameter.grad.clone() for name, parameter in model.named_parameters()
                 if parameter.requires_grad}
    model.zero_grad(set_to_none=True)
    return gradients


def per_row_loss(model, rows):
    """The reference: each row alone through the model's own forward, token losses summed, mean over the batch."""
    total = torch.zeros(())
    for prompt, completion in rows:
        logits = model(input_ids=torch.tensor([prompt + completion])).logits[0, len(prompt) - 1:-1]
        total = total + torch.nn.functional.cross_entropy(logits.float(), torch.tensor(completion), reduction="sum")
    return total / sum(len(completion) for _, completion in rows)


def assert_gradients_equal(actual: dict, expected: dict):
    assert actual.keys() == expected.keys() and expected
    for name, reference in expected.items():
        assert reference.norm() > 0, f"{name} got no gradient in the reference"
        error = (actual[name] - reference).norm() / reference.norm()
        assert error < RELATIVE, f"{name}: relative gradient error {error:.2e}"


@pytest.fixture(scope="module")
def wide_window_model_dir(tmp_path_factory):
    """Tiny Gemma 3 whose sliding window (2048) is longer than the whole prompt."""
    return stand_in.tiny_gemma3(tmp_path_factory.mktemp("tiny-gemma3-wide"), sliding_window=2048)


def test_prefix_stops_before_the_first_labelled_position():
    input_ids = torch.tensor([[2, 5, 6, 7, 8, 9], [2, 5, 6, 7, 4, 0]])
    attention_mask = torch.tensor([[1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 0]])
    labels = torch.tensor([[-100, -100, -100, -100, 8, 9], [-100, -100, -100, -100, 4, -100]])
    assert _shared_prefix.batch_prefix_length(input_ids, attention_mask, labels) == 3
    # Same prompt, labels starting earlier: the prefix ends one token before the earliest label.
    labels[1, 2:5] = torch.tensor([6, 7, 4])
    assert _shared_prefix.batch_prefix_length(input_ids, attention_mask, labels) == 1
    # Rows differing from the second token share only <bos>; no labels at all means nothing to do.
    assert _shared_prefix.batch_prefix_length(torch.tensor([[2, 5, 6], [2, 6, 6]]), torch.ones(2, 3),
                                              torch.tensor([[-100, -100, 6], [-100, -100, 6]])) == 1
    assert _shared_prefix.batch_prefix_length(input_ids, attention_mask, torch.full_like(labels, -100)) == 0


def test_left_padding_has_no_shared_prefix():
    input_ids = torch.tensor([[0, 2, 5, 6], [2, 5, 6, 7]])
    attention_mask = torch.tensor([[0, 1, 1, 1], [1, 1, 1, 1]])
    labels = torch.tensor([[-100, -100, -100, 6], [-100, -100, -100, 7]])
    assert _shared_prefix.batch_prefix_length(input_ids, attention_mask, labels) == 0


@pytest.mark.parametrize("window, lora", [("short", True), ("wide", True), ("short", False)],
                         ids=["lora-prefix-longer-than-window", "lora-prefix-inside-window",
                              "full-finetune-prefix-longer-than-window"])
def test_loss_and_every_gradient_match_per_row(window, lora, tiny_model_dir, wide_window_model_dir, tokenizer,
                                               tools, seed_examples):
    model_dir = tiny_model_dir if window == "short" else wide_window_model_dir
    model = load_model(model_dir, lora)
    rows = encoded_rows(tokenizer, tools, uneven_examples(seed_examples, 5))
    input_ids, attention_mask, labels = padded_batch(rows)
    prefix_length = _shared_prefix.batch_prefix_length(input_ids, attention_mask, labels)
    sliding_window = model.config.sliding_window
    assert prefix_length > 0
    assert (prefix_length > sliding_window) == (window == "short")
    assert len({len(prompt) + len(completion) - prefix_length for prompt, completion in rows}) == len(rows)

    expected_loss = per_row_loss(model, rows)
    expected_loss.backward()
    expected = take_gradients(model)

    logits, targets = _shared_prefix.shared_prefix_logits(model, input_ids, attention_mask, labels, prefix_length)
    loss = torch.nn.functional.cross_entropy(logits, targets, reduction="sum") / targets.numel()
    loss.backward()
    actual = take_gradients(model)

    assert targets.tolist() == [token for _, completion in rows for token in completion]
    assert abs(loss.item() - expected_loss.item()) <= RELATIVE * expected_loss.item()
    assert_gradients_equal(actual, expected)


def test_bf16_autocast_loss_is_close(tiny_model_dir, tokenizer, tools, seed_examples):
    model = load_model(tiny_model_dir, lora=True)
    rows = encoded_rows(tokenizer, tools, uneven_examples(seed_examples, 3))
    input_ids, attention_mask, labels = padded_batch(rows)
    prefix_length = _shared_prefix.batch_prefix_length(input_ids, attention_mask, labels)
    with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16):
        expected = per_row_loss(model, rows)
        logits, targets = _shared_prefix.shared_prefix_logits(model, input_ids, attention_mask, labels, prefix_length)
    loss = torch.nn.functional.cross_entropy(logits, targets)
    assert loss.item() == pytest.approx(expected.item(), rel=1e-2)


def train_two_steps(trainer_class, model_dir, dataset, output_dir):
    """Two SGD steps (a plain gradient step, so the update shows the gradient's scale) with
    gradient accumulation over micro-batches of uneven rows; returns trainer and weight changes."""
    from trl import SFTConfig

    model = load_model(model_dir, lora=True)
    before = {name: parameter.detach().clone() for name, parameter in model.named_parameters()
              if parameter.requires_grad}
    config = SFTConfig(output_dir=str(output_dir), max_steps=2, per_device_train_batch_size=3,
                       gradient_accumulation_steps=2, learning_rate=0.5, optim="sgd", lr_scheduler_type="constant",
                       completion_only_loss=True, gradient_checkpointing=False, bf16=False, logging_steps=1,
                       save_strategy="no", report_to="none", use_cpu=True, seed=7)
    trainer = trainer_class(model=model, args=config, train_dataset=dataset)
    trainer.train()
    changes = {name: parameter.detach() - before[name] for name, parameter in model.named_parameters()
               if parameter.requires_grad}
    return trainer, changes


def test_trainer_steps_match_trl_default(tiny_model_dir, tokenizer, tools, seed_examples, tmp_path):
    from trl import SFTTrainer

    # One declared tool keeps the prompt short (TRL's CPU path scores every position over the
    # full vocabulary, slowly) and still longer than the sliding window.
    rows = encoded_rows(tokenizer, tools[:1], uneven_examples(seed_examples, 12))
    dataset = train.training_dataset(rows)
    shared_class = _shared_prefix.shared_prefix_trainer_class()
    shared, shared_changes = train_two_steps(shared_class, tiny_model_dir, dataset, tmp_path / "shared")
    standard, standard_changes = train_two_steps(SFTTrainer, tiny_model_dir, dataset, tmp_path / "standard")

    batch = shared._prepare_inputs(next(iter(shared.get_train_dataloader())))
    assert shared.shared_prefix_for(shared.model, batch, return_outputs=False) > shared.model.config.sliding_window
    assert_gradients_equal(shared_changes, standard_changes)
    shared_losses = [entry["loss"] for entry in shared.state.log_history if "loss" in entry]
    standard_losses = [entry["loss"] for entry in standard.state.log_history if "loss" in entry]
    assert len(shared_losses) == 2 and shared_losses == pytest.approx(standard_losses, rel=RELATIVE)
    accuracy = [entry["mean_token_accuracy"] for entry in shared.state.log_history if "mean_token_accuracy" in entry]
    assert accuracy == pytest.approx(
        [entry["mean_token_accuracy"] for entry in standard.state.log_history if "mean_token_accuracy" in entry])


def test_gradient_checkpointing_is_switched_off(tiny_model_dir, tokenizer, tools, seed_examples, tmp_path):
    from trl import SFTConfig

    rows = encoded_rows(tokenizer, tools, seed_examples[:2])
    dataset = train.training_dataset(rows)
    config = SFTConfig(output_dir=str(tmp_path), max_steps=1, report_to="none", use_cpu=True,
                       completion_only_loss=True, gradient_checkpointing=True)
    trainer = _shared_prefix.shared_prefix_trainer_class()(model=load_model(tiny_model_dir, lora=True), args=config,
                                                           train_dataset=dataset)
    assert not trainer.args.gradient_checkpointing
    batch = trainer._prepare_inputs(next(iter(trainer.get_train_dataloader())))
    assert trainer.shared_prefix_for(trainer.model, batch, return_outputs=False) > 0


def test_active_dropout_takes_the_standard_path(tiny_model_dir, tokenizer, tools, seed_examples, tmp_path):
    """Computed once, the prefix would give every row of the batch the same dropout mask."""
    from trl import SFTConfig

    rows = encoded_rows(tokenizer, tools, seed_examples[:2])
    dataset = train.training_dataset(rows)
    config = SFTConfig(output_dir=str(tmp_path), max_steps=1, report_to="none", use_cpu=True,
                       completion_only_loss=True)
    trainer = _shared_prefix.shared_prefix_trainer_class()(model=load_model(tiny_model_dir, lora=True, dropout=0.1),
                                                           args=config, train_dataset=dataset)
    batch = trainer._prepare_inputs(next(iter(trainer.get_train_dataloader())))
    assert trainer.model.training and trainer.shared_prefix_for(trainer.model, batch, return_outputs=False) == 0
    trainer.model.eval()  # dropout is inactive: the shared prefix applies again
    assert trainer.shared_prefix_for(trainer.model, batch, return_outputs=False) > 0
