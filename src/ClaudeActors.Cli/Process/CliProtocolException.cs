namespace ClaudeActors.Cli.Process;

/// <summary>
/// A running process did not answer a host command (<c>/clear</c>, <c>set_model</c>) as the protocol says: its state
/// is unknown, so the caller kills it.
/// </summary>
internal sealed class CliProtocolException(string message, Exception? inner = null) : Exception(message, inner);
