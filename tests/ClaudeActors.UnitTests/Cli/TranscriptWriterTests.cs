using System.Text.Json;
using ClaudeActors.Cli;
using ClaudeActors.Cli.Protocol;
using ClaudeActors.Cli.Transcripts;

namespace ClaudeActors.UnitTests.Cli;

public sealed class TranscriptWriterTests
{
    private const string SessionId = "44444444-4444-4444-8444-444444444444";
    private const string WorkingDirectory = "/tmp/research/wd";
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    private static List<JsonElement> Render(params CliMessage[] messages)
    {
        var text = TranscriptWriter.Render(SessionId, WorkingDirectory, messages, Now);
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        var entries = new List<JsonElement>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var document = JsonDocument.Parse(line);
            entries.Add(document.RootElement.Clone());
        }

        return entries;
    }

    private static CliMessage User(params string[] texts) => new(CliRole.User, [.. texts.Select(t => new CliTextBlock(t))]);

    private static CliMessage Assistant(params string[] texts) => new(CliRole.Assistant, [.. texts.Select(t => new CliTextBlock(t))]);

    private static List<string?> Texts(JsonElement entry) =>
        [.. entry.GetProperty("message").GetProperty("content").EnumerateArray().Select(b => b.GetProperty("text").GetString())];

    [Fact]
    public void Render_Entries_AreChainedByParentUuidStartingWithNull()
    {
        var entries = Render(User("u1"), Assistant("a1"), User("u2"), Assistant("a2"));

        Assert.Equal(4, entries.Count);
        Assert.Equal(JsonValueKind.Null, entries[0].GetProperty("parentUuid").ValueKind);
        for (var i = 1; i < entries.Count; i++)
        {
            Assert.Equal(entries[i - 1].GetProperty("uuid").GetString(), entries[i].GetProperty("parentUuid").GetString());
        }
    }

    [Fact]
    public void Render_EveryEntry_HasTheFieldsResumeNeeds()
    {
        var entries = Render(User("u1"), Assistant("a1"));

        foreach (var entry in entries)
        {
            Assert.True(Guid.TryParse(entry.GetProperty("uuid").GetString(), out _));
            Assert.True(DateTimeOffset.TryParse(entry.GetProperty("timestamp").GetString(), out _));
            Assert.Equal(JsonValueKind.Object, entry.GetProperty("message").ValueKind);
            Assert.Equal(SessionId, entry.GetProperty("sessionId").GetString());
            Assert.Equal(WorkingDirectory, entry.GetProperty("cwd").GetString());
        }

        Assert.Equal("user", entries[0].GetProperty("type").GetString());
        Assert.Equal("user", entries[0].GetProperty("message").GetProperty("role").GetString());
        Assert.Equal("assistant", entries[1].GetProperty("type").GetString());
        Assert.Equal("assistant", entries[1].GetProperty("message").GetProperty("role").GetString());
    }

    [Fact]
    public void Render_Uuids_AreDistinct()
    {
        var entries = Render(User("u1"), Assistant("a1"), User("u2"), Assistant("a2"));

        Assert.Equal(entries.Count, entries.Select(e => e.GetProperty("uuid").GetString()).Distinct().Count());
    }

    [Fact]
    public void Render_Timestamps_AreUtcMillisecondsInOrder()
    {
        var entries = Render(User("u1"), Assistant("a1"));

        Assert.Equal("2026-11-20T10:00:00.000Z", entries[0].GetProperty("timestamp").GetString());
        Assert.Equal("2026-11-20T10:00:00.001Z", entries[1].GetProperty("timestamp").GetString());
    }

    [Fact]
    public void Render_ConsecutiveMessagesOfOneRole_AreMerged()
    {
        var entries = Render(User("u1"), User("u2"), Assistant("a1"), Assistant("a2"), User("u3"));

        Assert.Equal(3, entries.Count);
        Assert.Equal(["u1", "u2"], Texts(entries[0]));
        Assert.Equal(["a1", "a2"], Texts(entries[1]));
        Assert.Equal(["u3"], Texts(entries[2]));
    }

    [Fact]
    public void Render_EmptyMessages_AreSkipped()
    {
        var entries = Render(
            User("u1"),
            new CliMessage(CliRole.Assistant, []),
            User("u2"),
            Assistant("a1"));

        // The empty assistant message goes, so the two user messages around it become one.
        Assert.Equal(2, entries.Count);
        Assert.Equal(["u1", "u2"], Texts(entries[0]));
        Assert.Equal(["a1"], Texts(entries[1]));
    }

    [Fact]
    public void Render_NoMessages_GivesNothing()
    {
        Assert.Equal("", TranscriptWriter.Render(SessionId, WorkingDirectory, [], Now));
    }

    [Fact]
    public void Render_ImageBlock_IsKeptInPlace()
    {
        const string data = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC";
        var entries = Render(
            new CliMessage(CliRole.User, [new CliTextBlock("look"), new CliImageBlock("image/png", data)]),
            Assistant("a pixel"));

        var content = entries[0].GetProperty("message").GetProperty("content").EnumerateArray().ToList();
        Assert.Equal(2, content.Count);
        Assert.Equal("text", content[0].GetProperty("type").GetString());
        Assert.Equal("image", content[1].GetProperty("type").GetString());
        Assert.Equal("base64", content[1].GetProperty("source").GetProperty("type").GetString());
        Assert.Equal("image/png", content[1].GetProperty("source").GetProperty("media_type").GetString());
        Assert.Equal(data, content[1].GetProperty("source").GetProperty("data").GetString());
    }

    [Fact]
    public void Render_TextWithNewlines_KeepsOneEntryPerLine()
    {
        var text = TranscriptWriter.Render(SessionId, WorkingDirectory, [User("a\nb\nc"), Assistant("d\n")], Now);

        Assert.Equal(2, text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task WriteAsync_CreatesTheFolderAndWritesUtf8WithoutBom_OnlyTheServerMayReadIt()
    {
        var root = Path.Combine(Path.GetTempPath(), "ca-unit-" + Guid.NewGuid().ToString("N"));
        try
        {
            var path = Path.Combine(root, "projects", "-tmp-x", SessionId + ".jsonl");

            await TranscriptWriter.WriteAsync(path, SessionId, WorkingDirectory, [User("héllo"), Assistant("hi")], Now, CancellationToken.None);

            var bytes = await File.ReadAllBytesAsync(path);
            Assert.NotEqual(0xEF, bytes[0]);
            var lines = (await File.ReadAllTextAsync(path)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(2, lines.Length);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(PrivateFiles.FilePermissions, File.GetUnixFileMode(path));
                Assert.Equal(PrivateFiles.DirectoryPermissions, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
            }
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }
}
