namespace HealthBlock.Fuzz;

/// <summary>A decoded value broke its format's contract (the harness's own failure, never an expected exception).</summary>
public sealed class FuzzContractException : Exception
{
    /// <summary>Creates the exception.</summary>
    public FuzzContractException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public FuzzContractException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public FuzzContractException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
