# The harness alone: what it allocates between its two snapshots.
def run():
    return None
