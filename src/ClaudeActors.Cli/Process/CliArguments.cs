namespace ClaudeActors.Cli.Process;

/// <summary>
/// Builds the CLI's command line. No text a caller wrote goes on it: prompts go to stdin, system prompts to a file. The
/// one value from a request is a <c>response_format</c> JSON Schema, as data in <c>--json-schema=</c> (the CLI has no other
/// way to take one).
/// The CLI runs on settings the server owns: no settings files but the operator's (<see cref="CliOptions.SettingSources"/>,
/// <see cref="CliOptions.SettingsFile"/>) and no MCP servers from anywhere else. Slash commands stay on, because the
/// host resets a warm process with <c>/clear</c> (<see cref="Protocol.StreamJsonWriter.ClearCommand"/>); a client's text
/// never runs one, as <see cref="Protocol.LiteralInput"/> makes it literal before it is written.
/// </summary>
internal static class CliArguments
{
    public static List<string> Build(CliOptions options, CliLaunchSpec spec, string? systemPromptFile)
    {
        var args = new List<string>
        {
            "-p",
            "--output-format", "stream-json",
            "--verbose",
            "--input-format", "stream-json",
            "--include-partial-messages",
            "--tools", options.Tools,
            "--setting-sources", options.SettingSources,
            "--strict-mcp-config",
        };

        if (!string.IsNullOrEmpty(options.SettingsFile))
        {
            args.Add("--settings");
            args.Add(options.SettingsFile);
        }

        if (!string.IsNullOrEmpty(options.PermissionMode))
        {
            args.Add("--permission-mode=" + options.PermissionMode);
        }

        if (!string.IsNullOrEmpty(spec.Model))
        {
            args.Add("--model=" + spec.Model);
        }

        // The CLI refuses a fallback model that is the main model itself.
        if (!string.IsNullOrEmpty(options.FallbackModel) && !string.Equals(options.FallbackModel, spec.Model, StringComparison.OrdinalIgnoreCase))
        {
            args.Add("--fallback-model=" + options.FallbackModel);
        }

        if (spec.MaxBudgetUsd is { } budget)
        {
            args.Add("--max-budget-usd=" + budget.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        }

        if (!string.IsNullOrEmpty(spec.Effort))
        {
            args.Add("--effort=" + spec.Effort);
        }

        if (systemPromptFile is not null)
        {
            args.Add(options.SystemPromptMode == SystemPromptMode.Append ? "--append-system-prompt-file" : "--system-prompt-file");
            args.Add(systemPromptFile);
        }

        if (spec.ResumeSessionId is not null)
        {
            args.Add("--resume=" + spec.ResumeSessionId);
            if (spec.ForkSession)
            {
                args.Add("--fork-session");
            }
        }
        else if (spec.NewSessionId is not null)
        {
            args.Add("--session-id=" + spec.NewSessionId);
        }

        if (!spec.PersistSession)
        {
            args.Add("--no-session-persistence");
        }

        if (spec.MirrorTranscript)
        {
            args.Add("--session-mirror");
        }

        if (spec.JsonSchema is not null)
        {
            // The one value from a request on the command line: JSON data in the --flag=value form, never read as an
            // option or a command. The CLI takes a schema only here (see CliLaunchSpec.JsonSchema).
            args.Add("--json-schema=" + spec.JsonSchema);
        }

        if (spec.ClientTools.Count > 0)
        {
            // The client's functions: an in-process ("sdk") MCP server answered over stdin/stdout, and only its tools
            // allowed, so the CLI runs them without a permission prompt.
            args.Add("--mcp-config");
            const string server = Tools.ClientToolServer.ServerName;
            args.Add("{\"mcpServers\":{\"" + server + "\":{\"type\":\"sdk\",\"name\":\"" + server + "\"}}}");
            args.Add("--allowedTools");
            args.Add(string.Join(',', spec.ClientTools.Select(t => Tools.ClientToolServer.ModelName(t.Name))));
        }

        args.AddRange(options.ExtraArguments);
        return args;
    }
}
