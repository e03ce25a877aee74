# The two commands: `make run` (review desk on the embedded default) and `make test` (everything).
# Both create or reuse .venv/ in the repository root.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint bench browser clean-index

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[ui,dev,postgres]'
	@# compile the guard's Hyperscan database once, so that the first check starts fast
	$(BIN)/python -c "import guardrails; guardrails.load_engine()"
	@touch $@

run: $(STAMP)
	$(BIN)/assistant ingest --if-needed
	$(BIN)/assistant serve

# The tests drive Debian's chromium (with a Chinese font for the screenshots) and start a real
# PostgreSQL; install what is missing (root only, apt-get).
browser:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing="$$missing fonts-wqy-microhei"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	[ -z "$$missing" ] || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing for the tests:$$missing"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "the tests need:$$missing (sudo apt-get install$$missing)" >&2; exit 1; fi; }

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: $(STAMP) browser lint
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/assistant bench

clean-index:
	rm -rf var/index
