using System.Text;
using ClaudeActors.Cli.Protocol;

namespace ClaudeActors.UnitTests.Cli;

/// <summary>
/// Lines below are real stdout lines of Claude Code CLI 2.1.328 (from /tmp/research, some long fields trimmed,
/// key order kept as the CLI printed it).
/// </summary>
public sealed class StreamJsonParserTests
{
    private const string InitLine =
        """{"type":"system","subtype":"init","cwd":"/tmp/research/wd","session_id":"35dac4e9-790c-4cb7-9040-3c52b748cb9a","tools":[],"mcp_servers":[],"model":"claude-opus-5-5","permissionMode":"default","apiKeySource":"ANTHROPIC_API_KEY","claude_code_version":"2.1.328","output_style":"default","uuid":"9f9c705b-c234-4bf9-8980-e12e641a998e","fast_mode_state":"off","view_mode":"default"}""";

    private const string TextDeltaLine =
        """{"type":"stream_event","event":{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Part"}},"session_id":"e5f0df59-6227-4205-a18f-0550997e4984","parent_tool_use_id":null,"uuid":"1fdf0ee0-63b9-44e7-a5dc-7e78cf6f3862","api_message_id":"msg_1795239182055"}""";

    private const string AssistantLine =
        """{"type":"assistant","message":{"id":"msg_1795239221686","type":"message","role":"assistant","model":"claude-opus-5-5","content":[{"type":"text","text":"Echo: hi"}],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":12,"output_tokens":1,"cache_read_input_tokens":5,"cache_creation_input_tokens":3},"context_management":null},"parent_tool_use_id":null,"session_id":"675cd31d-e3b6-4ad9-b461-7cdd7504657a","uuid":"d8922cbe-f64d-40f8-80ee-275d33974993","timestamp":"2026-11-21T05:33:41.748Z"}""";

    // The real order: "type":"result" sits in the middle of the line, after "result".
    private const string SuccessResultLine =
        """{"duration_api_ms":76,"stop_reason":"end_turn","session_id":"675cd31d-e3b6-4ad9-b461-7cdd7504657a","total_cost_usd":0.000204,"usage":{"input_tokens":12,"cache_creation_input_tokens":3,"cache_read_input_tokens":5,"output_tokens":7,"output_tokens_details":{"thinking_tokens":0},"server_tool_use":{"web_search_requests":0,"web_fetch_requests":0},"service_tier":"standard","cache_creation":{"ephemeral_1h_input_tokens":0,"ephemeral_5m_input_tokens":0},"inference_geo":"","iterations":[],"speed":"standard","fallback_credit":null},"modelUsage":{"claude-opus-5-5":{"inputTokens":12,"outputTokens":7,"cacheReadInputTokens":5,"cacheCreationInputTokens":3,"webSearchRequests":0,"costUSD":0.000204}},"permission_denials":[],"terminal_reason":"completed","fast_mode_state":"off","safety_stops":0,"is_error":false,"num_turns":1,"subtype":"success","api_error_status":null,"result":"Echo: hi","ttft_ms":128,"type":"result","duration_ms":137,"uuid":"90f743bc-7efe-49d7-a43f-bedbcaf21b73","ttft_stream_ms":68,"time_to_request_ms":61,"first_content_frame_ms":68,"queued_turn_count":0,"result_index":0,"model_usage_since_last_result":{}}""";

    private const string Overloaded529ResultLine =
        """{"duration_api_ms":0,"stop_reason":"stop_sequence","session_id":"35dac4e9-790c-4cb7-9040-3c52b748cb9a","total_cost_usd":0,"usage":{"output_tokens_details":{"thinking_tokens":0},"input_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":0,"service_tier":"standard","iterations":[],"speed":"standard","fallback_credit":null},"modelUsage":{},"permission_denials":[],"terminal_reason":"api_error","fast_mode_state":"off","safety_stops":0,"is_error":true,"num_turns":1,"subtype":"success","api_error_status":529,"api_error_type":"overloaded_error","result":"API Error: 529 Overloaded. This is a server-side issue, usually temporary — try again in a moment. If it persists, check your inference gateway (127.0.0.1:18181).","type":"result","duration_ms":109,"uuid":"e753ba5d-b884-4c69-a915-0e34f3375de3","queued_turn_count":0,"result_index":0,"model_usage_since_last_result":{}}""";

