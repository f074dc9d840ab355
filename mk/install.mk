# make install / make uninstall, GNU style: PREFIX (default /usr/local) and
# DESTDIR (a staging root, for packaging). Installs
#   bin/evgen, bin/evdecode
#   share/evgen/runtime/evgen_runtime.{c,h}   (evgen also copies them into
#                                            every output directory)
#   share/man/man1/evgen.1, evdecode.1
#   share/evgen/evgen.mk                    (the make fragment, docs/downstream.md)
#   lib/cmake/evgen/evgenConfig.cmake, evgenConfigVersion.cmake
#                                            (find_package(evgen), evgen_generate)
PREFIX  ?= /usr/local
DESTDIR ?=
BINDIR   = $(PREFIX)/bin
DATADIR  = $(PREFIX)/share/evgen
MANDIR   = $(PREFIX)/share/man/man1
CMAKEDIR = $(PREFIX)/lib/cmake/evgen
EVGEN_VERSION := $(shell sed -n 's/^\#define EVGEN_VERSION "\(.*\)"/\1/p' generator/version.h)
INSTALL ?= install

.PHONY: install uninstall
install: $(BUILD)/evgen $(BUILD)/evdecode
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/runtime $(DESTDIR)$(MANDIR) \
	  $(DESTDIR)$(CMAKEDIR)
	$(INSTALL) -m 755 $(BUILD)/evgen $(BUILD)/evdecode $(DESTDIR)$(BINDIR)/
	$(INSTALL) -m 644 $(RUNTIME) $(DESTDIR)$(DATADIR)/runtime/
	$(INSTALL) -m 644 packaging/man/evgen.1 packaging/man/evdecode.1 $(DESTDIR)$(MANDIR)/
	$(INSTALL) -m 644 packaging/evgen.mk $(DESTDIR)$(DATADIR)/
	for f in evgenConfig evgenConfigVersion; do \
	  sed -e 's|@EVGEN_VERSION@|$(EVGEN_VERSION)|g' -e 's|@EVGEN_BINDIR@|$(BINDIR)|g' \
	    packaging/cmake/$$f.cmake.in > $(DESTDIR)$(CMAKEDIR)/$$f.cmake || exit 1; \
	  chmod 644 $(DESTDIR)$(CMAKEDIR)/$$f.cmake; \
	done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/evgen $(DESTDIR)$(BINDIR)/evdecode \
	  $(DESTDIR)$(DATADIR)/runtime/evgen_runtime.c $(DESTDIR)$(DATADIR)/runtime/evgen_runtime.h \
	  $(DESTDIR)$(DATADIR)/evgen.mk $(DESTDIR)$(MANDIR)/evgen.1 $(DESTDIR)$(MANDIR)/evdecode.1 \
	  $(DESTDIR)$(CMAKEDIR)/evgenConfig.cmake $(DESTDIR)$(CMAKEDIR)/evgenConfigVersion.cmake
	-rmdir $(DESTDIR)$(DATADIR)/runtime $(DESTDIR)$(DATADIR) $(DESTDIR)$(CMAKEDIR) 2>/dev/null
