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
# LLAMA_BACKEND picks the variant: cpu (default, portable), cuda (NVIDIA; needs the CUDA
# toolkit) or vulkan (AMD/Intel/NVIDIA laptops; needs the Vulkan SDK). Each variant has its
# own wheel folder, so switching back and forth never rebuilds: `make install LLAMA_BACKEND=cuda`.
LLAMA_VERSION := 0.3.36
LLAMA_BACKEND ?= cpu
LLAMA_CPU_FLAGS := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON
LLAMA_BACKEND_ARGS_cpu :=
LLAMA_BACKEND_ARGS_cuda := -DGGML_CUDA=on
LLAMA_BACKEND_ARGS_vulkan := -DGGML_VULKAN=on
ifeq ($(filter $(LLAMA_BACKEND),cpu cuda vulkan),)
$(error LLAMA_BACKEND must be cpu, cuda or vulkan (got "$(LLAMA_BACKEND)"))
endif
LLAMA_CMAKE_ARGS := $(LLAMA_CPU_FLAGS) $(LLAMA_BACKEND_ARGS_$(LLAMA_BACKEND))
LLAMA_WHEEL_TAG := avx-avx2-fma-f16c$(if $(filter-out cpu,$(LLAMA_BACKEND)),-$(LLAMA_BACKEND))
LLAMA_WHEELS := $(HOME)/.cache/medassist-wheels/llama-cpp-python-$(LLAMA_VERSION)-$(LLAMA_WHEEL_TAG)
TORCH := torch==2.13.0

# Every other package comes from the lock files in requirements/ (exact versions, each
# file checked against its sha256): runtime.txt for the app, dev.txt (a superset) for the
# tests and tools. Regenerate them with `make lock` after changing pyproject.toml.
LOCK_FLAGS := --quiet --generate-hashes --strip-extras --no-emit-index-url --no-emit-find-links \
  --unsafe-package llama-cpp-python --unsafe-package torch -c requirements/torch.txt

.PHONY: run test test-fast install install-dev lint bench bundle installer clean lock audit \
  translations

## run: install everything into .venv and start the app on its embedded defaults
run: install
	$(BIN)/medassist-desktop

## test: install what the tests need and run the whole suite (shuffled; the seed is printed)
test: install-dev
	QT_QPA_PLATFORM=offscreen HF_HUB_OFFLINE=1 $(BIN)/python -m pytest

## test-fast: unit and integration tests in this process: no real models, servers or CLI runs
test-fast: install-dev
	QT_QPA_PLATFORM=offscreen HF_HUB_OFFLINE=1 $(BIN)/python -m pytest tests/unit tests/integration \
	  -m "not slow and not servers and not processes and not bundle"

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

# The stamp names the backend, so `make install LLAMA_BACKEND=cuda` reinstalls llama-cpp-python
# even when the CPU variant is already installed (and back again).
LLAMA_STAMP := $(VENV)/.llama-$(LLAMA_BACKEND)

$(VENV)/.installed: pyproject.toml requirements/runtime.txt Makefile $(LLAMA_STAMP)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip wheel
	# CPU build of torch: a bare "torch" would pull a multi-GB CUDA build. The PyTorch
	# CPU index where it is reachable, else local wheels only (said so); the script then
	# checks the build has no CUDA. Its dependencies come from the lock below.
	$(BIN)/python tools/install_torch_cpu.py $(TORCH)
	if ! ls $(LLAMA_WHEELS)/llama_cpp_python-$(LLAMA_VERSION)-*.whl >/dev/null 2>&1; then \
	  echo "Building llama-cpp-python $(LLAMA_VERSION) ($(LLAMA_BACKEND) build, several minutes, once)"; \
	  CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(PIP) wheel --no-deps --no-cache-dir \
	    -w $(LLAMA_WHEELS) llama-cpp-python==$(LLAMA_VERSION); \
	fi
	$(PIP) install --quiet --force-reinstall --no-deps \
	  "$$(ls $(LLAMA_WHEELS)/llama_cpp_python-$(LLAMA_VERSION)-*.whl)"
	$(PIP) install --quiet --require-hashes --no-deps -r requirements/runtime.txt
	$(PIP) install --quiet --no-deps -e .
	$(PIP) check
	touch $@

