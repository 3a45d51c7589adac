using System.Runtime.Versioning;
using ClaudeActors.Cli;

namespace ClaudeActors.UnitTests.Cli;

[UnsupportedOSPlatform("windows")]
public sealed class PrivateFilesTests : IDisposable
{
    private const UnixFileMode Wide = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private readonly string _root = Directory.CreateTempSubdirectory("ca-private-").FullName;

    [Fact]
    public void CreateDirectory_MakesTheFolder0700_AndLeavesAnExistingOneAlone()
    {
        var existing = Directory.CreateDirectory(Path.Combine(_root, "existing"), Wide | UnixFileMode.UserExecute).FullName;
        var nested = Path.Combine(existing, "a", "b");

        PrivateFiles.CreateDirectory(nested);
        PrivateFiles.CreateDirectory(existing);

        Assert.Equal(PrivateFiles.DirectoryPermissions, File.GetUnixFileMode(nested));
        Assert.Equal(Wide | UnixFileMode.UserExecute, File.GetUnixFileMode(existing));
    }

    [Fact]
    public void CreateOwnDirectory_MakesAnExistingFolder0700()
    {
        var own = Directory.CreateDirectory(Path.Combine(_root, "own"), Wide | UnixFileMode.UserExecute).FullName;

        PrivateFiles.CreateOwnDirectory(own);

        Assert.Equal(PrivateFiles.DirectoryPermissions, File.GetUnixFileMode(own));
    }

    [Fact]
    public async Task WriteAllTextAsync_LeavesA0600File_WhenItReplacesAWiderOne()
    {
        var path = Path.Combine(_root, "transcript.jsonl");
        await File.WriteAllTextAsync(path, "old, and longer than the new text");
        File.SetUnixFileMode(path, Wide);

        await PrivateFiles.WriteAllTextAsync(path, "new", CancellationToken.None);

        Assert.Equal("new", await File.ReadAllTextAsync(path));
        Assert.Equal(PrivateFiles.FilePermissions, File.GetUnixFileMode(path));
    }

    [Fact]
    public void CreateEmptyFile_Creates0600_AndRestrictFile_Tightens()
    {
        var created = Path.Combine(_root, "journal.db");
        var wide = Path.Combine(_root, "journal.db-wal");
        File.WriteAllText(wide, "x");
        File.SetUnixFileMode(wide, Wide);

        PrivateFiles.CreateEmptyFile(created);
        PrivateFiles.RestrictFile(wide);
        PrivateFiles.RestrictFile(Path.Combine(_root, "missing"));

        Assert.Equal(0, new FileInfo(created).Length);
        Assert.Equal(PrivateFiles.FilePermissions, File.GetUnixFileMode(created));
        Assert.Equal(PrivateFiles.FilePermissions, File.GetUnixFileMode(wide));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
