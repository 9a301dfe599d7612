class P:
    pass


for i in range(200000):
    a = P()
    b = P()
    a.other = b
    b.other = a
