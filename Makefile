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

test: install
	$(PY) -m pytest -q -p no:cacheprovider

index: install
	$(VENV)/bin/anpo index

eval: install
	$(VENV)/bin/anpo eval

clean:
	rm -rf $(VENV) build *.egg-info
