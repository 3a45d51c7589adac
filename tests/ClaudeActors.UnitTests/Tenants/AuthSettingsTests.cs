using ClaudeActors.Configuration;
using ClaudeActors.Server.Security;
using Microsoft.Extensions.Configuration;

namespace ClaudeActors.UnitTests.Tenants;

/// <summary>Keys given in HOCON (a list of objects) bind to <see cref="AuthOptions"/>, and bad ones name the setting.</summary>
public sealed class AuthSettingsTests
{
    [Fact]
    public void A_hocon_list_of_key_objects_binds_to_the_keys()
    {
        var hocon = ClaudeActorsHocon.FromText("""
            claude-actors.auth {
              keys = [
                { tenant = alice, hash = "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", requests-per-minute = 30 }
                { tenant = ops, hash = "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", admin = true }
              ]
            }
            """);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(hocon.Settings).Build();

        var options = configuration.GetSection(AuthOptions.SectionName).Get<AuthOptions>()!;

        Assert.Equal(["alice", "ops"], options.Keys.Select(k => k.Tenant));
        Assert.Equal(30, options.Keys[0].RequestsPerMinute);
        Assert.True(options.Keys[1].Admin);
        Assert.Empty(options.Validate(new(options)));
    }

    [Fact]
    public void A_bad_key_is_named_by_its_index_and_setting()
    {
        var options = new AuthOptions { Keys = [new() { Tenant = "ok", Hash = KeyTable.HashOf("k") }, new() { Tenant = "bad tenant", Hash = "md5:00" }] };

        var problems = options.Validate(new(options)).ToList();

        Assert.Equal(["Keys:1:Tenant", "Keys:1:Hash"], problems.SelectMany(p => p.MemberNames).Order(StringComparer.Ordinal).Reverse());
    }

    [Fact]
    public void A_key_is_named_in_usage_by_its_name_or_the_start_of_its_hash()
    {
        var hash = KeyTable.HashOf("k").ToUpperInvariant().Replace("SHA256:", "sha256:", StringComparison.Ordinal);
        var named = new ApiKeyOptions { Tenant = "team-a", Hash = hash, Name = "ci" };
        var unnamed = new ApiKeyOptions { Tenant = "team-a", Hash = hash };
        var single = Assert.Single(new AuthOptions { ApiKey = "k" }.ConfiguredKeys());

        Assert.Equal("ci", named.UsageName);
        Assert.Equal(KeyTable.HashOf("k")[..19], unnamed.UsageName);
        Assert.Equal(new ClaudeActors.Usage.UsagePayer("team-a", "ci"), new Caller("team-b", IsAdmin: true, named).Payer);
        Assert.Equal(new ClaudeActors.Usage.UsagePayer("default", null), Caller.Open.Payer);
        Assert.Equal("API_KEY", single.UsageName);
    }

    [Fact]
    public void A_name_that_is_not_a_plain_word_is_refused()
    {
        var options = new AuthOptions { Keys = [new() { Tenant = "ok", Hash = KeyTable.HashOf("k"), Name = "no spaces" }] };

        var problem = Assert.Single(options.Validate(new(options)));

        Assert.Equal(["Keys:0:Name"], problem.MemberNames);
    }
}
