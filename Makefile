# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# socktrace: `make` builds into build/; `make demo` and `make test` first
# install what is missing (`make deps`), so each works on a fresh machine.

O ?= build
OUTPUT := $(abspath $(O))
ARCH ?= $(shell uname -m | sed 's/x86_64/x86/')
ifneq ($(ARCH),x86)
$(error socktrace supports x86_64 only for now (ARCH=$(ARCH)))
endif

CLANG ?= clang
BPFTOOL ?= bpftool
PKG_CONFIG ?= pkg-config
CC ?= gcc
INSTALL ?= install
VMLINUX_BTF ?= /sys/kernel/btf/vmlinux
VMLINUX_H ?= $(OUTPUT)/vmlinux.h

PREFIX ?= /usr/local
prefix ?= $(PREFIX)
bindir ?= $(prefix)/bin
mandir ?= $(prefix)/share/man
man8dir ?= $(mandir)/man8
bash_compdir ?= $(prefix)/share/bash-completion/completions
zsh_compdir ?= $(prefix)/share/zsh/vendor-completions
fish_compdir ?= $(prefix)/share/fish/vendor_completions.d

# what `make` needs (checked by build-deps-check), then what the tests and demos use
BUILD_DEB := clang llvm bpftool libbpf-dev liburing-dev libelf-dev libdw-dev zlib1g-dev pkg-config gcc g++
DEPS_DEB := $(BUILD_DEB) make \
	bats python3 curl netcat-openbsd netbase groff-base util-linux iproute2 procps zsh fish

CFLAGS ?= -g -O2
VERSION := 0.1.0
override CFLAGS += -std=gnu11 -D_GNU_SOURCE -fno-omit-frame-pointer -Wall -Wextra -Wshadow -Wmissing-prototypes -Wstrict-prototypes \
	-Wundef -MMD -MP -DSOCKTRACE_VERSION=\"$(VERSION)\" -I$(OUTPUT) -Ibpf -Isrc $(shell $(PKG_CONFIG) --cflags libbpf libelf libdw zlib 2>/dev/null)
LDLIBS += $(shell $(PKG_CONFIG) --libs libbpf libelf libdw zlib liburing 2>/dev/null || echo -lbpf -lelf -ldw -lz -luring) -lpthread -lstdc++
ifeq ($(WERROR),1)
override CFLAGS += -Werror
endif
ifeq ($(SANITIZE),1)
override CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
override LDFLAGS += -fsanitize=address,undefined
endif
override CFLAGS += $(EXTRA_CFLAGS)
override LDFLAGS += $(EXTRA_LDFLAGS)

# clang -target bpf does not search the host's system headers by itself
CLANG_BPF_SYS_INCLUDES = $(shell $(CLANG) -v -E - </dev/null 2>&1 | \
	sed -n '/<...> search starts here:/,/End of search list./{ s| \(/.*\)|-idirafter \1|p }')
BPF_CFLAGS = -g -O2 -Wall -target bpf -D__TARGET_ARCH_$(ARCH) -I$(dir $(VMLINUX_H)) -Ibpf \
	$(CLANG_BPF_SYS_INCLUDES)

