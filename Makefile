# ward — top-level build. `make` builds the libraries and bin/ward, bin/wardd.
# Sources are found by wildcard, one static library per layer (DESIGN.md):
#   codec/ -> libwardcodec.a, capture/ -> libwardcapture.a,
#   resolver/ -> libwardresolver.a, dhcp/ -> libwarddhcp.a,
#   daemon/conf*.c -> libwardconf.a (shared by wardd and `ward conf`),
#   daemon/lease_store*.c -> libwardstore.a (the lease files' I/O; unit tests),
#   replay/ -> libwardreplay.a (scenario files, simulated servers)
#   diagnose/ -> libwarddiag.a (`ward diagnose`'s engine; wardd's dashboard
#   runs it too: docs/DESIGN.md)
# Variants: BUILD=build (default), check-asan uses BUILD=build/asan.

CC      ?= cc
BUILD   ?= build
BINDIR  ?= bin
PREFIX  ?= /usr/local
DESTDIR ?=
SANFLAGS ?=
OPT     ?= -O2
# the sanitizer build uses clang, the default build gcc: both compilers every run
ASAN_CC ?= clang

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wvla -Wformat=2 -Wno-format-nonliteral
CPPFLAGS += -D_DEFAULT_SOURCE -D_GNU_SOURCE -I. -Icodec
CFLAGS  ?= $(OPT) -g
CFLAGS  += -std=c17 $(WARN) $(SANFLAGS) -fno-strict-aliasing
LDFLAGS += $(SANFLAGS)

PKG_LIBS := -lpcap -lssl -lcrypto -luv -lmicrohttpd -lnghttp2 -lcurl

