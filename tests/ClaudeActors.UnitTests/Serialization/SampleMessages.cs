using System.Text.Json.Serialization;
using ClaudeActors.Serialization;

namespace ClaudeActors.UnitTests.Serialization;

// Messages shaped like the conversation entity's events: required/init members, lists, time, nullables, an enum and a
// polymorphic member. They live here, so the serializer is given them as an explicit table.

internal enum SampleStatus
{
    Completed,
    Interrupted,
}

[MessageManifest("test.turn-recorded")]
internal sealed record SampleTurnRecorded : IClaudeActorsMessage
{
    public required string ConversationId { get; init; }

    public required DateTimeOffset At { get; init; }

    public required SampleStatus Status { get; init; }

    public string? Model { get; init; }

    public int? OutputTokens { get; init; }

    public IReadOnlyList<SampleEntry> Entries { get; init; } = [];

    public required SampleContent Answer { get; init; }
}

internal sealed record SampleEntry(string Role, IReadOnlyList<SampleContent> Parts, TimeSpan? Took = null);

[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(SampleText), "text")]
[JsonDerivedType(typeof(SampleToolCall), "tool-call")]
internal abstract record SampleContent;

internal sealed record SampleText(string Text) : SampleContent;

internal sealed record SampleToolCall : SampleContent
{
    public required string Name { get; init; }

    public IReadOnlyDictionary<string, string> Arguments { get; init; } = new Dictionary<string, string>();
}

[MessageManifest("test.forgotten")]
internal sealed record SampleForgotten(string ConversationId) : IClaudeActorsMessage;

/// <summary>A message someone forgot to give a manifest: the table refuses it.</summary>
internal sealed record SampleWithoutManifest(string Text) : IClaudeActorsMessage;

/// <summary>Takes a manifest that is already <see cref="SampleForgotten"/>'s.</summary>
[MessageManifest("test.forgotten")]
internal sealed record SampleDuplicateManifest(string Text) : IClaudeActorsMessage;
