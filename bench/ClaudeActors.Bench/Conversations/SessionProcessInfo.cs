namespace ClaudeActors.Bench.Conversations;

/// <summary>The <c>process</c> object of <c>GET /v1/sessions/{id}</c>: the conversation's CLI process.</summary>
internal sealed record SessionProcessInfo(int? Pid, bool Warm, int Starts);
