namespace HealthBlock.Statistics;

/// <summary>The statistics node refused to decrypt a cohort; <see cref="Reason"/> says why.</summary>
public sealed class CohortRefusedException : Exception
{
    /// <summary>A refusal for <paramref name="reason"/>.</summary>
    public CohortRefusedException(CohortRefusal reason, string message)
        : base(message) => Reason = reason;

    /// <summary>An invalid-request refusal.</summary>
    public CohortRefusedException()
        : this(CohortRefusal.InvalidRequest, "The cohort request is refused.")
    {
    }

    /// <summary>An invalid-request refusal with a message.</summary>
    public CohortRefusedException(string message)
        : this(CohortRefusal.InvalidRequest, message)
    {
    }

    /// <summary>An invalid-request refusal with a message and its cause.</summary>
    public CohortRefusedException(string message, Exception innerException)
        : base(message, innerException) => Reason = CohortRefusal.InvalidRequest;

    /// <summary>Why.</summary>
    public CohortRefusal Reason { get; }
}
