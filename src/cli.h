/* cli.h: the textpipe command line (main.c is a thin shell over it, and
 * the tests call it too). */
#ifndef TP_CLI_H
#define TP_CLI_H

/* Run textpipe as its command line says; returns the exit status. */
int cli_main(int argc, char **argv);

#endif
