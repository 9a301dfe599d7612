-- Wrong: malloc never returns.
local A = {}
function A.init(h) end
function A.malloc(n) while true do end end
function A.free(p) end
function A.realloc(p, n) return nil end
return A
