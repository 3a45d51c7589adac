using ClaudeActors.Cli.Transcripts;

namespace ClaudeActors.UnitTests.Cli;

public sealed class CliPathsTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "ca-unit-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Theory]
    [InlineData("/tmp/cc", "-tmp-cc")]
    [InlineData("/tmp/research/wd", "-tmp-research-wd")]
    [InlineData("/srv/my.project_v2/work space", "-srv-my-project-v2-work-space")]
    [InlineData("/data/Grüße", "-data-Gr--e")]
    [InlineData("/a/b~c@d+e", "-a-b-c-d-e")]
    public void ProjectKeyOf_ReplacesEveryCharacterOutsideAsciiLettersAndDigits(string directory, string key)
    {
        Assert.Equal(key, CliPaths.ProjectKeyOf(directory));
    }

    [Fact]
    public void ProjectKeyOf_CharacterOutsideTheBmp_BecomesTwoDashesAsInJavaScript()
    {
        // The CLI replaces per UTF-16 code unit (/[^a-zA-Z0-9]/g), so a surrogate pair gives two dashes.
        Assert.Equal("-x---y", CliPaths.ProjectKeyOf("/x/🌍y"));
    }

    [Fact]
    public void ProjectKeyOf_RelativePath_UsesTheFullPath()
    {
        var expected = CliPaths.ProjectKeyOf(Path.GetFullPath("some-folder"));

        Assert.Equal(expected, CliPaths.ProjectKeyOf("some-folder"));
    }

    [Fact]
    public void Constructor_SetsProjectDirectoryUnderConfig()
    {
        var paths = new CliPaths("/home/u/.claude", "/tmp/cc");

        Assert.Equal("/home/u/.claude", paths.ConfigDirectory);
        Assert.Equal("/tmp/cc", paths.WorkingDirectory);
        Assert.Equal("-tmp-cc", paths.ProjectKey);
        Assert.Equal("/home/u/.claude/projects/-tmp-cc", paths.ProjectDirectory);
    }

    [Fact]
    public void TranscriptPath_IsSessionIdJsonlInTheProjectDirectory()
    {
        var paths = new CliPaths("/home/u/.claude", "/tmp/cc");

        Assert.Equal(
            "/home/u/.claude/projects/-tmp-cc/35dac4e9-790c-4cb7-9040-3c52b748cb9a.jsonl",
            paths.TranscriptPath("35dac4e9-790c-4cb7-9040-3c52b748cb9a"));
    }

    [Fact]
    public void ProjectKeyOf_SymlinkedWorkingDirectory_UsesTheRealPath()
    {
        var real = Directory.CreateDirectory(Path.Combine(_root, "real")).FullName;
        var link = Path.Combine(_root, "link");
        Directory.CreateSymbolicLink(link, real);

        Assert.Equal(CliPaths.ProjectKeyOf(real), CliPaths.ProjectKeyOf(link));
    }

    [Fact]
    public void ProjectKeyOf_WorkingDirectoryUnderASymlinkedParent_UsesTheRealPath()
    {
        var real = Directory.CreateDirectory(Path.Combine(_root, "real")).FullName;
        Directory.CreateDirectory(Path.Combine(real, "workspace"));
        var link = Path.Combine(_root, "link");
        Directory.CreateSymbolicLink(link, real);

        Assert.Equal(
            CliPaths.ProjectKeyOf(Path.Combine(real, "workspace")),
            CliPaths.ProjectKeyOf(Path.Combine(link, "workspace")));
    }

    [Fact]
    public void ConfigDirectoryFor_ChildEnvironmentWins()
    {
        var config = CliPaths.ConfigDirectoryFor(new Dictionary<string, string> { ["CLAUDE_CONFIG_DIR"] = "/srv/claude-config" });

        Assert.Equal("/srv/claude-config", config);
    }
}
