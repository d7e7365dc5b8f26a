# itss - the ITSS カスタマサービス skill-standard system.
#
#   make          build ./itss
#   make run      install missing Debian packages (as root), build, create the demo
#                 database where none exists, start the program
#   make check    build and run every test; ends with "N passed, N failed, N skipped"
#   make asan     the same tests under AddressSanitizer and UBSan
#   make bench    the benchmarks under bench/
#   make fuzz     the fuzz targets under fuzz/ (clang, libFuzzer; docs/fuzzing.md)
#   make install  the binary, the manual page itss(1) and the systemd unit under
#                 PREFIX (default /usr/local), into DESTDIR when given; make uninstall

# The libraries, as pkg-config modules: the build lines of scripts/packages.txt
# (the one list of Debian packages; scripts/deps.sh installs them).
PKGS     := $(shell awk '!/^\#/ && $$2 == "build" && $$3 ~ /^pc:/ { print substr($$3, 4) }' scripts/packages.txt)
TEST_PKGS := $(shell awk '!/^\#/ && $$2 == "test" && $$3 ~ /^pc:/ { print substr($$3, 4) }' scripts/packages.txt)
CC       ?= cc
BUILD    ?= build
OPT      ?= -O2
CFLAGS   ?=
CFLAGS   += -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Wall -Wextra -Werror \
            -Wshadow -Wstrict-prototypes -Wvla -Wno-format-truncation $(OPT) -g -Isrc -I$(BUILD)
# (-Wno-format-truncation: messages and JSON paths are cut to fixed buffers on purpose)
# Each object's header dependencies, written by the compiler beside it (.d files).
DEPFLAGS  = -MMD -MP
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
LDLIBS   += $(PKG_LIBS) -lpthread -lm

