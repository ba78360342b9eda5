# Thin aliases for the scripts; the scripts are the source of truth.
.PHONY: demo test test-postgres ci

demo:
	./scripts/demo.sh

test:
	./scripts/test.sh

test-postgres:
	./scripts/test.sh --postgres

ci:
	bash .ci/run
