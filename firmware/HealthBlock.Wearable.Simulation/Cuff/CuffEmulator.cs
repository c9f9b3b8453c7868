using System.Text;
using HealthBlock.Wearable.Hardware;
using HealthBlock.Wearable.Sensors;

namespace HealthBlock.Wearable.Simulation.Cuff;

/// <summary>
/// A blood-pressure cuff speaking the HealthBlock cuff protocol (firmware/README.md) over a pair of byte streams:
/// the wearable writes commands into <see cref="HostToCuff"/> and reads replies from <see cref="CuffToHost"/>.
/// Replies become readable when they are due on the emulator's clock, so a 30-second measurement takes 30 virtual
/// seconds, or no time at all under a virtual clock.
/// </summary>
/// <remarks>
/// <c>M</c> is acknowledged at once (<c>ACK,M</c>) and answered after <see cref="MeasurementTime"/> with
/// <c>BP,…</c> or, if <see cref="NextError"/> is set, <c>ERR,code</c>; <c>M</c> during a measurement gets
/// <c>ERR,7</c>; <c>X</c> aborts (<c>ERR,8</c>); <c>S</c> reports <c>ST,0|1</c>; anything else <c>ERR,9</c>.
/// </remarks>
public sealed class CuffEmulator
{
    private readonly IClock _clock;
    private readonly Lock _lock = new();
    private readonly List<(long DueMs, byte[] Bytes, bool IsResult)> _pending = [];
    private readonly List<byte> _readable = [];
    private readonly List<byte> _commandLine = [];
    private readonly List<string> _commands = [];
    private bool _measuring;

    /// <summary>Creates a cuff on <paramref name="clock"/>.</summary>
    public CuffEmulator(IClock clock)
    {
        _clock = clock;
        HostToCuff = new CommandStream(this);
        CuffToHost = new ReplyStream(this);
    }

    /// <summary>The wearable's TX line: commands go in here.</summary>
    public Stream HostToCuff { get; }

    /// <summary>The wearable's RX line: replies come out here (a read returns 0 at once when nothing is due).</summary>
    public Stream CuffToHost { get; }

    /// <summary>How long a measurement takes.</summary>
    public TimeSpan MeasurementTime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The result of the next measurements (systolic, diastolic, pulse, status).</summary>
    public (int Systolic, int Diastolic, int Pulse, int Status) Result { get; set; } = (120, 80, 70, 0);

    /// <summary>When set, the next measurement fails with this <c>ERR</c> code (then it is cleared).</summary>
    public int? NextError { get; set; }

    /// <summary>When set, the cuff says nothing at all (unplugged).</summary>
    public bool Silent { get; set; }

    /// <summary>When set, the next reply line has a wrong checksum (then it is cleared).</summary>
    public bool CorruptNextChecksum { get; set; }

    /// <summary>Measurements started.</summary>
    public int Measurements { get; private set; }

    /// <summary>Command lines received, in order.</summary>
    public IReadOnlyList<string> Commands
    {
        get
        {
            lock (_lock)
            {
                return [.. _commands];
            }
        }
    }

    /// <summary>The firmware core's serial channel onto this cuff (what the wearable's UART adapter would be).</summary>
    public ISerialChannel OpenChannel() => new StreamSerialChannel(CuffToHost, HostToCuff);

    /// <summary>Puts line noise on the RX line at once (before any pending reply).</summary>
    public void InjectNoise(ReadOnlySpan<byte> bytes)
    {
        lock (_lock)
        {
            _pending.Insert(0, (long.MinValue, bytes.ToArray(), false));
        }
    }

    private void OnCommandBytes(ReadOnlySpan<byte> bytes)
    {
        lock (_lock)
        {
            foreach (var b in bytes)
            {
                if (b == (byte)'\n')
                {
                    var line = Encoding.ASCII.GetString([.. _commandLine]).TrimEnd('\r');
                    _commandLine.Clear();
                    if (line.Length > 0)
                    {
                        OnCommand(line);
                    }
                }
                else if (_commandLine.Count < 64)
                {
                    _commandLine.Add(b);
                }
            }
        }
    }

    private void OnCommand(string line)
    {
        _commands.Add(line);
        if (Silent)
        {
            return;
        }

        var now = _clock.UtcNowMs;
        switch (line)
        {
            case "M" when _measuring:
                Reply(now, CuffProtocol.EncodeError(CuffProtocol.ErrorBusy));
                break;
            case "M":
                _measuring = true;
                Measurements++;
                Reply(now, CuffProtocol.EncodeLine("ACK,M"));
                var done = now + (long)MeasurementTime.TotalMilliseconds;
                if (NextError is { } error)
                {
                    NextError = null;
                    Reply(done, CuffProtocol.EncodeError(error), isResult: true);
                }
                else
                {
                    var (sys, dia, pulse, status) = Result;
                    Reply(done, CuffProtocol.EncodeResult(sys, dia, pulse, status), isResult: true);
                }

                break;
            case "X":
                var aborted = _pending.RemoveAll(p => p.IsResult) > 0;
                _measuring = false;
                if (aborted)
                {
                    Reply(now, CuffProtocol.EncodeError(CuffProtocol.ErrorAborted));
                }

                break;
            case "S":
                Reply(now, CuffProtocol.EncodeLine(_measuring ? "ST,1" : "ST,0"));
                break;
            default:
                Reply(now, CuffProtocol.EncodeError(CuffProtocol.ErrorUnknownCommand));
                break;
        }
    }

    private void Reply(long dueMs, byte[] line, bool isResult = false)
    {
        if (CorruptNextChecksum)
        {
            CorruptNextChecksum = false;
            line[^3] = line[^3] == (byte)'0' ? (byte)'1' : (byte)'0';
        }

        // Keep replies in due order (stable for equal times).
        var index = _pending.FindLastIndex(p => p.DueMs <= dueMs) + 1;
        _pending.Insert(index, (dueMs, line, isResult));
    }

    private int ReadReplies(Span<byte> buffer)
    {
        lock (_lock)
        {
            var now = _clock.UtcNowMs;
            while (_pending.Count > 0 && _pending[0].DueMs <= now)
            {
                var (_, bytes, isResult) = _pending[0];
                _pending.RemoveAt(0);
                _readable.AddRange(bytes);
                if (isResult)
                {
                    _measuring = false;
                }
            }

            var n = Math.Min(buffer.Length, _readable.Count);
            for (var i = 0; i < n; i++)
            {
                buffer[i] = _readable[i];
            }

            _readable.RemoveRange(0, n);
            return n;
        }
    }

    /// <summary>The cuff's RX: a write-only stream.</summary>
    private sealed class CommandStream(CuffEmulator cuff) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => cuff.OnCommandBytes(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer) => cuff.OnCommandBytes(buffer);
    }

    /// <summary>The cuff's TX: a read-only, non-blocking stream.</summary>
    private sealed class ReplyStream(CuffEmulator cuff) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => cuff.ReadReplies(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer) => cuff.ReadReplies(buffer);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
