namespace ClaudeActors.IntegrationTests.Support;

/// <summary>Polls a condition with a generous limit: for state that settles after an event, never to time anything.</summary>
internal static class Eventually
{
    public static Task TrueAsync(Func<bool> condition, string what) => TrueAsync(() => Task.FromResult(condition()), what);

    /// <summary>The same for a condition that needs a request (the server's own view, over HTTP).</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Sse.Generous;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Never became true: {what}.");
            }

            await Task.Delay(20);
        }
    }
}
