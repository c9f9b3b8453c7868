namespace HealthBlock.Fuzz;

/// <summary>What kind of failure a crash is.</summary>
public enum CrashKind
{
    /// <summary>An exception other than the decoder's documented ones.</summary>
    Exception,

    /// <summary>A decoded value broke the format's contract (e.g. re-encodes to other bytes).</summary>
    Contract,

    /// <summary>The input ran over the time budget.</summary>
    Hang,

    /// <summary>The input made the decoder allocate more than the allocation budget.</summary>
    Memory,
}
