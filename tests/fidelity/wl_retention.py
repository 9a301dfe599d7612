"""200,000 medium ints; keep every 1,000th; drop the rest: the survivors pin their arenas"""
# The ints sit in 200 lists of 1,000 so that no item array is large enough
# for glibc to mmap it: a mapping between arenas would move the kernel's
# placement of the next arena, and whether that one happens to be 16 KiB
# aligned (64 pools instead of 63) would vary from run to run.
M = 200
K = 1000


def run():
    big = [None] * M
    for j in range(M):
        row = [None] * K
        for i in range(K):
            row[i] = j * K + i + 100000
        big[j] = row
    keep = [None] * M
    for j in range(M):
        keep[j] = big[j][0]
    del big, row
    return keep
