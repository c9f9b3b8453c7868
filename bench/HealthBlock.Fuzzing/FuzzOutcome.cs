namespace HealthBlock.Fuzz;

/// <summary>What one decoder call did with an input.</summary>
public enum FuzzOutcome
{
    /// <summary>Decoded (and, where the format is canonical, re-encoded to the same bytes).</summary>
    Accepted,

    /// <summary>Refused with the decoder's own error type.</summary>
    Rejected,
}
