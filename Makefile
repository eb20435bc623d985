# make demo: a throwaway Dovecot, sample mail, the daemon over it, and what it made.
# make test: ruff, mypy and the whole test suite (a real Dovecot included).
# make bench: the performance figures (not part of make test).

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: all venv dovecot systemd-tools test lint demo bench clean

all: test

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

venv: $(VENV)/.installed

dovecot:
	bash tests/install-dovecot.sh

# systemd-analyze checks systemd/relance.service in the tests
systemd-tools:
	bash tests/install-systemd-tools.sh

lint: venv
	$(VENV)/bin/ruff check daemon tests bench
	$(VENV)/bin/mypy daemon

test: venv dovecot systemd-tools lint
	$(PY) -m pytest -q

demo: venv dovecot
	$(PY) -m tests.demo

bench: venv dovecot
	$(PY) -m bench.run

clean:
	rm -rf $(VENV) .demo .bench .pytest_cache .mypy_cache .ruff_cache build dist
