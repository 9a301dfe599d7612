/*
** genobject.c: generators (Objects/genobject.c): a frame of local slots.
*/
#include "objimpl.h"

uint32_t new_generator(ms_Sim *s, uint32_t slots) {
  uint32_t id = new_plain(s, MS_GENERATOR, slots);
  if (id == 0) return 0;
  O(s, id)->body = ms_xcalloc(slots ? slots : 1, sizeof(uint32_t));
  gc_track(s, id);
  return id;
}
