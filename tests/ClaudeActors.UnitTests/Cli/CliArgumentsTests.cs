using ClaudeActors.Cli;
using ClaudeActors.Cli.Process;

namespace ClaudeActors.UnitTests.Cli;

public sealed class CliArgumentsTests
{
    private const string SessionId = "11111111-1111-4111-8111-111111111111";

    private static List<string> Build(CliLaunchSpec? spec = null, CliOptions? options = null, string? systemPromptFile = null) =>
        CliArguments.Build(options ?? new CliOptions(), spec ?? new CliLaunchSpec(), systemPromptFile);

    [Fact]
    public void Build_Defaults_StartTheStreamJsonProtocol()
    {
        var args = Build();

        Assert.Equal(
            [
                "-p", "--output-format", "stream-json", "--verbose", "--input-format", "stream-json", "--include-partial-messages", "--tools", "",
                "--setting-sources", "", "--strict-mcp-config",
            ],
            args);
    }

    [Fact]
    public void Build_Default_ReadsNoSettingsFileAndLeavesSlashCommandsOnForTheHostsClear()
    {
        var args = Build();

        // The host resets warm processes with /clear; client text is kept literal by LiteralInput instead.
        Assert.DoesNotContain("--disable-slash-commands", args);
        Assert.Contains("--strict-mcp-config", args);
        Assert.Equal("", args[args.IndexOf("--setting-sources") + 1]);
        Assert.DoesNotContain("--settings", args);
    }

    [Fact]
    public void Build_OperatorSettings_AreTheOnlySettingsPassed()
    {
        var args = Build(options: new CliOptions { SettingSources = "user", SettingsFile = "/etc/claude-actors/cli-settings.json" });

        Assert.Equal("user", args[args.IndexOf("--setting-sources") + 1]);
        Assert.Equal("/etc/claude-actors/cli-settings.json", args[args.IndexOf("--settings") + 1]);
    }

    [Fact]
    public void Build_Default_PassesAnEmptyToolsValue()
    {
        var args = Build();

        var index = args.IndexOf("--tools");
        Assert.True(index >= 0);
        Assert.Equal("", args[index + 1]);
    }

    [Fact]
    public void Build_ConfiguredTools_FollowTheToolsFlag()
    {
        var args = Build(options: new CliOptions { Tools = "Read,Grep" });

        Assert.Equal("Read,Grep", args[args.IndexOf("--tools") + 1]);
    }

    [Fact]
    public void Build_SystemPrompt_NeverGoesOnTheCommandLine()
    {
        const string secret = "You are a pirate. SECRET-SYSTEM-TEXT";
        foreach (var mode in Enum.GetValues<SystemPromptMode>())
        {
            var spec = new CliLaunchSpec { SystemPrompt = secret, Model = "sonnet", NewSessionId = SessionId };

            var args = Build(spec, new CliOptions { SystemPromptMode = mode }, "/tmp/prompt-file.txt");

            Assert.DoesNotContain(args, a => a.Contains("SECRET-SYSTEM-TEXT", StringComparison.Ordinal));
            Assert.DoesNotContain(args, a => a.StartsWith("--system-prompt=", StringComparison.Ordinal) || a == "--system-prompt");
            Assert.DoesNotContain(args, a => a.StartsWith("--append-system-prompt=", StringComparison.Ordinal) || a == "--append-system-prompt");
        }
    }

