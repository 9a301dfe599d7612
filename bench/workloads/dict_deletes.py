d = {}
for i in range(300000):
    d[i] = i
for i in range(0, 300000, 2):
    del d[i]
del d
