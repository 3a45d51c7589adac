using System.Text.Json;
using ClaudeActors.Server.OpenAi.Chat;
using ClaudeActors.Server.OpenAi.Errors;

namespace ClaudeActors.UnitTests.OpenAi;

public sealed class BudgetFieldTests
{
    private static double? Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        return BudgetField.Read(document.RootElement);
    }

    [Theory]
    [InlineData("{}", null)]
    [InlineData("""{"max_budget_usd":null}""", null)]
    [InlineData("""{"max_budget_usd":0.05}""", 0.05)]
    [InlineData("""{"max_budget_usd":2}""", 2.0)]
    public void Read_AbsentOrPositive_IsTaken(string json, double? expected)
    {
        Assert.Equal(expected, Read(json));
    }

    [Theory]
    [InlineData("""{"max_budget_usd":0}""")]
    [InlineData("""{"max_budget_usd":-1}""")]
    [InlineData("""{"max_budget_usd":"0.5"}""")]
    [InlineData("""{"max_budget_usd":true}""")]
    [InlineData("""{"max_budget_usd":1e12}""")]
    public void Read_NotAPositiveAmount_IsRefusedNamingTheField(string json)
    {
        var ex = Assert.Throws<RequestValidationException>(() => Read(json));

        Assert.Equal("max_budget_usd", ex.Param);
        Assert.Contains("greater than 0", ex.Message, StringComparison.Ordinal);
    }
}
