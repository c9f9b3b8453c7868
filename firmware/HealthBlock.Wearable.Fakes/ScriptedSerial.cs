using System.Text;
using HealthBlock.Wearable.Hardware;

namespace HealthBlock.Wearable.Fakes;

/// <summary>A serial link whose far end is the test: it queues bytes to be read and records what was written.</summary>
public sealed class ScriptedSerial : ISerialChannel
{
    private readonly Queue<byte> _incoming = new();
    private readonly List<byte> _written = [];

    /// <summary>Everything written so far.</summary>
    public IReadOnlyList<byte> Written => _written;

    /// <summary>When set, writes throw <see cref="IOException"/> (a failed UART).</summary>
    public bool FailWrites { get; set; }

    /// <summary>What was written, as ASCII.</summary>
    public string WrittenText => Encoding.ASCII.GetString([.. _written]);

    /// <summary>Queues ASCII text for the device to read.</summary>
    public void Push(string text) => Push(Encoding.ASCII.GetBytes(text));

    /// <summary>Queues bytes for the device to read.</summary>
    public void Push(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        foreach (var b in bytes)
        {
            _incoming.Enqueue(b);
        }
    }

    /// <inheritdoc />
    public int ReadAvailable(byte[] buffer, int offset, int count)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        var n = 0;
        while (n < count && _incoming.Count > 0)
        {
            buffer[offset + n++] = _incoming.Dequeue();
        }

        return n;
    }

    /// <inheritdoc />
    public void Write(byte[] buffer, int offset, int count)
    {
        if (FailWrites)
        {
            throw new IOException("UART write failed");
        }

        _written.AddRange(buffer.AsSpan(offset, count).ToArray());
    }
}