BPF_SRCS := $(wildcard bpf/*.bpf.c)
BPF_OBJS := $(patsubst bpf/%.bpf.c,$(OUTPUT)/bpf/%.bpf.o,$(BPF_SRCS))
SKEL := $(OUTPUT)/socktrace.skel.h

LIB_SRCS := $(filter-out src/main.c,$(wildcard src/*.c))
LIB_OBJS := $(patsubst src/%.c,$(OUTPUT)/obj/%.o,$(LIB_SRCS))
MAIN_OBJ := $(OUTPUT)/obj/main.o
# what unit tests link: everything but the modules that need the BPF skeleton
UNIT_OBJS := $(filter-out $(addprefix $(OUTPUT)/obj/,probes.o session.o cmd_probes.o cmd_demo.o compare.o),$(LIB_OBJS))
HELPERS := $(patsubst tests/helpers/%.c,$(OUTPUT)/tests/%,$(wildcard tests/helpers/*.c))
UNIT_TESTS := $(patsubst tests/unit/%.c,$(OUTPUT)/tests/unit/%,$(wildcard tests/unit/test_*.c))

ifeq ($(V),1)
Q =
msg =
else
Q = @
msg = @printf '  %-8s %s\n' "$(1)" "$(patsubst $(OUTPUT)/%,%,$(2))";
endif
MAKEFLAGS += --no-print-directory

.DELETE_ON_ERROR:
.SECONDARY:
.PHONY: all deps deps-vm build-deps-check demo bench fuzz test test-vm check check-unit check-bats helpers unit install \
	uninstall clean format format-check vm-binaries

all: $(OUTPUT)/socktrace helpers

$(OUTPUT) $(OUTPUT)/bpf $(OUTPUT)/obj $(OUTPUT)/tests $(OUTPUT)/tests/unit: | build-deps-check
	$(Q)mkdir -p $@

# `make` alone installs nothing (`make deps`, `make demo` and `make test` do):
# it names what is missing rather than failing at the first compiler error.
# Where dpkg is not the package manager, the compiler says it instead.
build-deps-check:
	@command -v dpkg-query >/dev/null || exit 0; \
	have=$$(dpkg-query -W -f='$${db:Status-Abbrev} $${Package}\n' $(BUILD_DEB) 2>/dev/null | \
		awk '$$1 == "ii" { print $$2 }'); \
	missing=$$(for p in $(BUILD_DEB); do echo "$$have" | grep -qx "$$p" || printf ' %s' $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "socktrace: cannot build, missing:$$missing; run \`make deps\` as root to install them" >&2; \
		exit 1; \
	fi

# $(call apt_install,PACKAGES): installs those of the Debian PACKAGES that are
# missing (needs root; a no-op when all are there).
define apt_install
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
		grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "  DEPS     installing:" $$missing; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends $$missing >/dev/null || exit 1; \
	fi
endef

deps:
	$(call apt_install,$(DEPS_DEB))

$(OUTPUT)/vmlinux.h: | $(OUTPUT)
	$(call msg,VMLINUX,$@)
	$(Q)test -r $(VMLINUX_BTF) || { echo "socktrace: $(VMLINUX_BTF) missing: this kernel has no BTF (needs CONFIG_DEBUG_INFO_BTF=y)" >&2; exit 1; }
	$(Q)$(BPFTOOL) btf dump file $(VMLINUX_BTF) format c > $@

$(OUTPUT)/bpf/%.bpf.o: bpf/%.bpf.c $(wildcard bpf/*.bpf.h) bpf/socktrace.h $(VMLINUX_H) | $(OUTPUT)/bpf
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(OUTPUT)/socktrace.bpfo: $(BPF_OBJS)
	$(call msg,GEN-LINK,$@)
	$(Q)$(BPFTOOL) gen object $@ $^

$(SKEL): $(OUTPUT)/socktrace.bpfo
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name socktrace_bpf > $@

# Only probes.c sees the skeleton.
$(OUTPUT)/obj/probes.o: $(SKEL)

$(OUTPUT)/obj/%.o: src/%.c | $(OUTPUT)/obj
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(OUTPUT)/socktrace: $(MAIN_OBJ) $(LIB_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

helpers: $(HELPERS)
$(OUTPUT)/tests/%: tests/helpers/%.c | $(OUTPUT)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -fno-omit-frame-pointer $(LDFLAGS) -rdynamic $< -luring -lpthread -o $@

# The -u tests' program, built each way stacks differ: PIE, non-PIE, without
# frame pointers; a library it links and one it dlopens.  No sanitizers: their
# interceptors (no frame pointers) would stand between it and libc.
STACKS := $(OUTPUT)/tests/stacks
STACKS_CC = $(CC) $(filter-out -fsanitize%,$(CFLAGS)) -g $(filter-out -fsanitize%,$(LDFLAGS))
STACKS_BINS := $(addprefix $(STACKS)/,ustack ustack-nopie ustack-nofp libustack-lib.so libustack-plugin.so \
	ustack-cxx)
helpers: $(STACKS_BINS)
$(STACKS): | build-deps-check
	$(Q)mkdir -p $@
$(STACKS)/libustack-%.so: tests/ustack/%.c | $(STACKS)
	$(call msg,CC,$@)
	$(Q)$(STACKS_CC) -fno-omit-frame-pointer -fPIC -shared $< -o $@
$(STACKS)/ustack: STACKS_FLAGS := -fno-omit-frame-pointer -fPIE -pie
$(STACKS)/ustack-nopie: STACKS_FLAGS := -fno-omit-frame-pointer -fno-pie -no-pie
$(STACKS)/ustack-nofp: STACKS_FLAGS := -fomit-frame-pointer -fPIE -pie
$(STACKS)/ustack $(STACKS)/ustack-nopie $(STACKS)/ustack-nofp: tests/ustack/prog.c $(STACKS)/libustack-lib.so
	$(call msg,CC,$@)
	$(Q)$(STACKS_CC) $(STACKS_FLAGS) -rdynamic $< -L$(STACKS) -lustack-lib \
		-Wl,-rpath,$(abspath $(STACKS)) -o $@
$(STACKS)/ustack-cxx: tests/ustack/cxx.cc | $(STACKS)
	$(call msg,CXX,$@)
	$(Q)g++ -g -O0 -fno-omit-frame-pointer $< -o $@

unit: $(UNIT_TESTS)
$(OUTPUT)/tests/unit/%: tests/unit/%.c $(UNIT_OBJS) | $(OUTPUT)/tests/unit
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -Itests/unit $(LDFLAGS) -rdynamic $< $(UNIT_OBJS) $(LDLIBS) -o $@

# The fentry/kprobe mechanisms, for real: Debian's stock kernel booted under qemu
# (tests/40-vm.bats), with static binaries in a busybox initramfs.
VM_DEB := qemu-system-x86 busybox-static cpio libbz2-dev
VM_DIR := $(OUTPUT)/vm

deps-vm:
	$(call apt_install,$(VM_DEB))

$(VM_DIR): | build-deps-check
	$(Q)mkdir -p $@

$(VM_DIR)/socktrace: $(MAIN_OBJ) $(LIB_OBJS) | $(VM_DIR)
	$(call msg,LINK,$@ (static))
	$(Q)$(CC) -static $^ -lbpf -ldw -lelf -lbz2 -llzma -lz -luring -lpthread -lstdc++ -lm -o $@

$(VM_DIR)/peerpair: tests/helpers/peerpair.c | $(VM_DIR)
	$(call msg,CC,$@ (static))
	$(Q)$(CC) $(CFLAGS) -static $< -o $@

$(VM_DIR)/uring_peer: tests/helpers/uring_peer.c | $(VM_DIR)
	$(call msg,CC,$@ (static))
	$(Q)$(CC) $(CFLAGS) -static $< -luring -lpthread -o $@

vm-binaries: $(VM_DIR)/socktrace $(VM_DIR)/peerpair $(VM_DIR)/uring_peer

test-vm: deps deps-vm
	$(Q)$(MAKE) all vm-binaries
	$(Q)tests/run.sh --vm-only

# The built-in client/server exchange, traced: what a new user runs first.
demo: deps
	$(Q)$(MAKE) all
	$(OUTPUT)/socktrace demo epoll

# The recording reader under libFuzzer (clang), from the seed corpus, for FUZZ_SECONDS.
FUZZ_SECONDS ?= 60
FUZZ_SRCS := src/record.c src/record_meta.c src/decode.c src/xlat.c src/hooks.c src/ksyms.c src/util.c \
	src/uframes.c src/unames.c
$(OUTPUT)/fuzz/fuzz_record: tests/fuzz/fuzz_record.c $(FUZZ_SRCS) src/*.h bpf/socktrace.h
	$(call msg,FUZZ,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)clang -g -O1 -std=gnu11 -D_GNU_SOURCE -DSOCKTRACE_VERSION=\"$(VERSION)\" -Isrc -Ibpf \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		tests/fuzz/fuzz_record.c $(FUZZ_SRCS) -lz -lm -o $@

fuzz: deps $(OUTPUT)/fuzz/fuzz_record
	$(Q)mkdir -p $(OUTPUT)/fuzz/corpus
	$(Q)cp tests/fuzz/corpus/* $(OUTPUT)/fuzz/corpus/
	$(OUTPUT)/fuzz/fuzz_record -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 \
		-print_final_stats=1 $(OUTPUT)/fuzz/corpus

# The bench's reference row: the design issue 8 measured peers against (bench/refprint.bpf.c).
REFPRINT := $(OUTPUT)/bench/refprint
$(OUTPUT)/bench:
	$(Q)mkdir -p $@
$(OUTPUT)/bench/refprint.bpf.o: bench/refprint.bpf.c bench/refprint.h $(VMLINUX_H) | $(OUTPUT)/bench
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -Ibench -c $< -o $@
$(OUTPUT)/bench/refprint.skel.h: $(OUTPUT)/bench/refprint.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name refprint_bpf > $@
$(REFPRINT): bench/refprint.c bench/refprint.h $(OUTPUT)/bench/refprint.skel.h
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -I$(OUTPUT)/bench -Ibench $(LDFLAGS) $< $(LDLIBS) -o $@

CALLLOOP := $(OUTPUT)/bench/callloop
$(CALLLOOP): bench/callloop.c | $(OUTPUT)/bench
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $< -o $@

# Measurements, not tests: ratios side by side in one run, written under build/bench/.
bench: deps
	$(Q)$(MAKE) all $(REFPRINT) $(CALLLOOP)
	BUILD=$(OUTPUT) python3 bench/bench.py
	BUILD=$(OUTPUT) python3 bench/uring_pingpong.py

test check: deps deps-vm
	$(Q)$(MAKE) all unit vm-binaries
	$(Q)tests/run.sh

check-unit: unit
	$(Q)tests/run.sh --unit-only

check-bats: all
	$(Q)tests/run.sh --bats-only

install: $(OUTPUT)/socktrace
	$(call msg,INSTALL,$(DESTDIR)$(bindir)/socktrace)
	$(Q)$(INSTALL) -m 0755 -d $(DESTDIR)$(bindir) $(DESTDIR)$(man8dir) $(DESTDIR)$(bash_compdir) \
		$(DESTDIR)$(zsh_compdir) $(DESTDIR)$(fish_compdir)
	$(Q)$(INSTALL) -m 0755 $(OUTPUT)/socktrace $(DESTDIR)$(bindir)/socktrace
	$(Q)$(INSTALL) -m 0644 man/socktrace.8 $(DESTDIR)$(man8dir)/socktrace.8
	$(Q)$(INSTALL) -m 0644 completions/socktrace.bash $(DESTDIR)$(bash_compdir)/socktrace
	$(Q)$(INSTALL) -m 0644 completions/_socktrace $(DESTDIR)$(zsh_compdir)/_socktrace
	$(Q)$(INSTALL) -m 0644 completions/socktrace.fish $(DESTDIR)$(fish_compdir)/socktrace.fish

uninstall:
	$(Q)rm -f $(DESTDIR)$(bindir)/socktrace $(DESTDIR)$(man8dir)/socktrace.8 \
		$(DESTDIR)$(bash_compdir)/socktrace $(DESTDIR)$(zsh_compdir)/_socktrace \
		$(DESTDIR)$(fish_compdir)/socktrace.fish

format:
	clang-format -i src/*.[ch] bpf/*.[ch] tests/unit/*.[ch] tests/helpers/*.c tests/ustack/*.c tests/fuzz/*.c bench/*.[ch]

format-check:
	clang-format --dry-run -Werror src/*.[ch] bpf/*.[ch] tests/unit/*.[ch] tests/helpers/*.c tests/ustack/*.c tests/fuzz/*.c bench/*.[ch]

clean:
	$(Q)rm -rf $(OUTPUT)

-include $(wildcard $(OUTPUT)/obj/*.d)
