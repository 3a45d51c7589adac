namespace ClaudeActors.Testing.Gateway;

/// <summary>
/// A stand-in <c>claude</c> written as a bash script, for fault handling only (crash, hang, garbage output): the real
/// CLI proves the features. Each script records its argv and stdin under <see cref="Folder"/>.
/// </summary>
public sealed class FakeCliScript : IDisposable
{
    private FakeCliScript(string folder, string path)
    {
        Folder = folder;
        Path = path;
    }

    public string Folder { get; }

    /// <summary>The executable to use as <c>ClaudeActors:Cli:BinaryPath</c>.</summary>
    public string Path { get; }

    /// <summary>How many times the script was started.</summary>
    public int Starts => Directory.GetFiles(Folder, "argv.*").Length;

    /// <summary>The argv of every start, one argument a line.</summary>
    public IEnumerable<string> ArgvFiles => Directory.GetFiles(Folder, "argv.*").Select(File.ReadAllText);

    /// <summary>What every start read on stdin (after the script ended).</summary>
    public IEnumerable<string> StdinFiles => Directory.GetFiles(Folder, "stdin.*").Select(File.ReadAllText);

    /// <summary>
    /// A script whose body is <paramref name="body"/> (bash). Before it runs, argv is saved; <c>$STDIN_FILE</c> names
    /// where to keep stdin (<c>cat &gt; "$STDIN_FILE"</c> or <c>head -n 1 &gt; "$STDIN_FILE"</c>).
    /// <c>--version</c> prints a version so the health probe finds it.
    /// </summary>
    public static FakeCliScript Create(string body)
    {
        var folder = Directory.CreateTempSubdirectory("claude-actors-fakecli-").FullName;
        var path = System.IO.Path.Combine(folder, "claude");
        var script = $$"""
            #!/usr/bin/env bash
            if [ "$1" = "--version" ]; then echo "0.0.0-fake (Claude Code)"; exit 0; fi
            n=$(date +%s%N)-$$
            printf '%s\n' "$@" > "{{folder}}/argv.$n"
            STDIN_FILE="{{folder}}/stdin.$n"
            {{body}}
            """;
        File.WriteAllText(path, script.Replace("\r\n", "\n", StringComparison.Ordinal));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return new FakeCliScript(folder, path);
    }

    /// <summary>A stream-json result line for a successful turn with the given text.</summary>
    public static string SuccessResult(string text) =>
        "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,\"result\":\"" + text + "\",\"session_id\":\"s\",\"stop_reason\":\"end_turn\",\"usage\":{\"input_tokens\":3,\"output_tokens\":2}}";

    /// <summary>A stream-json init line.</summary>
    public const string InitLine = "{\"type\":\"system\",\"subtype\":\"init\",\"session_id\":\"s\",\"model\":\"fake-model\"}";

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
