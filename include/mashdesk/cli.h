/* cli.h - the command line: the scripting contract of product.md. */
#ifndef MASHDESK_CLI_H
#define MASHDESK_CLI_H

/* Parse global options and run one command; returns the exit status. */
int cli_main(int argc, char **argv);

#endif
