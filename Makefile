# LowBit's two commands (both install libpng-dev first when it is missing):
#   make book   build in release and run every chapter in order, regenerating Figures/
#   make test   build in release and run every test
# Release builds: the numeric loops run 14–300× slower in a debug build.

SWIFT ?= swift
CHAPTERS := $(sort $(notdir $(wildcard Chapters/[0-9][0-9]-*)))

.PHONY: book test deps lowbit bench clean

deps:
	@scripts/ensure-deps.sh

book: deps
	$(SWIFT) build -c release
	@for dir in $(CHAPTERS); do \
		target="Chapter$${dir%%-*}"; \
		echo; echo "######## $$dir ($$target) ########"; \
		.build/release/$$target --figures Figures || exit 1; \
	done

test: deps
	$(SWIFT) test -c release -Xswiftc -enable-testing

lowbit: deps
	$(SWIFT) build -c release --product lowbit
	@echo "built .build/release/lowbit"

# Benchmarks build separately (.build-native) with the machine's full instruction set.
bench: deps
	$(SWIFT) build -c release --scratch-path .build-native -Xswiftc -target-cpu -Xswiftc native -Xswiftc -DLOWBIT_NATIVE --product lowbit
	.build-native/release/lowbit bench formats

clean:
	rm -rf .build
