"""Turning chat messages into the prompt text a model was trained on.

A GGUF may carry its own chat template (`tokenizer.chat_template`, Jinja2); we use
it when present. The Gemma 3 270M test file has none, and llama-cpp-python would
then fall back to a llama-2 format that makes Gemma say nothing useful, so for
such files we apply Gemma's turn format: no system role (system text opens the
first user turn), each turn closed by `<end_of_turn>`, and a reply stops there.

Message text is never read as control tokens. A formatted prompt is a list of
segments: the turn markers and role names the formatter wrote (`control`), and the
message text (passages, the question, the case) that anyone may have typed. Only
control segments are tokenised with special tokens on; content is tokenised with them
off, so `<start_of_turn>model` typed into a note (or hidden in an imported document)
stays literal text and cannot forge a model turn. Markers are also removed from the
content until none is left (`<start_of<start_of_turn>_turn>` does not survive).
For a GGUF's own Jinja2 template the content is rendered as numbered placeholders and
put back as content segments after rendering, so the template's markup alone is control.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from medassist_desktop.core.inference.interface import ChatMessage

TEMPLATE_KEY = "tokenizer.chat_template"
START_OF_TURN = "<start_of_turn>"
END_OF_TURN = "<end_of_turn>"
_CONTROL_MARKERS = (START_OF_TURN, END_OF_TURN, "<bos>", "<eos>", "<pad>")
# Any `<start_of_turn>`-like marker, also ones split by another (removed repeatedly).
_MARKER = re.compile("|".join(re.escape(m) for m in _CONTROL_MARKERS))

# tokenize(utf-8 bytes, add_bos, special) -> token ids (`llama_cpp.Llama.tokenize`)
Tokenizer = Callable[[bytes, bool, bool], list[int]]


@dataclass(frozen=True)
class Segment:
    """A piece of the prompt: control markup written by the formatter, or message content."""

    text: str
    control: bool


@dataclass(frozen=True)
class FormattedPrompt:
    """The prompt as segments, and where the reply ends.

    `text` is the whole prompt as one string (logs, diagnostics); tokenise with
    `tokenize_prompt`, never `text`, so content cannot become control tokens.
    """

    segments: tuple[Segment, ...]
    stop: tuple[str, ...]
    add_bos: bool
    source: str  # "gguf-template" or "gemma-turns", for logs and diagnostics

    @property
    def text(self) -> str:
        return "".join(segment.text for segment in self.segments)


def tokenize_prompt(prompt: FormattedPrompt, tokenize: Tokenizer) -> list[int]:
    """Control segments with special tokens on, content with them off; BOS once, first."""
    tokens: list[int] = []
    for index, segment in enumerate(prompt.segments):
        if segment.text:
            add_bos = prompt.add_bos and not tokens and index == 0
            tokens.extend(tokenize(segment.text.encode("utf-8"), add_bos, segment.control))
    if not tokens and prompt.add_bos:
        tokens = tokenize(b"", True, False)
    return tokens


class ChatFormatter(Protocol):
    def format(self, messages: Sequence[ChatMessage]) -> FormattedPrompt: ...


def _clean(text: str) -> str:
    """Remove turn markers from message text until none is left (one pass would leave
    `<start_of_turn>` out of `<start_of<start_of_turn>_turn>`)."""
    while True:
        cleaned = _MARKER.sub("", text)
        if cleaned == text:
            return text
        text = cleaned


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
        segments: list[Segment] = []
        for role, content in turns:
            segments.append(Segment(f"{START_OF_TURN}{role}\n", control=True))
            segments.append(Segment(content, control=False))
            segments.append(Segment(f"{END_OF_TURN}\n", control=True))
        segments.append(Segment(f"{START_OF_TURN}model\n", control=True))
        return FormattedPrompt(
            segments=tuple(segments), stop=(END_OF_TURN,), add_bos=True, source="gemma-turns"
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

    def _render(self, messages: Sequence[ChatMessage]) -> tuple[Segment, ...]:
        """Render with each message's content as a placeholder, then split on them."""
        tag = secrets.token_hex(8)
        contents = {f"@@{tag}:{i}@@": _clean(m.content).strip() for i, m in enumerate(messages)}
        payload: list[dict[str, Any]] = [
            {"role": m.role, "content": placeholder}
            for m, placeholder in zip(messages, contents, strict=True)
        ]
        rendered = str(
            self._template.render(
                messages=payload,
                bos_token=self._bos,
                eos_token=self._eos,
                add_generation_prompt=True,
            )
        )
        segments: list[Segment] = []
        for index, piece in enumerate(re.split(f"(@@{tag}:\\d+@@)", rendered)):
            if index % 2:
                segments.append(Segment(contents[piece], control=False))
            elif piece:
                segments.append(Segment(piece, control=True))
        return tuple(segments)

    def format(self, messages: Sequence[ChatMessage]) -> FormattedPrompt:
        try:
            segments = self._render(messages)
        except self._template_error:
            # Templates that refuse a system role (older Gemma, Mistral): fold it in.
            segments = self._render(fold_system_messages(messages))
        markup = "".join(s.text for s in segments if s.control)
        stop = tuple(s for s in (self._eos, END_OF_TURN if END_OF_TURN in markup else "") if s)
        text = "".join(s.text for s in segments)
        add_bos = not (self._bos and text.startswith(self._bos))
        return FormattedPrompt(
            segments=segments, stop=stop, add_bos=add_bos, source="gguf-template"
        )


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
