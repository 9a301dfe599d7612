/*
** record.h: memsim record (record.c), a real program's allocations
** written to a trace by a recorder built against its interpreter.
*/
#ifndef MEMSIM_RECORD_H
#define MEMSIM_RECORD_H

/* memsim record ARGV...: returns the program's exit status (see record.c). */
int ms_cmd_record(int argc, char **argv);
const char *ms_record_help(void);

#endif
