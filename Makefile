# whatweknow: make run (set up + main job), make test, make bench, make lint
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= whatweknow.db
SEED := ../shared/seed/000_8413c8a5d20a34e9.txt
PORT ?= 8000

.PHONY: install run test bench lint format typecheck clean serve gate

install: $(STAMP)

$(STAMP): pyproject.toml scripts/build-web-assets.sh
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	bash scripts/build-web-assets.sh
	touch $(STAMP)

run: install
	mkdir -p out
	$(BIN)/wwk ingest samples/corpus.jsonl $(wildcard $(SEED)) --db $(DB) --published 2022-09-13 --quiet || test $$? -eq 1
	$(BIN)/wwk brief --db $(DB) --format rich
	$(BIN)/wwk brief --db $(DB) --format html > out/brief.html
	$(BIN)/wwk export --db $(DB) --format csv > out/events.csv
	@echo "wrote out/brief.html and out/events.csv; store: $(DB)"
	@if $(BIN)/wwk serve --help >/dev/null 2>&1; then echo "serving http://127.0.0.1:$(PORT) (Ctrl-C stops)"; $(BIN)/wwk serve --db $(DB) --port $(PORT); fi

test: install
	$(BIN)/pytest -q -n 2 --dist loadfile

bench: install
	$(BIN)/python benchmarks/throughput.py
	$(BIN)/python benchmarks/consolidate.py

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

format: install
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

clean:
	rm -rf out $(DB) $(DB)-wal $(DB)-shm .pytest_cache .mypy_cache .ruff_cache

gate: install
	$(BIN)/wwk eval --gate
