"""1,000 self-referencing lists and 500 pairs of instances in cycles, dropped, then gc.collect()"""
import gc

# gc.collect() zeroes gc.get_count(): the harness's own allocation before
# the workload is wiped out with it, so it is not subtracted.
NO_BASELINE = ("gc count 0",)


class Node:
    pass


def build():
    for j in range(1000):
        l = []
        l.append(l)
    for j in range(500):
        a = Node()
        b = Node()
        a.other = b
        b.other = a


def run():
    build()
    gc.collect()
    return None
