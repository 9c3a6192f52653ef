"""Inference: the local llama.cpp engine, the cloud OpenAI-compatible engine, hybrid fallback."""
