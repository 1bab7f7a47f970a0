# plugins/stance: see plugins/stance/stance.c.
pkglib_LTLIBRARIES += plugins/stance/stance.la
plugins_stance_stance_la_SOURCES = plugins/stance/stance.c
plugins_stance_stance_la_LDFLAGS = $(PLUGIN_LDFLAGS)
plugins_stance_stance_la_LIBADD = plugins/common/libtpcommon.la

stancedatadir = $(pkgdatadir)/stance
dist_stancedata_DATA =
