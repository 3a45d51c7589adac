namespace ClaudeActors.Journal;

/// <summary>
/// The journal's own file is not where the server left it (removed, replaced) and cannot be put back. The message
/// names no path: it may reach a client; the log has the path.
/// </summary>
internal sealed class JournalFileException(string message, Exception? inner = null) : IOException(message, inner);
