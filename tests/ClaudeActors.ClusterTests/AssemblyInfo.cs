// The cluster tests each run three servers and nginx: one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
