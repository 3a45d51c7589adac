using Microsoft.Extensions.Logging;

namespace ClaudeActors.UnitTests.Supervision;

/// <summary>One log call a <see cref="CapturingLogger{T}"/> saw: its level, event id and formatted message.</summary>
internal sealed record LogEntry(LogLevel Level, EventId EventId, string Message);
