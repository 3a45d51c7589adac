using System.Runtime.Versioning;
using ClaudeActors.Cli;
using ClaudeActors.Hosting;
using ClaudeActors.IntegrationTests.Sessions;
using ClaudeActors.IntegrationTests.Support;
using ClaudeActors.Persistence;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;
using Microsoft.Data.Sqlite;

namespace ClaudeActors.IntegrationTests.Hosting;

/// <summary>What the server writes on disk is its user's alone: folders 0700, files 0600 (Unix).</summary>
[UnsupportedOSPlatform("windows")]
public sealed class FilePermissionsTests
{
    private const UnixFileMode Folder = PrivateFiles.DirectoryPermissions;
    private const UnixFileMode File600 = PrivateFiles.FilePermissions;

    [Fact]
    public async Task The_data_directory_its_folders_the_journal_and_restored_transcripts_are_private()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        EchoUpstream.Install(upstream);
        await using var gateways = RestartableGateway.Create(upstream.BaseUrl, JournalProvider.Sqlite, "claude-actors-modes-");
        var journal = new SqliteConnectionStringBuilder(gateways.Database[JournalOptions.SectionName + ":ConnectionString"]).DataSource;
        string data;
        string transcript;

        await using (var gateway = await gateways.StartAsync())
        {
            data = gateway.DataDirectory;
            await SessionApi.SayAsync(gateway.Http, "private", "hello");
            var cliSession = (await SessionApi.GetAsync(gateway.Http, "private")).GetProperty("cli_session_id").GetString()!;
            transcript = gateway.Get<CliWorkspace>().Paths.TranscriptPath(cliSession);

            Assert.Equal(Folder, File.GetUnixFileMode(data));
            Assert.Equal(Folder, File.GetUnixFileMode(Path.Combine(data, "workspace")));
            Assert.Equal(Folder, File.GetUnixFileMode(Path.Combine(data, "tmp")));
            // The CLI process's own temp folder (named after its CLI session, or after the standby process it began as).
            Assert.NotEmpty(Directory.GetDirectories(Path.Combine(data, "tmp")));
            Assert.All(Directory.GetDirectories(Path.Combine(data, "tmp")), folder => Assert.Equal(Folder, File.GetUnixFileMode(folder)));
            Assert.Equal(File600, File.GetUnixFileMode(journal));
            Assert.Equal(File600, File.GetUnixFileMode(journal + "-wal"));
            Assert.Equal(File600, File.GetUnixFileMode(journal + "-shm"));

            // As an earlier release left them.
            File.SetUnixFileMode(data, Folder | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            File.SetUnixFileMode(journal, File600 | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        await using var restarted = await gateways.StartAsync();
        Assert.Equal(Folder, File.GetUnixFileMode(data));
        Assert.Equal(File600, File.GetUnixFileMode(journal));

        // A new actor writes the CLI's transcript from the journal before its first process starts.
        Assert.Equal("echo: again", await SessionApi.SayAsync(restarted.Http, "private", "again"));
        Assert.Equal(File600, File.GetUnixFileMode(transcript));
    }

    [Fact]
    public async Task The_system_prompt_reaches_the_CLI_in_a_file_only_the_server_may_read_in_its_private_temp_folder()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        using var cli = FakeCliScript.Create(
            "prev=''; for a in \"$@\"; do if [ \"$prev\" = --system-prompt-file ]; then stat -c %a \"$a\" > \"$STDIN_FILE.mode\"; dirname \"$a\" > \"$STDIN_FILE.folder\"; fi; prev=\"$a\"; done; " +
            $"while IFS= read -r line; do echo '{FakeCliScript.InitLine}'; echo '{FakeCliScript.SuccessResult("ok")}'; done");
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s =>
        {
            s["ClaudeActors:Cli:BinaryPath"] = cli.Path;
            s["ClaudeActors:Cli:SystemPromptMode"] = "Replace";
        });

        using var response = await Sse.PostAsync(gateway.Http, """{"messages":[{"role":"system","content":"Be terse."},{"role":"user","content":"hi"}]}""");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("600", (await File.ReadAllTextAsync(Directory.GetFiles(cli.Folder, "*.mode").Single())).Trim());
        var folder = (await File.ReadAllTextAsync(Directory.GetFiles(cli.Folder, "*.folder").Single())).Trim();
        Assert.StartsWith(Path.Combine(gateway.DataDirectory, "tmp") + "/", folder + "/", StringComparison.Ordinal);
    }
}
