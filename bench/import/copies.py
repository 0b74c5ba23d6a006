"""copies.py SRC DST COPIES: every distinct JPEG of SRC, COPIES times, into
DST as 0001.jpg, 0002.jpg, ...; each copy is made unique by a JPEG comment
segment (same picture, different bytes), since Pinhole recognises a
repeated file by its hash and skips it. The import benchmarks share it."""
import hashlib, os, sys
src, dst, copies = sys.argv[1], sys.argv[2], int(sys.argv[3])
n = 0
seen = set()
for name in sorted(os.listdir(src)):
    p = os.path.join(src, name)
    if not os.path.isfile(p):
        continue
    data = open(p, 'rb').read()
    h = hashlib.sha256(data).digest()
    if data[:3] != b'\xff\xd8\xff' or h in seen:
        continue
    seen.add(h)
    for i in range(copies):
        com = b'pinhole bench copy %d' % i
        seg = b'\xff\xfe' + (len(com) + 2).to_bytes(2, 'big') + com
        out = data[:2] + seg + data[2:] if copies > 1 else data
        n += 1
        open(os.path.join(dst, '%04d.jpg' % n), 'wb').write(out)
