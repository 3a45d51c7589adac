using System.ComponentModel.DataAnnotations;
using ClaudeActors.Server.Hosting;
using Microsoft.Extensions.Configuration;

namespace ClaudeActors.UnitTests.Hosting;

public sealed class ServerOptionsTests
{
    [Fact]
    public void Defaults_AreTheLoopbackNamesAndOrigins()
    {
        var options = new ServerOptions();

        Assert.Empty(Validate(options));
        Assert.Equal(["localhost", "*.localhost", "127.0.0.1", "[::1]"], options.HostsAllowed());
        Assert.Contains("http://localhost:*", options.OriginsAllowed());
        Assert.Contains("https://[::1]:*", options.OriginsAllowed());
    }

    [Fact]
    public void Validate_NamesEveryBadEntry()
    {
        var options = new ServerOptions { AllowedHosts = ["ok.example", "https://bad.example"], AllowedOrigins = ["https://ok.example", "bad.example"] };

        var errors = Validate(options);

        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.MemberNames.Single() == nameof(ServerOptions.AllowedHosts) && e.ErrorMessage!.Contains("https://bad.example", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.MemberNames.Single() == nameof(ServerOptions.AllowedOrigins) && e.ErrorMessage!.Contains("'bad.example'", StringComparison.Ordinal));
    }

    [Fact]
    public void ListSettings_ASingleValueBecomesEntries()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["S:Hosts"] = "a.example; b.example;",
            ["S:Origins:0"] = "https://c.example",
        }).Build();

        var entries = ListSettings.Expand(configuration, "S:Hosts", "S:Origins", "S:Missing");

        Assert.Equal(new Dictionary<string, string?> { ["S:Hosts:0"] = "a.example", ["S:Hosts:1"] = "b.example" }, entries);
    }

    private static List<ValidationResult> Validate(ServerOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }
}
