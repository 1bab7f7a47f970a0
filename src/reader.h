/* reader.h: input files and stdin, read in fixed-size blocks; in --lines
 * mode, one document a line, streamed without holding the line whole. */
#ifndef TP_READER_H
#define TP_READER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define READER_BLOCK (64 * 1024)

typedef struct reader reader;

/* Open a file, or stdin for "-".  NULL with "PATH: reason" in err. */
reader *reader_open(const char *path, char *err, size_t errsize);
void reader_close(reader *r); /* NULL is fine; stdin is not closed */
const char *reader_name(const reader *r);

/* Whole-file mode: up to max bytes into dst; 0 at the end, -1 on a read
 * error (errno set). */
ssize_t reader_read(reader *r, char *dst, size_t max);

/* Lines mode.  reader_next_line moves to the next line: 1 when there is
 * one (its number in *lineno, from 1), 0 at the end, -1 on a read error.
 * reader_line_id then takes the text before the first TAB of the line as
 * its id when the TAB comes within the first READER_BLOCK bytes (copied to
 * id, cut to idsize-1): 1 if it did, 0 if the line has no id.
 * reader_line_read gives the rest of the line (without its LF) in pieces:
 * bytes, or 0 at the end of the line, -1 on a read error. */
int reader_next_line(reader *r, uint64_t *lineno);
int reader_line_id(reader *r, char *id, size_t idsize);
ssize_t reader_line_read(reader *r, char *dst, size_t max);

#endif
