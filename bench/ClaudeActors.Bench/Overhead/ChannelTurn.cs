using System.Threading.Channels;
using ClaudeActors.Chat;

namespace ClaudeActors.Bench.Overhead;

/// <summary>A turn posted to a <see cref="ChannelStreamPath"/> conversation's mailbox, with the channel its events go to.</summary>
internal sealed record ChannelTurn(ChannelWriter<ChatEvent> Output, CancellationToken Token);
