using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using ClaudeActors.Testing.Gateway;

namespace ClaudeActors.IntegrationTests.Tenants;

/// <summary>A gateway with API keys, and clients that send them.</summary>
internal static class KeyedGateway
{
    public const string AliceKey = "sk-alice-0123456789abcdef";
    public const string BobKey = "sk-bob-0123456789abcdef";
    public const string AdminKey = "sk-admin-0123456789abcdef";

    public static string Hash(string key) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Keys of tenants <c>alice</c>, <c>bob</c> and <c>ops</c> (admin), as settings; <paramref name="more"/> adds per-key settings of alice's key.</summary>
    public static void Keys(IDictionary<string, string?> settings, params (string Name, string Value)[] more)
    {
        settings["ClaudeActors:Auth:Keys:0:Tenant"] = "alice";
        settings["ClaudeActors:Auth:Keys:0:Hash"] = Hash(AliceKey);
        settings["ClaudeActors:Auth:Keys:1:Tenant"] = "bob";
        settings["ClaudeActors:Auth:Keys:1:Hash"] = Hash(BobKey);
        settings["ClaudeActors:Auth:Keys:2:Tenant"] = "ops";
        settings["ClaudeActors:Auth:Keys:2:Hash"] = Hash(AdminKey);
        settings["ClaudeActors:Auth:Keys:2:Admin"] = "true";
        foreach (var (name, value) in more)
        {
            settings["ClaudeActors:Auth:Keys:0:" + name] = value;
        }
    }

    /// <summary>A client of the gateway sending <paramref name="key"/> as a Bearer token.</summary>
    public static HttpClient Client(TestGateway gateway, string key, string? tenant = null)
    {
        var http = new HttpClient { BaseAddress = gateway.BaseUrl, Timeout = TimeSpan.FromMinutes(3) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (tenant is not null)
        {
            http.DefaultRequestHeaders.Add("X-Tenant", tenant);
        }

        return http;
    }
}
