# tests/local.mk: Criterion tests of the core, run by `make check`.
TEST_LIBS = libtextpipe.la $(CRITERION_LIBS)
TEST_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS) $(UTF8PROC_CFLAGS)

noinst_LTLIBRARIES += tests/libtesthelp.la
tests_libtesthelp_la_SOURCES = tests/helpers.c tests/helpers.h
tests_libtesthelp_la_CFLAGS = $(TEST_CFLAGS)

CORE_TESTS = tests/test_tokenize tests/test_normalize tests/test_sentence \
	tests/test_stem tests/test_tsv tests/test_merge tests/test_offsets \
	tests/test_loader tests/test_cli tests/test_install
check_PROGRAMS += $(CORE_TESTS)
TESTS += $(CORE_TESTS)

tests_test_tokenize_SOURCES = tests/test_tokenize.c
tests_test_tokenize_CFLAGS = $(TEST_CFLAGS)
tests_test_tokenize_LDADD = tests/libtesthelp.la $(TEST_LIBS)
tests_test_normalize_SOURCES = tests/test_normalize.c
tests_test_normalize_CFLAGS = $(TEST_CFLAGS)
tests_test_normalize_LDADD = tests/libtesthelp.la $(TEST_LIBS)
tests_test_sentence_SOURCES = tests/test_sentence.c
tests_test_sentence_CFLAGS = $(TEST_CFLAGS)
tests_test_sentence_LDADD = tests/libtesthelp.la $(TEST_LIBS)
tests_test_stem_SOURCES = tests/test_stem.c
tests_test_stem_CFLAGS = $(TEST_CFLAGS)
tests_test_stem_LDADD = tests/libtesthelp.la $(TEST_LIBS)
tests_test_tsv_SOURCES = tests/test_tsv.c
tests_test_tsv_CFLAGS = $(TEST_CFLAGS)
tests_test_tsv_LDADD = tests/libtesthelp.la $(TEST_LIBS)
tests_test_merge_SOURCES = tests/test_merge.c
tests_test_merge_CFLAGS = $(TEST_CFLAGS)
tests_test_merge_LDADD = tests/libtesthelp.la $(TEST_LIBS)
tests_test_offsets_SOURCES = tests/test_offsets.c
tests_test_offsets_CFLAGS = $(TEST_CFLAGS)
tests_test_offsets_LDADD = tests/libtesthelp.la $(TEST_LIBS)
tests_test_loader_SOURCES = tests/test_loader.c
tests_test_loader_CFLAGS = $(TEST_CFLAGS)
tests_test_loader_LDADD = tests/libtesthelp.la $(TEST_LIBS)
tests_test_cli_SOURCES = tests/test_cli.c
tests_test_cli_CFLAGS = $(TEST_CFLAGS)
tests_test_cli_LDADD = tests/libtesthelp.la $(TEST_LIBS)
tests_test_install_SOURCES = tests/test_install.c
tests_test_install_CFLAGS = $(TEST_CFLAGS)
tests_test_install_CPPFLAGS = $(AM_CPPFLAGS) -DTP_PREFIX='"$(prefix)"' -DTP_LIBDIR='"$(libdir)"' \
	-DTP_INCLUDEDIR='"$(includedir)"'
tests_test_install_LDADD = tests/libtesthelp.la $(TEST_LIBS)

EXTRA_DIST += tests/data

# Plugins the loader must refuse (and one that writes a bad record), built
# as modules only for the tests (-rpath makes libtool build a shared one).
TEST_PLUGIN_LDFLAGS = -module -avoid-version -shared -rpath /nowhere
check_LTLIBRARIES += tests/plugins/bad_abi.la tests/plugins/short_desc.la \
	tests/plugins/fail_create.la tests/plugins/no_entry.la tests/plugins/bad_write.la
tests_plugins_bad_abi_la_SOURCES = tests/plugins/refused.c
tests_plugins_bad_abi_la_CPPFLAGS = $(AM_CPPFLAGS) -DBAD_ABI
tests_plugins_bad_abi_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)
tests_plugins_short_desc_la_SOURCES = tests/plugins/refused.c
tests_plugins_short_desc_la_CPPFLAGS = $(AM_CPPFLAGS) -DSHORT_DESC
tests_plugins_short_desc_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)
tests_plugins_fail_create_la_SOURCES = tests/plugins/refused.c
tests_plugins_fail_create_la_CPPFLAGS = $(AM_CPPFLAGS) -DFAIL_CREATE
tests_plugins_fail_create_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)
tests_plugins_no_entry_la_SOURCES = tests/plugins/refused.c
tests_plugins_no_entry_la_CPPFLAGS = $(AM_CPPFLAGS) -DNO_ENTRY
tests_plugins_no_entry_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)
tests_plugins_bad_write_la_SOURCES = tests/plugins/refused.c
tests_plugins_bad_write_la_CPPFLAGS = $(AM_CPPFLAGS) -DBAD_WRITE
tests_plugins_bad_write_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)
# One that checks what the host lends: the stem hashes of ABI 1.2.
check_LTLIBRARIES += tests/plugins/stem_hashes.la
tests_plugins_stem_hashes_la_SOURCES = tests/plugins/stem_hashes.c
tests_plugins_stem_hashes_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)

# Inputs, -o DIR and the manifest; --state; progress reports.
check_PROGRAMS += tests/test_corpus tests/test_state tests/test_progress
TESTS += tests/test_corpus tests/test_state tests/test_progress
tests_test_corpus_SOURCES = tests/test_corpus.c
tests_test_corpus_CFLAGS = $(TEST_CFLAGS)
tests_test_corpus_LDADD = tests/libtesthelp.la $(TEST_LIBS)
tests_test_state_SOURCES = tests/test_state.c
tests_test_state_CFLAGS = $(TEST_CFLAGS)
tests_test_state_LDADD = tests/libtesthelp.la $(TEST_LIBS)
tests_test_progress_SOURCES = tests/test_progress.c
tests_test_progress_CFLAGS = $(TEST_CFLAGS)
tests_test_progress_LDADD = tests/libtesthelp.la $(TEST_LIBS)

# Report, reducer and scale-out (map, sort, reduce; GNU parallel; nightly).
check_PROGRAMS += tests/test_scaleout
TESTS += tests/test_scaleout
tests_test_scaleout_SOURCES = tests/test_scaleout.c
tests_test_scaleout_CFLAGS = $(TEST_CFLAGS)
tests_test_scaleout_LDADD = tests/libtesthelp.la $(TEST_LIBS)

# Criterion logs each test, so a skip (no ../shared here) is visible in
# tests/*.log; check-local repeats the skips at the end of `make check`.
AM_TESTS_ENVIRONMENT = CRITERION_VERBOSITY_LEVEL=1; export CRITERION_VERBOSITY_LEVEL;
check-local: check-TESTS
	@skips=`grep -h '^\[SKIP\]' tests/*.log 2>/dev/null`; \
	if test -n "$$skips"; then echo "Skipped tests:"; echo "$$skips"; fi
check_PROGRAMS += tests/test_report
TESTS += tests/test_report
tests_test_report_SOURCES = tests/test_report.c
tests_test_report_CFLAGS = $(TEST_CFLAGS)
tests_test_report_LDADD = tests/libtesthelp.la $(TEST_LIBS)
