namespace HealthBlock.Gateway.Mqtt;

/// <summary>
/// Sits between a client's (decrypted) byte stream and MQTTnet's packet reader and follows the MQTT framing as the
/// bytes pass (OASIS MQTT 3.1.1 §2.2: a type byte, then the remaining length as a variable byte integer of at most four
/// bytes, then that many bytes). A remaining length above the bound, or a malformed one, fails the read that carries
/// it — before MQTTnet has seen the header, so it never sizes a buffer from it — and the connection closes. A read that
/// gets no byte for the idle time fails too, and so does the connection whose first packet (its CONNECT) is not complete
/// by <paramref name="connectDeadline"/>.
/// </summary>
internal sealed class PacketSizeGuardStream(Stream inner, int maxRemainingLength, TimeSpan idleTimeout, DateTimeOffset connectDeadline, TimeProvider time, Action<ListenerLimit> violated) : Stream
{
    private bool _firstPacketDone;
    private State _state = State.TypeByte;
    private long _length;
    private int _lengthBytes;
    private long _bodyLeft;

    private enum State
    {
        TypeByte,
        Length,
        Body,
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read;
        var connecting = !_firstPacketDone;
        var wait = connecting ? Min(idleTimeout, connectDeadline - time.GetUtcNow()) : idleTimeout;
        using (var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            idle.CancelAfter(wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(1));
            try
            {
                read = await inner.ReadAsync(buffer, idle.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                violated(connecting ? ListenerLimit.Handshake : ListenerLimit.Idle);
                throw new IOException(connecting ? "no complete CONNECT in time: connection closed" : $"no byte for {idleTimeout.TotalSeconds:0} s: connection closed");
            }
        }

        Inspect(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private void Inspect(ReadOnlySpan<byte> bytes)
    {
        var i = 0;
        while (i < bytes.Length)
        {
            switch (_state)
            {
                case State.TypeByte:
                    _state = State.Length;
                    _length = 0;
                    _lengthBytes = 0;
                    i++;
                    break;
                case State.Length:
                    var b = bytes[i++];
                    _length |= (long)(b & 0x7F) << (7 * _lengthBytes);
                    _lengthBytes++;
                    if (_length > maxRemainingLength)
                    {
                        violated(ListenerLimit.PacketTooLarge);
                        throw new IOException($"an MQTT packet announced more than {maxRemainingLength} bytes: refused before reading it");
                    }

                    if ((b & 0x80) == 0)
                    {
                        _bodyLeft = _length;
                        _state = _bodyLeft == 0 ? State.TypeByte : State.Body;
                        _firstPacketDone |= _bodyLeft == 0;
                    }
                    else if (_lengthBytes == 4)
                    {
                        violated(ListenerLimit.PacketTooLarge);
                        throw new IOException("an MQTT remaining length longer than four bytes: refused");
                    }

                    break;
                default:
                    var skip = (int)Math.Min(_bodyLeft, bytes.Length - i);
                    i += skip;
                    _bodyLeft -= skip;
                    if (_bodyLeft == 0)
                    {
                        _state = State.TypeByte;
                        _firstPacketDone = true;
                    }

                    break;
            }
        }
    }
}
