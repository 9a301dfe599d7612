keep = [[i] for i in range(10**6)]
del keep
