using HealthBlock.Wearable.Hardware;
using HealthBlock.Wearable.Storage;

namespace HealthBlock.Wearable.Core.Tests;

/// <summary>A clock the test moves by hand.</summary>
public sealed class ManualClock(long startMs = 1_750_000_000_000) : IClock
{
    public long UtcNowMs { get; set; } = startMs;

    public void Advance(long ms) => UtcNowMs += ms;
}

/// <summary>An ECG front end whose output is a function of the sample index (counts, lead-off).</summary>
public sealed class ScriptedFrontEnd(Func<long, (int Counts, bool LeadOff)> script) : IEcgFrontEnd
{
    public long Reads { get; private set; }

    public int ReadSample(out bool leadOff)
    {
        var (counts, off) = script(Reads++);
        leadOff = off;
        return counts;
    }
}

public sealed class FixedThermometer(int centiCelsius) : IThermometer
{
    public bool Fail { get; set; }

    public int Reads { get; private set; }

    public bool TryReadCentiCelsius(out int value)
    {
        Reads++;
        value = Fail ? 0 : centiCelsius;
        return !Fail;
    }
}

/// <summary>Thrown by <see cref="MemorySlots"/> to simulate the power going off.</summary>
public sealed class PowerLossException : Exception
{
    public PowerLossException()
        : base("power lost")
    {
    }
}

/// <summary>Record slots in memory that can lose power during the N-th write, tearing it after K bytes.</summary>
public sealed class MemorySlots : IRecordSlots
{
    private readonly byte[]?[] _slots = new byte[]?[2];

    public int Writes { get; private set; }

    /// <summary>When set, the write with this number (1-based, counted from now on) is torn and throws.</summary>
    public int? LosePowerAtWrite { get; set; }

    /// <summary>Bytes of the torn write that reach the medium.</summary>
    public int TornBytes { get; set; }

    public byte[]? Read(int slot) => _slots[slot] is { } data ? (byte[])data.Clone() : null;

    public void Write(int slot, byte[] data)
    {
        Writes++;
        if (LosePowerAtWrite == Writes)
        {
            var old = _slots[slot] ?? new byte[data.Length];
            var torn = (byte[])old.Clone();
            if (torn.Length < data.Length)
            {
                Array.Resize(ref torn, data.Length);
            }

            Array.Copy(data, torn, Math.Min(TornBytes, data.Length));
            _slots[slot] = torn;
            throw new PowerLossException();
        }

        _slots[slot] = (byte[])data.Clone();
    }
}

public sealed class MemoryCounterStore : ICounterStore
{
    public uint? Value { get; set; }

    public int Saves { get; private set; }

    public bool TryLoad(out uint value)
    {
        value = Value ?? 0;
        return Value.HasValue;
    }

    public void Save(uint value)
    {
        Saves++;
        Value = value;
    }
}

/// <summary>An MQTT uplink in memory: can be switched offline, and records what the "broker" acknowledged.</summary>
public sealed class FakeUplink : IMqttUplink
{
    public List<(string Topic, byte[] Payload)> Acknowledged { get; } = [];

    public bool BrokerUp { get; set; } = true;

    /// <summary>Publishes that fail (without acknowledgement) before the next one succeeds.</summary>
    public int FailNextPublishes { get; set; }

    public int ConnectCalls { get; private set; }

    public List<byte[]> Attempts { get; } = [];

    public bool IsConnected { get; private set; }

    public bool Connect()
    {
        ConnectCalls++;
        IsConnected = BrokerUp;
        return IsConnected;
    }

    public bool Publish(string topic, byte[] payload)
    {
        Attempts.Add(payload);
        if (!IsConnected || !BrokerUp)
        {
            IsConnected = false;
            return false;
        }

        if (FailNextPublishes > 0)
        {
            FailNextPublishes--;
            return false;
        }

        Acknowledged.Add((topic, payload));
        return true;
    }

    public void Disconnect() => IsConnected = false;
}

/// <summary>A serial link whose far end is the test: it queues bytes to be read and records what was written.</summary>
public sealed class ScriptedSerial : ISerialChannel
{
    private readonly Queue<byte> _incoming = new();

    public List<byte> Written { get; } = [];

    public bool FailWrites { get; set; }

    public string WrittenText => System.Text.Encoding.ASCII.GetString([.. Written]);

    public void Push(string text) => Push(System.Text.Encoding.ASCII.GetBytes(text));

    public void Push(byte[] bytes)
    {
        foreach (var b in bytes)
        {
            _incoming.Enqueue(b);
        }
    }

    public int ReadAvailable(byte[] buffer, int offset, int count)
    {
        var n = 0;
        while (n < count && _incoming.Count > 0)
        {
            buffer[offset + n++] = _incoming.Dequeue();
        }

        return n;
    }

    public void Write(byte[] buffer, int offset, int count)
    {
        if (FailWrites)
        {
            throw new IOException("UART write failed");
        }

        Written.AddRange(buffer.AsSpan(offset, count).ToArray());
    }
}

public static class TestKeys
{
    public static readonly byte[] Device = Convert.FromHexString("8f3a5c9e1d7b2a4c6e8f0a1b3c5d7e9f2b4d6f8a0c2e4a6c8e0b2d4f6a8c0e2f");

    public static readonly byte[] Other = Convert.FromHexString("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
}
