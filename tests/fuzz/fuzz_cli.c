/*
** fuzz_cli.c: libFuzzer harness for the command-line parser.  The input is
** split at NUL bytes into argv; the parser must never crash, and what it
** returns must be consistent (a usage error has a message; a run has a
** script).
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 2048) return 0;
  char *buf = malloc(size + 1);
  memcpy(buf, data, size);
  buf[size] = '\0';
  char *argv[66];
  int argc = 0;
  argv[argc++] = "memsim";
  char *p = buf;
  while (p < buf + size && argc < 64) {
    argv[argc++] = p;
    p += strlen(p) + 1;
  }
  argv[argc] = NULL;
  ms_Cli cli;
  ms_cli_parse(&cli, argc, argv);
  if (cli.action == MS_ACT_USAGE && cli.err[0] == '\0') abort();
  if (cli.action == MS_ACT_RUN && cli.run.script == NULL) abort();
  if (cli.action == MS_ACT_PLOT && cli.dir == NULL) abort();
  ms_cli_free(&cli);
  free(buf);
  return 0;
}