    private const string InterruptResultLine =
        """{"duration_api_ms":0,"stop_reason":null,"session_id":"9e4d8a14-de65-4f91-9344-6f3d51f239a3","total_cost_usd":0.00016400000000000003,"usage":{"output_tokens_details":{"thinking_tokens":0},"input_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":0},"modelUsage":{},"permission_denials":[],"terminal_reason":"aborted_streaming","fast_mode_state":"off","safety_stops":0,"is_error":true,"num_turns":2,"subtype":"error_during_execution","errors":["[ede_diagnostic] result_type=user last_content_type=n/a stop_reason=null"],"type":"result","duration_ms":673,"uuid":"7b05e5c6-7e92-4136-ad7c-90fe8482d0d8","queued_turn_count":0,"result_index":0,"model_usage_since_last_result":{}}""";

    private const string ApiRetryLine =
        """{"type":"system","subtype":"api_retry","attempt":1,"max_retries":1,"retry_delay_ms":517,"error_status":529,"error":"overloaded","session_id":"6e2416e7-385e-4bfa-8642-24dec4edb278","uuid":"d919a081-713c-4507-a86d-48e6be065727"}""";

    private const string ControlResponseSuccessLine =
        """{"type":"control_response","response":{"subtype":"success","request_id":"req_1","response":{"still_queued":[]}}}""";

    private const string MirrorLine =
        """{"type":"transcript_mirror","filePath":"/tmp/research/cfg7/projects/-tmp-research-wd/15aa7464-ff36-4bb4-bcf1-ffad61cf030a.jsonl","entries":[{"type":"last-prompt","lastPrompt":"second turn","leafUuid":"27a69603-6ab4-4c08-8ad5-1eb848c08e23","sessionId":"15aa7464-ff36-4bb4-bcf1-ffad61cf030a"},{"type":"atis-latch","atis":"","sessionId":"15aa7464-ff36-4bb4-bcf1-ffad61cf030a"}]}""";

    private static CliEvent? Parse(string line) => StreamJsonParser.Parse(line);

    [Fact]
    public void Parse_InitLine_GivesSessionAndModel()
    {
        var init = Assert.IsType<CliInit>(Parse(InitLine));

        Assert.Equal("35dac4e9-790c-4cb7-9040-3c52b748cb9a", init.SessionId);
        Assert.Equal("claude-opus-5-5", init.Model);
    }

    [Fact]
    public void Parse_TextDeltaStreamEvent_GivesTextDelta()
    {
        var delta = Assert.IsType<CliTextDelta>(Parse(TextDeltaLine));

        Assert.Equal("Part", delta.Text);
    }

    [Theory]
    [InlineData("""{"type":"stream_event","event":{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"hmm"}},"parent_tool_use_id":null}""")]
    [InlineData("""{"type":"stream_event","event":{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"abc"}},"parent_tool_use_id":null}""")]
    [InlineData("""{"type":"stream_event","event":{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}},"parent_tool_use_id":null}""")]
    [InlineData("""{"type":"stream_event","event":{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"a\":"}},"parent_tool_use_id":"toolu_9"}""")]
    [InlineData("""{"type":"stream_event","event":{"type":"message_stop"},"parent_tool_use_id":null,"abandoned_blocks":{"api_message_id":"msg_1795239159831","from_block_index":0}}""")]
    [InlineData("""{"type":"stream_event","event":{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":""}},"parent_tool_use_id":null}""")]
    public void Parse_StreamEventThatIsNotATextDelta_IsIgnored(string line)
    {
        Assert.Null(Parse(line));
    }

    [Fact]
    public void Parse_ToolUseStream_GivesTheCallItsInputAndTheStopReason()
    {
        var start = Assert.IsType<CliToolUseStart>(Parse("""{"type":"stream_event","event":{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_1","name":"mcp__client__f","input":{}}},"parent_tool_use_id":null}"""));
        var input = Assert.IsType<CliToolInputDelta>(Parse("""{"type":"stream_event","event":{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"a\":"}},"parent_tool_use_id":null}"""));
        var delta = Assert.IsType<CliMessageDelta>(Parse("""{"type":"stream_event","event":{"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":7}},"parent_tool_use_id":null}"""));
        var begin = Assert.IsType<CliMessageStart>(Parse("""{"type":"stream_event","event":{"type":"message_start","message":{"usage":{"input_tokens":3,"cache_read_input_tokens":4,"output_tokens":1}}},"parent_tool_use_id":null}"""));

        Assert.Equal(new CliToolUseStart(1, "toolu_1", "mcp__client__f"), start);
        Assert.Equal(new CliToolInputDelta(1, "{\"a\":"), input);
        Assert.Equal(new CliMessageDelta("tool_use", 7), delta);
        Assert.Equal(new CliUsage(3, 1, 4, 0), begin.Usage);
    }

    [Fact]
    public void Parse_McpMessageControlRequest_KeepsItsBody()
    {
        var request = Assert.IsType<CliControlRequest>(Parse("""{"type":"control_request","request_id":"r9","request":{"subtype":"mcp_message","server_name":"client","message":{"jsonrpc":"2.0","id":3,"method":"tools/list"}}}"""));

        Assert.Equal("r9", request.RequestId);
        Assert.Equal("mcp_message", request.Subtype);
        Assert.Equal("tools/list", request.Request.GetProperty("message").GetProperty("method").GetString());
    }

    [Fact]
    public void Parse_SubAgentTextDelta_IsIgnored()
    {
        var line = TextDeltaLine.Replace("\"parent_tool_use_id\":null", "\"parent_tool_use_id\":\"toolu_01ABC\"", StringComparison.Ordinal);

        Assert.Null(Parse(line));
    }

    [Fact]
    public void Parse_SubAgentAssistantMessage_IsIgnored()
    {
        var line = AssistantLine.Replace("\"parent_tool_use_id\":null", "\"parent_tool_use_id\":\"toolu_01ABC\"", StringComparison.Ordinal);

        Assert.Null(Parse(line));
    }

    [Fact]
    public void Parse_AssistantMessage_GivesTextAndModel()
    {
        var message = Assert.IsType<CliAssistantMessage>(Parse(AssistantLine));

        Assert.Equal("Echo: hi", message.Text);
        Assert.Equal("claude-opus-5-5", message.Model);
    }

    [Fact]
    public void Parse_AssistantMessageWithSeveralBlocks_JoinsOnlyTheTextBlocks()
    {
        const string line =
            """{"type":"assistant","message":{"model":"claude-opus-5-5","role":"assistant","content":[{"type":"thinking","thinking":"secret"},{"type":"text","text":"Hello, "},{"type":"tool_use","id":"toolu_1","name":"x","input":{}},{"type":"text","text":"world"}]},"parent_tool_use_id":null}""";

        var message = Assert.IsType<CliAssistantMessage>(Parse(line));

        Assert.Equal("Hello, world", message.Text);
    }

    [Fact]
    public void Parse_SuccessResultWithTypeKeyInTheMiddle_GivesTheResult()
    {
        var result = Assert.IsType<CliResult>(Parse(SuccessResultLine));

        Assert.Equal("success", result.Subtype);
        Assert.False(result.IsError);
        Assert.Equal("Echo: hi", result.Result);
        Assert.Equal("675cd31d-e3b6-4ad9-b461-7cdd7504657a", result.SessionId);
        Assert.Equal("end_turn", result.StopReason);
        Assert.Equal("completed", result.TerminalReason);
        Assert.Null(result.ApiErrorStatus);
        Assert.Empty(result.Errors);
        Assert.Equal(0.000204, result.TotalCostUsd);
        Assert.Equal(137, result.DurationMs);
        Assert.Equal(new CliUsage(12, 7, 5, 3), result.Usage);
        Assert.Equal(20, result.Usage.PromptTokens);
    }

    [Fact]
    public void Parse_ApiErrorResult_IsAnErrorDespiteSubtypeSuccess()
    {
        var result = Assert.IsType<CliResult>(Parse(Overloaded529ResultLine));

        Assert.Equal("success", result.Subtype);
        Assert.True(result.IsError);
        Assert.Equal(529, result.ApiErrorStatus);
        Assert.Equal("overloaded_error", result.ApiErrorType);
        Assert.Equal("api_error", result.TerminalReason);
        Assert.StartsWith("API Error: 529 Overloaded.", result.Result, StringComparison.Ordinal);
        Assert.Equal(CliUsage.Zero, result.Usage);
    }

    [Fact]
    public void Parse_InterruptResult_HasNoResultTextAndCarriesErrors()
    {
        var result = Assert.IsType<CliResult>(Parse(InterruptResultLine));

        Assert.Equal("error_during_execution", result.Subtype);
        Assert.True(result.IsError);
        Assert.Null(result.Result);
        Assert.Null(result.StopReason);
        Assert.Null(result.ApiErrorStatus);
        Assert.Equal("aborted_streaming", result.TerminalReason);
        Assert.Equal(["[ede_diagnostic] result_type=user last_content_type=n/a stop_reason=null"], result.Errors);
    }

    [Fact]
    public void Parse_ApiRetry_GivesAttemptStatusAndDelay()
    {
        var retry = Assert.IsType<CliApiRetry>(Parse(ApiRetryLine));

        Assert.Equal(1, retry.Attempt);
        Assert.Equal(529, retry.ErrorStatus);
        Assert.Equal(517, retry.RetryDelayMs);
    }

    [Fact]
    public void Parse_ApiRetryAfterBrokenStream_HasNoStatus()
    {
        const string line = """{"type":"system","subtype":"api_retry","attempt":1,"max_retries":1,"retry_delay_ms":607,"error_status":null,"error":"unknown"}""";

        var retry = Assert.IsType<CliApiRetry>(Parse(line));

        Assert.Null(retry.ErrorStatus);
    }

    [Fact]
    public void Parse_ControlResponseSuccess_GivesRequestId()
    {
        var response = Assert.IsType<CliControlResponse>(Parse(ControlResponseSuccessLine));

        Assert.Equal("req_1", response.RequestId);
        Assert.True(response.Success);
        Assert.Null(response.Error);
    }

    [Fact]
    public void Parse_ConversationReset_GivesTheResetEvent()
    {
        const string line = """{"type":"conversation_reset","new_conversation_id":"62263997-5193-4616-9b85-88c672af1d0d","uuid":"62263997-5193-4616-9b85-88c672af1d0d","trigger":"clear","session_id":"c8fbe296-2d04-4d5e-a917-031c2e367d0d"}""";

        var reset = Assert.IsType<CliConversationReset>(Parse(line));

        Assert.Equal("62263997-5193-4616-9b85-88c672af1d0d", reset.NewConversationId);
    }

    [Fact]
    public void Parse_SetModelResponse_IsASuccessfulControlResponse()
    {
        const string line = """{"type":"control_response","response":{"subtype":"success","request_id":"req_1","response":{"model":"claude-sonnet-5-5"}}}""";

        var response = Assert.IsType<CliControlResponse>(Parse(line));

        Assert.Equal("req_1", response.RequestId);
        Assert.True(response.Success);
    }

    [Fact]
    public void Parse_ControlResponseError_GivesTheError()
    {
        const string line = """{"type":"control_response","response":{"subtype":"error","request_id":"req_7","error":"Unknown control request subtype: bogus"}}""";

        var response = Assert.IsType<CliControlResponse>(Parse(line));

        Assert.Equal("req_7", response.RequestId);
        Assert.False(response.Success);
        Assert.Equal("Unknown control request subtype: bogus", response.Error);
    }

    [Fact]
    public void Parse_TranscriptMirror_GivesFilePathAndEntries()
    {
        var mirror = Assert.IsType<CliTranscriptMirror>(Parse(MirrorLine));

        Assert.Equal("/tmp/research/cfg7/projects/-tmp-research-wd/15aa7464-ff36-4bb4-bcf1-ffad61cf030a.jsonl", mirror.FilePath);
        Assert.Equal(2, mirror.Entries.Count);
        Assert.Equal("last-prompt", mirror.Entries[0].GetProperty("type").GetString());
        Assert.Equal("atis-latch", mirror.Entries[1].GetProperty("type").GetString());
    }

    [Fact]
    public void Parse_TranscriptMirror_EntriesOutliveTheParsedDocument()
    {
        var mirror = Assert.IsType<CliTranscriptMirror>(Parse(MirrorLine));
        GC.Collect();

        Assert.Equal("second turn", mirror.Entries[0].GetProperty("lastPrompt").GetString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("Warning: something the CLI printed on stdout")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"type\":\"result\",\"subtype\":")]
    [InlineData("{not json at all}")]
    [InlineData("{}")]
    [InlineData("{\"type\":42}")]
    [InlineData("""{"type":"system","subtype":"status","status":"requesting","session_id":"35dac4e9-790c-4cb7-9040-3c52b748cb9a"}""")]
    [InlineData("""{"type":"system","subtype":"compact_boundary"}""")]
    [InlineData("""{"type":"user","message":{"role":"user","content":[{"type":"text","text":"[Request interrupted by user]"}]},"parent_tool_use_id":null}""")]
    public void Parse_LineTheServerDoesNotActOn_GivesNull(string line)
    {
        Assert.Null(Parse(line));
    }

    [Fact]
    public void Parse_LineWithLeadingWhitespace_StillParses()
    {
        Assert.IsType<CliInit>(Parse("  " + InitLine));
    }

    [Fact]
    public void Parse_LineOfSeveralMegabytes_Parses()
    {
        var big = new string('x', 5 * 1024 * 1024);
        var line = $$"""{"type":"assistant","message":{"model":"claude-opus-5-5","role":"assistant","content":[{"type":"text","text":"{{big}}"}]},"parent_tool_use_id":null}""";

        var message = Assert.IsType<CliAssistantMessage>(Parse(line));

        Assert.Equal(big.Length, message.Text.Length);
    }

    [Fact]
    public void Parse_MirrorLineOfSeveralMegabytes_Parses()
    {
        var entries = new StringBuilder();
        for (var i = 0; i < 20_000; i++)
        {
            entries.Append(i == 0 ? "" : ",").Append("{\"type\":\"attachment\",\"n\":").Append(i).Append(",\"pad\":\"").Append('y', 200).Append("\"}");
        }

        var line = $$"""{"type":"transcript_mirror","filePath":"/x.jsonl","entries":[{{entries}}]}""";
        Assert.True(line.Length > 4_000_000);

        var mirror = Assert.IsType<CliTranscriptMirror>(Parse(line));

        Assert.Equal(20_000, mirror.Entries.Count);
    }

    [Fact]
    public void Parse_TextDeltaWithUnicode_KeepsTheText()
    {
        const string line = """{"type":"stream_event","event":{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Grüße 🌍 \u00e9\n"}},"parent_tool_use_id":null}""";

        var delta = Assert.IsType<CliTextDelta>(Parse(line));

        Assert.Equal("Grüße 🌍 é\n", delta.Text);
    }

    [Fact]
    public void Parse_TextDeltaWithLoneSurrogateEscape_DoesNotThrow()
    {
        const string line = """{"type":"stream_event","event":{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"cut \ud83d"}},"parent_tool_use_id":null}""";

        var exception = Record.Exception(() => Parse(line));

        Assert.Null(exception);
    }
}
