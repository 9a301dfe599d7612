-- Wrong: calloc hands out a freed block again without zeroing it.
local heap
local spare = {}          -- one freed block kept for reuse (a few entries at most)
local A = {}
function A.init(h) heap = h end
function A.malloc(n)
  return heap:sbrk((n + 15) // 16 * 16)
end
function A.calloc(k, n)
  local p = table.remove(spare)
  if p then return p end                 -- wrong: neither zeroed nor big enough for sure
  return A.malloc(k * n)
end
function A.free(p) if #spare < 4 then spare[#spare + 1] = p end end
function A.realloc(p, n) return A.malloc(n) end
return A
