using ClaudeActors.Conversations;
using System.Globalization;
using ClaudeActors.Persistence;
using ClaudeActors.Server.OpenAi.Errors;

namespace ClaudeActors.Server.Sessions;

/// <summary>
/// The query of <c>GET /v1/sessions</c>: <c>limit</c> (1 to the page size, default 20), <c>after</c> (an id) and, for an
/// admin's list of every tenant, <c>after_tenant</c> (the tenant of that id, the row's <c>tenant</c>).
/// </summary>
internal sealed record SessionListQuery(int Limit, string? After, string? AfterTenant = null)
{
    public const int DefaultLimit = 20;

    /// <summary>The query, or a 400 in the OpenAI shape naming the parameter that is wrong.</summary>
    public static (SessionListQuery? Query, IResult? Problem) Read(IQueryCollection query, int maxPageSize)
    {
        var limit = Math.Min(DefaultLimit, maxPageSize);
        if (query.TryGetValue("limit", out var limitValues))
        {
            if (limitValues.Count != 1
                || !int.TryParse(limitValues[0], NumberStyles.None, CultureInfo.InvariantCulture, out limit)
                || limit < 1
                || limit > maxPageSize)
            {
                return (null, Invalid("limit", $"limit must be one whole number between 1 and {maxPageSize}."));
            }
        }

        string? after = null;
        if (query.TryGetValue("after", out var afterValues))
        {
            after = afterValues.Count == 1 ? afterValues[0] : null;
            var problem = after is null ? "after must be given once." : ConversationIds.Validate(after);
            if (problem is not null)
            {
                return (null, Invalid("after", problem));
            }
        }

        string? afterTenant = null;
        if (query.TryGetValue("after_tenant", out var tenantValues))
        {
            afterTenant = tenantValues.Count == 1 ? tenantValues[0] : null;
            if (afterTenant is null || ConversationIds.Validate(afterTenant) is not null)
            {
                return (null, Invalid("after_tenant", "after_tenant must be given once, a tenant name."));
            }
        }

        return (new SessionListQuery(limit, after, afterTenant), null);
    }

    private static IResult Invalid(string param, string message) =>
        OpenAiErrors.Json(StatusCodes.Status400BadRequest, message, "invalid_request_error", param, "invalid_query");
}
