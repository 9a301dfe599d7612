"""100,000 floats and 50,000 medium ints built and all dropped: only free lists remain"""


def run():
    keep = []
    for i in range(100000):
        keep.append(i + 0.5)
    for i in range(50000):
        keep.append(i + 100000)
    del keep
    return None
