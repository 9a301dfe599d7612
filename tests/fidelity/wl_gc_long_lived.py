"""200,000 long-lived one-item lists with the collector on: collections of each generation"""
GC = True


def run():
    keep = []
    for i in range(200000):
        keep.append([i])
    return keep
