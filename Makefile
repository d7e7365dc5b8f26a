# itss - the ITSS カスタマサービス skill-standard system.
#
#   make          build ./itss
#   make run      install missing Debian packages (as root), build, create the demo
#                 database where none exists, start the program
#   make check    build and run every test; ends with "N passed, N failed"
#   make asan     the same tests under AddressSanitizer and UBSan
#   make bench    the benchmarks under bench/

PKGS     := jansson sqlite3 libutf8proc libmicrohttpd libsodium
CC       ?= cc
BUILD    ?= build
OPT      ?= -O2
CFLAGS   ?=
CFLAGS   += -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Wall -Wextra -Werror \
            -Wshadow -Wstrict-prototypes -Wvla -Wno-format-truncation $(OPT) -g -Isrc -I$(BUILD)
# (-Wno-format-truncation: messages and JSON paths are cut to fixed buffers on purpose)
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
LDLIBS   += $(PKG_LIBS) -lpthread -lm

SRCS     := $(filter-out src/main.c,$(wildcard src/*.c))
WEB_STATIC := $(sort $(wildcard web/static/*))
OBJS     := $(SRCS:src/%.c=$(BUILD)/%.o) $(BUILD)/catalog_builtin.o $(BUILD)/policy_builtin.o \
            $(BUILD)/web_static_files.o
TESTS    := $(patsubst tests/%.c,$(BUILD)/tests/%,$(wildcard tests/test_*.c))
BENCHES  := $(patsubst bench/%.c,$(BUILD)/bench/%,$(wildcard bench/bench_*.c))

.PHONY: all deps run check test asan bench clean

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

$(BUILD)/%.o: src/%.c $(wildcard src/*.h) | $(BUILD)/.dir
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

$(BUILD)/catalog_builtin.c: catalog/customer-service.json scripts/embed.sh | $(BUILD)/.dir
	sh scripts/embed.sh catalog_builtin_json $< > $@.tmp && mv $@.tmp $@

$(BUILD)/catalog_builtin.o: $(BUILD)/catalog_builtin.c
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/policy_builtin.c: policy/default.json scripts/embed.sh | $(BUILD)/.dir
	sh scripts/embed.sh policy_builtin_json $< > $@.tmp && mv $@.tmp $@

$(BUILD)/policy_builtin.o: $(BUILD)/policy_builtin.c
	$(CC) $(CFLAGS) -c -o $@ $<

# The web server's CSS, JavaScript and images (web/static/*), built into the binary.
$(BUILD)/web_static_files.c: $(WEB_STATIC) scripts/embed.sh scripts/embed_static.sh | $(BUILD)/.dir
	sh scripts/embed_static.sh $(WEB_STATIC) > $@.tmp && mv $@.tmp $@

$(BUILD)/web_static_files.o: $(BUILD)/web_static_files.c src/web.h src/account.h src/buf.h src/err.h
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/%.c $(BUILD)/libitss.a $(wildcard tests/*.h) | $(BUILD)/.dir
	$(CC) $(CFLAGS) $(PKG_CFLAGS) $(shell pkg-config --cflags cmocka) -o $@ $< \
	    $(BUILD)/libitss.a $(LDLIBS) $(shell pkg-config --libs cmocka)

$(BUILD)/bench/%: bench/%.c $(BUILD)/libitss.a | $(BUILD)/.dir
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -o $@ $< $(BUILD)/libitss.a $(LDLIBS)

$(BUILD)/.dir:
	mkdir -p $(BUILD)/tests $(BUILD)/bench && touch $@

deps:
	@sh scripts/deps.sh

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

check: deps
	$(MAKE) $(BIN) $(TESTS)
	sh scripts/run-tests.sh $(BIN) $(TESTS)

test: check

asan:
	$(MAKE) check BUILD=build-asan OPT="-O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined" \
	    LDFLAGS="-fsanitize=address,undefined"

bench: $(BIN) $(BENCHES)
	@for b in $(BENCHES); do echo "== $$b"; $$b || exit 1; done

clean:
	rm -rf build build-asan itss
