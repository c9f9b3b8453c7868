namespace HealthBlock.Ledger;

/// <summary>Thrown when the ledger refuses a transaction or block, or a commit cannot be awaited.</summary>
public sealed class LedgerRejectedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LedgerRejectedException(RejectReason reason, string message, Exception? inner = null)
        : base($"{reason}: {message}", inner)
    {
        Reason = reason;
        Detail = message;
    }

    /// <summary>Creates the exception from a rejection.</summary>
    public LedgerRejectedException(Rejection rejection)
        : this((rejection ?? throw new ArgumentNullException(nameof(rejection))).Reason, rejection.Message)
    {
    }

    /// <summary>Creates an exception with a generic message.</summary>
    public LedgerRejectedException()
        : this(RejectReason.Malformed, "Rejected.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    public LedgerRejectedException(string message)
        : this(RejectReason.Malformed, message)
    {
    }

    /// <summary>Creates an exception with a message and an inner exception.</summary>
    public LedgerRejectedException(string message, Exception innerException)
        : this(RejectReason.Malformed, message, innerException)
    {
    }

    /// <summary>The reason code.</summary>
    public RejectReason Reason { get; }

    /// <summary>The message without the reason prefix.</summary>
    public string Detail { get; }

    /// <summary>The rejection.</summary>
    public Rejection Rejection => new(Reason, Detail);
}
