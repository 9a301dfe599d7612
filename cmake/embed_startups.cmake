# Every measured start-up heap (DIR/NAME.startup.lua) as one C header: each
# file's text as bytes, and a table from profile name to text, in name order.
#   cmake -DDIR=sim/profiles -DOUT=header -P embed_startups.cmake
file(GLOB files "${DIR}/*.startup.lua")
list(SORT files)
set(text "/* generated from the start-up heaps of ${DIR} by cmake/embed_startups.cmake: do not edit */\n")
set(table "static const struct { const char *profile; const unsigned char *text; size_t len; } startup_heaps[] = {\n")
set(i 0)
foreach(f ${files})
  get_filename_component(name "${f}" NAME)
  string(REGEX REPLACE "\\.startup\\.lua$" "" profile "${name}")
  file(READ "${f}" hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," body "${hex}")
  string(APPEND text "static const unsigned char startup_${i}[] = {${body}};\n")
  string(APPEND table "  {\"${profile}\", startup_${i}, sizeof startup_${i}},\n")
  math(EXPR i "${i} + 1")
endforeach()
string(APPEND table "  {NULL, NULL, 0}};\n")
file(WRITE "${OUT}" "${text}${table}")
