using Microsoft.Extensions.Logging;

namespace ClaudeActors.Sessions;

internal sealed partial class SessionActor
{
    private static partial class Log
    {
        [LoggerMessage(300, LogLevel.Debug, "Session {SessionId}: CLI process {ProcessId} started (resumed: {Resumed})")]
        public static partial void ProcessStarted(ILogger logger, string sessionId, int processId, bool resumed);

        [LoggerMessage(301, LogLevel.Information, "Session {SessionId}: transcript restored from the journal ({Entries} entries)")]
        public static partial void TranscriptRestored(ILogger logger, string sessionId, int entries);

        [LoggerMessage(302, LogLevel.Debug, "Session {SessionId} passivated")]
        public static partial void Passivated(ILogger logger, string sessionId);

        [LoggerMessage(303, LogLevel.Information, "Session {SessionId}: turn interrupted, the process stays warm")]
        public static partial void Interrupted(ILogger logger, string sessionId);

        [LoggerMessage(304, LogLevel.Warning, "Session {SessionId}: {What} was not stored in the journal: {Reason}")]
        public static partial void NotStored(ILogger logger, string sessionId, string what, string reason);

        [LoggerMessage(305, LogLevel.Error, "Session {SessionId}: handling {Message} failed")]
        public static partial void MessageFailed(ILogger logger, string sessionId, string message, Exception exception);

        [LoggerMessage(306, LogLevel.Error, "Session {SessionId}: preparing the CLI process failed")]
        public static partial void PrepareFailed(ILogger logger, string sessionId, Exception exception);
    }
}
