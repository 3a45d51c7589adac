using ClaudeActors.Serialization;

namespace ClaudeActors.UnitTests.Serialization;

public sealed class MessageManifestsTests
{
    [Fact]
    public void Core_EveryMessageTypeHasOneUniqueManifest()
    {
        var types = MessageManifests.MessageTypesIn(typeof(IClaudeActorsMessage).Assembly);

        // Building the table fails, naming the type, when a message lacks [MessageManifest] or shares one.
        var table = MessageManifests.For(types);

        Assert.Equal(types.Count, table.Types.Count);
        Assert.Equal(types.OrderBy(t => t.FullName), MessageManifests.Core.Types.Values.OrderBy(t => t.FullName));
        Assert.All(table.Types.Keys, manifest => Assert.Matches("^[a-z][a-z0-9]*(\\.[a-z0-9]+(-[a-z0-9]+)*)+$", manifest));
    }

    [Fact]
    public void MessageTypesIn_FindsConcreteMessagesOnly()
    {
        var types = MessageManifests.MessageTypesIn(typeof(MessageManifestsTests).Assembly);

        Assert.Contains(typeof(SampleTurnRecorded), types);
        Assert.Contains(typeof(SampleWithoutManifest), types);
        Assert.DoesNotContain(typeof(SampleContent), types);
        Assert.DoesNotContain(typeof(SampleEntry), types);
    }

    [Fact]
    public void For_TypeWithoutManifest_FailsNamingIt()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => MessageManifests.For([typeof(SampleForgotten), typeof(SampleWithoutManifest)]));

        Assert.Contains(typeof(SampleWithoutManifest).FullName!, ex.Message, StringComparison.Ordinal);
        Assert.Contains("no [MessageManifest", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void For_TwoTypesWithOneManifest_FailsNamingBoth()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => MessageManifests.For([typeof(SampleForgotten), typeof(SampleDuplicateManifest)]));

        Assert.Contains(nameof(SampleForgotten), ex.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(SampleDuplicateManifest), ex.Message, StringComparison.Ordinal);
        Assert.Contains("'test.forgotten'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TypeOf_And_ManifestOf_AreInverse()
    {
        var table = MessageManifests.For([typeof(SampleTurnRecorded), typeof(SampleForgotten)]);

        Assert.Equal("test.forgotten", table.ManifestOf(typeof(SampleForgotten)));
        Assert.Equal(typeof(SampleForgotten), table.TypeOf("test.forgotten"));
        Assert.Throws<System.Runtime.Serialization.SerializationException>(() => table.TypeOf("test.nothing"));
    }
}
