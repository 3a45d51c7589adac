using ClaudeActors.Testing.Gateway;

namespace ClaudeActors.UnitTests.Conversations;

/// <summary>
/// A fake <c>claude</c> that speaks just enough stream-json for a conversation's process: for each user line it prints
/// <c>system/init</c>, one text delta, a <c>transcript_mirror</c> line with two entries (the user's text and the
/// answer, also appended to the transcript file as the CLI does) and a <c>result</c> whose text is
/// <c>echo: &lt;text&gt;</c>. A text <c>hold:NAME</c> makes the turn wait until <see cref="Open"/>(NAME) (it touches
/// <c>holding.NAME</c> first, see <see cref="IsHolding"/>); an <c>interrupt</c> control request ends a held turn as the
/// real CLI does (<c>error_during_execution</c>). When stdin closes it prints one more mirror line (a straggler, as the
/// real CLI does at exit) and exits; with <see cref="HoldExit"/> it first waits for <see cref="ReleaseExit"/>. A start
/// with <c>--resume</c> copies the transcript it resumes to <c>resumed.*</c> (<see cref="ResumedTranscripts"/>).
/// </summary>
internal sealed class EchoCli : IDisposable
{
    private const string Body = """
        FOLDER="$(dirname "$0")"
        id=""
        resume=""
        for a in "$@"; do
          case "$a" in
            --resume=*) id="${a#--resume=}"; resume=1 ;;
            --session-id=*) id="${a#--session-id=}" ;;
          esac
        done
        key=$(pwd -P | sed 's/[^A-Za-z0-9]/-/g')
        transcript="${CLAUDE_CONFIG_DIR}/projects/$key/$id.jsonl"
        if [ -n "$resume" ]; then
          if [ -e "$transcript" ]; then cp "$transcript" "$FOLDER/resumed.$n"; else : > "$FOLDER/resumed.$n"; fi
        fi
        mkdir -p "$(dirname "$transcript")"
        text_re='"text":"([^"]*)"'
        interrupt_re='"subtype":"interrupt"'
        : > "$STDIN_FILE"
        while IFS= read -r line; do
          printf '%s\n' "$line" >> "$STDIN_FILE"
          [[ $line =~ $text_re ]] || continue
          text="${BASH_REMATCH[1]}"
          printf '%s\n' '{"type":"system","subtype":"init","session_id":"'"$id"'","model":"fake-model"}'
          if [[ $text == hold:* ]]; then
            name="${text#hold:}"
            touch "$FOLDER/holding.$name"
            interrupted=""
            while [ ! -e "$FOLDER/gate.$name" ]; do
              if IFS= read -r -t 0.05 control; then
                printf '%s\n' "$control" >> "$STDIN_FILE"
                if [[ $control =~ $interrupt_re ]]; then interrupted=1; break; fi
              fi
            done
            if [ -n "$interrupted" ]; then
              printf '%s\n' '{"type":"result","subtype":"error_during_execution","is_error":true,"terminal_reason":"aborted_streaming","session_id":"'"$id"'","usage":{"input_tokens":1,"output_tokens":0}}'
              continue
            fi
          fi
          answer="echo: $text"
          printf '%s\n' '{"type":"stream_event","event":{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"'"$answer"'"}}}'
          user='{"type":"user","sessionId":"'"$id"'","text":"'"$text"'"}'
          assistant='{"type":"assistant","sessionId":"'"$id"'","text":"'"$answer"'"}'
          printf '%s\n%s\n' "$user" "$assistant" >> "$transcript"
          printf '%s\n' '{"type":"transcript_mirror","filePath":"'"$transcript"'","entries":['"$user"','"$assistant"']}'
          printf '%s\n' '{"type":"result","subtype":"success","is_error":false,"result":"'"$answer"'","session_id":"'"$id"'","stop_reason":"end_turn","usage":{"input_tokens":3,"output_tokens":2}}'
        done
        if [ -e "$FOLDER/hold-exit" ]; then
          touch "$FOLDER/exiting.$n"
          while [ ! -e "$FOLDER/release-exit" ]; do sleep 0.05; done
        fi
        printf '%s\n' '{"type":"transcript_mirror","filePath":"'"$transcript"'","entries":[{"type":"last-prompt","sessionId":"'"$id"'"}]}'
        exit 0
        """;

    private readonly FakeCliScript _script = FakeCliScript.Create(Body);

    /// <summary>The executable for <c>ClaudeActors:Cli:BinaryPath</c>.</summary>
    public string Path => _script.Path;

    /// <summary>How many processes were started.</summary>
    public int Starts => _script.Starts;

    /// <summary>What every process read on stdin, one string per process.</summary>
    public IEnumerable<string> Stdin => _script.StdinFiles;

    /// <summary>The transcripts that processes started with <c>--resume</c> found, one string per start.</summary>
    public IEnumerable<string> ResumedTranscripts => Directory.GetFiles(_script.Folder, "resumed.*").Order(StringComparer.Ordinal).Select(File.ReadAllText);

    /// <summary>Whether a turn <c>hold:NAME</c> has reached the CLI and waits.</summary>
    public bool IsHolding(string name) => File.Exists(System.IO.Path.Combine(_script.Folder, "holding." + name));

    /// <summary>Lets the held turn <c>hold:NAME</c> answer.</summary>
    public void Open(string name) => File.WriteAllText(System.IO.Path.Combine(_script.Folder, "gate." + name), "");

    /// <summary>From now on a process whose stdin closes waits for <see cref="ReleaseExit"/> before it exits.</summary>
    public void HoldExit() => File.WriteAllText(System.IO.Path.Combine(_script.Folder, "hold-exit"), "");

    /// <summary>Whether a process saw its stdin close and waits for <see cref="ReleaseExit"/>.</summary>
    public bool IsExiting => Directory.GetFiles(_script.Folder, "exiting.*").Length > 0;

    public void ReleaseExit() => File.WriteAllText(System.IO.Path.Combine(_script.Folder, "release-exit"), "");

    public void Dispose()
    {
        ReleaseExit();
        _script.Dispose();
    }
}
