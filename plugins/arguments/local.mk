# plugins/arguments: see plugins/arguments/arguments.c.
pkglib_LTLIBRARIES += plugins/arguments/arguments.la
plugins_arguments_arguments_la_SOURCES = plugins/arguments/arguments.c
plugins_arguments_arguments_la_LDFLAGS = $(PLUGIN_LDFLAGS)
plugins_arguments_arguments_la_LIBADD = plugins/common/libtpcommon.la

argumentsdatadir = $(pkgdatadir)/arguments
dist_argumentsdata_DATA = \
	plugins/arguments/data/cues.tsv \
	plugins/arguments/data/markers.tsv