SRCS     := $(filter-out src/main.c,$(wildcard src/*.c))
WEB_STATIC := $(sort $(wildcard web/static/*))
OBJS     := $(SRCS:src/%.c=$(BUILD)/%.o) $(BUILD)/catalog_builtin.o $(BUILD)/policy_builtin.o \
            $(BUILD)/ipa_exams_builtin.o $(BUILD)/web_static_files.o
TESTS    := $(patsubst tests/%.c,$(BUILD)/tests/%,$(wildcard tests/test_*.c))
BENCHES  := $(patsubst bench/%.c,$(BUILD)/bench/%,$(wildcard bench/bench_*.c))

.PHONY: all deps run check test asan bench clean fuzz fuzz-targets fuzz-run fuzz-coverage install uninstall

all: itss

# The default build is ./itss; other BUILD directories keep their own binary.
ifeq ($(BUILD),build)
BIN := itss
else
BIN := $(BUILD)/itss
endif

itss $(BUILD)/itss: $(BUILD)/main.o $(BUILD)/libitss.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/libitss.a: $(OBJS)
	rm -f $@ && ar rcs $@ $^

# An object whose .d is missing (never built with -MMD) is rebuilt, so that its
# header dependencies are known from then on.
$(BUILD)/%.o: src/%.c $(BUILD)/%.d | $(BUILD)/.dir
	$(CC) $(CFLAGS) $(DEPFLAGS) $(PKG_CFLAGS) -c -o $@ $<

DEPFILES := $(SRCS:src/%.c=$(BUILD)/%.d) $(BUILD)/main.d $(BUILD)/web_static_files.d
$(DEPFILES):

$(BUILD)/catalog_builtin.c: catalog/customer-service.json scripts/embed.sh | $(BUILD)/.dir
	sh scripts/embed.sh catalog_builtin_json $< > $@.tmp && mv $@.tmp $@

$(BUILD)/catalog_builtin.o: $(BUILD)/catalog_builtin.c
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/policy_builtin.c: policy/default.json scripts/embed.sh | $(BUILD)/.dir
	sh scripts/embed.sh policy_builtin_json $< > $@.tmp && mv $@.tmp $@

$(BUILD)/policy_builtin.o: $(BUILD)/policy_builtin.c
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/ipa_exams_builtin.c: catalog/ipa-exams.json scripts/embed.sh | $(BUILD)/.dir
	sh scripts/embed.sh ipa_exams_builtin_json $< > $@.tmp && mv $@.tmp $@

$(BUILD)/ipa_exams_builtin.o: $(BUILD)/ipa_exams_builtin.c
	$(CC) $(CFLAGS) -c -o $@ $<

# The web server's CSS, JavaScript and images (web/static/*), built into the binary.
$(BUILD)/web_static_files.c: $(WEB_STATIC) scripts/embed.sh scripts/embed_static.sh | $(BUILD)/.dir
	sh scripts/embed_static.sh $(WEB_STATIC) > $@.tmp && mv $@.tmp $@

$(BUILD)/web_static_files.o: $(BUILD)/web_static_files.c $(BUILD)/web_static_files.d
	$(CC) $(CFLAGS) $(DEPFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/%.c $(BUILD)/libitss.a | $(BUILD)/.dir
	$(CC) $(CFLAGS) $(DEPFLAGS) $(PKG_CFLAGS) $(shell pkg-config --cflags $(TEST_PKGS)) -o $@ $< \
	    $(BUILD)/libitss.a $(LDLIBS) $(shell pkg-config --libs $(TEST_PKGS))

$(BUILD)/bench/%: bench/%.c $(BUILD)/libitss.a | $(BUILD)/.dir
	$(CC) $(CFLAGS) $(DEPFLAGS) $(PKG_CFLAGS) -o $@ $< $(BUILD)/libitss.a $(LDLIBS)

$(BUILD)/.dir:
	mkdir -p $(BUILD)/tests $(BUILD)/bench && touch $@

deps:
	@sh scripts/deps.sh build

# Installing as a Debian administrator expects (docs/scale-out.md): the binary,
# itss(1) made from the commands' own help texts (itss help --man), and
# itss.service (hardened; runs as the system user itss, database under
# /var/lib/itss). An existing /etc/default/itss is the administrator's and kept.
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
UNITDIR ?= $(PREFIX)/lib/systemd/system
SYSCONFDIR ?= /etc
install: $(BIN)
	install -d "$(DESTDIR)$(BINDIR)" "$(DESTDIR)$(MANDIR)/man1" "$(DESTDIR)$(UNITDIR)" "$(DESTDIR)$(SYSCONFDIR)/default"
	install -m 0755 $(BIN) "$(DESTDIR)$(BINDIR)/itss"
	./$(BIN) help --man | gzip -9n > $(BUILD)/itss.1.gz
	install -m 0644 $(BUILD)/itss.1.gz "$(DESTDIR)$(MANDIR)/man1/itss.1.gz"
	sed 's|@BINDIR@|$(BINDIR)|g' dist/itss.service > $(BUILD)/itss.service
	install -m 0644 $(BUILD)/itss.service "$(DESTDIR)$(UNITDIR)/itss.service"
	@if [ -e "$(DESTDIR)$(SYSCONFDIR)/default/itss" ]; then \
	    echo "make install: keeping the existing $(DESTDIR)$(SYSCONFDIR)/default/itss"; \
	 else install -m 0644 dist/itss.default "$(DESTDIR)$(SYSCONFDIR)/default/itss"; fi

# Removes what make install put there, except /etc/default/itss and the database.
uninstall:
	rm -f "$(DESTDIR)$(BINDIR)/itss" "$(DESTDIR)$(MANDIR)/man1/itss.1.gz" "$(DESTDIR)$(UNITDIR)/itss.service"

# The demo database (itss.db) is made once; an existing one is kept as it is.
ITSS_DB ?= itss.db
LISTEN  ?= 127.0.0.1:8080
run: deps
	$(MAKE) itss
	@if [ -f "$(ITSS_DB)" ]; then echo "make run: using the existing $(ITSS_DB) (delete it for a fresh demo)"; \
	 else ./itss demo --db "$(ITSS_DB)" || exit 1; fi
	@echo ""
	@echo "Demo accounts (login / password): engineer / itss-demo-engineer, manager / itss-demo-manager,"
	@echo "                                  hr / itss-demo-hr, admin / itss-demo-admin"
	@echo "Serving http://$(LISTEN)/  (Ctrl-C stops)"
	./itss serve --listen "$(LISTEN)" --db "$(ITSS_DB)"

# As root, make check first installs every package the tests need (Chromium and
# the browser tests' npm packages included), so that no test is skipped; without
# root it names what is missing and run-tests.sh names each test it skipped.
check:
	@sh scripts/deps.sh check
	$(MAKE) $(BIN) $(TESTS)
	sh scripts/run-tests.sh $(BIN) $(TESTS)

test: check

asan:
	$(MAKE) check BUILD=build-asan OPT="-O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined" \
	    LDFLAGS="-fsanitize=address,undefined"

bench: $(BIN) $(BENCHES)
	@for b in $(BENCHES); do echo "== $$b"; $$b || exit 1; done

# The fuzz targets (fuzz/fuzz_*.c): libFuzzer with AddressSanitizer and UBSan,
# built by clang in their own directory, so that neither make nor make check
# needs clang. make fuzz-run runs each for FUZZ_TIME seconds (FUZZ_TARGETS=
# picks some) on a working copy of its seed corpus in $(FUZZ_BUILD)/corpus/.
FUZZ_CC      ?= clang
FUZZ_BUILD   ?= build-fuzz
FUZZ_OPT     := -O1 -fno-omit-frame-pointer -Wno-unknown-warning-option \
                -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
FUZZ_TARGETS ?= $(patsubst fuzz/%.c,%,$(wildcard fuzz/fuzz_*.c))
FUZZ_TIME    ?= 180
FUZZ_FLAGS   ?= -rss_limit_mb=2048 -timeout=10

fuzz:
	$(MAKE) fuzz-targets BUILD=$(FUZZ_BUILD) CC=$(FUZZ_CC) OPT="$(FUZZ_OPT)"

fuzz-targets: $(patsubst %,$(BUILD)/fuzz/%,$(FUZZ_TARGETS))

$(BUILD)/fuzz/%: fuzz/%.c fuzz/common.c fuzz/fuzz.h $(BUILD)/libitss.a | $(BUILD)/.dir
	@mkdir -p $(BUILD)/fuzz
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -Ifuzz -fsanitize=fuzzer -o $@ $< fuzz/common.c $(BUILD)/libitss.a $(LDLIBS)

fuzz-run: fuzz
	@for t in $(FUZZ_TARGETS); do \
	    mkdir -p $(FUZZ_BUILD)/corpus/$$t $(FUZZ_BUILD)/crashes/$$t && \
	    dict=; [ -f fuzz/$$t.dict ] && dict=-dict=fuzz/$$t.dict; \
	    echo "== $$t ($(FUZZ_TIME) s)"; \
	    $(FUZZ_BUILD)/fuzz/$$t $$dict -max_total_time=$(FUZZ_TIME) $(FUZZ_FLAGS) \
	        -artifact_prefix=$(FUZZ_BUILD)/crashes/$$t/ $(FUZZ_BUILD)/corpus/$$t fuzz/corpus/$$t || exit 1; \
	done

# make fuzz-coverage: which lines of src/ the corpora reach (fuzz/corpus/ and
# what fuzz-run added), each target's inputs replayed once (fuzz/replay.c) by a
# build with clang's source-based coverage; one llvm-cov report per target.
FUZZ_COV     := $(FUZZ_BUILD)/cov
LLVM_PROFDATA ?= llvm-profdata
LLVM_COV     ?= llvm-cov

fuzz-coverage:
	$(MAKE) $(FUZZ_COV)/libitss.a BUILD=$(FUZZ_COV) CC=$(FUZZ_CC) \
	    OPT="-O0 -fprofile-instr-generate -fcoverage-mapping -Wno-unknown-warning-option"
	@for t in $(FUZZ_TARGETS); do \
	    $(FUZZ_CC) -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O0 -fprofile-instr-generate \
	        -fcoverage-mapping -Isrc -Ifuzz $(PKG_CFLAGS) -o $(FUZZ_COV)/$$t fuzz/$$t.c fuzz/common.c fuzz/replay.c \
	        $(FUZZ_COV)/libitss.a $(LDLIBS) || exit 1; \
	    mkdir -p $(FUZZ_BUILD)/corpus/$$t; \
	    LLVM_PROFILE_FILE=$(FUZZ_COV)/$$t.profraw $(FUZZ_COV)/$$t fuzz/corpus/$$t $(FUZZ_BUILD)/corpus/$$t \
	        >/dev/null 2>$(FUZZ_COV)/$$t.log || { echo "$$t: an input failed (see $(FUZZ_COV)/$$t.log)"; exit 1; }; \
	    $(LLVM_PROFDATA) merge -sparse $(FUZZ_COV)/$$t.profraw -o $(FUZZ_COV)/$$t.profdata && \
	    echo "== $$t" && $(LLVM_COV) report $(FUZZ_COV)/$$t -instr-profile=$(FUZZ_COV)/$$t.profdata src/ || exit 1; \
	done

clean:
	rm -rf build build-asan $(FUZZ_BUILD) itss

# The header dependencies the compiler wrote (-MMD -MP); none before a first build.
include $(wildcard $(DEPFILES) $(BUILD)/tests/*.d $(BUILD)/bench/*.d)
