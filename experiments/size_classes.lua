-- size_classes: where a request of 1 to 600 bytes lands.
--
-- pymalloc serves 1..512 bytes from 32 classes of 16-byte steps; a request
-- is rounded up to its class, and each 16 KiB pool of a class loses its
-- 48-byte header and the remainder that no block fits in.  Above 512 bytes
-- the request goes to malloc.  The run measures all of it on the simulator.

return experiment {
  name = "size_classes",
  title = "Size classes: how requests of 1 to 600 bytes land in blocks",
  -- a clean slate: an empty heap, so that every block on the plots is the lesson's
  startup = false,
  options = {
    max = {600, "largest request, in bytes", integer = true, min = 1, max = 65536},
    count = {100, "requests of each size", integer = true, min = 1},
  },
  runs = {
    requests = function(sim, opt, run)
      local rows = {}
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
        for i = 1, opt.count do sim:free(ptrs[i]) end
      end
      run:table("requests", {"request", "block_bytes", "wasted_bytes", "served_by"}, rows)
      local classes = {}
      for c = 0, 31 do
        local size = (c + 1) * 16
        local per = (16384 - 48) // size
        classes[#classes + 1] = {class = c, block_bytes = size, blocks_per_pool = per,
                                 lost_per_pool = 48 + (16384 - 48) % size}
      end
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
