-- segregated.lua: the allocator lab's reference solution, for teachers.
-- (Kept apart from the handout: experiments/answers/ is not handed out.)
--
-- Segregated explicit free lists with boundary tags:
--   * 31 exact classes for blocks of 32 to 512 bytes (a request finds its
--     class's first block in one read), then a class per power of two,
--     searched first fit for a few blocks, then the next class up;
--   * every free block is merged with free neighbours at once, found
--     through the footer of the block before (free blocks only: an
--     allocated block says in its header whether the block before it is
--     free, so allocated blocks carry no footer);
--   * realloc grows in place into a free neighbour or at the heap's end;
--   * requests of 128 KiB and more get pages of their own (mmap), as
--     glibc's malloc does, so that freeing them gives the memory back.
--
-- Block layout (h: the header's address, 8 past a multiple of 16):
--
--   allocated  | size|A|P | payload ...                         |
--   free       | size|P   | next | prev | ...          | size   |
--                h         h+8    h+16                  h+size-8
--
-- Header bits: A (1) allocated, P (2) the block before is allocated,
-- M (4) a mapping of its own (then size is the mapping's length).

local A_BIT, P_BIT, M_BIT = 1, 2, 4
local WORD, MIN_BLOCK, LARGE = 8, 32, 128 * 1024
local CHUNK = 4096                        -- the heap grows by at least this: sbrk is a system call
local EXACT = 31                          -- classes 0..30: sizes 32..512 by 16
local NCLASS = EXACT + 20

local heap, epi                           -- the heap; the epilogue header's address
local heads = {}                          -- per class: the first free block's header, or 0

local S = {}

local function class_of(size)
  if size <= 512 then return size // 16 - 2 end
  local k, s = EXACT, size >> 10
  while s > 0 and k < NCLASS - 1 do k, s = k + 1, s >> 1 end
  return k
end

local function block_size(n)
  local size = (n + WORD + 15) // 16 * 16
  return size < MIN_BLOCK and MIN_BLOCK or size
end

local function insert(h, size)
  local k = class_of(size)
  local first = heads[k]
  heap:write(h + 8, first)
  heap:write(h + 16, 0)
  if first ~= 0 then heap:write(first + 16, h) end
  heads[k] = h
end

local function remove(h, size)
  local nxt, prv = heap:read(h + 8), heap:read(h + 16)
  if prv ~= 0 then heap:write(prv + 8, nxt) else heads[class_of(size)] = nxt end
  if nxt ~= 0 then heap:write(nxt + 16, prv) end
end

-- a free block at h of SIZE: header, footer, list; the next block learns it
local function make_free(h, size, prev_bit)
  heap:write(h, size | prev_bit)
  heap:write(h + size - WORD, size)
  insert(h, size)
  local n = h + size
  heap:write(n, heap:read(n) & ~P_BIT)
end

-- allocate NEED bytes of the free block h (already off its list)
local function place(h, size, need)
  local prev_bit = heap:read(h) & P_BIT
  if size - need >= MIN_BLOCK then
    heap:write(h, need | A_BIT | prev_bit)
    make_free(h + need, size - need, P_BIT)
  else
    heap:write(h, size | A_BIT | prev_bit)
    local n = h + size
    heap:write(n, heap:read(n) | P_BIT)
  end
  return h + WORD
end

local function find_fit(need)
  local k = class_of(need)
  if k < EXACT then                        -- exact classes: any block of the class fits
    for c = k, EXACT - 1 do
      local h = heads[c]
      if h ~= 0 then return h, (c + 2) * 16 end
    end
    k = EXACT
  end
  for c = k, NCLASS - 1 do
    local h, tries = heads[c], 0
    while h ~= 0 and tries < 8 do          -- first fit, a few blocks deep
      local size = heap:read(h) & ~15
      if size >= need then return h, size end
      h, tries = heap:read(h + 8), tries + 1
    end
  end
  return nil
end

function S.init(h)
  heap = h
  for k = 0, NCLASS - 1 do heads[k] = 0 end
  local base = assert(heap:sbrk(2 * WORD))
  epi = base + WORD
  heap:write(epi, A_BIT | P_BIT)           -- the epilogue: size 0, allocated
end

-- grow the heap by at least a CHUNK for a block of NEED bytes at its end
local function extend(need)
  local ew = heap:read(epi)
  local h, have, prev_bit = epi, 0, ew & P_BIT
  if prev_bit == 0 then                    -- the last block is free: grow it
    have = heap:read(epi - WORD)
    h = epi - have
    remove(h, have)
    prev_bit = heap:read(h) & P_BIT
  end
  local grow = math.max(need - have, CHUNK)
  if not heap:sbrk(grow) then
    grow = need - have                     -- no room for a chunk: just enough, then
    if not heap:sbrk(grow) then
      if have > 0 then insert(h, have) end
      return nil
    end
  end
  local size = have + grow
  epi = h + size
  heap:write(epi, A_BIT)                   -- the new epilogue (place sets its P bit)
  heap:write(h, size | prev_bit)           -- one free block from h to the epilogue
  return place(h, size, need)
end

function S.malloc(n)
  if n >= LARGE then
    local len = (n + 2 * WORD + 4095) // 4096 * 4096
    local m = heap:mmap(len)
    if not m then return nil end
    heap:write(m + WORD, len | M_BIT | A_BIT)
    return m + 2 * WORD
  end
  local need = block_size(n)
  local h, size = find_fit(need)
  if h then
    remove(h, size)
    return place(h, size, need)
  end
  return extend(need)
end

function S.free(p)
  local h = p - WORD
  local w = heap:read(h)
  local size = w & ~15
  if w & M_BIT ~= 0 then
    heap:munmap(h - WORD, size)
    return
  end
  local prev_bit = w & P_BIT
  local n = h + size
  local nw = heap:read(n)
  if nw & A_BIT == 0 then                  -- merge with the next block
    local nsize = nw & ~15
    remove(n, nsize)
    size = size + nsize
  end
  if prev_bit == 0 then                    -- merge with the block before
    local psize = heap:read(h - WORD)
    h = h - psize
    remove(h, psize)
    size = size + psize
    prev_bit = heap:read(h) & P_BIT
  end
  make_free(h, size, prev_bit)
end

function S.realloc(p, n)
  local h = p - WORD
  local w = heap:read(h)
  local size = w & ~15
  if w & M_BIT ~= 0 then                   -- a mapping: keep it if it still fits
    if n + 2 * WORD <= size and n >= LARGE then return p end
  elseif n < LARGE then
    local need = block_size(n)
    local prev_bit = w & P_BIT
    if need <= size then                   -- shrink where it is
      if size - need >= MIN_BLOCK then
        heap:write(h, need | A_BIT | prev_bit)
        heap:write(h + need, (size - need) | A_BIT | P_BIT)
        S.free(h + need + WORD)            -- the rest, merged with what follows
      end
      return p
    end
    local nh = h + size
    local nw = heap:read(nh)
    if nw & A_BIT == 0 and size + (nw & ~15) >= need then    -- grow into the free next block
      local total = size + (nw & ~15)
      remove(nh, nw & ~15)
      if total - need >= MIN_BLOCK then
        heap:write(h, need | A_BIT | prev_bit)
        make_free(h + need, total - need, P_BIT)
      else
        heap:write(h, total | A_BIT | prev_bit)
        heap:write(h + total, heap:read(h + total) | P_BIT)
      end
      return p
    end
    if nh == epi and heap:sbrk(need - size) then              -- grow at the heap's end
      heap:write(h, need | A_BIT | prev_bit)
      epi = h + need
      heap:write(epi, A_BIT | P_BIT)
      return p
    end
  end
  local q = S.malloc(n)
  if not q then return nil end
  local keep = (w & M_BIT ~= 0) and size - 2 * WORD or size - WORD
  heap:copy(q, p, math.min(keep, n))
  S.free(p)
  return q
end

return S
