# plugins/common: code the shipped plugins share, linked into each (never
# into the host): a convenience library.
noinst_LTLIBRARIES += plugins/common/libtpcommon.la
plugins_common_libtpcommon_la_SOURCES = \
	plugins/common/lexicon.c plugins/common/lexicon.h plugins/common/grow.h plugins/common/fnv.h \
	plugins/common/token_run.h
# the name chunker (entities, stance): see names.h
plugins_common_libtpcommon_la_SOURCES += plugins/common/names.c plugins/common/names.h
