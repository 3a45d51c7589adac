using System.Runtime.Serialization;
using System.Text;
using Akka.Actor;
using Akka.Hosting;
using Akka.Serialization;
using ClaudeActors.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ClaudeActors.UnitTests.Serialization;

/// <summary>
/// The serializer as Akka finds it: a real ActorSystem started by Akka.Hosting with
/// <see cref="SerializationHostingExtensions.WithClaudeActorsSerialization(AkkaConfigurationBuilder, MessageManifests)"/>.
/// </summary>
public sealed class JsonMessageSerializerTests(JsonMessageSerializerTests.AkkaHost host) : IClassFixture<JsonMessageSerializerTests.AkkaHost>
{
    private static readonly DateTimeOffset At = new(2025, 3, 4, 5, 6, 7, 891, TimeSpan.FromHours(2));

    [Fact]
    public void FindSerializerFor_AnyMessage_IsTheJsonSerializer()
    {
        var serializer = host.System.Serialization.FindSerializerFor(Sample());

        Assert.IsType<JsonMessageSerializer>(serializer);
        Assert.Equal(JsonMessageSerializer.Id, serializer.Identifier);
        Assert.IsType<JsonMessageSerializer>(host.System.Serialization.FindSerializerForType(typeof(SampleForgotten)));
    }

    [Fact]
    public void RoundTrip_RecordWithListsTimeNullsAndPolymorphicMembers_ComesBackEqual()
    {
        var message = Sample();

        var back = Assert.IsType<SampleTurnRecorded>(RoundTrip(message));

        Assert.Equivalent(message, back, strict: true);
        Assert.Equal(At, back.At);
        Assert.Equal(At.Offset, back.At.Offset);
        Assert.Null(back.Model);
        Assert.Equal(12, back.OutputTokens);
        Assert.Equal(new SampleText("The answer"), back.Answer);
        var call = Assert.IsType<SampleToolCall>(back.Entries[1].Parts[1]);
        Assert.Equal("Read", call.Name);
        Assert.Equal("/tmp/a.txt", call.Arguments["path"]);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), back.Entries[1].Took);
    }

    [Fact]
    public void ToBinary_WritesShortManifestAndJsonWithoutTypeNamesOrNulls()
    {
        var message = Sample();
        var serializer = (SerializerWithStringManifest)host.System.Serialization.FindSerializerFor(message);

        var json = Encoding.UTF8.GetString(serializer.ToBinary(message));

        Assert.Equal("test.turn-recorded", serializer.Manifest(message));
        Assert.Equal("test.turn-recorded", Akka.Serialization.Serialization.ManifestFor(serializer, message));
        Assert.DoesNotContain("ClaudeActors", json, StringComparison.Ordinal);
        Assert.DoesNotContain("null", json, StringComparison.Ordinal);
        Assert.Contains("\"status\":\"Interrupted\"", json, StringComparison.Ordinal);
        Assert.Contains("\"kind\":\"tool-call\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void RoundTrip_PositionalRecord_ComesBackEqual()
    {
        Assert.Equal(new SampleForgotten("conv-2"), RoundTrip(new SampleForgotten("conv-2")));
    }

    [Fact]
    public void Deserialize_UnknownManifest_FailsNamingIt()
    {
        var ex = Assert.Throws<SerializationException>(
            () => host.System.Serialization.Deserialize("{}"u8.ToArray(), JsonMessageSerializer.Id, "conv.no-such-thing"));

        Assert.Contains("Unknown message manifest 'conv.no-such-thing'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_PayloadMissingARequiredMember_FailsNamingTheManifest()
    {
        var ex = Assert.Throws<SerializationException>(
            () => host.System.Serialization.Deserialize("{\"status\":\"Completed\"}"u8.ToArray(), JsonMessageSerializer.Id, "test.turn-recorded"));

        Assert.Contains("test.turn-recorded", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Manifest_TypeOutsideTheTable_FailsNamingIt()
    {
        var serializer = (SerializerWithStringManifest)host.System.Serialization.FindSerializerFor(Sample());

        var ex = Assert.Throws<SerializationException>(() => _ = serializer.Manifest(new SampleWithoutManifest("x")));

        Assert.Contains(nameof(SampleWithoutManifest), ex.Message, StringComparison.Ordinal);
    }

    private object RoundTrip(object message)
    {
        var serialization = host.System.Serialization;
        var serializer = serialization.FindSerializerFor(message);
        var bytes = serializer.ToBinary(message);
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, message);
        return serialization.Deserialize(bytes, serializer.Identifier, manifest);
    }

    private static SampleTurnRecorded Sample() => new()
    {
        ConversationId = "conv-1",
        At = At,
        Status = SampleStatus.Interrupted,
        OutputTokens = 12,
        Entries =
        [
            new SampleEntry("user", [new SampleText("Hello")]),
            new SampleEntry(
                "assistant",
                [new SampleText("Let me look"), new SampleToolCall { Name = "Read", Arguments = new Dictionary<string, string> { ["path"] = "/tmp/a.txt" } }],
                TimeSpan.FromMilliseconds(1500)),
        ],
        Answer = new SampleText("The answer"),
    };

    /// <summary>One ActorSystem for the class, set up the way the server's composition root does it.</summary>
    public sealed class AkkaHost() : SerializationHost(
        "serialization-tests",
        akka => akka.WithClaudeActorsSerialization(MessageManifests.For([typeof(SampleTurnRecorded), typeof(SampleForgotten)])));
}
