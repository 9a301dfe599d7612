"""%-formatting (PyUnicode_Format): the writer's first buffer of the
format's length + 100 characters, its growth by a quarter, a new buffer
for a wider kind, the final resize (a block that shrinks by more than a
quarter moves), "%s" % s handing s back, one character as the singleton;
the scratch int of every decimal int it writes"""
W = ('alpha', 'délta', '€uro', '😀')
B = 'y' * 150


def run():
    keep = []
    for i in range(300):
        keep.append("item %d" % i)
        keep.append("%s=%x" % (W[i % 4], i))
        keep.append("[%s|%s]" % (B, W[i % 4]))
        keep.append("%c-%c" % (65 + i % 26, 0x20ac))
        keep.append("%c" % (65 + i % 26))
        keep.append("%o%%" % i)
        keep.append("%s" % W[i % 4])
        keep.append("%s and %s" % (i, B))
    return keep


def sizes(keep):
    import sys
    return [sys.getsizeof(x) for x in keep[:16]]
