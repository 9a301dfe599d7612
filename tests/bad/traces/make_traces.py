#!/usr/bin/env python3
"""make_traces.py DIR: small traces, good and bad, for the bad-input corpus.

Written byte by byte from the format in sim/trace/traceformat.h (and
sim/trace/trace-format.md), independently of memsim's own writer, so that the
reader is tested against the document and not against itself.
"""
import struct
import sys
import zlib

MAGIC = b"MEMSIMTR"
HEADER = ("recorder=1\npython_version=3.11.7\npython_build=test\npythonmalloc=default\n"
          "page_size=4096\n")

# sys._debugmallocstats() as 3.11 prints it, for the state "one 32-byte block in use"
STATS = """Small block threshold = 512, in 32 size classes.

class   size   num pools   blocks in use  avail blocks
-----   ----   ---------   -------------  ------------
    1     32           1               1           509

# arenas allocated total           =                    1
# arenas reclaimed                 =                    0
# arenas highwater mark            =                    1
# arenas allocated current         =                    1
"""


def varint(v):
    out = bytearray()
    while v >= 0x80:
        out.append((v & 0x7F) | 0x80)
        v >>= 7
    out.append(v)
    return bytes(out)


def zigzag(v):
    return (v << 1) ^ (v >> 63) if v < 0 else v << 1


def header(version=1, text=HEADER):
    t = text.encode()
    return MAGIC + struct.pack("<HHI", version, 0, len(t)) + t


def block(items, count=None):
    payload = b"".join(items)
    n = len(items) if count is None else count
    return struct.pack("<III", len(payload), n, zlib.crc32(payload)) + payload


def addr_items(events):
    """[(tag, size or None, addr)] -> items with addresses delta-coded in one block"""
    prev, out = 0, []
    for tag, size, addr in events:
        b = bytes([tag])
        if size is not None:
            b += varint(size)
        b += varint(zigzag(addr - prev))
        prev = addr
        out.append(b)
    return out


def end(stats=STATS, blocks=1):
    s = stats.encode()
    return bytes([0xF3]) + varint(blocks + 1) + varint(1000) + varint(len(s)) + s


A = 0x7F0000100030
OBJ_MALLOC, OBJ_FREE = 0x02 | (0 << 2), 0x02 | (3 << 2)
ARENA_MALLOC_NESTED = 0x03 | 0x10


def good_items():
    return addr_items([(ARENA_MALLOC_NESTED, 1 << 20, 0x7F0000100000), (OBJ_MALLOC, 32, A),
                       (OBJ_MALLOC, 32, A + 32), (OBJ_FREE, None, A + 32)])


def main(d):
    good = header() + block(good_items() + [end()])
    files = {
        "good.trace": good,
        "not_a_trace.trace": b"#!/bin/sh\necho this is not a trace\n",
        "newer.trace": header(version=9) + block(good_items() + [end()]),
        "truncated.trace": good[:-7],
        "no_end.trace": header() + block(good_items()),
        "no_profile.trace": header(text=HEADER.replace("3.11.7", "2.7.18")) + block(good_items() + [end()]),
        "bad_tag.trace": header() + block(good_items() + [b"\x7e"] + [end()]),
        "differs.trace": header() + block(good_items() + [end(STATS.replace(
            "    1     32           1               1           509",
            "    1     32           2               1           509"))]),
    }
    corrupt = bytearray(good)
    corrupt[len(header()) + 14] ^= 0x40          # a payload byte: the checksum fails
    files["corrupt.trace"] = bytes(corrupt)
    for name, data in files.items():
        with open(f"{d}/{name}", "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main(sys.argv[1])
