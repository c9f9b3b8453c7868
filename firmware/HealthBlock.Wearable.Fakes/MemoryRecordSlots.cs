using HealthBlock.Wearable.Hardware;

namespace HealthBlock.Wearable.Fakes;

/// <summary>
/// Record slots in memory. They survive an emulated reboot (a new wearable on the same instance) but not the
/// process, and can lose power during the N-th write, leaving the first K bytes of it on the "medium".
/// Thread-safe.
/// </summary>
public sealed class MemoryRecordSlots : IRecordSlots
{
    private readonly Lock _lock = new();
    private readonly Dictionary<int, byte[]> _slots = [];
    private int _writes;

    /// <summary>Writes attempted so far (torn ones included).</summary>
    public int Writes
    {
        get
        {
            lock (_lock)
            {
                return _writes;
            }
        }
    }

    /// <summary>When set, the write with this number (counting every write since creation, 1-based) is torn and throws <see cref="PowerLossException"/>.</summary>
    public int? LosePowerAtWrite { get; set; }

    /// <summary>Bytes of the torn write that reach the medium (over the slot's previous content).</summary>
    public int TornBytes { get; set; }

    /// <inheritdoc />
    public byte[]? Read(int slot)
    {
        lock (_lock)
        {
            return _slots.TryGetValue(slot, out var data) ? (byte[])data.Clone() : null;
        }
    }

    /// <inheritdoc />
    public void Write(int slot, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        lock (_lock)
        {
            _writes++;
            if (LosePowerAtWrite != _writes)
            {
                _slots[slot] = (byte[])data.Clone();
                return;
            }

            var torn = new byte[Math.Max(data.Length, _slots.TryGetValue(slot, out var old) ? old.Length : 0)];
            old?.CopyTo(torn, 0);
            Array.Copy(data, torn, Math.Min(TornBytes, data.Length));
            _slots[slot] = torn;
        }

        throw new PowerLossException();
    }
}
