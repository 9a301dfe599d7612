-- size_classes: where a request of 1 to 600 bytes lands.
--
-- pymalloc serves 1..512 bytes from 32 classes of 16-byte steps; a request
-- is rounded up to its class, and each 16 KiB pool of a class loses its
-- 48-byte header and the remainder that no block fits in.  Above 512 bytes
-- the request goes to malloc.  The run measures all of it on the simulator.

-- requests the handout asks about: their blocks are recorded (block_N)
local EXAMPLES = {[17] = true, [24] = true, [33] = true, [48] = true, [49] = true,
                  [512] = true, [513] = true, [600] = true}

return experiment {
  name = "size_classes",
  title = "Size classes: how requests land in blocks",
  -- a clean slate: an empty heap, so that every block on the plots is the lesson's
  startup = false,
  options = {
    max = {600, "largest request, in bytes", integer = true, min = 1, max = 65536},
    count = {100, "requests of each size", integer = true, min = 1},
  },
  runs = {
    requests = function(sim, opt, run)
      local rows, first_malloc = {}, nil
      for n = 1, opt.max do
        local before = sim:stats()
        local ptrs = {}
        for i = 1, opt.count do ptrs[i] = sim:malloc(n) end
        local after = sim:stats()
        local pym = (after.bytes.in_blocks - before.bytes.in_blocks) // opt.count
        local raw = (after.bytes.raw_in_use - before.bytes.raw_in_use) // opt.count
        local got = pym > 0 and pym or raw
        rows[#rows + 1] = {request = n, block_bytes = got, wasted_bytes = got - n,
                           served_by = pym > 0 and "pymalloc" or "malloc"}
        if EXAMPLES[n] then run:record("block_" .. n, got) end   -- the handout's examples
        if pym == 0 and not first_malloc then
          first_malloc = n
          run:record("first_malloc_request", n)
        end
        for i = 1, opt.count do sim:free(ptrs[i]) end
      end
      run:table("requests", {"request", "block_bytes", "wasted_bytes", "served_by"}, rows)
      -- each class on its own: one block in an otherwise empty heap, so
      -- the heap's one pool tells its blocks and the bytes it loses
      -- (its header, and the tail no block fits in)
      local classes = {}
      local most, least = {lost = -1}, {lost = math.huge}
      for c = 0, 31 do
        local p = sim:malloc((c + 1) * 16)
        local st = sim:stats()
        local k = st.classes[c + 1]
        if st.pools ~= 1 or k.pools ~= 1 then
          error(string.format("class %d: expected one pool in use, found %d", c, st.pools))
        end
        local lost = st.bytes.pool_headers + st.bytes.quantization
        classes[#classes + 1] = {class = c, block_bytes = k.size, blocks_per_pool = k.blocks + k.avail,
                                 lost_per_pool = lost}
        if lost > most.lost then most = {lost = lost, first = c, last = c, count = 1}
        elseif lost == most.lost then most.last, most.count = c, most.count + 1 end
        if lost < least.lost then least = {lost = lost, class = c, blocks = k.blocks + k.avail} end
        sim:free(p)
      end
      run:record("lost_most", most.lost)
      run:record("lost_most_classes", most.count)
      run:record("lost_most_first", most.first)
      run:record("lost_most_last", most.last)
      run:record("lost_least", least.lost)
      run:record("lost_least_class", least.class)
      run:record("lost_least_blocks", least.blocks)
      run:record("lost_most_blocks", classes[most.last + 1].blocks_per_pool)
      run:table("classes", {"class", "block_bytes", "blocks_per_pool", "lost_per_pool"}, classes)
    end,
  },
  plots = {
    {name = "blocks", kind = "table", table = "requests", x = "request",
     y = {"block_bytes", "wasted_bytes"}, unit = "bytes",
     title = "The block a request gets, and the bytes rounding wastes",
     xlabel = "request (bytes)", ylabel = "bytes"},
    {name = "pools", kind = "table", table = "classes", x = "block_bytes",
     y = {"lost_per_pool"}, style = "points",
     title = "Bytes each 16 KiB pool loses to its header and to quantization",
     xlabel = "block size (bytes)", ylabel = "bytes lost per pool"},
  },
}
