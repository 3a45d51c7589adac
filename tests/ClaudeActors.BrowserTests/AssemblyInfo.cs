// Each browser test runs a gateway, the CLI and Chromium: one at a time on a small machine.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