$(LLAMA_STAMP):
	mkdir -p $(VENV)
	rm -f $(VENV)/.llama-*
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements/dev.txt
	$(PIP) install --quiet --require-hashes --no-deps -r requirements/dev.txt
	$(PIP) check
	touch $@

## lock: regenerate requirements/*.txt from pyproject.toml (needs pip-tools: make install-dev)
lock:
	$(BIN)/pip-compile $(LOCK_FLAGS) -o requirements/runtime.txt pyproject.toml
	$(BIN)/pip-compile $(LOCK_FLAGS) --extra dev -o requirements/dev.txt pyproject.toml

## audit: pip-audit of the locked versions (skipped, saying so, where PyPI's data is unreachable)
audit: install-dev
	$(BIN)/python tools/audit_dependencies.py

# The messages of the Qt-free layers (errors, triage wording, referral summary): gettext
# catalogues in medassist_desktop/i18n/locale/, extracted with Babel. The .po (what
# translators edit) and the compiled .mo are both committed, so the app and the bundle
# read them with the standard library alone.
.PHONY: translations-messages
## translations-messages: refresh the .pot/.po of core, services, CLI from the code; compile .mo
translations-messages: install-dev
	$(BIN)/python tools/messages.py

tests/node_modules/.package-lock.json: tests/package.json tests/package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --prefix tests
	touch $@

# The window's translations: .ts sources (what translators edit) for each language,
# updated from every tr() in ui/ and workers/, and the compiled .qm the app loads.
# Both are committed, so the app and the bundle need no Qt tools to get them.
# qtbase_extra_*.ts translate the few Qt texts the app shows (wizard and dialog buttons)
# for languages Qt ships no catalogue for; they are edited by hand and only compiled.
TRANSLATION_LANGUAGES := id vi
TRANSLATIONS := resources/translations
QT_SOURCES = $(shell find medassist_desktop/ui medassist_desktop/workers -name '*.py' | sort)

## translations: refresh the message catalogues, the window's .ts (and the English plural
## forms) from the code, and compile them (.mo, .qm)
translations: install translations-messages
	$(BIN)/python tools/english_plurals.py
	for lang in $(TRANSLATION_LANGUAGES); do \
	  $(BIN)/pyside6-lupdate -no-obsolete -locations none -source-language en \
	    -target-language $$lang $(QT_SOURCES) -ts $(TRANSLATIONS)/medassist_$$lang.ts; \
	  $(BIN)/pyside6-lrelease $(TRANSLATIONS)/medassist_$$lang.ts \
	    -qm $(TRANSLATIONS)/medassist_$$lang.qm; \
	  $(BIN)/pyside6-lrelease $(TRANSLATIONS)/qtbase_extra_$$lang.ts \
	    -qm $(TRANSLATIONS)/qtbase_extra_$$lang.qm; \
	done

## bench: the benchmarks under benchmarks/ (results are written to benchmarks/results/)
bench: install-dev
	$(BIN)/python benchmarks/startup.py
	$(BIN)/python benchmarks/security.py
	$(BIN)/python benchmarks/health.py
	$(BIN)/python benchmarks/sync.py
	$(BIN)/python benchmarks/cases.py
	$(BIN)/python benchmarks/outbox.py
	$(BIN)/python benchmarks/inference.py
	$(BIN)/python benchmarks/router.py
	$(BIN)/python benchmarks/consult.py
	$(BIN)/python benchmarks/translate_question.py
	$(BIN)/python benchmarks/knowledge.py

## bundle: the PyInstaller one-folder app in dist/medassist-desktop/, checked by its full
## self-test (offline, on an empty data folder)
bundle: install-dev
	$(BIN)/python -m medassist_desktop.core.knowledge.prebuilt  # starter-library vectors
	nice -n 10 $(BIN)/pyinstaller --noconfirm build.spec
	QT_QPA_PLATFORM=offscreen HF_HUB_OFFLINE=1 MEDASSIST_DATA_DIR="$$(mktemp -d)" \
	  dist/medassist-desktop/medassist-desktop --self-test --full

## installer: the Linux .deb in dist/ (from the bundle), with the size budget printed
installer: bundle
	installer/linux/build_deb.sh dist/medassist-desktop dist
	$(BIN)/python tools/bundle_size.py dist/medassist-desktop dist/medassist-desktop_*.deb

clean:
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache
