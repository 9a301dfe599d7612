-- Wrong: the second block overlaps the first (a header forgotten in the size).
local heap
local A = {}
function A.init(h) heap = h; heap:sbrk(1 << 20) end
local next_p = 0x10000000
function A.malloc(n)
  local p = next_p
  next_p = next_p + 16                   -- wrong: 16 bytes on, whatever n was
  return p
end
function A.free(p) end
function A.realloc(p, n) return A.malloc(n) end
return A
