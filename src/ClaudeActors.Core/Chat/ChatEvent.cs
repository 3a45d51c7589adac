using ClaudeActors.Cli.Protocol;

namespace ClaudeActors.Chat;

/// <summary>What a running turn reports, in order: started, text deltas, completed (or a <see cref="ChatFailure"/>).</summary>
public abstract record ChatEvent;

/// <summary>The CLI has started the turn with this model (a new attempt may report it again).</summary>
public sealed record ChatStarted(string? Model) : ChatEvent;

/// <summary>A piece of the answer, as the model wrote it.</summary>
public sealed record ChatTextDelta(string Text) : ChatEvent;

/// <summary>The turn ended well: its full text, why the model stopped, and the usage.</summary>
public sealed record ChatCompleted(string Text, string? StopReason, CliUsage Usage, double? CostUsd) : ChatEvent;
