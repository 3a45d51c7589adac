using ClaudeActors.Server.Security;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ClaudeActors.UnitTests.Security;

public sealed class KeyFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("keyfile-tests-").FullName;

    private string FilePath => Path.Combine(_folder, "keys.json");

    [Fact]
    public void Reads_keys_in_snake_case_or_setting_names()
    {
        var hash = KeyTable.HashOf("sk-a");
        File.WriteAllText(FilePath, $$"""{"keys": [{"tenant": "alice", "name": "ci", "hash": "{{hash}}", "requests_per_minute": 5, "max_concurrent_turns": 2}]}""");
        var snake = KeyFile.Read(FilePath).Single();
        File.WriteAllText(FilePath, $$"""{"Keys": [{"Tenant": "alice", "Hash": "{{hash}}", "Admin": true, "RequestsPerMinute": 7}]}""");
        var pascal = KeyFile.Read(FilePath).Single();

        Assert.Equal(("alice", "ci", 5, 2, false), (snake.Tenant, snake.Name, snake.RequestsPerMinute, snake.MaxConcurrentTurns, snake.Admin));
        Assert.Equal(("alice", 7, true), (pascal.Tenant, pascal.RequestsPerMinute, pascal.Admin));
    }

    [Theory]
    [InlineData("{ nope")]
    [InlineData("""{"keys": [{"tenant": "alice", "hash": "not-a-hash"}]}""")]
    [InlineData("""{"keys": [{"tenant": "has space", "hash": "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"}]}""")]
    [InlineData("""{"keys": [{"tenant": "alice", "hash": "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "key": "sk-plain"}]}""")]
    [InlineData("""{"keys": [{"tenant": "alice", "name": "c i", "hash": "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"}]}""")]
    [InlineData("""{"other": []}""")]
    public void A_bad_file_is_refused_naming_the_file(string text)
    {
        File.WriteAllText(FilePath, text);

        var refusal = Assert.Throws<InvalidDataException>(() => KeyFile.Read(FilePath));
        Assert.Contains(FilePath, refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ApiKeys_reads_the_file_again_and_keeps_the_last_good_keys_when_it_breaks()
    {
        File.WriteAllText(FilePath, Keys("alice", "sk-a"));
        var options = Options.Create(new AuthOptions { KeysFile = FilePath, Keys = [new() { Tenant = "ops", Hash = KeyTable.HashOf("sk-o"), Admin = true }] });
        using var keys = new ApiKeys(options, NullLogger<ApiKeys>.Instance);
        var first = keys.Table;

        File.WriteAllText(FilePath, Keys("bob", "sk-b"));
        keys.Reload();
        var second = keys.Table;
        File.WriteAllText(FilePath, "{ broken");
        keys.Reload();

        Assert.Equal("alice", first.Find("sk-a")?.Tenant);
        Assert.Null(second.Find("sk-a"));
        Assert.Equal("bob", second.Find("sk-b")?.Tenant);
        Assert.Equal("ops", second.Find("sk-o")?.Tenant);
        Assert.True(second.Generation > first.Generation);
        Assert.Same(second, keys.Table);
    }

    [Fact]
    public void A_file_that_does_not_read_at_start_stops_the_start()
    {
        File.WriteAllText(FilePath, "[]");
        var options = Options.Create(new AuthOptions { KeysFile = FilePath });

        Assert.Throws<InvalidDataException>(() => new ApiKeys(options, NullLogger<ApiKeys>.Instance));
        Assert.Throws<InvalidDataException>(() => ApiKeys.AnyConfigured(new AuthOptions { KeysFile = Path.Combine(_folder, "missing.json") }));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Keys(string tenant, string key) => $$"""{"keys": [{"tenant": "{{tenant}}", "hash": "{{KeyTable.HashOf(key)}}"}]}""";
}
