using System.Text.Json;
using ClaudeActors.Server.OpenAi.Errors;

namespace ClaudeActors.Server.OpenAi.Chat;

/// <summary>
/// <c>max_budget_usd</c>, the second gateway's extension field on every surface: the most this one request may spend,
/// in USD (the CLI's <c>--max-budget-usd</c>), over the server's <c>ClaudeActors:Cli:MaxBudgetUsd</c>.
/// </summary>
internal static class BudgetField
{
    public const string Name = "max_budget_usd";

    /// <summary>The most a request may ask for; a cap above it is no cap and more likely a typo.</summary>
    public const double Maximum = 1_000_000;

    /// <summary>The request's cap, or null when it sets none; anything but a positive number up to <see cref="Maximum"/> is a 400.</summary>
    public static double? Read(JsonElement root)
    {
        if (!root.TryGetProperty(Name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var budget) || !double.IsFinite(budget) || budget <= 0 || budget > Maximum)
        {
            throw new RequestValidationException($"{Name} must be a number of US dollars greater than 0 (at most {Maximum:0}).", Name);
        }

        return budget;
    }
}
