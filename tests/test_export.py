"""export_litertlm.py: a real litert-torch conversion of a tiny Gemma 3 (LoRA merged), run with
LiteRT-LM on the CPU, metadata read back from the file; clear one-line errors; the real 270M (slow)."""

import importlib.util
import io
import json

import pytest

import _common
import stand_in
from conftest import ROOT


def load_script():
    spec = importlib.util.spec_from_file_location("export_litertlm", ROOT / "export_litertlm.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def summary_of(result) -> dict:
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def one_line_error(result, *fragments):
    assert result.returncode == 2, (result.stdout[-2000:], result.stderr[-2000:])
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("error: ") and "Traceback" not in result.stderr, result.stderr[-2000:]
    for fragment in fragments:
        assert fragment in last, last


def test_template_renders_litertlm_content_parts_like_render_prompt(tools):
    """LiteRT-LM passes each message's content as a list of text parts and no bos_token."""
    from transformers.utils.chat_template_utils import _compile_jinja_template

    template = _compile_jinja_template(_common.CHAT_TEMPLATE)
    for message in ["speed?", "  ¿A qué velocidad voy?  ", 'quote " and {{ braces }}']:
        parts = [{"role": "developer", "content": [{"type": "text", "text": _common.DEVELOPER_PROMPT}]},
                 {"role": "user", "content": [{"type": "text", "text": message}]}]
        rendered = template.render(messages=parts, tools=tools, add_generation_prompt=True)
        assert _common.BOS + rendered == _common.render_prompt(tools, message)


@pytest.fixture(scope="module")
def tiny_adapter(tmp_path_factory):
    """A tiny Gemma 3 that litert-torch can express (query_pre_attn_scalar = head_dim) and a LoRA
    adapter on it with non-zero weights, so the merge changes the model."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    base = stand_in.tiny_gemma3(tmp_path_factory.mktemp("tiny-base"), query_pre_attn_scalar=16)
    torch.manual_seed(1)
    model = get_peft_model(AutoModelForCausalLM.from_pretrained(base),
                           LoraConfig(r=4, target_modules=["q_proj", "v_proj"], init_lora_weights=False))
    adapter = tmp_path_factory.mktemp("tiny-adapter")
    model.save_pretrained(adapter)
    assert json.loads((adapter / "adapter_config.json").read_text())["base_model_name_or_path"] == str(base)
    return adapter


@pytest.fixture(scope="module")
def exported(tiny_adapter, tmp_path_factory):
    out = tmp_path_factory.mktemp("litertlm")
    import subprocess
    import sys
    result = subprocess.run([sys.executable, str(ROOT / "export_litertlm.py"), "--model", str(tiny_adapter),
                             "--output-dir", str(out), "--verify", "3", "--min-agreement", "0", "--json"],
                            capture_output=True, text=True, timeout=900, cwd=out)
    return summary_of(result)


def test_tiny_export_metadata_read_back(exported):
    metadata = exported["metadata"]
    assert exported["file"].endswith("functiongemma_q8_ekv1024.litertlm")
    assert metadata["sections"] == ["LlmMetadataProto", "HF_Tokenizer_Zlib", "TFLiteModel"]
    assert metadata["start_token"] == [2]
    assert metadata["stop_tokens"] == ["<eos>", "<end_of_turn>", "<start_function_response>"]
    assert metadata["llm_model_type"] == "function_gemma"
    assert metadata["use_template_for_fc_format"] is True
    assert metadata["max_num_tokens"] == 1024
    assert metadata["template_is_chat_template"] is True


def test_embedded_template_unpacks_to_chat_template(exported, tmp_path):
    """Independent of the script: LiteRT-LM's own peek tool extracts the template from the file."""
    from litert_lm_builder import litertlm_peek

    listing = io.StringIO()
    litertlm_peek.peek_litertlm_file(exported["file"], None, listing, str(tmp_path / "template.jinja"))
    assert (tmp_path / "template.jinja").read_text(encoding="utf-8") == _common.CHAT_TEMPLATE
    assert "function_gemma" in listing.getvalue() and "use_template_for_fc_format: true" in listing.getvalue()


def test_litert_lm_loads_and_generates(exported, tools):
    import litert_lm

    engine = litert_lm.Engine(exported["file"], backend=litert_lm.Backend.CPU())
    try:
        assert engine.bos_token_id == 2
        assert [106] in engine.eos_token_ids and [50] in engine.eos_token_ids
        conversation = engine.create_conversation(messages=[{"role": "user", "content": "speed?"}],
                                                  sampler_config=litert_lm.SamplerConfig(top_k=1))
        reply = conversation.send_message("speed?", max_output_tokens=8)
        conversation.close()
        assert str(reply.contents) or reply.tool_calls  # a random model says something
    finally:
        engine.close()


def test_verification_renders_the_training_prompt_and_compares(exported, seed_examples):
    report = exported["verification"]
    assert report["rendered_prompt"] == "match"
    assert report["rows"] == 3
    held_out = {example.message for example in _common.select_split(seed_examples, "test", 0.1, 42, 3)}
    assert {row["user_message"] for row in report["disagreements"]} <= held_out
    assert report["agreement"] == 1 - len(report["disagreements"]) / 3


def test_compare_counts_agreement_and_accuracy(tools, seed_examples):
    script = load_script()
    by_call = {}
    for example in seed_examples:
        by_call.setdefault(example.call, example)
    examples = list(by_call.values())[:3]  # three different calls
    right = [_common.render_completion(example.call) for example in examples]
    device = [right[0], right[1], "I am not sure."]
    reference = [right[0], _common.render_completion(examples[2].call), "Hmm."]
    report = script.compare(examples, device, reference, tools)
    assert report["agreement"] == pytest.approx(2 / 3)  # row 3: no call on both sides
    assert report["both_without_call"] == 1
    assert report["text_agreement"] == pytest.approx(1 / 3)
    assert report["litertlm_accuracy"] == pytest.approx(2 / 3)
    assert report["pytorch_accuracy"] == pytest.approx(1 / 3)
    assert [row["user_message"] for row in report["disagreements"]] == [examples[1].message]


def test_unknown_quantization_is_one_line(run_script):
    one_line_error(run_script("export_litertlm.py", "--model", "x", "--quantize", "int3"),
                   "--quantize 'int3' is not supported", "dynamic_int8")


def test_adapter_without_reachable_base_is_one_line(run_script, tmp_path):
    (tmp_path / "adapter_config.json").write_text(json.dumps(
        {"peft_type": "LORA", "base_model_name_or_path": str(tmp_path / "gone"), "r": 4}))
    one_line_error(run_script("export_litertlm.py", "--model", tmp_path, "--verify", "0"),
                   "cannot load base model of adapter")


def test_model_without_tokenizer_is_one_line(run_script, tiny_adapter, tmp_path):
    import shutil
    base = json.loads((tiny_adapter / "adapter_config.json").read_text())["base_model_name_or_path"]
    for name in ("config.json", "model.safetensors"):
        shutil.copy(f"{base}/{name}", tmp_path / name)
    one_line_error(run_script("export_litertlm.py", "--model", tmp_path, "--verify", "0"), "tokenizer")


def test_unsupported_attention_scale_is_one_line(run_script, tiny_model_dir, tmp_path):
    """The stand-in tiny model keeps Gemma 3's query_pre_attn_scalar 256 with head_dim 16."""
    one_line_error(run_script("export_litertlm.py", "--model", tiny_model_dir, "--verify", "0",
                              "--output-dir", tmp_path), "query_pre_attn_scalar 256 != head_dim 16")


def test_out_of_disk_is_a_clear_error(tmp_path):
    script = load_script()
    with pytest.raises(script.DataError, match=r"out of disk space: the \.litertlm file needs about"):
        script.check_free_space(str(tmp_path), 10 ** 18, "the .litertlm file")
    script.check_free_space(str(tmp_path), 1, "the .litertlm file")


@pytest.mark.slow
def test_real_270m_export_and_agreement(real_model_dir, tmp_path, run_script):
    """The real Gemma 3 270M weights: ~2.5 min conversion, ~7 GB peak; a few rows of agreement."""
    summary = summary_of(run_script("export_litertlm.py", "--model", real_model_dir, "--output-dir", tmp_path,
                                    "--verify", "3", "--json", timeout=1500))
    assert summary["bytes"] <= 290e6
    assert summary["metadata"]["llm_model_type"] == "function_gemma"
    assert summary["metadata"]["template_is_chat_template"] is True
    report = summary["verification"]
    assert report["rendered_prompt"] == "match"
    assert report["rows"] == 3 and report["agreement"] >= 0.95