    [Fact]
    public void Build_WholeSpec_CarriesNoFreeTextOfACaller()
    {
        var spec = new CliLaunchSpec
        {
            Model = "sonnet",
            Effort = "high",
            SystemPrompt = "PROMPT-TEXT",
            ResumeSessionId = SessionId,
            Environment = new Dictionary<string, string> { ["CLAUDE_CODE_MAX_OUTPUT_TOKENS"] = "100" },
        };

        var args = Build(spec, systemPromptFile: "/tmp/p.txt");

        Assert.DoesNotContain(args, a => a.Contains("PROMPT-TEXT", StringComparison.Ordinal));
        Assert.DoesNotContain(args, a => a.Contains("CLAUDE_CODE_MAX_OUTPUT_TOKENS", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_NoModelOrEffort_AddsNeither()
    {
        var args = Build(new CliLaunchSpec { Model = null, Effort = "" });

        Assert.DoesNotContain(args, a => a.StartsWith("--model", StringComparison.Ordinal));
        Assert.DoesNotContain(args, a => a.StartsWith("--effort", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_ModelAndEffort_UseTheEqualsForm()
    {
        var args = Build(new CliLaunchSpec { Model = "sonnet[1m]", Effort = "high" });

        Assert.Contains("--model=sonnet[1m]", args);
        Assert.Contains("--effort=high", args);
        Assert.DoesNotContain("--model", args);
        Assert.DoesNotContain("--effort", args);
    }

    [Fact]
    public void Build_NewSession_UsesSessionId()
    {
        var args = Build(new CliLaunchSpec { NewSessionId = SessionId });

        Assert.Contains("--session-id=" + SessionId, args);
        Assert.DoesNotContain(args, a => a.StartsWith("--resume", StringComparison.Ordinal));
        Assert.DoesNotContain("--fork-session", args);
    }

    [Fact]
    public void Build_Resume_UsesResumeAndNotSessionId()
    {
        var args = Build(new CliLaunchSpec { ResumeSessionId = SessionId, NewSessionId = "22222222-2222-4222-8222-222222222222" });

        Assert.Contains("--resume=" + SessionId, args);
        Assert.DoesNotContain(args, a => a.StartsWith("--session-id", StringComparison.Ordinal));
        Assert.DoesNotContain("--fork-session", args);
    }

    [Fact]
    public void Build_ResumeWithFork_AddsForkSessionAfterResume()
    {
        var args = Build(new CliLaunchSpec { ResumeSessionId = SessionId, ForkSession = true });

        var resume = args.IndexOf("--resume=" + SessionId);
        Assert.True(resume >= 0);
        Assert.Equal("--fork-session", args[resume + 1]);
    }

    [Fact]
    public void Build_ForkWithoutResume_IsIgnored()
    {
        var args = Build(new CliLaunchSpec { NewSessionId = SessionId, ForkSession = true });

        Assert.DoesNotContain("--fork-session", args);
    }

    [Fact]
    public void Build_PersistSessionFalse_AddsNoSessionPersistence()
    {
        Assert.Contains("--no-session-persistence", Build(new CliLaunchSpec { PersistSession = false }));
        Assert.DoesNotContain("--no-session-persistence", Build(new CliLaunchSpec { PersistSession = true }));
    }

    [Fact]
    public void Build_MirrorTranscript_AddsSessionMirror()
    {
        Assert.Contains("--session-mirror", Build(new CliLaunchSpec { MirrorTranscript = true }));
        Assert.DoesNotContain("--session-mirror", Build());
    }

    [Theory]
    [InlineData(SystemPromptMode.Replace, "--system-prompt-file")]
    [InlineData(SystemPromptMode.Append, "--append-system-prompt-file")]
    public void Build_SystemPromptFile_UsesTheFlagOfTheMode(SystemPromptMode mode, string flag)
    {
        var args = Build(options: new CliOptions { SystemPromptMode = mode }, systemPromptFile: "/tmp/prompt.txt");

        var index = args.IndexOf(flag);
        Assert.True(index >= 0, $"{flag} missing from: {string.Join(' ', args)}");
        Assert.Equal("/tmp/prompt.txt", args[index + 1]);
        Assert.Single(args, a => a.Contains("system-prompt", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(SystemPromptMode.Conversation)]
    [InlineData(SystemPromptMode.Replace)]
    [InlineData(SystemPromptMode.Append)]
    public void Build_NoSystemPromptFile_AddsNoSystemPromptFlag(SystemPromptMode mode)
    {
        var args = Build(options: new CliOptions { SystemPromptMode = mode });

        Assert.DoesNotContain(args, a => a.Contains("system-prompt", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_PermissionMode_IsAddedOnlyWhenSet()
    {
        Assert.Contains("--permission-mode=acceptEdits", Build(options: new CliOptions { PermissionMode = "acceptEdits" }));
        Assert.DoesNotContain(Build(), a => a.StartsWith("--permission-mode", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_ExtraArguments_ComeLast()
    {
        var options = new CliOptions { ExtraArguments = ["--max-budget-usd", "1"], PermissionMode = "plan", SystemPromptMode = SystemPromptMode.Replace };
        var spec = new CliLaunchSpec
        {
            Model = "opus",
            Effort = "low",
            ResumeSessionId = SessionId,
            ForkSession = true,
            PersistSession = false,
            MirrorTranscript = true,
        };

        var args = Build(spec, options, "/tmp/p.txt");

        Assert.Equal(["--max-budget-usd", "1"], args[^2..]);
    }

    [Fact]
    public void Build_JsonSchema_IsOneFlagValueArgument()
    {
        const string schema = """{"type":"object","properties":{"--model":{"type":"string"}}}""";

        var args = Build(new CliLaunchSpec { JsonSchema = schema });

        Assert.Equal("--json-schema=" + schema, Assert.Single(args, a => a.StartsWith("--json-schema", StringComparison.Ordinal)));
        Assert.DoesNotContain("--model", args);
        Assert.DoesNotContain(Build(), a => a.StartsWith("--json-schema", StringComparison.Ordinal));
    }
}
