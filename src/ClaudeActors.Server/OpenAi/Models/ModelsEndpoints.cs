using ClaudeActors.Server.OpenAi.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ClaudeActors.Server.OpenAi.Models;

/// <summary><c>GET /v1/models</c> and <c>GET /v1/models/{id}</c>.</summary>
internal static class ModelsEndpoints
{
    public static RouteGroupBuilder MapModels(this RouteGroupBuilder group)
    {
        group.MapGet("/models", List);
        group.MapGet("/models/{*id}", Get);
        return group;
    }

    private static Ok<ModelList> List(ModelCatalog catalog) =>
        TypedResults.Ok(new ModelList("list", [.. catalog.List().Select(m => ToModel(m, catalog.Created))]));

    private static Results<Ok<ModelObject>, JsonHttpResult<OpenAiErrorBody>> Get(string id, ModelCatalog catalog) =>
        catalog.Find(id) is { } entry
            ? TypedResults.Ok(ToModel(entry, catalog.Created))
            : OpenAiErrors.Json(StatusCodes.Status404NotFound, $"The model '{id}' does not exist.", "invalid_request_error", "model", "model_not_found");

    private static ModelObject ToModel((string Id, string? MapsTo) entry, long created) =>
        new(entry.Id, "model", created, "anthropic", entry.MapsTo);
}
