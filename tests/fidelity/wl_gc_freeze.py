"""gc.freeze() zeroes the count of every generation: 9 young collections, a freeze, 1,400 more lists"""
import gc

GC = True
# the counts after a freeze owe nothing to what the harness did before it
NO_BASELINE = ("gc count 0", "gc count 1", "gc count 2")


def make(n, keep):
    for i in range(n):
        keep.append([])


def run():
    keep = []
    make(6900, keep)         # 9 generation-0 collections: count[1] is 9
    gc.freeze()              # gc_freeze_impl: every generation's count to 0
    make(1400, keep)         # 2 more: a generation-1 collection only if count[1] was kept
    return keep
