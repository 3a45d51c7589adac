using System.Text;

namespace ClaudeActors.Cli;

/// <summary>
/// Folders and files only the server's own user may use: 0700 and 0600 on Unix (elsewhere the platform's defaults).
/// Conversations, transcripts and prompts live in them.
/// </summary>
internal static class PrivateFiles
{
    public const UnixFileMode DirectoryPermissions = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public const UnixFileMode FilePermissions = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private static readonly UTF8Encoding Utf8NoBom = new(false);

    /// <summary>
    /// Creates the folder as 0700; one that exists is left as it is. Missing folders above it get the platform's
    /// default (they are not the server's: <c>~/.local/share</c>, the CLI's <c>projects</c>).
    /// </summary>
    public static DirectoryInfo CreateDirectory(string path) =>
        OperatingSystem.IsWindows() ? Directory.CreateDirectory(path) : Directory.CreateDirectory(path, DirectoryPermissions);

    /// <summary>Creates the folder like <see cref="CreateDirectory"/> and makes it 0700 if it existed with a wider mode.</summary>
    public static DirectoryInfo CreateOwnDirectory(string path)
    {
        var directory = CreateDirectory(path);
        Restrict(path, DirectoryPermissions);
        return directory;
    }

    /// <summary>Makes an existing file 0600; nothing when it does not exist.</summary>
    public static void RestrictFile(string path)
    {
        if (File.Exists(path))
        {
            Restrict(path, FilePermissions);
        }
    }

    /// <summary>Creates an empty file as 0600 unless one exists.</summary>
    public static void CreateEmptyFile(string path)
    {
        using var _ = new FileStream(path, Options(FileMode.OpenOrCreate));
    }

    /// <summary>Writes the text (UTF-8, no BOM) to a file that is 0600, whether it is new or replaced.</summary>
    public static async Task WriteAllTextAsync(string path, string text, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, Options(FileMode.Create));
        await using (stream.ConfigureAwait(false))
        {
            Restrict(path, FilePermissions);
            await stream.WriteAsync(Utf8NoBom.GetBytes(text), cancellationToken).ConfigureAwait(false);
        }
    }

    private static FileStreamOptions Options(FileMode mode)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FilePermissions;
        }

        return options;
    }

    private static void Restrict(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows() && File.GetUnixFileMode(path) != mode)
        {
            File.SetUnixFileMode(path, mode);
        }
    }
}
