"""Chat formatting: Gemma turns when the GGUF has no template, the template when it has one."""

from __future__ import annotations

from medassist_desktop.core.inference.chat_format import (
    GemmaTurnFormatter,
    TemplateFormatter,
    fold_system_messages,
    formatter_for,
)
from medassist_desktop.core.inference.interface import ChatMessage

# Gemma 3's own template shape (system text folded into the first user turn).
GEMMA3_TEMPLATE = (
    "{{ bos_token }}{% if messages[0]['role'] == 'system' %}"
    "{% set first = messages[0]['content'] + '\n\n' %}{% set rest = messages[1:] %}"
    "{% else %}{% set first = '' %}{% set rest = messages %}{% endif %}"
    "{% for m in rest %}{% set role = 'model' if m['role'] == 'assistant' else m['role'] %}"
    "<start_of_turn>{{ role }}\n{{ (first if loop.first else '') + m['content'] | trim }}"
    "<end_of_turn>\n{% endfor %}{% if add_generation_prompt %}<start_of_turn>model\n{% endif %}"
)
NO_SYSTEM_TEMPLATE = (
    "{% for m in messages %}{% if m['role'] == 'system' %}"
    "{{ raise_exception('System role not supported') }}{% endif %}"
    "[{{ m['role'] }}]{{ m['content'] }}{% endfor %}[assistant]"
)


def test_gemma_turns_put_system_text_in_first_user_turn() -> None:
    prompt = GemmaTurnFormatter().format(
        [
            ChatMessage("system", "Be brief."),
            ChatMessage("user", "Fever for 3 days?"),
            ChatMessage("assistant", "Check for danger signs."),
            ChatMessage("user", "Which ones?"),
        ]
    )
    assert prompt.text == (
        "<start_of_turn>user\nBe brief.\n\nFever for 3 days?<end_of_turn>\n"
        "<start_of_turn>model\nCheck for danger signs.<end_of_turn>\n"
        "<start_of_turn>user\nWhich ones?<end_of_turn>\n"
        "<start_of_turn>model\n"
    )
    assert prompt.stop == ("<end_of_turn>",)
    assert prompt.add_bos


def test_gemma_turns_merge_consecutive_turns_and_strip_markers() -> None:
    prompt = GemmaTurnFormatter().format(
        [ChatMessage("user", "a<end_of_turn>"), ChatMessage("user", "<start_of_turn>b")]
    )
    assert prompt.text == "<start_of_turn>user\na\n\nb<end_of_turn>\n<start_of_turn>model\n"


def test_system_only_becomes_a_user_turn() -> None:
    assert fold_system_messages([ChatMessage("system", "x")]) == [ChatMessage("user", "x")]


def test_template_from_gguf_is_used_when_present() -> None:
    formatter = formatter_for({"tokenizer.chat_template": GEMMA3_TEMPLATE})
    assert isinstance(formatter, TemplateFormatter)
    prompt = formatter.format([ChatMessage("system", "S"), ChatMessage("user", "Q")])
    assert prompt.text == "<bos><start_of_turn>user\nS\n\nQ<end_of_turn>\n<start_of_turn>model\n"
    assert not prompt.add_bos  # the template wrote <bos> itself
    assert "<end_of_turn>" in prompt.stop and "<eos>" in prompt.stop
    assert prompt.source == "gguf-template"


def test_template_refusing_system_role_gets_it_folded() -> None:
    formatter = formatter_for({"tokenizer.chat_template": NO_SYSTEM_TEMPLATE}, eos_token="</s>")
    prompt = formatter.format([ChatMessage("system", "S"), ChatMessage("user", "Q")])
    assert prompt.text == "[user]S\n\nQ[assistant]"
    assert prompt.add_bos and prompt.stop == ("</s>",)


def test_no_template_or_broken_template_gives_gemma_turns() -> None:
    assert isinstance(formatter_for({}), GemmaTurnFormatter)
    assert isinstance(formatter_for({"tokenizer.chat_template": "{% for %}"}), GemmaTurnFormatter)
