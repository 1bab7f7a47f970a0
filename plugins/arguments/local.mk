# plugins/arguments: see plugins/arguments/arguments.c.
pkglib_LTLIBRARIES += plugins/arguments/arguments.la
plugins_arguments_arguments_la_SOURCES = plugins/arguments/arguments.c \
	plugins/arguments/model.c plugins/arguments/model.h
plugins_arguments_arguments_la_LDFLAGS = $(PLUGIN_LDFLAGS)
plugins_arguments_arguments_la_LIBADD = plugins/common/libtpcommon.la -lm

argumentsdatadir = $(pkgdatadir)/arguments
dist_argumentsdata_DATA = \
	plugins/arguments/data/cues.tsv \
	plugins/arguments/data/markers.tsv

check_PROGRAMS += tests/test_arguments
TESTS += tests/test_arguments
tests_test_arguments_SOURCES = tests/test_arguments.c
tests_test_arguments_CFLAGS = $(TEST_CFLAGS)
tests_test_arguments_LDADD = tests/libtesthelp.la $(TEST_LIBS)
