# plugins/wordfreq: the example plugin of the authoring guide.
pkglib_LTLIBRARIES += plugins/wordfreq/wordfreq.la
plugins_wordfreq_wordfreq_la_SOURCES = plugins/wordfreq/wordfreq.c
plugins_wordfreq_wordfreq_la_LDFLAGS = $(PLUGIN_LDFLAGS)
