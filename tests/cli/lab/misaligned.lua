-- Wrong: payloads 8 bytes after a 16-byte boundary (a header of one word, unpadded).
local heap
local A = {}
function A.init(h) heap = h end
function A.malloc(n)
  local size = (n + 8 + 15) // 16 * 16
  local p = heap:sbrk(size)
  heap:write(p, size)
  return p + 8
end
function A.free(p) end
function A.realloc(p, n) return A.malloc(n) end
return A
