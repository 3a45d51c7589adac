using ClaudeActors.Chat;
using ClaudeActors.Cli;
using ClaudeActors.Cli.Process;
using ClaudeActors.Cli.Protocol;
using ClaudeActors.Processes;

namespace ClaudeActors.UnitTests.Cli;

/// <summary>The fallback model and the spending cap: flags, the CLI's lines about them, and which processes may serve a cap.</summary>
public sealed class FallbackAndBudgetTests
{
    // Seen from the pinned CLI 2.1.328 with --model=opus --fallback-model=haiku against an upstream answering opus with 529.
    private const string FallbackLine =
        """{"type":"system","subtype":"model_fallback","uuid":"b60afe82-c7ee-4942-b63f-2dc91e339a58","trigger":"overloaded","original_model":"claude-opus-5-5","fallback_model":"claude-haiku-5-5","content":"Switched to Haiku 5.5 due to high demand for Opus 5.5","session_id":"dd3b814f-72ed-4eca-b58d-d3464889610e"}""";

    // Seen from the pinned CLI with --max-budget-usd=0.0001 (trimmed).
    private const string BudgetLine =
        """{"duration_api_ms":0,"stop_reason":"end_turn","session_id":"a88846a3-a362-404f-9ed6-23ccff5ca257","total_cost_usd":20.00002,"usage":{"input_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":0},"terminal_reason":"budget_exhausted","is_error":true,"num_turns":1,"subtype":"error_max_budget_usd","errors":["Reached maximum budget ($0.0001)"],"type":"result"}""";

    [Fact]
    public void Build_FallbackModel_IsPassedUnlessItIsTheMainModel()
    {
        var options = new CliOptions { FallbackModel = "haiku" };

        Assert.Contains("--fallback-model=haiku", CliArguments.Build(options, new CliLaunchSpec { Model = "opus" }, null));
        Assert.Contains("--fallback-model=haiku", CliArguments.Build(options, new CliLaunchSpec(), null));

        // The CLI refuses to start with a fallback that is the main model.
        Assert.DoesNotContain(CliArguments.Build(options, new CliLaunchSpec { Model = "Haiku" }, null), a => a.StartsWith("--fallback-model", StringComparison.Ordinal));
        Assert.DoesNotContain(CliArguments.Build(new CliOptions(), new CliLaunchSpec { Model = "opus" }, null), a => a.StartsWith("--fallback-model", StringComparison.Ordinal));
    }

    [Fact]
    public void EffectiveCliMaxRetries_WithAFallbackModel_IsAtLeastTwo()
    {
        // The CLI falls back on its third overloaded answer in a row, so it must retry twice itself.
        Assert.Equal(0, new CliOptions().EffectiveCliMaxRetries);
        Assert.Equal(2, new CliOptions { FallbackModel = "haiku" }.EffectiveCliMaxRetries);
        Assert.Equal(5, new CliOptions { FallbackModel = "haiku", CliMaxRetries = 5 }.EffectiveCliMaxRetries);
    }

    [Fact]
    public void Build_MaxBudget_IsPassedAsInvariantNumber()
    {
        var args = CliArguments.Build(new CliOptions(), new CliLaunchSpec { MaxBudgetUsd = 0.25 }, null);

        Assert.Contains("--max-budget-usd=0.25", args);
        Assert.DoesNotContain(CliArguments.Build(new CliOptions(), new CliLaunchSpec(), null), a => a.StartsWith("--max-budget-usd", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_ModelFallbackLine_GivesBothModels()
    {
        var fallback = Assert.IsType<CliModelFallback>(StreamJsonParser.Parse(FallbackLine));

        Assert.Equal("claude-opus-5-5", fallback.OriginalModel);
        Assert.Equal("claude-haiku-5-5", fallback.FallbackModel);
        Assert.Equal("overloaded", fallback.Trigger);
    }

    [Fact]
    public void Classify_MaxBudgetResult_IsBudgetExceededAndNotRetried()
    {
        var result = Assert.IsType<CliResult>(StreamJsonParser.Parse(BudgetLine));

        var failure = CliFailureClassifier.Classify(result);

        Assert.NotNull(failure);
        Assert.Equal(ChatFailureKind.BudgetExceeded, failure.Kind);
        Assert.False(failure.IsTransient);
        Assert.Contains("Reached maximum budget ($0.0001)", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CanServe_OnlyAProcessStartedWithTheSameCap()
    {
        var capped = new WarmLaunch { MaxBudgetUsd = 0.5 };

        Assert.True(capped.CanServe(null, new WarmLaunch { MaxBudgetUsd = 0.5 }));
        Assert.False(capped.CanServe(null, new WarmLaunch { MaxBudgetUsd = 0.25 }));
        Assert.False(capped.CanServe(null, WarmLaunch.Default));
        Assert.False(WarmLaunch.Default.CanServe(null, capped));
        Assert.False(capped.IsDefaultApartFromModel);
    }
}
