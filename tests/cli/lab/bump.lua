-- A bump allocator that never reuses memory: right, and wasteful.
local heap
local A = {}
function A.init(h) heap = h end
function A.malloc(n)
  local size = (n + 15) // 16 * 16
  return heap:sbrk(size)
end
function A.free(p) end
function A.realloc(p, n)
  local q = A.malloc(n)
  if q then heap:copy(q, p, n) end       -- copies past the old block's end: harmless here
  return q
end
return A
