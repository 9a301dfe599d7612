# Turn a text file into a C array: cmake -DIN=file -DOUT=header -DNAME=ident -P embed.cmake
file(READ "${IN}" hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," body "${hex}")
file(WRITE "${OUT}" "/* generated from ${IN} by cmake/embed.cmake: do not edit */\nstatic const unsigned char ${NAME}[] = {${body}};\n")
