namespace ClaudeActors.Bench.Measurement;

/// <summary>
/// Memory at one moment of the <c>memory</c> scenario. The server runs inside the bench process, so
/// <see cref="ServerResident"/> includes the bench's client, the fake upstream and the runtime they share.
/// </summary>
/// <param name="Stage">What had happened, e.g. <c>after opening 50</c>.</param>
/// <param name="Conversations">Conversations opened on this gateway.</param>
/// <param name="WarmProcesses">The registry's warm CLI processes.</param>
/// <param name="LiveActors">The registry's conversations with an actor in memory.</param>
/// <param name="CliProcesses">CLI processes found under this process.</param>
/// <param name="CliResident">Their summed <c>VmRSS</c>, in bytes (shared pages counted in each).</param>
/// <param name="CliProportional">Their summed <c>Pss</c>, in bytes (shared pages split between the sharers).</param>
/// <param name="ServerResident"><c>VmRSS</c> of this process, in bytes.</param>
/// <param name="ManagedHeap">The managed heap after a full collection, in bytes.</param>
internal sealed record MemorySnapshot(
    string Stage,
    int Conversations,
    int WarmProcesses,
    int LiveActors,
    int CliProcesses,
    long CliResident,
    long CliProportional,
    long ServerResident,
    long ManagedHeap)
{
    public static MemorySnapshot Take(string stage, int conversations, int warmProcesses, int liveActors)
    {
        var heap = GC.GetTotalMemory(forceFullCollection: true);
        var (count, resident, proportional) = ProcessMemory.CliChildren();
        return new MemorySnapshot(stage, conversations, warmProcesses, liveActors, count, resident, proportional, ProcessMemory.SelfResident(), heap);
    }
}
