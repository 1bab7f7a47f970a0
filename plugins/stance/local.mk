# plugins/stance: see plugins/stance/stance.c.
pkglib_LTLIBRARIES += plugins/stance/stance.la
plugins_stance_stance_la_SOURCES = plugins/stance/stance.c \
	plugins/stance/targets.c plugins/stance/targets.h \
	plugins/stance/cues.c plugins/stance/cues.h \
	plugins/stance/model.c plugins/stance/model.h
plugins_stance_stance_la_LDFLAGS = $(PLUGIN_LDFLAGS)
plugins_stance_stance_la_LIBADD = plugins/common/libtpcommon.la -lm

stancedatadir = $(pkgdatadir)/stance
dist_stancedata_DATA = \
	plugins/stance/data/stance-lexicon.tsv \
	plugins/stance/data/stance-actions.tsv \
	plugins/stance/data/stance-negators.txt \
	plugins/stance/data/stance-degree.tsv \
	plugins/stance/data/stance-contrast.tsv \
	plugins/stance/data/stance-prescriptive.tsv \
	plugins/stance/data/stance-passive.txt \
	plugins/stance/data/stance-tags.tsv

check_PROGRAMS += tests/test_stance
TESTS += tests/test_stance
tests_test_stance_SOURCES = tests/test_stance.c
tests_test_stance_CFLAGS = $(TEST_CFLAGS)
tests_test_stance_LDADD = tests/libtesthelp.la $(TEST_LIBS)
EXTRA_DIST += plugins/stance/README.md
