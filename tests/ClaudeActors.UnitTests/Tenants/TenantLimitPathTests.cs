using ClaudeActors.Server.Tenants;
using Microsoft.AspNetCore.Http;

namespace ClaudeActors.UnitTests.Tenants;

/// <summary>The per-key turn limits apply to every path routing sends to a turn endpoint.</summary>
public sealed class TenantLimitPathTests
{
    [Theory]
    [InlineData("/v1/chat/completions")]
    [InlineData("/v1/chat/completions/")]
    [InlineData("/V1/Chat/Completions//")]
    [InlineData("/v1/completions/")]
    [InlineData("/v1/responses/")]
    [InlineData("/v1/messages")]
    public void Turn_paths_count_with_or_without_a_trailing_slash(string path) =>
        Assert.True(TenantLimits.RunsTurn(new PathString(path)));

    [Theory]
    [InlineData("/v1/models")]
    [InlineData("/v1/messages/count_tokens")]
    [InlineData("/v1/responses/resp_1")]
    [InlineData("/v1/chat/completions/x")]
    public void Other_paths_do_not(string path) =>
        Assert.False(TenantLimits.RunsTurn(new PathString(path)));
}
