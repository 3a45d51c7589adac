using ClaudeActors.Testing.FakeUpstream;

namespace ClaudeActors.IntegrationTests.Support;

/// <summary>A streaming client that reads the first events of its turn and then goes away.</summary>
internal static class ClientInterrupt
{
    /// <summary>
    /// Sends the streamed request, reads two events, waits for the turn's upstream request (number
    /// <paramref name="upstreamRequest"/>), disconnects, and checks that the upstream saw the disconnect.
    /// </summary>
    public static async Task LeaveMidStreamAsync(FakeAnthropicServer upstream, int upstreamRequest, Func<CancellationToken, Task<HttpResponseMessage>> send)
    {
        using var client = new CancellationTokenSource();
        var response = await send(client.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(client.Token));
        await Sse.ReadEventAsync(reader, client.Token);
        await Sse.ReadEventAsync(reader, client.Token);
        var held = await upstream.WaitForMessageRequestAsync(upstreamRequest, Sse.Generous);
        await client.CancelAsync();
        response.Dispose();
        Assert.Equal(FakeStreamOutcome.AbortedByClient, await upstream.WaitForOutcomeAsync(held, Sse.Generous));
    }
}
