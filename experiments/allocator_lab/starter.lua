-- starter.lua: an allocator to start the lab from (memsim lab allocator).
--
-- An implicit free list with first fit, as simple as an allocator gets.
-- It passes every check of the lab and scores poorly: finding a block
-- walks every block of the heap, allocated ones too, and freed blocks are
-- never merged with their free neighbours, so the heap only grows.  The
-- handout (experiments/allocator_lab/handout.md) says how to do better.
--
-- The heap, as this allocator lays it out (every block a multiple of 16
-- bytes, payloads aligned to 16):
--
--   base                                                         brk
--    | pad |hdr| payload ... |hdr| payload ... | ... |hdr (epilogue)|
--      8    8                  8
--
-- A header is one word: the block's size (header included) with bit 0
-- set while the block is allocated.  The epilogue is a header of size 0,
-- allocated: the walk stops there.

local WORD, ALIGN, MIN_BLOCK = 8, 16, 32

local heap          -- the simulated heap: heap:read(p), heap:write(p, v), heap:sbrk(n) ...
local first         -- the first block's header

local A = {}

function A.init(h)
  heap = h
  local base = assert(heap:sbrk(2 * WORD))        -- the pad and the epilogue
  heap:write(base + WORD, 1)                      -- epilogue: size 0, allocated
  first = base + WORD
end

-- the block size for a request of n bytes: header + payload, rounded up
local function block_size(n)
  local size = (n + WORD + ALIGN - 1) // ALIGN * ALIGN
  return size < MIN_BLOCK and MIN_BLOCK or size
end

function A.malloc(n)
  local need = block_size(n)
  local h = first
  while true do                                   -- first fit: the first free block large enough
    local w = heap:read(h)
    local size = w & ~15
    if size == 0 then break end                   -- the epilogue: no block fits
    if w & 1 == 0 and size >= need then
      if size - need >= MIN_BLOCK then            -- split: the rest stays free
        heap:write(h + need, size - need)
        size = need
      end
      heap:write(h, size | 1)
      return h + WORD
    end
    h = h + size
  end
  -- no fit: grow the heap; the new block starts where the epilogue was
  if not heap:sbrk(need) then return nil end
  heap:write(h, need | 1)
  heap:write(h + need, 1)                         -- the new epilogue
  return h + WORD
end

function A.free(p)
  local h = p - WORD
  heap:write(h, heap:read(h) & ~1)                -- free; its neighbours are not merged
end

function A.realloc(p, n)
  local h = p - WORD
  local size = heap:read(h) & ~15
  if size >= block_size(n) then return p end      -- it fits where it is
  local q = A.malloc(n)
  if q == nil then return nil end
  heap:copy(q, p, size - WORD)                    -- the old payload, all of it
  A.free(p)
  return q
end

return A
