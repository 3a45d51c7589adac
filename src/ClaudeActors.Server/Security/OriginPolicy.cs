namespace ClaudeActors.Server.Security;

/// <summary>The browser origins whose requests the server takes; <c>*</c> takes every one.</summary>
internal sealed class OriginPolicy(IReadOnlyList<string> entries)
{
    private readonly bool _any = entries.Contains("*");
    private readonly OriginPattern[] _patterns = [.. entries.Select(OriginPattern.Parse).OfType<OriginPattern>()];

    public bool Allows(string origin) => _any || _patterns.Any(p => p.Matches(origin));
}
