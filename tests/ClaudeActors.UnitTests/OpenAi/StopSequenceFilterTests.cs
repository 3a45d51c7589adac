using System.Text;
using ClaudeActors.Server.OpenAi.Chat;

namespace ClaudeActors.UnitTests.OpenAi;

public sealed class StopSequenceFilterTests
{
    private static StopSequenceFilter CreateFilter(params string[] stops) => new(stops);

    /// <summary>Pushes every delta, then flushes; returns what the client would have seen, delta by delta.</summary>
    private static (List<string> Pieces, bool Stopped) Run(StopSequenceFilter filter, params string[] deltas)
    {
        var pieces = deltas.Select(filter.Push).ToList();
        pieces.Add(filter.Flush());
        return (pieces, filter.Stopped);
    }

    [Fact]
    public void Push_NoStops_PassesEveryDeltaThrough()
    {
        var filter = CreateFilter();

        Assert.Equal("Hel", filter.Push("Hel"));
        Assert.Equal("lo", filter.Push("lo"));
        Assert.Equal("", filter.Flush());
        Assert.False(filter.Stopped);
    }

    [Fact]
    public void Push_StopInsideOneDelta_CutsBeforeIt()
    {
        var filter = CreateFilter("STOP");

        Assert.Equal("Hello ", filter.Push("Hello STOP and more"));
        Assert.True(filter.Stopped);
        Assert.Equal("", filter.Push("later text"));
        Assert.Equal("", filter.Flush());
    }

    [Fact]
    public void Push_StopSplitAcrossDeltas_NeverLeaksAnyPartOfIt()
    {
        var (pieces, stopped) = Run(CreateFilter("STOP"), "Hel", "lo ST", "O", "P trailing");

        Assert.True(stopped);
        Assert.Equal("Hello ", string.Concat(pieces));
        Assert.DoesNotContain(pieces, p => p.Contains('S', StringComparison.Ordinal) || p.Contains('T', StringComparison.Ordinal));
    }

    [Fact]
    public void Push_TextThatCannotStartAStop_IsReleasedAtOnce()
    {
        var filter = CreateFilter("STOP");

        Assert.Equal("Hello ", filter.Push("Hello "));
    }

    [Fact]
    public void Push_HeldPartialMatchThatIsNotAStop_IsReleased()
    {
        var filter = CreateFilter("STOP");

        Assert.Equal("Hello ", filter.Push("Hello ST"));
        Assert.Equal("STAR", filter.Push("AR"));
        Assert.False(filter.Stopped);
        Assert.Equal("", filter.Flush());
    }

    [Fact]
    public void Flush_ReturnsTheHeldTail()
    {
        var filter = CreateFilter("STOP");

        Assert.Equal("the end ", filter.Push("the end STO"));
        Assert.Equal("STO", filter.Flush());
        Assert.False(filter.Stopped);
    }

    [Fact]
    public void Flush_AfterStop_ReturnsNothing()
    {
        var filter = CreateFilter("STOP");
        filter.Push("a STOP b ST");

        Assert.Equal("", filter.Flush());
    }

    [Fact]
    public void Push_SeveralStops_EarliestWins()
    {
        var filter = CreateFilter("world", "lo");

        Assert.Equal("Hel", filter.Push("Hello world"));
        Assert.True(filter.Stopped);
    }

    [Fact]
    public void Push_SeveralStopsAcrossDeltas_EarliestWins()
    {
        var (pieces, stopped) = Run(CreateFilter("cde", "b"), "xa", "bcde");

        Assert.True(stopped);
        Assert.Equal("xa", string.Concat(pieces));
    }

    [Fact]
    public void Push_OverlappingPrefix_IsStillFound()
    {
        // "aab" inside "aaab": the first 'a' may go, the rest is held until it is clear.
        var (pieces, stopped) = Run(CreateFilter("aab"), "a", "a", "a", "b");

        Assert.True(stopped);
        Assert.Equal("a", string.Concat(pieces));
    }

    [Fact]
    public void Push_MultiLineStop_IsFound()
    {
        var (pieces, stopped) = Run(CreateFilter("\n\nUser:"), "Answer.\n", "\nUs", "er: next");

        Assert.True(stopped);
        Assert.Equal("Answer.", string.Concat(pieces));
    }

    [Fact]
    public void Push_EveryWayOfSplittingTheText_GivesTheSameOutputAndNeverLeaksTheStop()
    {
        const string text = "Say Hello STOP now STOP";
        const string stop = "STOP";
        var expected = text[..text.IndexOf(stop, StringComparison.Ordinal)];
        for (var i = 0; i <= text.Length; i++)
        {
            for (var j = i; j <= text.Length; j++)
            {
                var filter = CreateFilter(stop, "zzz");
                var output = new StringBuilder();
                foreach (var delta in (string[])[text[..i], text[i..j], text[j..]])
                {
                    var piece = filter.Push(delta);
                    Assert.True(expected.StartsWith(output + piece, StringComparison.Ordinal), $"split {i}/{j} leaked '{piece}'");
                    output.Append(piece);
                }

                output.Append(filter.Flush());
                Assert.Equal(expected, output.ToString());
                Assert.True(filter.Stopped);
            }
        }
    }

    [Fact]
    public void Push_EveryWayOfSplittingTextWithoutStop_GivesTheWholeText()
    {
        const string text = "STO ST S STOOP";
        for (var i = 0; i <= text.Length; i++)
        {
            var (pieces, stopped) = Run(CreateFilter("STOP"), text[..i], text[i..]);

            Assert.False(stopped);
            Assert.Equal(text, string.Concat(pieces));
        }
    }

    [Fact]
    public void Apply_WholeTextWithStop_CutsIt()
    {
        Assert.Equal(("one two ", true), StopSequenceFilter.Apply("one two three", ["three", "four"]));
    }

    [Fact]
    public void Apply_WholeTextWithoutStop_KeepsIt()
    {
        Assert.Equal(("one two thr", false), StopSequenceFilter.Apply("one two thr", ["three"]));
    }

    [Fact]
    public void Apply_NoStops_KeepsTheText()
    {
        Assert.Equal(("anything", false), StopSequenceFilter.Apply("anything", []));
    }

    [Fact]
    public void Apply_StopAtTheStart_GivesEmptyText()
    {
        Assert.Equal(("", true), StopSequenceFilter.Apply("STOP right away", ["STOP"]));
    }
}
