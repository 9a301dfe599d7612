-- Against the rules: block sizes kept in a Lua table, not in the heap.
local heap
local sizes = {}
local A = {}
function A.init(h) heap = h end
function A.malloc(n)
  local p = heap:sbrk((n + 15) // 16 * 16)
  sizes[p] = {n, "a string to make it heavier", {}}
  return p
end
function A.free(p) end
function A.realloc(p, n) return A.malloc(n) end
return A