CODEC_SRC    := $(sort $(wildcard codec/*.c))
CAPTURE_SRC  := $(sort $(wildcard capture/*.c))
REPLAY_SRC   := $(sort $(wildcard replay/*.c))
DIAG_SRC     := $(sort $(wildcard diagnose/*.c))
RESOLVER_SRC := $(sort $(wildcard resolver/*.c resolver/dnssec/*.c))
DHCP_SRC     := $(sort $(wildcard dhcp/*.c))
TOOLS_SRC    := $(sort $(wildcard tools/*.c))
# the dnsmasq-syntax configuration parser is shared by wardd and `ward conf`
CONF_SRC     := $(sort $(wildcard daemon/conf*.c))
STORE_SRC    := $(sort $(wildcard daemon/lease_store*.c))
DAEMON_SRC   := $(filter-out $(CONF_SRC) $(STORE_SRC),$(sort $(wildcard daemon/*.c)))
# wardd's parts without main(): a library the unit tests link too
DAEMONLIB_SRC := $(filter-out daemon/wardd.c,$(DAEMON_SRC))
UNIT_SRC     := $(sort $(wildcard tests/unit/test_*.c))
TESTHELP_SRC := $(sort $(wildcard tests/unit/helper_*.c))

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

LIB_CODEC    := $(BUILD)/lib/libwardcodec.a
LIB_CAPTURE  := $(BUILD)/lib/libwardcapture.a
LIB_RESOLVER := $(BUILD)/lib/libwardresolver.a
LIB_DHCP     := $(BUILD)/lib/libwarddhcp.a
LIB_CONF     := $(BUILD)/lib/libwardconf.a
LIB_STORE    := $(BUILD)/lib/libwardstore.a
LIB_REPLAY   := $(BUILD)/lib/libwardreplay.a
LIB_DIAG     := $(BUILD)/lib/libwarddiag.a
LIB_DAEMON   := $(BUILD)/lib/libwardd.a
# link order: higher layers first
LIBS_ALL := $(if $(DAEMONLIB_SRC),$(LIB_DAEMON)) $(if $(DIAG_SRC),$(LIB_DIAG)) $(if $(REPLAY_SRC),$(LIB_REPLAY)) $(if $(CONF_SRC),$(LIB_CONF)) $(if $(STORE_SRC),$(LIB_STORE)) $(if $(DHCP_SRC),$(LIB_DHCP)) $(if $(RESOLVER_SRC),$(LIB_RESOLVER)) \
            $(if $(CAPTURE_SRC),$(LIB_CAPTURE)) $(LIB_CODEC)

WARD  := $(BINDIR)/ward
WARDD := $(BINDIR)/wardd
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))

.PHONY: all check check-asan test-run deps fuzz fuzz-smoke fuzz-afl bench \
        install uninstall clean demo tests

all: $(WARD) $(WARDD)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

define lib_rule
$(1): $(call obj,$(2))
	@mkdir -p $$(dir $$@)
	rm -f $$@
	ar rcs $$@ $$^
endef
$(eval $(call lib_rule,$(LIB_CODEC),$(CODEC_SRC)))
$(eval $(call lib_rule,$(LIB_CAPTURE),$(CAPTURE_SRC)))
$(eval $(call lib_rule,$(LIB_RESOLVER),$(RESOLVER_SRC)))
$(eval $(call lib_rule,$(LIB_DHCP),$(DHCP_SRC)))
$(eval $(call lib_rule,$(LIB_CONF),$(CONF_SRC)))
$(eval $(call lib_rule,$(LIB_STORE),$(STORE_SRC)))
$(eval $(call lib_rule,$(LIB_REPLAY),$(REPLAY_SRC)))
$(eval $(call lib_rule,$(LIB_DIAG),$(DIAG_SRC)))
$(eval $(call lib_rule,$(LIB_DAEMON),$(DAEMONLIB_SRC)))

$(WARD): $(call obj,$(TOOLS_SRC)) $(LIBS_ALL)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(call obj,$(TOOLS_SRC)) $(LIBS_ALL) $(PKG_LIBS)

$(WARDD): $(call obj,daemon/wardd.c) $(LIBS_ALL)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(call obj,daemon/wardd.c) $(LIBS_ALL) $(PKG_LIBS)

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(call obj,$(TESTHELP_SRC)) $(LIBS_ALL)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(call obj,$(TESTHELP_SRC)) $(LIBS_ALL) $(PKG_LIBS) -lcmocka

DIFF_SRC := $(sort $(wildcard tests/diff/*.c))
tests: all $(UNIT_BINS) $(if $(DIFF_SRC),$(BUILD)/tests/ldns_diff)

# differential test against libldns (tests/diff/)
$(BUILD)/tests/ldns_diff: $(call obj,$(DIFF_SRC)) $(LIBS_ALL)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(call obj,$(DIFF_SRC)) $(LIBS_ALL) $(PKG_LIBS) -lldns

deps:
	@scripts/deps

# The README's test command: installs what is missing, builds, runs everything.
check: deps
	$(MAKE) tests
	tests/run-all --build $(BUILD) --bin $(BINDIR)

check-asan: deps
	$(MAKE) CC=$(ASAN_CC) BUILD=build/asan BINDIR=build/asan/bin OPT=-O1 \
	  SANFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" tests
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  tests/run-all --build build/asan --bin build/asan/bin --only unit --only cli --only diff

fuzz: deps
	@scripts/fuzz-build

fuzz-smoke: deps
	@scripts/fuzz-build
	@scripts/fuzz-smoke $${FUZZ_SECONDS:-60}

fuzz-afl: deps
	@scripts/fuzz-build --afl

bench: deps
	$(MAKE) all
	@bench/run

demo: deps
	$(MAKE) all
	@scripts/demo

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 0755 $(WARD) $(WARDD) $(DESTDIR)$(PREFIX)/bin/
	install -d $(DESTDIR)$(PREFIX)/share/doc/ward
	install -m 0644 README.md $(DESTDIR)$(PREFIX)/share/doc/ward/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/ward $(DESTDIR)$(PREFIX)/bin/wardd
	rm -rf $(DESTDIR)$(PREFIX)/share/doc/ward

clean:
	rm -rf build bin

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
