# plugins/entities: see plugins/entities/entities.c.
pkglib_LTLIBRARIES += plugins/entities/entities.la
plugins_entities_entities_la_SOURCES = plugins/entities/entities.c
plugins_entities_entities_la_LDFLAGS = $(PLUGIN_LDFLAGS)
plugins_entities_entities_la_LIBADD = plugins/common/libtpcommon.la

entitiesdatadir = $(pkgdatadir)/entities
dist_entitiesdata_DATA =
