# plugins/entities: see plugins/entities/entities.c and README.md there.
pkglib_LTLIBRARIES += plugins/entities/entities.la
plugins_entities_entities_la_SOURCES = plugins/entities/entities.c \
	plugins/entities/dictionary.c plugins/entities/dictionary.h
plugins_entities_entities_la_LDFLAGS = $(PLUGIN_LDFLAGS)
plugins_entities_entities_la_LIBADD = plugins/common/libtpcommon.la

entitiesdatadir = $(pkgdatadir)/entities
dist_entitiesdata_DATA = \
	plugins/entities/data/cues.tsv \
	plugins/entities/data/given-names.txt \
	plugins/entities/data/nonentities.txt \
	plugins/entities/data/places.tsv \
	plugins/entities/data/demonyms.tsv \
	plugins/entities/data/organisations.tsv

# Countries and their subdivisions come from Debian's iso-codes at build
# time; the plugin finds the files in the build tree when run uninstalled.
ENTITIES_ISO = plugins/entities/data/countries.tsv plugins/entities/data/subdivisions.tsv
nodist_entitiesdata_DATA = $(ENTITIES_ISO) plugins/entities/data/lexicon.idx
ENTITIES_GEN = $(srcdir)/plugins/entities/gen-countries.py
ENTITIES_SKIP = $(srcdir)/plugins/entities/data/iso-skip.txt \
	$(srcdir)/plugins/entities/data/nonentities.txt
plugins/entities/data/countries.tsv: $(ENTITIES_GEN) $(ENTITIES_SKIP)
	$(AM_V_GEN)$(MKDIR_P) plugins/entities/data && \
	$(PYTHON3) $(ENTITIES_GEN) countries $(ISO_CODES_DIR) $(ENTITIES_SKIP) > $@.tmp && mv $@.tmp $@
plugins/entities/data/subdivisions.tsv: $(ENTITIES_GEN) $(ENTITIES_SKIP)
	$(AM_V_GEN)$(MKDIR_P) plugins/entities/data && \
	$(PYTHON3) $(ENTITIES_GEN) subdivisions $(ISO_CODES_DIR) $(ENTITIES_SKIP) > $@.tmp && mv $@.tmp $@
# English words (lower-case letters only, bytewise order, for the plugin's
# bisection) come from Debian's wamerican and wbritish at build time.
ENTITIES_WORDS = plugins/entities/data/english-words.txt
nodist_entitiesdata_DATA += $(ENTITIES_WORDS)
$(ENTITIES_WORDS): $(WORDS_FILES)
	$(AM_V_GEN)$(MKDIR_P) plugins/entities/data && \
	LC_ALL=C grep -h -x '[a-z][a-z]*' $(WORDS_FILES) | LC_ALL=C sort -u > $@.tmp && mv $@.tmp $@
BUILT_SOURCES += $(ENTITIES_ISO) $(ENTITIES_WORDS)
CLEANFILES += $(ENTITIES_ISO) $(ENTITIES_WORDS)

# The lexicon index: the data files as the plugin's loader leaves them,
# which it maps at start-up instead of reading them (see README.md).
# mklexicon loads them with the plugin's own code and the core's analyze().
noinst_PROGRAMS += plugins/entities/mklexicon
# (its own CFLAGS: its objects are not the plugin's libtool objects)
plugins_entities_mklexicon_SOURCES = plugins/entities/mklexicon.c plugins/entities/dictionary.c
plugins_entities_mklexicon_CFLAGS = $(AM_CFLAGS)
plugins_entities_mklexicon_LDADD = plugins/common/libtpcommon.la libtextpipe.la
plugins/entities/data/lexicon.idx: plugins/entities/mklexicon$(EXEEXT) \
		$(dist_entitiesdata_DATA) $(ENTITIES_ISO)
	$(AM_V_GEN)$(MKDIR_P) plugins/entities/data && \
	TEXTPIPE_DATA_DIR= TEXTPIPE_UNINSTALLED=1 plugins/entities/mklexicon$(EXEEXT) $@.tmp && \
	mv $@.tmp $@
CLEANFILES += plugins/entities/data/lexicon.idx
EXTRA_DIST += plugins/entities/gen-countries.py plugins/entities/data/iso-skip.txt \
	plugins/entities/README.md

check_PROGRAMS += tests/test_entities
TESTS += tests/test_entities
tests_test_entities_SOURCES = tests/test_entities.c
tests_test_entities_CFLAGS = $(TEST_CFLAGS)
tests_test_entities_LDADD = tests/libtesthelp.la plugins/common/libtpcommon.la $(TEST_LIBS)
