namespace HealthBlock.Wearable.Fakes;

/// <summary>Thrown by <see cref="MemoryRecordSlots"/> to simulate the power going off during a write.</summary>
public sealed class PowerLossException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PowerLossException()
        : base("power lost")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public PowerLossException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public PowerLossException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
