namespace ClaudeActors.Server.Status;

/// <summary>
/// The response body as <see cref="RequestRecorder"/> sees it: every write passes straight through (streams are
/// flushed as they come); it notes when the first byte was written and, for an error answer, keeps its first
/// <see cref="Limit"/> bytes so the status page can show the error's code and message.
/// </summary>
internal sealed class RecordingStream(Stream inner, HttpResponse response, TimeProvider time) : Stream
{
    /// <summary>The most of an error answer kept; error bodies are far smaller.</summary>
    public const int Limit = 4096;

    private MemoryStream? _error;
    private bool _decided;

    /// <summary>The timestamp (<see cref="TimeProvider.GetTimestamp"/>) of the first byte written, or null.</summary>
    public long? FirstByteAt { get; private set; }

    /// <summary>The start of an error answer's body (empty for other answers).</summary>
    public ReadOnlySpan<byte> ErrorBody => _error is null ? [] : _error.GetBuffer().AsSpan(0, (int)_error.Length);

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count)
    {
        Note(buffer.AsSpan(offset, count));
        inner.Write(buffer, offset, count);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Note(buffer);
        inner.Write(buffer);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Note(buffer.Span);
        return inner.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Note(buffer.AsSpan(offset, count));
        return inner.WriteAsync(buffer, offset, count, cancellationToken);
    }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private void Note(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        if (!_decided)
        {
            // The status is final once the body is written.
            _decided = true;
            FirstByteAt = time.GetTimestamp();
            if (response.StatusCode >= 400)
            {
                _error = new MemoryStream();
            }
        }

        if (_error is not null && _error.Length < Limit)
        {
            _error.Write(bytes[..(int)Math.Min(bytes.Length, Limit - _error.Length)]);
        }
    }
}
