using System.ComponentModel.DataAnnotations;
using ClaudeActors.Clustering;

namespace ClaudeActors.UnitTests.Configuration;

public sealed class ClusterNodeOptionsTests
{
    [Fact]
    public void NoSeedNodes_IsANodeAlone_WhoseTurnsAreCutAtOnce()
    {
        var options = new ClusterNodeOptions();

        Assert.False(options.Clustered);
        Assert.Equal(TimeSpan.Zero, options.Drain);
        Assert.Empty(Problems(options));
    }

    [Fact]
    public void SeedNodes_MakeACluster_ThatDrainsForAMinuteUnlessTold()
    {
        var options = new ClusterNodeOptions { SeedNodes = ["akka.tcp://claude-actors@10.0.0.1:4053", "akka.tcp://claude-actors@10.0.0.2:4053"] };

        Assert.True(options.Clustered);
        Assert.Equal(TimeSpan.FromSeconds(60), options.Drain);
        Assert.Empty(Problems(options));
        options.DrainSeconds = 5;
        Assert.Equal(TimeSpan.FromSeconds(5), options.Drain);
    }

    [Theory]
    [InlineData("10.0.0.1:4053", "expected akka.tcp://claude-actors@<host>:<port>")]
    [InlineData("akka.tcp://other@10.0.0.1:4053", "the actor system must be 'claude-actors'")]
    [InlineData("akka.tcp://claude-actors@10.0.0.1", "expected akka.tcp://claude-actors@<host>:<port>")]
    public void BadSeedNode_IsRefusedNamingIt(string seed, string expected)
    {
        var problems = Problems(new ClusterNodeOptions { SeedNodes = [seed] });

        var problem = Assert.Single(problems);
        Assert.Contains(seed, problem, StringComparison.Ordinal);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    private static List<string> Problems(ClusterNodeOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return [.. results.Select(r => r.ErrorMessage ?? "")];
    }
}
