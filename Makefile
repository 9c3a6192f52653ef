# MedAssist Desktop: set-up, run and test. The README's two commands are `make run` and `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip

# llama-cpp-python is built from source. The default build targets the build machine's CPU
# and died with "Illegal instruction" elsewhere, so the instruction sets are chosen here, and
# the wheel is kept in a folder named for its flags (pip's own cache ignores CMAKE_ARGS).
LLAMA_VERSION := 0.3.36
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON
LLAMA_WHEELS := $(HOME)/.cache/medassist-wheels/llama-cpp-python-$(LLAMA_VERSION)-avx-avx2-fma-f16c
TORCH := torch==2.13.0

.PHONY: run test test-fast install install-dev lint bench bundle clean

## run: install everything into .venv and start the app on its embedded defaults
run: install
	$(BIN)/medassist-desktop

## test: install what the tests need and run the whole suite (shuffled; the seed is printed)
test: install-dev
	QT_QPA_PLATFORM=offscreen HF_HUB_OFFLINE=1 $(BIN)/python -m pytest

## test-fast: unit and integration tests without real models or server processes (inner loop)
test-fast: install-dev
	QT_QPA_PLATFORM=offscreen HF_HUB_OFFLINE=1 $(BIN)/python -m pytest tests/unit tests/integration \
	  -m "not slow and not servers and not bundle"

## lint: ruff, formatting, mypy (package strict; tests and benchmarks too) and the layer contracts
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# Servers the integration tests start on 127.0.0.1 (pouchdb-server), pinned in tests/package.json.
NODE_TEST_DEPS := $(if $(wildcard tests/package.json),tests/node_modules/.package-lock.json)

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev $(NODE_TEST_DEPS)

$(VENV)/.installed: pyproject.toml Makefile
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip wheel
	# CPU build of torch: a bare "torch" would pull a multi-GB CUDA build.
	$(PIP) install --quiet $(TORCH)
	if ! ls $(LLAMA_WHEELS)/llama_cpp_python-$(LLAMA_VERSION)-*.whl >/dev/null 2>&1; then \
	  echo "Building llama-cpp-python $(LLAMA_VERSION) (portable CPU build, several minutes, once)"; \
	  CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(PIP) wheel --no-deps --no-cache-dir \
	    -w $(LLAMA_WHEELS) llama-cpp-python==$(LLAMA_VERSION); \
	fi
	$(PIP) install --quiet "$$(ls $(LLAMA_WHEELS)/llama_cpp_python-$(LLAMA_VERSION)-*.whl)[server]"
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PIP) install --quiet -e '.[dev]'
	touch $@

tests/node_modules/.package-lock.json: tests/package.json tests/package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --prefix tests
	touch $@

## bench: the benchmarks under benchmarks/ (results are written to benchmarks/results/)
bench: install-dev
	$(BIN)/python benchmarks/startup.py
	$(BIN)/python benchmarks/security.py
	$(BIN)/python benchmarks/sync.py
	$(BIN)/python benchmarks/cases.py
	$(BIN)/python benchmarks/inference.py
	$(BIN)/python benchmarks/router.py
	$(BIN)/python benchmarks/consult.py
	$(BIN)/python benchmarks/knowledge.py

## bundle: the PyInstaller one-folder app in dist/medassist-desktop/
bundle: install-dev
	$(BIN)/pyinstaller --noconfirm build.spec
	QT_QPA_PLATFORM=offscreen dist/medassist-desktop/medassist-desktop --self-test

clean:
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache
