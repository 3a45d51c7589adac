using ClaudeActors.Bench.Measurement;

namespace ClaudeActors.Bench.Conversations;

/// <summary>One measured turn: which conversation, which turn (from 1), and its times.</summary>
internal readonly record struct TurnSample(string Conversation, int Turn, Sample Sample);
