keep = [i + 0.5 for i in range(10**6)]
del keep
