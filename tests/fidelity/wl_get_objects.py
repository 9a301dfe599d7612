"""gc.get_objects(): a list grown by appends to hold every tracked object"""
import gc


def run():
    keep = []
    for i in range(300):
        keep.append([i])
    everything = gc.get_objects()
    young = gc.get_objects(0)
    return [keep, len(everything) > 300, young]


def sizes(kept):
    import sys
    return [sys.getsizeof(kept[2])]
