using HealthBlock.Wearable.Storage;

namespace HealthBlock.Wearable.Fakes;

/// <summary>A counter store in memory that counts its saves.</summary>
public sealed class MemoryCounterStore : ICounterStore
{
    /// <summary>The stored value, or null before the first save.</summary>
    public uint? Value { get; set; }

    /// <summary>Saves so far.</summary>
    public int Saves { get; private set; }

    /// <inheritdoc />
    public bool TryLoad(out uint value)
    {
        value = Value ?? 0;
        return Value.HasValue;
    }

    /// <inheritdoc />
    public void Save(uint value)
    {
        Saves++;
        Value = value;
    }
}
