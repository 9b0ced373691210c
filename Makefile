# briefbot: `make run` installs and starts the product, `make test` installs and checks it.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
SQUAD ?= ../shared/data/squad_v1.1_dev.jsonl.gz
REUTERS ?= ../shared/data/reuters21578.jsonl.gz
SUMMEVAL ?= ../shared/data/cnndm_summeval_100.jsonl.gz
REALSUMM ?= ../shared/data/cnndm_realsumm_100.jsonl.gz
export HF_HUB_OFFLINE := 1

.PHONY: install run test lint eval bench bench-scale eval-digest eval-rerank train clean

# torch is pinned in constraints.txt in the same pip command, so pip never picks a CUDA build.
$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(VENV)/bin/briefbot start

lint: install
	$(VENV)/bin/ruff check bot index tests
	$(VENV)/bin/mypy

test: lint
	$(VENV)/bin/pytest -q

eval: install
	$(PY) -m tests.bench.eval_squad --squad $(SQUAD)

eval-digest: install
	$(PY) -m tests.bench.eval_digest --summeval $(SUMMEVAL) --realsumm $(REALSUMM) --reuters $(REUTERS)

# The reranker's parameters (index/rerank_model.json): SQuAD articles 1-24 + the tuning part of
# tests/bench/reuters_dev.jsonl only; deterministic. eval-rerank measures the committed model.
train: install
	$(PY) -m tests.bench.eval_rerank --squad $(SQUAD) --reuters $(REUTERS) --train index/rerank_model.json --train-only

eval-rerank: install
	$(PY) -m tests.bench.eval_rerank --squad $(SQUAD) --reuters $(REUTERS)

bench: install
	$(PY) -m tests.bench.bench_core --reuters $(REUTERS)
	$(PY) -m tests.bench.bench_feeds --reuters $(REUTERS)

# int8 ONNX vs torch, all Reuters sentences, search up to 1M, txtai side by side (~30 min here)
bench-scale: install
	$(PY) -m tests.bench.bench_scale --reuters $(REUTERS)

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
