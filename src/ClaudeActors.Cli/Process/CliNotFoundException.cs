namespace ClaudeActors.Cli.Process;

/// <summary>The CLI binary could not be started (not installed, not on PATH, not executable).</summary>
internal sealed class CliNotFoundException(string binaryPath, Exception inner)
    : Exception($"The Claude CLI '{binaryPath}' could not be started: {inner.Message}. Install it or set CLAUDE_BIN.", inner)
{
    public string BinaryPath { get; } = binaryPath;
}
