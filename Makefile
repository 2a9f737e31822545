# One machine, no AWS account: `make demo` runs the whole system offline, `make test` tests it.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export SAM_CLI_TELEMETRY := 0
# sam build needs the Lambda runtime's Python (3.12) on PATH.
PY312_DIR := $(shell pyenv prefix 3.12 2>/dev/null || true)
SAM_PATH := $(if $(PY312_DIR),$(PY312_DIR)/bin:,)$(PATH)

.PHONY: help venv test lint format validate build demo local-up emulator bench clean api web web-deploy security load

help:
	@echo "make demo      run the whole system offline and print recommendations per emotion"
	@echo "make test      lint, validate template.yaml, run the test suite"
	@echo "make local-up  keep the offline stack running for the AWS CLI and boto3"
	@echo "make api       serve the HTTP API offline on http://127.0.0.1:8080"
	@echo "make web       the gallery and enabler offline at http://127.0.0.1:8080/ (trained first)"
	@echo "make web-deploy  upload web/ and its config.json to the deployed stack's site"
	@echo "make emulator  run only the Personalize emulator on 127.0.0.1:8765"
	@echo "make build     sam build (needs Python 3.12)"
	@echo "make bench     benchmarks; writes build/bench.json"
	@echo "make security  checkov on template.yaml, bandit on the code (offline)"
	@echo "make load      bounded offline load run of likes and reads; writes build/load.json"

$(STAMP): requirements-dev.txt layers/common/requirements.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

venv: $(STAMP)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

validate: $(STAMP)
	$(VENV)/bin/sam validate --lint
	$(VENV)/bin/cfn-lint template.yaml

test: $(STAMP) lint validate security
	$(PY) -m pytest

# checkov pins an older boto3 than the app, so it gets a venv of its own inside $(VENV).
CHECKOV := $(VENV)/checkov
$(CHECKOV)/.installed: requirements-checkov.txt | $(STAMP)
	python3 -m venv $(CHECKOV)
	$(CHECKOV)/bin/pip install --quiet -r requirements-checkov.txt
	touch $@

# Offline: no policy download from the Prisma Cloud platform, no PyPI version check.
security: $(STAMP) $(CHECKOV)/.installed
	CKV_SKIP_PACKAGE_UPDATE_CHECK=true BC_SKIP_MAPPING=TRUE \
		$(CHECKOV)/bin/checkov --config-file .checkov.yaml -f template.yaml
	$(VENV)/bin/bandit -q -r layers functions local

# For example: make load LOAD_ARGS="--throttle 0.3 --requests 1000"
load: $(STAMP)
	$(PY) -m benchmarks.load_offline $(LOAD_ARGS)

build: $(STAMP)
	PATH="$(SAM_PATH)" $(VENV)/bin/sam build

demo: $(STAMP)
	$(PY) -m local.demo

local-up: $(STAMP)
	$(PY) -m local.stack up

api: $(STAMP)
	$(PY) -m local.api --port 8080

# The pages and the API on one loopback origin; the model is trained first (about 20 s).
web: $(STAMP)
	$(PY) -m local.api --port 8080 --train

# After `sam deploy`: web/ plus a config.json naming the API, then a CloudFront invalidation.
STACK ?= emotion-recommender
web-deploy:
	@set -euo pipefail; \
	out() { aws cloudformation describe-stacks --stack-name "$(STACK)" --output text \
		--query "Stacks[0].Outputs[?OutputKey=='$$1'].OutputValue"; }; \
	bucket=$$(out SiteBucketName); api=$$(out HttpApiUrl); \
	dist=$$(aws cloudformation describe-stack-resource --stack-name "$(STACK)" \
		--logical-resource-id SiteDistribution \
		--query StackResourceDetail.PhysicalResourceId --output text); \
	mkdir -p build; printf '{\n  "apiBaseUrl": "%s"\n}\n' "$$api" > build/config.json; \
	aws s3 sync web/ "s3://$$bucket/" --delete --exclude "config*.json"; \
	aws s3 cp build/config.json "s3://$$bucket/config.json" --cache-control no-cache; \
	aws cloudfront create-invalidation --distribution-id "$$dist" --paths "/*" > /dev/null; \
	domain=$$(aws cloudfront get-distribution --id "$$dist" \
		--query Distribution.DomainName --output text); \
	echo "Gallery: https://$$domain/  Enabler: https://$$domain/enabler.html  API: $$api"

emulator: $(STAMP)
	$(PY) -m local.personalize --host 127.0.0.1 --port 8765

bench: $(STAMP)
	$(PY) -m benchmarks

clean:
	rm -rf build .aws-sam .pytest_cache
