using Microsoft.Extensions.Logging;

namespace ClaudeActors.Sessions;

internal sealed partial class SessionRegistry
{
    private static partial class Log
    {
        [LoggerMessage(320, LogLevel.Debug, "A stateless request continues session {SessionId}")]
        public static partial void Continued(ILogger logger, string sessionId);

        [LoggerMessage(321, LogLevel.Information, "{Cap} warm CLI processes reached: passivating session {SessionId}")]
        public static partial void CapReached(ILogger logger, int cap, string sessionId);
    }
}
