"""Turning chat messages into the prompt text a model was trained on.

A GGUF may carry its own chat template (`tokenizer.chat_template`, Jinja2); we use
it when present. The Gemma 3 270M test file has none, and llama-cpp-python would
then fall back to a llama-2 format that makes Gemma say nothing useful, so for
such files we apply Gemma's turn format: no system role (system text opens the
first user turn), each turn closed by `<end_of_turn>`, and a reply stops there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from medassist_desktop.core.inference.interface import ChatMessage

TEMPLATE_KEY = "tokenizer.chat_template"
START_OF_TURN = "<start_of_turn>"
END_OF_TURN = "<end_of_turn>"
_CONTROL_MARKERS = (START_OF_TURN, END_OF_TURN)


@dataclass(frozen=True)
class FormattedPrompt:
    """Prompt text to tokenize with special tokens parsed, and where the reply ends."""

    text: str
    stop: tuple[str, ...]
    add_bos: bool
    source: str  # "gguf-template" or "gemma-turns", for logs and diagnostics


class ChatFormatter(Protocol):
    def format(self, messages: Sequence[ChatMessage]) -> FormattedPrompt: ...


def _clean(text: str) -> str:
    """Remove turn markers from message text, so typed text cannot open or close a turn."""
    for marker in _CONTROL_MARKERS:
        text = text.replace(marker, "")
    return text


def fold_system_messages(messages: Sequence[ChatMessage]) -> list[ChatMessage]:
    """Models without a system role: system text goes at the top of the first user turn."""
    system = "\n\n".join(m.content for m in messages if m.role == "system" and m.content)
    rest = [m for m in messages if m.role != "system"]
    if not system:
        return rest
    for index, message in enumerate(rest):
        if message.role == "user":
            rest[index] = ChatMessage("user", f"{system}\n\n{message.content}")
            return rest
    return [ChatMessage("user", system), *rest]


class GemmaTurnFormatter:
    """`<start_of_turn>user\\n...<end_of_turn>\\n<start_of_turn>model\\n` (Gemma 1-3)."""

    def format(self, messages: Sequence[ChatMessage]) -> FormattedPrompt:
        turns: list[tuple[str, str]] = []
        for message in fold_system_messages(messages):
            role = "model" if message.role == "assistant" else "user"
            content = _clean(message.content).strip()
            if turns and turns[-1][0] == role:
                # Gemma expects turns to alternate: merge consecutive turns of one speaker.
                turns[-1] = (role, f"{turns[-1][1]}\n\n{content}")
            else:
                turns.append((role, content))
        parts = [f"{START_OF_TURN}{role}\n{content}{END_OF_TURN}\n" for role, content in turns]
        parts.append(f"{START_OF_TURN}model\n")
        return FormattedPrompt(
            text="".join(parts), stop=(END_OF_TURN,), add_bos=True, source="gemma-turns"
        )


class TemplateFormatter:
    """The model's own Jinja2 chat template, rendered in a sandbox (as llama.cpp does)."""

    def __init__(self, template: str, *, bos_token: str, eos_token: str) -> None:
        import jinja2.sandbox

        def raise_exception(message: str) -> None:
            raise jinja2.exceptions.TemplateError(message)

        def strftime_now(fmt: str) -> str:
            return dt.datetime.now().strftime(fmt)

        env = jinja2.sandbox.ImmutableSandboxedEnvironment(
            loader=jinja2.BaseLoader(), trim_blocks=True, lstrip_blocks=True
        )
        self._template = env.from_string(
            template, globals={"raise_exception": raise_exception, "strftime_now": strftime_now}
        )
        self._bos = bos_token
        self._eos = eos_token
        self._template_error = jinja2.exceptions.TemplateError

    def _render(self, messages: Sequence[ChatMessage]) -> str:
        payload: list[dict[str, Any]] = [
            {"role": m.role, "content": _clean(m.content)} for m in messages
        ]
        return str(
            self._template.render(
                messages=payload,
                bos_token=self._bos,
                eos_token=self._eos,
                add_generation_prompt=True,
            )
        )

    def format(self, messages: Sequence[ChatMessage]) -> FormattedPrompt:
        try:
            text = self._render(messages)
        except self._template_error:
            # Templates that refuse a system role (older Gemma, Mistral): fold it in.
            text = self._render(fold_system_messages(messages))
        stop = tuple(s for s in (self._eos, END_OF_TURN if END_OF_TURN in text else "") if s)
        add_bos = not (self._bos and text.startswith(self._bos))
        return FormattedPrompt(text=text, stop=stop, add_bos=add_bos, source="gguf-template")


def formatter_for(
    metadata: Mapping[str, str], *, bos_token: str = "<bos>", eos_token: str = "<eos>"
) -> ChatFormatter:
    """The GGUF's own template when it has a usable one, else Gemma's turn format."""
    template = metadata.get(TEMPLATE_KEY)
    if template:
        try:
            formatter = TemplateFormatter(template, bos_token=bos_token, eos_token=eos_token)
            formatter.format([ChatMessage("user", "ping")])
        except Exception:  # a template we cannot render is no better than none
            return GemmaTurnFormatter()
        return formatter
    return GemmaTurnFormatter()
