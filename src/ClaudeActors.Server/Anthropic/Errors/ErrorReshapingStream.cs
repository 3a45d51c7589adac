using System.Text.Json;

namespace ClaudeActors.Server.Anthropic.Errors;

/// <summary>
/// The response body of an Anthropic request. An answer with a success status passes straight through (streams are
/// flushed as they come); an error answer is held until the handler is done, then sent in Anthropic's shape if it was
/// written in OpenAI's (<c>{"error":{"message",...}}</c>).
/// </summary>
internal sealed class ErrorReshapingStream(Stream inner, HttpContext http) : Stream
{
    private MemoryStream? _held;
    private bool _decided;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!_decided)
        {
            _decided = true;
            if (http.Response.StatusCode >= 400 && !http.Response.HasStarted)
            {
                _held = new MemoryStream();
            }
        }

        if (_held is not null)
        {
            _held.Write(buffer.Span);
            return;
        }

        await inner.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
        if (_held is null)
        {
            inner.Flush();
        }
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => _held is null ? inner.FlushAsync(cancellationToken) : Task.CompletedTask;

    /// <summary>Sends a held error answer, reshaped if it is in OpenAI's shape.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (_held is null)
        {
            return;
        }

        var bytes = _held.ToArray();
        _held = null;
        var reshaped = Reshape(bytes, http.Response.StatusCode, RequestIds.Of(http));
        if (reshaped is not null)
        {
            bytes = reshaped;
            if (!http.Response.HasStarted)
            {
                http.Response.ContentLength = bytes.Length;
                http.Response.ContentType = "application/json";
                if (http.Response.StatusCode is >= 400 and < 500 and not 408 and not 429)
                {
                    http.Response.Headers["x-should-retry"] = "false";
                }
            }
        }

        await inner.WriteAsync(bytes, cancellationToken);
    }

    /// <summary>The Anthropic form of an OpenAI error body, or null for anything else (left as it is).</summary>
    internal static byte[]? Reshape(byte[] body, int status, string requestId)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object
                || (root.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "error"))
            {
                return null;
            }

            var message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "The request failed.";
            return System.Text.Encoding.UTF8.GetBytes(AnthropicJson.Write(AnthropicErrors.Body(status, message, requestId)));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
