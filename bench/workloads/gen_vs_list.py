n = 10**6
sum([i for i in range(n)])
sum(i for i in range(n))
