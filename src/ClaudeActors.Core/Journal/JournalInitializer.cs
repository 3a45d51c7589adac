using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClaudeActors.Journal;

/// <summary>Creates the journal's schema when the host starts, before anything reads or writes conversations.</summary>
internal sealed partial class JournalInitializer(
    IConversationJournal journal, IOptions<JournalOptions> options, ILogger<JournalInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await journal.InitializeAsync(cancellationToken).ConfigureAwait(false);
        Log.Ready(logger, options.Value.Provider);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(400, LogLevel.Information, "Conversation journal ready ({Provider})")]
        public static partial void Ready(ILogger logger, JournalProvider provider);
    }
}
