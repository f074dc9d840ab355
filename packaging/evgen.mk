# evgen.mk - generate C from an evgen catalog inside a GNU Make build.
#
# Installed as PREFIX/share/evgen/evgen.mk, beside PREFIX/bin/evgen.
# Set the variables, then include this file:
#
#   EVGEN         ?= evgen            # the evgen command (a path, or a name on PATH)
#   EVGEN_CATALOG := sensors.yaml     # required
#   EVGEN_OUT     := build/gen        # where the six files go (default: generated)
#   EVGEN_PREFIX  := sensors          # optional: --prefix (default: ev)
#   EVGEN_TEMPLATES := my-templates   # optional: --templates (default: built in)
#   include $(dir $(shell command -v $(EVGEN)))../share/evgen/evgen.mk
#
# It defines
#   EVGEN_SOURCES  the generated .c files: compile and link them with the program
#   EVGEN_HEADERS  the generated .h files
#   EVGEN_CFLAGS   -I$(EVGEN_OUT), for every file that includes a generated header
# and the rules that make them. A program uses them like this:
#
#   OBJS := main.o $(EVGEN_SOURCES:.c=.o)
#   app: $(OBJS)
#           $(CC) $(LDFLAGS) $(OBJS) -o $@
#   $(OBJS): $(EVGEN_HEADERS)        # so main.c never compiles before they exist
#   %.o: %.c
#           $(CC) $(CFLAGS) $(EVGEN_CFLAGS) -c $< -o $@
#
# When evgen runs: when the catalog, a template of EVGEN_TEMPLATES or the
# evgen binary is newer than the last run, when the evgen command line
# changed (another prefix, say), or when a generated file is missing.
# evgen rewrites only the files whose content changed, so their timestamps
# cannot tell whether generation is up to date; a stamp file
# ($(EVGEN_OUT)/.evgen.stamp) does. Touching the catalog reruns evgen once
# and recompiles nothing; a real change recompiles only what depends on the
# files whose content changed. One stamp stands for the six files, so
# make -j runs evgen once. `make clean` should remove $(EVGEN_OUT).
#
# For a second catalog, save EVGEN_SOURCES and EVGEN_HEADERS, set
# EVGEN_CATALOG and EVGEN_OUT (and EVGEN_PREFIX: every catalog in one program
# needs its own) again and include this file again. evgen_runtime.c is the
# same for every catalog: compile only one of them.

EVGEN ?= evgen
EVGEN_OUT ?= generated
# The rules below must not become the including makefile's default goal.
_evgen_goal := $(.DEFAULT_GOAL)
ifeq ($(strip $(EVGEN_CATALOG)),)
$(error evgen.mk: set EVGEN_CATALOG to the catalog file before including evgen.mk)
endif

EVGEN_SOURCES := $(addprefix $(EVGEN_OUT)/,events.c dispatch.c evgen_runtime.c)
EVGEN_HEADERS := $(addprefix $(EVGEN_OUT)/,events.h dispatch.h evgen_runtime.h)
EVGEN_CFLAGS  := -I$(EVGEN_OUT)
EVGEN_STAMP   := $(EVGEN_OUT)/.evgen.stamp
EVGEN_DEPFILE := $(EVGEN_OUT)/.evgen.d

# The binary is an input too: a new evgen may generate other code. A path
# is used as it is, since the including makefile may build it; a bare name
# is looked up on PATH now.
ifneq ($(findstring /,$(EVGEN)),)
_evgen_bin := $(EVGEN)
else
_evgen_bin := $(shell command -v $(EVGEN) 2>/dev/null)
endif

# evgen reads every *.tmpl of the directory; listing them here also
# catches a template added since the last run, which no depfile can name.
_evgen_templates := $(if $(EVGEN_TEMPLATES),$(wildcard $(EVGEN_TEMPLATES)/*.tmpl))

_evgen_cmd := $(EVGEN) -o $(EVGEN_OUT) $(if $(EVGEN_PREFIX),--prefix $(EVGEN_PREFIX)) \
              $(if $(EVGEN_TEMPLATES),--templates $(EVGEN_TEMPLATES)) $(EVGEN_CATALOG)

# The recipes run after every makefile is read, when these variables may
# name another catalog (included twice): the stamp keeps its own command.
$(EVGEN_STAMP): _evgen_run := $(_evgen_cmd)

# evgen's depfile names the six files as depending on what it read; the
# stamp is what must depend on those inputs (the files themselves are only
# rewritten when they change), so the awk script gives the rule to the
# stamp. The stamp holds the command line, to compare with the next one.
$(EVGEN_STAMP): $(EVGEN_CATALOG) $(_evgen_bin) $(_evgen_templates)
	@mkdir -p $(@D)
	$(_evgen_run) --depfile $(@D)/.evgen.d.tmp
	@awk -v stamp='$@' 'done { print; next } /:/ { sub(/^.*:/, stamp ":"); done = 1; print }' \
	  $(@D)/.evgen.d.tmp > $(@D)/.evgen.d && rm -f $(@D)/.evgen.d.tmp
	@printf '%s\n' '$(_evgen_run)' > $@

# The empty recipe matters: after running it, make reads the file's time
# again, so what evgen rewrote is recompiled in this same run, and what it
# left alone stays older than its objects. (Without a recipe, make keeps
# the time it read before evgen ran, and compiles one run late.)
$(EVGEN_SOURCES) $(EVGEN_HEADERS): $(EVGEN_STAMP) ;

-include $(EVGEN_DEPFILE)

# Timestamps cannot see these: run evgen whatever they say.
ifneq ($(strip $(shell cat $(EVGEN_STAMP) 2>/dev/null)),$(strip $(_evgen_cmd)))
$(EVGEN_STAMP): evgen-force
else ifneq ($(wildcard $(EVGEN_SOURCES) $(EVGEN_HEADERS)),$(EVGEN_SOURCES) $(EVGEN_HEADERS))
$(EVGEN_STAMP): evgen-force
endif
.PHONY: evgen-force
evgen-force:
.DEFAULT_GOAL := $(_evgen_goal)
