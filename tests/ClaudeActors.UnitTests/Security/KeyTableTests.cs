using ClaudeActors.Server.Security;

namespace ClaudeActors.UnitTests.Security;

public sealed class KeyTableTests
{
    private static ApiKeyOptions Key(string tenant, string key, bool admin = false, bool disabled = false) =>
        new() { Tenant = tenant, Hash = KeyTable.HashOf(key), Admin = admin, Disabled = disabled };

    [Fact]
    public void A_key_is_found_by_its_hash_and_nothing_else_is()
    {
        var table = new KeyTable([Key("alice", "sk-a"), Key("ops", "sk-o", admin: true)], 1);

        Assert.Equal("alice", table.Find("sk-a")?.Tenant);
        Assert.True(table.Find("sk-o")?.Admin);
        Assert.Null(table.Find("sk-"));
        Assert.Null(table.Find("sk-a "));
        Assert.Null(table.Find(""));
        Assert.Null(table.Find(KeyTable.HashOf("sk-a")));
    }

    [Fact]
    public void A_disabled_key_is_refused_but_still_counts_as_configured()
    {
        var table = new KeyTable([Key("alice", "sk-a", disabled: true)], 1);

        Assert.Null(table.Find("sk-a"));
        Assert.Equal(1, table.Count);
    }

    [Fact]
    public void HashOf_is_the_sha256sum_of_the_key()
    {
        // printf %s abc | sha256sum
        Assert.Equal("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", KeyTable.HashOf("abc"));
    }

    [Fact]
    public void Upper_case_hex_in_the_configuration_matches_too()
    {
        var key = Key("alice", "sk-a");
        key.Hash = "sha256:" + key.Hash["sha256:".Length..].ToUpperInvariant();

        Assert.Equal("alice", new KeyTable([key], 1).Find("sk-a")?.Tenant);
    }
}
