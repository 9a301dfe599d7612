"""PYTHONMALLOC=malloc: 20,000 floats and lists go to the C allocator; pymalloc sees nothing"""
ENV = {"PYTHONMALLOC": "malloc"}


def run():
    keep = []
    for i in range(20000):
        keep.append(i + 0.5)
        keep.append([])
    return keep
