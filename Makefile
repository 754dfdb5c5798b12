# Two commands on a fresh machine:  `make run`  and  `make test`.
# torch is installed FIRST from its CPU build (torch==2.13.0); installed after the
# rest, pip would pull a multi-GB CUDA build.  Everything is pinned by constraints.txt.
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
STAMP   = $(VENV)/.anpo-installed

.PHONY: install run test index eval bench clean browser-deps

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check torch==2.13.0
	$(PY) -m pip install -q --disable-pip-version-check -c constraints.txt -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: install
	$(VENV)/bin/anpo index
	$(VENV)/bin/anpo serve

test: install browser-deps
	$(PY) -m pytest -q -p no:cacheprovider

# The browser test drives Debian's chromium (never a downloaded browser) with CJK fonts.
# Installed when missing and we are root with apt; otherwise that one test skips and says why.
browser-deps:
	-@if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
		echo "installing chromium and fonts-noto-cjk for the browser test"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	fi

index: install
	$(VENV)/bin/anpo index

eval: install
	$(VENV)/bin/anpo eval

# Speed, scale and seminar-load figures (benchmarks/README.md); the comparison scripts also
# need the bench extra (SudachiPy, LangChain's splitters), installed here on demand.
bench: install
	$(PY) -m pip install -q --disable-pip-version-check -c constraints.txt -e ".[bench]"
	$(PY) benchmarks/run.py --json
	$(PY) benchmarks/load.py --json

clean:
	rm -rf $(VENV) build *.egg-info
