using System.Globalization;
using System.Text.Json.Nodes;
using ClaudeActors.Server.OpenAi.Errors;
using ClaudeActors.Server.Security;

namespace ClaudeActors.Server.OpenAi.Responses;

/// <summary>
/// <c>GET /v1/responses/{id}/input_items</c>: the items the request gave (a string input is one user message), newest
/// first unless <c>order=asc</c>, <c>limit</c> 1 to 100 (default 20), paged by <c>after</c>/<c>before</c> item ids.
/// </summary>
internal static class ResponseInputItems
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    public static async Task<IResult> ListAsync(string id, HttpContext http, ResponseStore store)
    {
        var query = http.Request.Query;
        var limit = DefaultLimit;
        if (query.TryGetValue("limit", out var limitText)
            && (!int.TryParse(limitText.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            return OpenAiErrors.Json(400, $"limit must be an integer from 1 to {MaxLimit}.", "invalid_request_error", "limit");
        }

        var order = query.TryGetValue("order", out var orderText) ? orderText.ToString() : "desc";
        if (order is not ("asc" or "desc"))
        {
            return OpenAiErrors.Json(400, "order must be asc or desc.", "invalid_request_error", "order");
        }

        var found = await store.FindAsync(id, http.Tenant(), http.RequestAborted);
        if (found is null)
        {
            return ResponsesEndpoint.NotFound(id);
        }

        var items = found.Envelope.Input.Select(i => i!).ToList();
        if (order == "desc")
        {
            items.Reverse();
        }

        foreach (var (name, skipThrough) in (ReadOnlySpan<(string, bool)>)[("after", true), ("before", false)])
        {
            if (query.TryGetValue(name, out var cursor))
            {
                var at = items.FindIndex(i => i["id"]?.GetValue<string>() == cursor.ToString());
                if (at < 0)
                {
                    return OpenAiErrors.Json(400, $"{name} names no input item of this response.", "invalid_request_error", name);
                }

                items = skipThrough ? items[(at + 1)..] : items[..at];
            }
        }

        var page = items.Take(limit).Select(i => i.DeepClone()).ToArray();
        return ResponsesEndpoint.Json(new JsonObject
        {
            ["object"] = "list",
            ["data"] = new JsonArray(page),
            ["first_id"] = page.FirstOrDefault()?["id"]?.DeepClone(),
            ["last_id"] = page.LastOrDefault()?["id"]?.DeepClone(),
            ["has_more"] = items.Count > limit,
        });
    }
}
