"""`medassist generate "prompt"`: one answer from the configured local model.

Streams the answer to stdout as it is generated; with --json prints one object
with the text and its figures instead. Useful to check a model on a clinic
computer, and to script tests. The user signs in (`--as USER`, password first on
stdin) and the run is audited with the sha256 of the model that answered, as a consult
in the app is: the model is the clinic's, and so is the record of who used it.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from medassist_desktop.cli.common import Command, add_command, print_json
from medassist_desktop.cli.secure_io import (
    add_acting_user,
    open_services,
    require_context,
    secrets_reader,
    sign_in_user,
)

if TYPE_CHECKING:
    from medassist_desktop.context import AppContext


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = add_command(
        subparsers, "generate", "answer a prompt with the local model", Command(run=_generate)
    )
    parser.add_argument("prompt", help="the question or instruction")
    parser.add_argument("--max-tokens", type=int, default=None, help="longest answer, in tokens")
    parser.add_argument("--temperature", type=float, default=0.2, help="0 = repeatable")
    parser.add_argument("--seed", type=int, default=None, help="sampling seed")
    parser.add_argument("--system", default="", help="system instructions")
    parser.add_argument("--model", default=None, help="model name or .gguf path (default: setting)")
    add_acting_user(parser)


def _generate(args: argparse.Namespace, context: AppContext | None) -> int:
    context = require_context(context)
    with open_services(context) as services:
        session = sign_in_user(services, args, secrets_reader())
        services.authorize_user(session, "model.generate")
        used: dict[str, Any] = {}
        try:
            return _generate_signed_in(args, context, used)
        finally:
            model = used.get("model") or args.model or context.settings.model_name
            services.record(
                session, "model.generate", f"model:{model}", ok="tokens" in used, details=used
            )
            services.accounts.logout(session)


def _generate_signed_in(args: argparse.Namespace, context: AppContext, used: dict[str, Any]) -> int:
    """Load, answer, print; `used` gets the model, its sha256 and the token count."""
    from medassist_desktop.core.inference.engine import LlamaEngine
    from medassist_desktop.core.inference.interface import ChatMessage
    from medassist_desktop.core.inference.loading import params_from_settings, prepare_load

    settings = context.settings
    params = params_from_settings(
        settings,
        temperature=args.temperature,
        seed=args.seed,
        **({"max_tokens": args.max_tokens} if args.max_tokens else {}),
    )
    messages = [ChatMessage("user", args.prompt)]
    if args.system:
        messages.insert(0, ChatMessage("system", args.system))
    request = prepare_load(settings, context.paths, model_name=args.model)
    engine = LlamaEngine()
    try:
        info = engine.load(request)

        def write(text: str) -> None:
            sys.stdout.write(text)
            sys.stdout.flush()

        future = engine.generate_async(messages, params, None if args.json else write)
        try:
            result = future.result()
        except KeyboardInterrupt:
            engine.cancel()
            raise
        used.update(model=result.model_name, model_sha256=result.model_sha256, tokens=result.tokens)
    finally:
        engine.close()
    if args.json:
        print_json(
            {
                "text": result.text,
                "tokens": result.tokens,
                "tokens_per_second": result.tokens_per_second,
                "time_to_first_token_ms": result.time_to_first_token_ms,
                "model": result.model_name,
                "model_sha256": result.model_sha256,
                "stop_reason": result.stop_reason,
                "prompt_tokens": result.prompt_tokens,
                "token_logprobs": result.token_logprobs,
                "device": info.device,
                "n_gpu_layers": info.n_gpu_layers,
                "gpu_fallback_reason": info.fallback_reason,
                "n_ctx": info.n_ctx,
                "n_threads": info.n_threads,
                "load_ms": info.load_ms,
            }
        )
        return 0
    print()
    print(
        f"[{result.model_name}: {result.tokens} tokens, {result.tokens_per_second} tokens/s, "
        f"first token after {result.time_to_first_token_ms:.0f} ms, {result.stop_reason}]",
        file=sys.stderr,
    )
    return 0
