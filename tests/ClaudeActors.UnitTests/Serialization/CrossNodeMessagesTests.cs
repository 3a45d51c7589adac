using Akka.Actor;
using Akka.Hosting;
using Akka.Streams;
using Akka.Streams.Dsl;
using ClaudeActors.Chat;
using ClaudeActors.Cli.Protocol;
using ClaudeActors.Clustering;
using ClaudeActors.Conversations;
using ClaudeActors.Serialization;
using ClaudeActors.Sessions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ClaudeActors.UnitTests.Serialization;

/// <summary>
/// Every message that may cross nodes goes through Akka's serialization and comes back equal: the turn request, its
/// answer with the turn's stream ref inside, every element of that stream, the replies and the cluster figures.
/// </summary>
public sealed class CrossNodeMessagesTests(CrossNodeMessagesTests.AkkaHost host) : IClassFixture<CrossNodeMessagesTests.AkkaHost>
{
    private static readonly DateTimeOffset At = new(2026, 11, 29, 23, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> ChatEvents => [.. Events().Select(e => e.GetType().Name).Distinct()];

    [Theory]
    [MemberData(nameof(ChatEvents))]
    public void ChatEvent_RoundTripsThroughTheJsonSerializer(string kind)
    {
        var message = Events().First(e => e.GetType().Name == kind);

        var (serializerId, back) = RoundTrip(message);

        Assert.Equal(JsonMessageSerializer.Id, serializerId);
        Assert.Equal(message, back);
    }

    [Fact]
    public void ChatCompleted_WithToolCalls_RoundTripsWithItsCalls()
    {
        var message = new ChatCompleted("", ChatCompleted.ToolUse, new CliUsage(10, 2, 0, 0), null)
        {
            ToolCalls = [new ChatToolCall(0, "call_1", "get_weather", "{\"city\":\"Paris\"}"), new ChatToolCall(1, "call_2", "get_time", "{}")],
        };

        var back = Assert.IsType<ChatCompleted>(RoundTrip(message).Message);

        Assert.Equal(message, back);
        Assert.Equal(["call_1", "call_2"], back.ToolCalls.Select(c => c.Id));
    }

    [Fact]
    public void DeleteConversation_WithRetentionLimits_RoundTrips()
    {
        var message = new DeleteConversation("conv-1", At) { Expiry = new ClaudeActors.Retention.Expiry(At.AddDays(-30), At.AddMinutes(-10)) };

        var (serializerId, back) = RoundTrip(message);

        Assert.Equal(JsonMessageSerializer.Id, serializerId);
        Assert.Equal(message, back);
        Assert.Equal(new DeleteConversation("conv-1", At), RoundTrip(new DeleteConversation("conv-1", At)).Message);
    }

    [Fact]
    public void StartTurn_WithABudget_RoundTripsIt()
    {
        var request = new ChatTurnRequest { Prompt = [], MaxBudgetUsd = 0.25 };

        var back = Assert.IsType<ChatTurnRequest>(RoundTrip(new StartTurn("conv-1", new SessionTurn(request, false), false, "client", null, At)).Message is StartTurn start ? start.Turn.Request : null);

        Assert.Equal(0.25, back.MaxBudgetUsd);
    }

    [Fact]
    public void StartTurn_WithToolsAndToolResults_RoundTrips()
    {
        var request = new ChatTurnRequest
        {
            Prompt = [],
            Tools = [new ClaudeActors.Cli.Tools.ClientTool("get_weather", "Weather of a city", "{\"type\":\"object\"}")],
            ToolResults = [new ClaudeActors.Cli.Tools.ClientToolResult("call_1", "sunny")],
            AnsweredToolCallIds = ["call_1"],
            ToolInstruction = "Call a function.",
            ParallelToolCalls = false,
            JsonSchema = null,
            IdempotencyKey = "key-1",
        };
        var start = new StartTurn("conv-1", new SessionTurn(request, RecordContinuation: true), Buffered: false, "client", "hash-1", At);

        var back = Assert.IsType<StartTurn>(RoundTrip(start).Message);

        Assert.Equivalent(start.Turn, back.Turn, strict: true);
    }

    [Fact]
    public void StartTurn_WithHistoryAndAnImage_RoundTrips()
    {
        var request = new ChatTurnRequest
        {
            Model = "sonnet",
            SystemPrompt = "Be brief.",
            History =
            [
                new CliMessage(CliRole.User, [new CliTextBlock("Hi"), new CliImageBlock("image/png", "iVBORw0KGgo=")]),
                new CliMessage(CliRole.Assistant, [new CliTextBlock("Hello")]),
            ],
            Prompt = [new CliTextBlock("And now?")],
            MaxOutputTokens = 100,
            Payer = new ClaudeActors.Usage.UsagePayer("team-a", "ci-key"),
        };
        var start = new StartTurn("conv-1", new SessionTurn(request, RecordContinuation: true), Buffered: false, "client", "hash-1", At);

        var back = Assert.IsType<StartTurn>(RoundTrip(start).Message);

        Assert.Equal(start with { Turn = back.Turn }, back);
        Assert.Equivalent(start.Turn, back.Turn, strict: true);
        Assert.IsType<CliImageBlock>(back.Turn.Request.History[0].Content[1]);
    }

    [Fact]
    public void StartTurn_CarriesItsTraceContextAndRequestIdAcrossNodes()
    {
        var request = new ChatTurnRequest { Prompt = [new CliTextBlock("Hi")] };
        var trace = new ClaudeActors.Telemetry.TurnTrace("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "req-42");
        var start = new StartTurn("conv-1", new SessionTurn(request, RecordContinuation: true), Buffered: false, "client", null, At, trace);

        var back = Assert.IsType<StartTurn>(RoundTrip(start).Message);

        Assert.Equal(trace, back.Trace);
    }

    [Fact]
    public async Task TurnAccepted_CarriesAStreamRefThatStillStreamsAfterTheRoundTrip()
    {
        var materializer = host.System.Materializer();
        var events = Events();
        var streamRef = await Source.From(events).RunWith(StreamRefs.SourceRef<ChatEvent>(), materializer);

        var back = Assert.IsType<TurnAccepted>(RoundTrip(new TurnAccepted(streamRef)).Message);
        var received = await back.Events.Source.RunWith(Sink.Seq<ChatEvent>(), materializer).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.NotSame(streamRef, back.Events);
        Assert.Equal(events, received);
    }

    [Fact]
    public void RepliesAndClusterMessages_RoundTrip()
    {
        var record = new ConversationRecord { Id = "conv-1", CliSessionId = Guid.NewGuid().ToString("D"), Created = At, LastUsed = At, Turns = 2, HistoryHash = "h" };
        object[] messages =
        [
            TurnNotContinued.Instance,
            new ConversationChanged("conv-1", 7, record),
            new ConversationChanged("conv-2", 9, null),
            new ConversationFailed(new ChatFailed(ChatFailureKind.JournalUnavailable, "down", false, null)),
            GetNodeFigures.Instance,
            new NodeFigures("akka.tcp://claude-actors@127.0.0.1:4053", 3, 2),
            StopConversation.Instance,
            new DeleteResponse("conv-1", "0123456789abcdef01234567", At),
            new ResponseDeleted("0123456789abcdef01234567", At),
            new ClaudeActors.Usage.RecordUsage("team-a", Guid.NewGuid(), new ClaudeActors.Usage.UsageAmount(1, 10, 2, 1, 5, 0.25), At, "ci-key"),
            new ClaudeActors.Usage.UsageRecorded(new ClaudeActors.Usage.UsageAmount(1, 10, 2, 1, 5, 0.25), At, "ci-key", Guid.NewGuid()),
            new ClaudeActors.Usage.UsageReport(
                "team-a",
                [new ClaudeActors.Usage.UsageDay(
                    new DateOnly(2026, 11, 29),
                    new ClaudeActors.Usage.UsageAmount(2, 20, 4, 2, 10, 0.5),
                    [new ClaudeActors.Usage.KeyUsage("ci-key", new ClaudeActors.Usage.UsageAmount(1, 10, 2, 1, 5, 0.25))])]),
            new ClaudeActors.Usage.UsageSnapshot([new ClaudeActors.Usage.UsageDay(new DateOnly(2026, 11, 28), ClaudeActors.Usage.UsageAmount.Zero)], [new ClaudeActors.Usage.RecentRecord(Guid.NewGuid(), At)]),
            new TurnRecorded(
                new TurnRecord { Sequence = 1, RequestJson = "[]", Answer = "a", Status = "completed", Started = At, ResponseId = "0123456789abcdef01234567", ResponseEnvelope = "{\"model\":\"sonnet\"}" },
                [],
                null,
                null,
                At),
        ];

        foreach (var message in messages)
        {
            Assert.Equivalent(message, RoundTrip(message).Message, strict: true);
        }
    }

    private static List<ChatEvent> Events() =>
    [
        new ChatSessionInfo("conv-1", SystemPromptIgnored: true, Continued: false),
        new ChatStarted("claude-sonnet-4-6"),
        new ChatModelFallback("claude-haiku-4-5", "claude-opus-4-6"),
        new ChatTextDelta("Hel"),
        new ChatTextDelta("lo"),
        new ChatCompleted("Hello", "end_turn", new CliUsage(10, 2, 3, 4), 0.0012),
        new ChatToolCallDelta(0, "call_1", "get_weather", "{\"city\":"),
        new ChatToolCallDelta(0, null, null, "\"Paris\"}"),
        new ChatFailed(ChatFailureKind.RateLimited, "slow down", true, TimeSpan.FromSeconds(7)),
        TurnBounced.Instance,
    ];

    private (int SerializerId, object Message) RoundTrip(object message)
    {
        var serialization = host.System.Serialization;
        var serializer = serialization.FindSerializerFor(message);
        var bytes = serializer.ToBinary(message);
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, message);
        return (serializer.Identifier, serialization.Deserialize(bytes, serializer.Identifier, manifest));
    }

    /// <summary>An ActorSystem with the server's serialization (the messages of ClaudeActors.Core).</summary>
    public sealed class AkkaHost() : SerializationHost("cross-node-tests", akka => akka.WithClaudeActorsSerialization());
}
