using Microsoft.Net.Http.Headers;

namespace ClaudeActors.Server.Security;

/// <summary>What counts as a JSON body: <c>application/json</c> or <c>application/*+json</c>, with any parameters.</summary>
internal static class JsonContentType
{
    public static bool Is(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media))
        {
            return false;
        }

        return media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (media.Type.Equals("application", StringComparison.OrdinalIgnoreCase) && media.SubType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }
}
