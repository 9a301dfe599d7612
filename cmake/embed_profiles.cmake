# Every profile file (DIR/NAME.profile) as one C header: each file's text as bytes
# (NUL-terminated), and a NULL-terminated list of them, in name order.
#   cmake -DDIR=sim/profiles -DOUT=header -P embed_profiles.cmake
file(GLOB files "${DIR}/*.profile")
list(SORT files)
set(text "/* generated from the profile files of ${DIR} by cmake/embed_profiles.cmake: do not edit */\n")
set(list "static const char *const profile_texts[] = {")
set(i 0)
foreach(f ${files})
  file(READ "${f}" hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," body "${hex}")
  string(APPEND text "static const unsigned char profile_${i}[] = {${body}0x00};\n")
  string(APPEND list "(const char *)profile_${i}, ")
  math(EXPR i "${i} + 1")
endforeach()
string(APPEND list "NULL};\n")
file(WRITE "${OUT}" "${text}${list}")
