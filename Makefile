# Two commands do all setup on a fresh machine: `make demo` and `make test`.
VENV    ?= .venv
PY      := $(VENV)/bin/python
PIP     := $(PY) -m pip
STAMP   := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
DEMO    ?= demo-case
PORT    ?= 8000
PYTEST_ARGS ?=

.PHONY: demo test test-fast lint system-deps clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e '.[test,spark,video]'
	rm -f $(VENV)/.installed-*; touch $@

# Debian packages the tests and reports need: chromium (browser tests), fonts that cover
# Arabic and Pango (the report's PDF, WeasyPrint), a Java runtime (Spark tests). A test never
# skips for want of one: it fails.
system-deps:
	@if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi dejavu \
	    || ! fc-list 2>/dev/null | grep -qi "noto naskh arabic" \
	    || ! ldconfig -p | grep -q libpangoft2 || ! command -v java >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	    --no-install-recommends chromium fonts-dejavu-core fonts-noto-core libpango-1.0-0 \
	    libpangoft2-1.0-0 openjdk-17-jre-headless >/dev/null; \
	fi

demo: $(STAMP) system-deps
	$(VENV)/bin/sijill demo build --out $(DEMO) --report
	@echo "Demo (SYNTHETIC DEMO DATA) at http://127.0.0.1:$(PORT)/  login: demo / synthetic-demo"
	cd $(DEMO) && $(abspath $(VENV))/bin/sijill serve --host 127.0.0.1 --port $(PORT)

# Every test: the default suite, then the suites marked slow (Spark, long MCMC chains), then lint.
# Each suite runs on every core (pytest-xdist), a test file's tests together on one worker
# (they share a module's served case or browser).
XDIST   := -n auto --dist loadfile
test: $(STAMP) system-deps
	scripts/with-postgres.sh $(PY) -m pytest -m "not slow" -q $(XDIST) $(PYTEST_ARGS)
	scripts/with-postgres.sh $(PY) -m pytest -m slow -q $(XDIST) $(PYTEST_ARGS)
	$(VENV)/bin/ruff check src tests benchmarks

# The default suite only (no Spark, no long chains): a few minutes.
test-fast: $(STAMP) system-deps
	scripts/with-postgres.sh $(PY) -m pytest -m "not slow" -q $(XDIST) $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/mypy src/sijill

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache
