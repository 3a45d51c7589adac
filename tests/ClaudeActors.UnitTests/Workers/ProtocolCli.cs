using ClaudeActors.Testing.Gateway;

namespace ClaudeActors.UnitTests.Workers;

/// <summary>
/// A stand-in CLI that speaks enough of the stream-json protocol for the worker and standby specs: the host's
/// <c>/clear</c> resets (with a new session id), <c>set_model</c> is answered, and a prompt is answered by what it
/// contains: <c>hold</c> waits for <see cref="Release"/>, <c>hang</c> never answers, <c>fail</c> ends in an error
/// result, anything else gets <c>ok</c>. Each process writes its pid to <c>pid.*</c> and every line it read to
/// <c>stdin.*</c> in <see cref="Folder"/>.
/// </summary>
internal sealed class ProtocolCli : IDisposable
{
    private readonly FakeCliScript _script;

    public ProtocolCli()
    {
        var gate = Path.Combine(Path.GetTempPath(), "claude-actors-gate-" + Guid.NewGuid().ToString("N"));
        GateFile = gate;
        _script = FakeCliScript.Create($$$$"""
            echo $$ > "${STDIN_FILE/stdin./pid.}"
            init() { echo "{\"type\":\"system\",\"subtype\":\"init\",\"session_id\":\"$sid\",\"model\":\"fake\"}"; }
            sid=$(cat /proc/sys/kernel/random/uuid)
            while IFS= read -r line; do
              echo "$line" >> "$STDIN_FILE"
              case "$line" in
                *'"subtype":"set_model"'*|*'"subtype":"initialize"'*)
                  id=$(echo "$line" | sed -E 's/.*"request_id":"([^"]*)".*/\1/')
                  echo "{\"type\":\"control_response\",\"response\":{\"subtype\":\"success\",\"request_id\":\"$id\",\"response\":{}}}" ;;
                *'"text":"/clear"'*)
                  sid=$(cat /proc/sys/kernel/random/uuid)
                  echo '{"type":"conversation_reset","trigger":"clear"}'
                  init
                  echo "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,\"result\":\"\",\"session_id\":\"$sid\"}" ;;
                *hang*) init; sleep 600 ;;
                *fail*)
                  init
                  echo "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":true,\"result\":\"API Error: 500 boom\",\"api_error_status\":500,\"terminal_reason\":\"api_error\",\"session_id\":\"$sid\"}" ;;
                *)
                  init
                  case "$line" in *hold*) while [ ! -e "{{{{gate}}}}" ]; do sleep 0.02; done ;; esac
                  echo '{"type":"stream_event","event":{"type":"content_block_delta","delta":{"type":"text_delta","text":"ok"}}}'
                  echo "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,\"result\":\"ok\",\"session_id\":\"$sid\",\"stop_reason\":\"end_turn\",\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}" ;;
              esac
            done
            """);
    }

    public string BinaryPath => _script.Path;

    public string Folder => _script.Folder;

    public string GateFile { get; }

    /// <summary>Lets every <c>hold</c> prompt finish.</summary>
    public void Release() => File.WriteAllText(GateFile, "");

    /// <summary>The pids of every process started so far.</summary>
    public IReadOnlyList<int> Pids =>
        [.. Directory.GetFiles(Folder, "pid.*").Select(f => File.ReadAllText(f).Trim()).Where(t => t.Length > 0).Select(int.Parse)];

    /// <summary>The pid of the process that read <paramref name="prompt"/>.</summary>
    public int PidOf(string prompt)
    {
        var input = Directory.GetFiles(Folder, "stdin.*").Single(f => File.ReadAllText(f).Contains(prompt, StringComparison.Ordinal));
        return int.Parse(File.ReadAllText(input.Replace("stdin.", "pid.", StringComparison.Ordinal)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Everything every process read on stdin.</summary>
    public string AllInput => string.Concat(Directory.GetFiles(Folder, "stdin.*").Select(File.ReadAllText));

    public static bool IsRunning(int pid) => Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);

    public void Dispose()
    {
        File.Delete(GateFile);
        _script.Dispose();
    }
}
